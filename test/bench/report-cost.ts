import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { LOCAL_TOKENS } from '#infra/local/local-runtime.ts';
import { DynamoDbDigestSource } from '#shared/adapters/dynamodb-digest-source.ts';
import { DynamoDbIdempotencyStore } from '#shared/adapters/dynamodb-idempotency-store.ts';
import { DynamoDbNotificationReader } from '#shared/adapters/dynamodb-notification-reader.ts';
import { DynamoDbNotificationStore } from '#shared/adapters/dynamodb-notification-store.ts';
import { DynamoDbReviewRepository } from '#shared/adapters/dynamodb-review-repository.ts';
import { DynamoDbUndeliverableAddresses } from '#shared/adapters/dynamodb-undeliverable-addresses.ts';
import { systemClock } from '#shared/adapters/system-clock.ts';
import { addDays, localDate } from '#shared/domain/calendar.ts';
import { notificationId } from '#shared/domain/notification-plan.ts';
import { createProcessRegistry } from '#shared/domain/process-registry.ts';
import { UNTOC_PROCESS } from '#shared/domain/processes/untoc.ts';
import { createReview, type NewReview } from '#shared/domain/review.ts';
import { apiRoutes } from '#shared/http/api-routes.ts';
import { httpChain } from '#shared/http/http-chain.ts';
import type { ReviewDeps } from '#shared/use-cases/deps.ts';
import type { DynamoFixture } from './dynamo-fixture.ts';
import { progress } from './quiet-output.ts';
import { type Metric, round, type SectionResult } from './report.ts';

/**
 * What the reports cost (DESIGN §6: "`GET /reports/overdue` and the digest cost O(page), not one
 * query per review"): DynamoDB calls, counted by a middleware on the client the real adapters
 * use, for one page of the overdue report and for the digest (`GET /reports/digest`), each
 * through the API's HTTP chain, at two caseload sizes seeded in DynamoDB Local (every review
 * overdue, each with escalations already sent).
 *
 * PASS for the overdue report: one page costs the same number of calls at both sizes. The digest
 * covers every open review, so it reads them all; PASS when every call it makes is a page read (a
 * `Query` per page of reviews, a `BatchGetItem` per 100 addresses), never one per review.
 */

const SIZES = [50, 500];
const PAGE_LIMIT = 25;
const ESCALATIONS_PER_REVIEW = 2;
const OFFICERS = 5;
const SEEDERS = 8;
/** The most keys one `BatchGetItem` takes; a DynamoDB limit. */
const BATCH_GET_KEYS = 100;
/** A review item is far below 10 KB, so a 1 MB `Query` page holds at least this many. */
const MIN_REVIEWS_PER_QUERY_PAGE = 100;
const DAY_MS = 86_400_000;
const caller = { id: 'bench' };

const lambdaContext = {
  functionName: 'bench-api',
  awsRequestId: 'bench',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

/** A GET as the local gateway hands it over, for the viewer token (the reports are read-only). */
function getEvent(routeKey: string, query: Record<string, string> = {}) {
  return {
    version: '2.0',
    routeKey,
    rawPath: routeKey.split(' ')[1],
    headers: {},
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    isBase64Encoded: false,
    requestContext: {
      requestId: randomUUID(),
      timeEpoch: Date.now(),
      authorizer: {
        jwt: { claims: { sub: 'bench', 'cognito:groups': LOCAL_TOKENS['local-viewer']?.groups } },
      },
    },
  };
}

/** The `i`-th review of the caseload: launched 60 days ago, so its 14-day first stage is long overdue. */
function overdueReview(i: number, launchedAt: string): NewReview {
  const fp = (state: string) => ({
    name: `Focal point ${state} ${i}`,
    email: `${state.toLowerCase()}-${i}@bench.example`,
    language: 'en' as const,
  });
  return {
    stateUnderReview: 'GRC',
    cluster: (i % 4) + 1,
    instruments: ['UNTOC'],
    reviewingStates: [
      { state: 'AUT', instruments: ['UNTOC'] },
      { state: 'BRA', instruments: ['UNTOC'] },
    ],
    language: 'en',
    launchedAt,
    reference: `BENCH-OVERDUE-${i}`,
    secretariatEmail: `officer-${i % OFFICERS}@bench.example`,
    focalPoints: { GRC: fp('GRC'), AUT: fp('AUT'), BRA: fp('BRA') },
  };
}

/**
 * Reviews `from` … `to - 1`, each stored as the API stores it and with its first escalations
 * sent the way the escalator records them (claim, then finish as sent), on the uncounted client.
 */
async function seed(fixture: DynamoFixture, from: number, to: number): Promise<void> {
  const reviews = new DynamoDbReviewRepository(fixture.documents, fixture.tables.reviews);
  const store = new DynamoDbNotificationStore(fixture.documents, fixture.tables.notifications);
  const now = new Date().toISOString();
  const launchedAt = localDate(new Date(Date.now() - 60 * DAY_MS).toISOString(), UNTOC_PROCESS.timeZone);
  const one = async (i: number) => {
    const { review, event } = createReview(UNTOC_PROCESS, overdueReview(i, launchedAt), {
      id: `bench-overdue-${i}`,
      now,
      actor: caller,
    });
    await reviews.create(review, event);
    const deadline = review.deadline ?? launchedAt;
    const escalations = Array.from({ length: ESCALATIONS_PER_REVIEW }, (_, k) => ({
      id: notificationId(review.id, review.stageEpoch, deadline, 'escalation', k + 1),
      reviewId: review.id,
      stage: review.stage,
      stageEpoch: review.stageEpoch,
      deadline,
      kind: 'escalation' as const,
      occurrence: k + 1,
      offsetDays: k === 0 ? 1 : 14,
      audience: 'secretariat' as const,
      dueAt: `${addDays(deadline, k === 0 ? 1 : 14)}T08:00:00.000Z`,
    }));
    await store.addPlanned(escalations, now);
    for (const n of escalations) {
      const ref = { reviewId: n.reviewId, stageEpoch: n.stageEpoch, id: n.id, kind: n.kind };
      await store.markQueued(ref, now);
      await store.claim(ref, now, now, randomUUID());
      await store.recordDelivery(ref, { recipient: 'SECRETARIAT', status: 'sent', at: now }, 0);
      await store.finish(ref, 'sent', now);
    }
  };
  let next = from;
  await Promise.all(
    Array.from({ length: SEEDERS }, async () => {
      while (next < to) await one(next++);
    }),
  );
}

interface Sample {
  calls: number;
  summary: string;
  /** Items DynamoDB read (`ScannedCount`). */
  itemsRead: number;
}

interface SizeResult {
  caseload: number;
  overdueFirstPage: Sample & { items: number };
  overdueNextPage: Sample & { items: number };
  digest: Sample & { queries: number; batchGets: number; reviews: number; addresses: number };
}

export async function benchReportCost(fixture: DynamoFixture, sizes = SIZES): Promise<SectionResult> {
  const cursorKey = new Uint8Array(32).fill(7);
  const deps: ReviewDeps = {
    processes: createProcessRegistry([UNTOC_PROCESS]),
    reviews: new DynamoDbReviewRepository(fixture.counted, fixture.tables.reviews, {
      cursorKey: { get: async () => cursorKey },
    }),
    notifications: new DynamoDbNotificationReader(fixture.counted, fixture.tables.notifications),
    digest: {
      source: new DynamoDbDigestSource(fixture.counted, fixture.tables.reviews),
      undeliverable: new DynamoDbUndeliverableAddresses(fixture.counted, fixture.tables.reviews),
      secretariatEmail: 'secretariat@bench.example',
    },
    clock: systemClock,
    newId: randomUUID,
  };
  // The API function's composition (functions/api.handler.ts), on the counted client.
  const api = httpChain({
    routes: apiRoutes,
    depsFor: (clock) => ({ ...deps, clock }),
    idempotency: new DynamoDbIdempotencyStore(fixture.counted, fixture.tables.idempotency),
    logger: new Logger({ serviceName: 'bench', logLevel: 'SILENT' }),
  });
  const counted = async (routeKey: string, query?: Record<string, string>) => {
    fixture.counter.reset();
    const response = await api(getEvent(routeKey, query), lambdaContext);
    if (response.statusCode !== 200)
      throw new Error(`${routeKey} answered ${response.statusCode}: ${response.body}`);
    const { calls, itemsRead } = fixture.counter;
    const sample = { calls: calls.length, summary: fixture.counter.summary(), itemsRead };
    return { sample, calls: [...calls], body: JSON.parse(response.body) as Record<string, unknown> };
  };

  const results: SizeResult[] = [];
  let seeded = 0;
  for (const size of [...sizes].sort((a, b) => a - b)) {
    progress(`report cost: seeding ${size - seeded} more overdue reviews`);
    await seed(fixture, seeded, size);
    seeded = size;

    const first = await counted('GET /reports/overdue', { limit: String(PAGE_LIMIT) });
    const cursor = typeof first.body.nextCursor === 'string' ? first.body.nextCursor : undefined;
    const next = cursor
      ? await counted('GET /reports/overdue', { limit: String(PAGE_LIMIT), cursor })
      : first;
    const itemsOf = (body: Record<string, unknown>) => (Array.isArray(body.items) ? body.items.length : 0);

    const digest = await counted('GET /reports/digest');
    const digestItems = (Array.isArray(digest.body.items) ? digest.body.items : []) as {
      openReviews: number;
    }[];
    const reviews = digestItems.reduce((n, d) => n + d.openReviews, 0);
    results.push({
      caseload: size,
      overdueFirstPage: { ...first.sample, items: itemsOf(first.body) },
      overdueNextPage: { ...next.sample, items: itemsOf(next.body) },
      digest: {
        ...digest.sample,
        queries: digest.calls.filter((c) => c.startsWith('Query')).length,
        batchGets: digest.calls.filter((c) => c.startsWith('BatchGet')).length,
        reviews,
        // Three focal points per seeded review; the other sections' reviews add their own few.
        addresses: reviews * 3,
      },
    });
  }

  const [smallest] = results;
  if (!smallest) throw new Error('no caseload size to measure');
  const metrics: Metric[] = results.flatMap((r): Metric[] => {
    const worstPage = Math.max(r.overdueFirstPage.calls, r.overdueNextPage.calls);
    const smallestPage = Math.max(smallest.overdueFirstPage.calls, smallest.overdueNextPage.calls);
    const d = r.digest;
    const digestPass =
      d.calls === d.queries + d.batchGets &&
      d.queries <= 1 + Math.ceil(d.reviews / MIN_REVIEWS_PER_QUERY_PAGE) &&
      d.batchGets <= Math.ceil(d.addresses / BATCH_GET_KEYS);
    return [
      {
        section: '6 reports',
        name: `GET /reports/overdue, one page of ${PAGE_LIMIT}, ${r.caseload} overdue: ${r.overdueNextPage.summary}`,
        value: worstPage,
        unit: 'calls',
        target: `≤ ${smallestPage} (as at ${smallest.caseload})`,
        pass: worstPage <= smallestPage,
      },
      {
        section: '6 reports',
        name: `digest, ${d.reviews} open reviews: ${d.summary}`,
        value: d.calls,
        unit: 'calls',
        target: 'page reads only',
        pass: digestPass,
      },
    ];
  });
  const lines = results.map(
    (r) =>
      `  ${String(r.caseload).padStart(4)} overdue: report page 1 ${r.overdueFirstPage.calls} calls (${r.overdueFirstPage.summary}; ${r.overdueFirstPage.itemsRead} items read), ` +
      `next page ${r.overdueNextPage.calls} calls; digest ${r.digest.calls} calls (${r.digest.summary}), ` +
      `${round(r.digest.calls / Math.max(1, r.digest.reviews), 3)} per review`,
  );
  return {
    metrics,
    text: [
      `Report cost: DynamoDB calls through the API chain, ${ESCALATIONS_PER_REVIEW} escalations sent per review.`,
      ...lines,
    ].join('\n'),
    details: { pageLimit: PAGE_LIMIT, escalationsPerReview: ESCALATIONS_PER_REVIEW, results },
  };
}
