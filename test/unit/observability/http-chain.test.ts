import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProcessRegistry } from '#shared/domain/process-registry.ts';
import { UNTOC_PROCESS } from '#shared/domain/processes/untoc.ts';
import * as z from '#shared/domain/zod.ts';
import { httpChain } from '#shared/http/http-chain.ts';
import { errorToResponse } from '#shared/http/http-middlewares.ts';
import { type Route, route } from '#shared/http/route.ts';
import { metrics } from '#shared/observability/metrics.ts';
import { apiEvent } from '../fakes/api-events.ts';
import {
  InMemoryIdempotencyStore,
  InMemoryNotificationReader,
  InMemoryReviewRepository,
} from '../fakes/in-memory-stores.ts';
import { capturingLogger, lambdaContext } from './support.ts';

const ADDRESS = 'eleni.papadopoulou@mfa.example.gr';

/** What an SDK error can carry besides its message: the item a failed condition saw. */
function conditionError(): Error {
  return Object.assign(new Error(`The conditional request failed for ${ADDRESS}`), {
    name: 'ConditionalCheckFailedException',
    Item: { focalPoints: { GRC: { email: { S: ADDRESS } } } },
  });
}

const routes: Route[] = [
  route({
    routeKey: 'GET /reviews/{id}',
    access: 'read',
    summary: 'one review',
    params: z.object({ id: z.string() }),
    response: { status: 200 },
    run: async (_deps, { params }) => {
      if (params.id === 'rev-broken') throw conditionError();
      return { statusCode: 200, body: { id: params.id } };
    },
  }),
  route({
    routeKey: 'GET /health',
    access: 'public',
    summary: 'liveness',
    response: { status: 200 },
    run: async () => ({ statusCode: 200, body: { status: 'ok' } }),
  }),
];

function arrange() {
  const { logger, records, text } = capturingLogger();
  const idempotency = new InMemoryIdempotencyStore();
  const handler = httpChain({
    routes,
    depsFor: (clock) => ({
      processes: createProcessRegistry([UNTOC_PROCESS]),
      reviews: new InMemoryReviewRepository(idempotency),
      notifications: new InMemoryNotificationReader(),
      clock,
      newId: () => 'rev-new',
    }),
    idempotency,
    logger,
  });
  const counted = vi.spyOn(metrics, 'addMetric');
  return { handler, records, text, counted };
}

const withRequestId = (event: ReturnType<typeof apiEvent>, requestId: string) => ({
  ...event,
  requestContext: { ...event.requestContext, requestId },
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('httpChain: logs', () => {
  it("carries the Lambda context and API Gateway's request id as correlation id on every line", async () => {
    // Arrange: an on-demand instance, as Lambda tells it.
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const { handler, records } = arrange();

    // Act: one answered request, then one refused at once (no such route).
    await handler(withRequestId(apiEvent('GET /health'), 'apigw-1'), lambdaContext('lambda-1'));
    await handler(withRequestId(apiEvent('GET /nowhere'), 'apigw-2'), lambdaContext('lambda-2'));

    // Assert
    expect(records()).toEqual([
      expect.objectContaining({
        message: 'request served',
        correlation_id: 'apigw-1',
        function_request_id: 'lambda-1',
        function_name: 'untoc-api',
        cold_start: true,
      }),
      expect.objectContaining({
        message: 'request refused',
        statusCode: 404,
        correlation_id: 'apigw-2',
        function_request_id: 'lambda-2',
        cold_start: false,
      }),
    ]);
  });

  it('names the review a request is about on its lines, and forgets it for the next request', async () => {
    const { handler, records } = arrange();

    await handler(apiEvent('GET /reviews/{id}', { params: { id: 'rev-7' } }), lambdaContext('l-1'));
    await handler(apiEvent('GET /health'), lambdaContext('l-2'));

    const [about, next] = records();
    expect(about).toMatchObject({ message: 'request served', reviewId: 'rev-7' });
    expect(next).toMatchObject({ message: 'request served' });
    expect(next).not.toHaveProperty('reviewId');
  });
});

describe('httpChain: a 500', () => {
  it('counts InternalErrorAnswered once and logs the error once, masked, without its fields', async () => {
    // Arrange
    const { handler, records, text, counted } = arrange();

    // Act
    const response = await handler(
      apiEvent('GET /reviews/{id}', { params: { id: 'rev-broken' } }),
      lambdaContext('l-1'),
    );

    // Assert
    expect(response.statusCode).toBe(500);
    expect(counted.mock.calls.filter(([name]) => name === 'InternalErrorAnswered')).toHaveLength(1);
    const unhandled = records().filter((r) => r.message === 'unhandled error');
    expect(unhandled).toEqual([
      expect.objectContaining({
        reviewId: 'rev-broken',
        error: expect.objectContaining({
          name: 'ConditionalCheckFailedException',
          message: 'The conditional request failed for ***@mfa.example.gr',
          stack: expect.any(String),
        }),
      }),
    ]);
    expect(text()).not.toContain('eleni.papadopoulou');
  });

  it('is the only answer counted as one: refusals and 503s are not', async () => {
    const { handler, counted } = arrange();

    const refused = await handler(apiEvent('GET /nowhere'), lambdaContext('l-1'));

    expect(refused.statusCode).toBe(404);
    expect(counted.mock.calls.map(([name]) => name)).not.toContain('InternalErrorAnswered');
  });
});

describe('errorToResponse', () => {
  it('counts InternalErrorAnswered for an unknown error only', async () => {
    const { logger } = capturingLogger();
    const counted = vi.spyOn(metrics, 'addMetric');
    const { DependencyUnavailableError } = await import('#shared/ports/dependency.ts');

    expect(
      errorToResponse(new DependencyUnavailableError('dynamodb', 'TimeoutError'), logger).statusCode,
    ).toBe(503);
    expect(counted).not.toHaveBeenCalled();
    expect(errorToResponse(new TypeError('x is undefined'), logger).statusCode).toBe(500);
    expect(counted.mock.calls).toEqual([['InternalErrorAnswered', 'Count', 1]]);
  });
});
