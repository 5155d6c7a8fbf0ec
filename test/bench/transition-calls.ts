import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { LOCAL_TOKENS } from '#infra/local/local-runtime.ts';
import { DynamoDbIdempotencyStore } from '#shared/adapters/dynamodb-idempotency-store.ts';
import { DynamoDbNotificationReader } from '#shared/adapters/dynamodb-notification-reader.ts';
import { DynamoDbReviewRepository } from '#shared/adapters/dynamodb-review-repository.ts';
import { systemClock } from '#shared/adapters/system-clock.ts';
import { localDate } from '#shared/domain/calendar.ts';
import { createProcessRegistry } from '#shared/domain/process-registry.ts';
import { UNTOC_PROCESS } from '#shared/domain/processes/untoc.ts';
import { apiRoutes } from '#shared/http/api-routes.ts';
import { httpChain } from '#shared/http/http-chain.ts';
import { createReviewUseCase, transitionReviewUseCase } from '#shared/use-cases/change-review.ts';
import type { ReviewDeps } from '#shared/use-cases/deps.ts';
import type { DynamoFixture } from './dynamo-fixture.ts';
import type { Metric, SectionResult } from './report.ts';

/**
 * DynamoDB calls per transition (DESIGN §6: ≤ 4), counted by a middleware on the client the
 * real repository uses: the use case alone, then the same transition through the API's HTTP
 * chain (routing, idempotency, the response view), with and without an `Idempotency-Key`.
 */

export const TRANSITION_CALLS_TARGET = 4;
const SAMPLES = 5;
const caller = { id: 'bench' };

function newReview() {
  return {
    stateUnderReview: 'GRC',
    cluster: 1,
    instruments: ['UNTOC' as const],
    reviewingStates: [
      { state: 'AUT', instruments: ['UNTOC' as const] },
      { state: 'BRA', instruments: ['UNTOC' as const] },
    ],
    language: 'en' as const,
    launchedAt: localDate(new Date().toISOString(), UNTOC_PROCESS.timeZone),
    focalPoints: {
      GRC: { name: 'Focal point GRC', email: 'grc@bench.example', language: 'en' as const },
      AUT: { name: 'Focal point AUT', email: 'aut@bench.example', language: 'en' as const },
      BRA: { name: 'Focal point BRA', email: 'bra@bench.example', language: 'en' as const },
    },
  };
}

/** An HTTP API payload-2.0 event as the local gateway builds it for the secretariat token. */
function transitionEvent(id: string, idempotencyKey?: string) {
  return {
    version: '2.0',
    routeKey: 'POST /reviews/{id}/transitions',
    rawPath: `/reviews/${id}/transitions`,
    headers: {
      'content-type': 'application/json',
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    },
    pathParameters: { id },
    body: JSON.stringify({ to: 'self_assessment' }),
    isBase64Encoded: false,
    requestContext: {
      requestId: randomUUID(),
      timeEpoch: Date.now(),
      authorizer: {
        jwt: { claims: { sub: 'bench', 'cognito:groups': LOCAL_TOKENS['local-secretariat']?.groups } },
      },
    },
  };
}

const lambdaContext = {
  functionName: 'bench-api',
  awsRequestId: 'bench',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

interface Sample {
  calls: number;
  /** Requests on the wire, retries included: equal to `calls` unless DynamoDB Local throttled. */
  attempts: number;
  summary: string;
}

export async function benchTransitionCalls(fixture: DynamoFixture): Promise<SectionResult> {
  const idempotency = new DynamoDbIdempotencyStore(fixture.counted, fixture.tables.idempotency);
  const deps: ReviewDeps = {
    processes: createProcessRegistry([UNTOC_PROCESS]),
    // As functions/api.handler.ts: the change's transaction completes the Idempotency-Key.
    reviews: new DynamoDbReviewRepository(fixture.counted, fixture.tables.reviews, { idempotency }),
    notifications: new DynamoDbNotificationReader(fixture.counted, fixture.tables.notifications),
    clock: systemClock,
    newId: randomUUID,
  };
  // The API function's composition (functions/api.handler.ts), on the counted client.
  const api = httpChain({
    routes: apiRoutes,
    depsFor: (clock) => ({ ...deps, clock }),
    idempotency,
    logger: new Logger({ serviceName: 'bench', logLevel: 'SILENT' }),
  });
  const counted = async (work: () => Promise<unknown>): Promise<Sample> => {
    fixture.counter.reset();
    await work();
    const { calls, attempts } = fixture.counter;
    return { calls: calls.length, attempts, summary: fixture.counter.summary() };
  };
  const callApi = async (id: string, key?: string) => {
    const response = await api(transitionEvent(id, key), lambdaContext);
    if (response.statusCode !== 200)
      throw new Error(`API transition answered ${response.statusCode}: ${response.body}`);
  };

  const useCase: Sample[] = [];
  const viaApi: Sample[] = [];
  const withKey: Sample[] = [];
  const replay: Sample[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => createReviewUseCase(deps, caller, newReview())));
    if (!a || !b || !c) throw new Error('review creation failed');
    useCase.push(await counted(() => transitionReviewUseCase(deps, caller, a.id, { to: 'self_assessment' })));
    viaApi.push(await counted(() => callApi(b.id)));
    const key = `bench-${randomUUID()}`;
    withKey.push(await counted(() => callApi(c.id, key)));
    replay.push(await counted(() => callApi(c.id, key)));
  }

  const worst = (samples: Sample[]) => samples.reduce((a, b) => (b.calls > a.calls ? b : a));
  const row = (name: string, samples: Sample[], withTarget: boolean): Metric => {
    const w = worst(samples);
    return {
      section: '3 transition',
      name: `${name}: ${w.summary}`,
      value: w.calls,
      unit: 'calls',
      ...(withTarget
        ? { target: `≤ ${TRANSITION_CALLS_TARGET}`, pass: w.calls <= TRANSITION_CALLS_TARGET }
        : {}),
    };
  };
  return {
    metrics: [
      row('DynamoDB calls, transitionReviewUseCase', useCase, true),
      row('DynamoDB calls, API chain', viaApi, true),
      row('DynamoDB calls, API chain + Idempotency-Key', withKey, false),
      row('DynamoDB calls, API chain, Idempotency-Key replayed', replay, false),
    ],
    text: `Calls per transition: worst of ${SAMPLES} transitions each (launched → self_assessment).`,
    details: { samples: SAMPLES, useCase, viaApi, withIdempotencyKey: withKey, idempotentReplay: replay },
  };
}
