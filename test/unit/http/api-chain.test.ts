import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { createProcessRegistry } from '#shared/domain/process-registry.ts';
import { UNTOC_PROCESS } from '#shared/domain/processes/untoc.ts';
import { apiRoutes } from '#shared/http/api-routes.ts';
import { httpChain } from '#shared/http/http-chain.ts';
import { apiEvent, type EventOptions } from '../fakes/api-events.ts';
import {
  InMemoryIdempotencyStore,
  InMemoryNotificationReader,
  InMemoryReviewRepository,
} from '../fakes/in-memory-stores.ts';

const newReview = {
  stateUnderReview: 'GRC',
  cluster: 1,
  instruments: ['UNTOC'],
  reviewingStates: [
    { state: 'AUT', instruments: ['UNTOC'] },
    { state: 'BRA', instruments: ['UNTOC'] },
  ],
  language: 'en',
  launchedAt: '2027-01-11',
  focalPoints: { GRC: { name: 'Eleni', email: 'fp@grc.example', language: 'en' } },
};

let reviews: InMemoryReviewRepository;
let notifications: InMemoryNotificationReader;
let idempotency: InMemoryIdempotencyStore;
let handler: ReturnType<typeof httpChain>;
let ids = 0;

beforeEach(() => {
  idempotency = new InMemoryIdempotencyStore();
  reviews = new InMemoryReviewRepository(idempotency);
  notifications = new InMemoryNotificationReader();
  ids = 0;
  handler = httpChain({
    routes: apiRoutes,
    depsFor: (clock) => ({
      processes: createProcessRegistry([UNTOC_PROCESS]),
      reviews,
      notifications,
      clock,
      newId: () => `rev-${++ids}`,
    }),
    idempotency,
    logger: new Logger({ logLevel: 'SILENT' }),
  });
});

async function call(routeKey: string, options: EventOptions = {}) {
  const response = await handler(apiEvent(routeKey, options), {} as Context);
  // biome-ignore lint/suspicious/noExplicitAny: the tests read arbitrary JSON responses
  return { ...response, json: JSON.parse(response.body) as Record<string, any> };
}
const create = () => call('POST /reviews', { body: newReview });

describe('POST /reviews', () => {
  it('creates a review in the launched stage with its deadline and location', async () => {
    const res = await create();
    expect(res.statusCode).toBe(201);
    expect(res.headers.location).toBe('/reviews/rev-1');
    expect(res.json).toMatchObject({
      id: 'rev-1',
      stage: 'launched',
      deadline: '2027-01-25',
      version: 1,
      overdue: false,
    });
  });

  it('answers 400 with issues for an invalid body and writes nothing', async () => {
    const res = await call('POST /reviews', { body: { ...newReview, cluster: 9, stateUnderReview: 'gr' } });
    expect(res.statusCode).toBe(400);
    expect(res.json.error).toBe('VALIDATION_FAILED');
    expect(res.json.issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(['body.cluster', 'body.stateUnderReview']),
    );
    expect(reviews.reviews.size).toBe(0);
  });

  it('answers 400 for a domain rule the schema cannot see (one reviewer per instrument)', async () => {
    const res = await call('POST /reviews', {
      body: {
        ...newReview,
        reviewingStates: [newReview.reviewingStates[0], { state: 'BRA', instruments: ['TIP'] }],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json.issues.length).toBeGreaterThan(0);
  });

  it('answers 415 for a body that is not JSON, 400 for malformed JSON, 413 over 64 KB', async () => {
    expect(
      (await call('POST /reviews', { rawBody: 'a=b', contentType: 'application/x-www-form-urlencoded' }))
        .statusCode,
    ).toBe(415);
    expect(
      (await call('POST /reviews', { rawBody: '{"a":', contentType: 'application/json' })).json.error,
    ).toBe('MALFORMED_JSON');
    const big = await call('POST /reviews', { rawBody: JSON.stringify({ pad: 'x'.repeat(70_000) }) });
    expect(big.statusCode).toBe(413);
  });
});

describe('roles', () => {
  it('answers 401 without claims, 403 for a viewer writing or a user without a role', async () => {
    expect((await call('POST /reviews', { body: newReview, role: 'anonymous' })).statusCode).toBe(401);
    expect((await call('POST /reviews', { body: newReview, role: 'viewer' })).statusCode).toBe(403);
    expect((await call('GET /reviews', { role: 'none' })).statusCode).toBe(403);
    expect((await call('GET /reviews', { role: 'viewer' })).statusCode).toBe(200);
    expect((await call('GET /health', { role: 'anonymous' })).statusCode).toBe(200);
  });

  it('requires a role on every route but /health and the focal-point page (authorized by its token)', async () => {
    const open = apiRoutes.filter((route) => route.access === 'public').map((route) => route.routeKey);
    expect(open.sort()).toEqual(['GET /health', 'GET /respond/{token}', 'POST /respond/{token}']);
    for (const route of apiRoutes) {
      const res = await call(route.routeKey, {
        role: 'anonymous',
        params: { id: 'x', state: 'GRC' },
        body: {},
      });
      if (route.routeKey.startsWith('GET /respond') || route.routeKey.startsWith('POST /respond')) {
        expect(res.statusCode, route.routeKey).not.toBe(401);
        continue;
      }
      expect(res.statusCode, route.routeKey).toBe(route.routeKey === 'GET /health' ? 200 : 401);
      if (route.access === 'write') {
        const viewer = await call(route.routeKey, {
          role: 'viewer',
          params: { id: 'x', state: 'GRC' },
          body: {},
        });
        expect(viewer.statusCode, route.routeKey).toBe(403);
      }
    }
  });
});

describe('GET /reviews/{id}', () => {
  it('returns the review with its version as ETag', async () => {
    await create();
    const res = await call('GET /reviews/{id}', { params: { id: 'rev-1' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('"1"');
  });

  it('answers 404 whatever the id looks like', async () => {
    for (const id of ['nope', '../../etc', 'x'.repeat(3000), '🙂']) {
      const res = await call('GET /reviews/{id}', { params: { id } });
      expect(res.statusCode).toBe(404);
      expect(res.json.error).toBe('REVIEW_NOT_FOUND');
    }
  });
});

describe('POST /reviews/{id}/transitions', () => {
  it('moves the review and records the history', async () => {
    await create();
    const res = await call('POST /reviews/{id}/transitions', {
      params: { id: 'rev-1' },
      body: { to: 'self_assessment', expectedVersion: 1 },
      at: '2027-01-20T10:00:00Z',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json).toMatchObject({ stage: 'self_assessment', version: 2, deadline: '2027-07-11' });
    const history = await call('GET /reviews/{id}/history', { params: { id: 'rev-1' } });
    expect(history.json.items.map((e: { type: string }) => e.type)).toEqual(['created', 'transitioned']);
  });

  it('answers 409 ILLEGAL_TRANSITION, VERSION_CONFLICT with the current version, REVIEW_PAUSED', async () => {
    await create();
    const illegal = await call('POST /reviews/{id}/transitions', {
      params: { id: 'rev-1' },
      body: { to: 'summary' },
    });
    expect([illegal.statusCode, illegal.json.error]).toEqual([409, 'ILLEGAL_TRANSITION']);
    const stale = await call('POST /reviews/{id}/transitions', {
      params: { id: 'rev-1' },
      body: { to: 'self_assessment', expectedVersion: 5 },
    });
    expect([stale.statusCode, stale.json.error, stale.json.currentVersion]).toEqual([
      409,
      'VERSION_CONFLICT',
      1,
    ]);
    await call('POST /reviews/{id}/pause', { params: { id: 'rev-1' }, body: { reason: 'elections' } });
    const paused = await call('POST /reviews/{id}/transitions', {
      params: { id: 'rev-1' },
      body: { to: 'self_assessment' },
    });
    expect([paused.statusCode, paused.json.error]).toEqual([409, 'REVIEW_PAUSED']);
  });

  it('answers 400 for an unknown stage name', async () => {
    await create();
    const res = await call('POST /reviews/{id}/transitions', {
      params: { id: 'rev-1' },
      body: { to: 'heaven' },
    });
    expect(res.statusCode).toBe(400);
  });
});

describe('Idempotency-Key', () => {
  it('replays the first response for a repeat with the same body, acting once', async () => {
    const first = await call('POST /reviews', { body: newReview, headers: { 'idempotency-key': 'k1' } });
    const again = await call('POST /reviews', { body: newReview, headers: { 'idempotency-key': 'k1' } });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json.id).toBe(first.json.id);
    expect(reviews.reviews.size).toBe(1);
  });

  it('answers 422 when the key is reused with another body, and scopes keys to the caller', async () => {
    await call('POST /reviews', { body: newReview, headers: { 'idempotency-key': 'k1' } });
    const other = await call('POST /reviews', {
      body: { ...newReview, cluster: 2 },
      headers: { 'idempotency-key': 'k1' },
    });
    expect([other.statusCode, other.json.error]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect([...idempotency.records.keys()]).toEqual(['user-secretariat#k1']);
  });

  it('answers 422 when the key is reused with another query: a dry run key does not replay for the import', async () => {
    const row = {
      ...newReview,
      reference: 'GRC-C1-2027',
      stage: 'launched',
      stageEnteredAt: newReview.launchedAt,
    };
    const dryRun = await call('POST /reviews/import', {
      body: { reviews: [row] },
      query: { dryRun: 'true' },
      headers: { 'idempotency-key': 'k4' },
    });
    expect([dryRun.statusCode, dryRun.json.items[0].status]).toEqual([200, 'valid']);
    const real = await call('POST /reviews/import', {
      body: { reviews: [row] },
      headers: { 'idempotency-key': 'k4' },
    });
    expect([real.statusCode, real.json.error]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect(reviews.reviews.size).toBe(0);
  });

  it('does not remember a request rejected by validation or by a domain rule', async () => {
    await call('POST /reviews', { body: { ...newReview, cluster: 0 }, headers: { 'idempotency-key': 'k2' } });
    expect(idempotency.records.size).toBe(0);
    await create();
    await call('POST /reviews/{id}/transitions', {
      params: { id: 'rev-1' },
      body: { to: 'summary' },
      headers: { 'idempotency-key': 'k3' },
    });
    expect(idempotency.records.size).toBe(0);
  });

  it('answers 409 while the first request is still in flight', async () => {
    const inFlight = httpChain({
      routes: apiRoutes,
      depsFor: (clock) => ({
        processes: createProcessRegistry([UNTOC_PROCESS]),
        reviews,
        notifications,
        clock,
        newId: () => 'rev-x',
      }),
      idempotency: {
        begin: async () => ({ outcome: 'in_progress', retryAfterSeconds: 7 }),
        complete: async () => {},
        release: async () => {},
      },
      logger: new Logger({ logLevel: 'SILENT' }),
    });
    const res = await inFlight(
      apiEvent('POST /reviews', { body: newReview, headers: { 'idempotency-key': 'k4' } }),
      {} as Context,
    );
    expect([res.statusCode, JSON.parse(res.body).error]).toEqual([409, 'IDEMPOTENCY_IN_PROGRESS']);
    expect(res.headers['retry-after']).toBe('7');
    expect(reviews.reviews.size).toBe(0);
  });

  it('completes the key in the change itself, so the stored answer is the one given', async () => {
    const first = await call('POST /reviews', { body: newReview, headers: { 'idempotency-key': 'k5' } });
    const stored = idempotency.records.get('user-secretariat#k5')?.response;
    expect(stored?.statusCode).toBe(201);
    expect(JSON.parse(stored?.body ?? '{}')).toEqual(first.json);
  });

  it('writes nothing when the claim was taken over by a retry meanwhile', async () => {
    const taker = httpChain({
      routes: apiRoutes,
      depsFor: (clock) => ({
        processes: createProcessRegistry([UNTOC_PROCESS]),
        reviews,
        notifications,
        clock,
        newId: () => 'rev-y',
      }),
      idempotency: {
        begin: async (key) => {
          // The claim this request gets is already someone else's by the time its change commits.
          const begun = await idempotency.begin(key, 'fp');
          if (begun.outcome === 'started') {
            const record = idempotency.records.get(key);
            if (record) record.token = 'a retry';
          }
          return begun;
        },
        complete: (c) => idempotency.complete(c),
        release: (c) => idempotency.release(c),
      },
      logger: new Logger({ logLevel: 'SILENT' }),
    });
    const res = await taker(
      apiEvent('POST /reviews', { body: newReview, headers: { 'idempotency-key': 'k6' } }),
      {} as Context,
    );
    expect([res.statusCode, JSON.parse(res.body).error]).toEqual([409, 'IDEMPOTENCY_IN_PROGRESS']);
    expect(reviews.reviews.size).toBe(0);
  });

  it('answers 503 with Retry-After when a dependency does not answer after the change was sent, and lets the claim expire', async () => {
    const { DependencyUnavailableError } = await import('#shared/ports/dependency.ts');
    const stalled = new InMemoryReviewRepository(idempotency);
    stalled.create = async () => {
      throw new DependencyUnavailableError('dynamodb', 'TimeoutError/ETIMEDOUT');
    };
    const chain = httpChain({
      routes: apiRoutes,
      depsFor: (clock) => ({
        processes: createProcessRegistry([UNTOC_PROCESS]),
        reviews: stalled,
        notifications,
        clock,
        newId: () => 'r',
      }),
      idempotency,
      logger: new Logger({ logLevel: 'SILENT' }),
    });
    const res = await chain(
      apiEvent('POST /reviews', { body: newReview, headers: { 'idempotency-key': 'k7' } }),
      {} as Context,
    );
    expect([res.statusCode, JSON.parse(res.body).error]).toEqual([503, 'UNAVAILABLE']);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // Not released: the stalled table would not take the release either, and a change that
    // lands late still completes the claim, so a retry replays it.
    expect(idempotency.records.get('user-secretariat#k7')?.response).toBeUndefined();
    expect(idempotency.records.has('user-secretariat#k7')).toBe(true);
  });

  it('forgets the claim when a dependency failed before the change was sent (nothing can land)', async () => {
    const { DependencyUnavailableError } = await import('#shared/ports/dependency.ts');
    await create();
    const stalled = new InMemoryReviewRepository(idempotency);
    stalled.get = async () => {
      throw new DependencyUnavailableError('dynamodb', 'ThrottlingException');
    };
    const chain = httpChain({
      routes: apiRoutes,
      depsFor: (clock) => ({
        processes: createProcessRegistry([UNTOC_PROCESS]),
        reviews: stalled,
        notifications,
        clock,
        newId: () => 'r',
      }),
      idempotency,
      logger: new Logger({ logLevel: 'SILENT' }),
    });
    const res = await chain(
      apiEvent('POST /reviews/{id}/pause', {
        params: { id: 'rev-1' },
        body: { reason: 'elections' },
        headers: { 'idempotency-key': 'k8' },
      }),
      {} as Context,
    );
    expect(res.statusCode).toBe(503);
    expect(idempotency.records.has('user-secretariat#k8')).toBe(false);
  });
});

describe('pause, resume, deadline and focal points', () => {
  it('keeps the ledger and moves the deadline on resume', async () => {
    await create();
    await call('POST /reviews/{id}/pause', {
      params: { id: 'rev-1' },
      body: { reason: 'elections' },
      at: '2027-01-15T10:00:00Z',
    });
    const resumed = await call('POST /reviews/{id}/resume', {
      params: { id: 'rev-1' },
      body: { reason: 'done' },
      at: '2027-01-20T10:00:00Z',
    });
    expect(resumed.json).toMatchObject({ deadline: '2027-01-30', paused: false });
    const extended = await call('POST /reviews/{id}/deadline', {
      params: { id: 'rev-1' },
      body: { deadline: '2027-03-01', reason: 'translation' },
      at: '2027-01-20T10:00:00Z',
    });
    expect(extended.json.ledger.map((l: { kind: string }) => l.kind)).toEqual([
      'pause',
      'resume',
      'extension',
    ]);
  });

  it('registers a focal point for a participant only', async () => {
    await create();
    const fp = { name: 'Anna', email: 'anna@aut.example', language: 'de' };
    expect(
      (
        await call('PUT /reviews/{id}/focal-points/{state}', {
          params: { id: 'rev-1', state: 'AUT' },
          body: fp,
        })
      ).statusCode,
    ).toBe(400);
    const ok = await call('PUT /reviews/{id}/focal-points/{state}', {
      params: { id: 'rev-1', state: 'AUT' },
      body: { ...fp, language: 'fr' },
    });
    expect(ok.json.focalPoints.AUT.language).toBe('fr');
    const stranger = await call('PUT /reviews/{id}/focal-points/{state}', {
      params: { id: 'rev-1', state: 'FRA' },
      body: { ...fp, language: 'fr' },
    });
    expect(stranger.statusCode).toBe(400);
  });
});

/**
 * Each change the console makes, as it makes it: from a fresh review (version 1), `setUp` brings
 * the review to the version the change is then based on.
 */
const guardedChanges: {
  routeKey: string;
  params: Record<string, string>;
  body?: Record<string, unknown>;
  setUp?: () => Promise<unknown>;
}[] = [
  {
    routeKey: 'PUT /reviews/{id}/focal-points/{state}',
    params: { id: 'rev-1', state: 'AUT' },
    body: { name: 'Anna', email: 'anna@aut.example', language: 'fr' },
  },
  {
    routeKey: 'POST /reviews/{id}/deadline',
    params: { id: 'rev-1' },
    body: { deadline: '2027-03-01', reason: 'translation' },
  },
  { routeKey: 'POST /reviews/{id}/pause', params: { id: 'rev-1' }, body: { reason: 'elections' } },
  {
    routeKey: 'POST /reviews/{id}/resume',
    params: { id: 'rev-1' },
    body: { reason: 'done' },
    setUp: () => call('POST /reviews/{id}/pause', { params: { id: 'rev-1' }, body: { reason: 'elections' } }),
  },
  { routeKey: 'POST /reviews/{id}/submissions', params: { id: 'rev-1' }, body: { state: 'GRC' } },
  {
    routeKey: 'PUT /reviews/{id}/experts/{state}',
    params: { id: 'rev-1', state: 'AUT' },
    body: { experts: [{ name: 'Karl', email: 'karl@aut.example', language: 'en' }] },
  },
  {
    routeKey: 'DELETE /reviews/{id}/submissions/{state}',
    params: { id: 'rev-1', state: 'GRC' },
    setUp: () => call('POST /reviews/{id}/submissions', { params: { id: 'rev-1' }, body: { state: 'GRC' } }),
  },
];

/** The change with `expectedVersion` in its body, or for DELETE in its query; none when undefined. */
function guarded(change: (typeof guardedChanges)[number], expectedVersion: number | undefined) {
  const pinned = expectedVersion === undefined ? {} : { expectedVersion };
  return call(change.routeKey, {
    params: change.params,
    at: '2027-01-12T09:00:00Z',
    ...(change.body
      ? { body: { ...change.body, ...pinned } }
      : expectedVersion === undefined
        ? {}
        : { query: { expectedVersion: String(expectedVersion) } }),
  });
}
const historyLength = async () =>
  (await call('GET /reviews/{id}/history', { params: { id: 'rev-1' } })).json.items.length;

describe('expectedVersion on every change of a review', () => {
  describe.each(guardedChanges)('$routeKey', (change) => {
    beforeEach(async () => {
      await create();
      await change.setUp?.();
    });

    it('applies the change when the review is still at the expected version', async () => {
      const current = (await call('GET /reviews/{id}', { params: { id: 'rev-1' } })).json.version;
      const res = await guarded(change, current);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json.version).toBe(current + 1);
    });

    it('answers 409 VERSION_CONFLICT with the current version for a stale one, and changes nothing', async () => {
      const current = (await call('GET /reviews/{id}', { params: { id: 'rev-1' } })).json.version;
      const events = await historyLength();
      const res = await guarded(change, current + 1);
      expect([res.statusCode, res.json.error, res.json.currentVersion]).toEqual([
        409,
        'VERSION_CONFLICT',
        current,
      ]);
      expect(await historyLength()).toBe(events);
    });

    it('applies the change as before when no version is given', async () => {
      const current = (await call('GET /reviews/{id}', { params: { id: 'rev-1' } })).json.version;
      const res = await guarded(change, undefined);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json.version).toBe(current + 1);
    });
  });

  it('stores a focal point without the version it was sent with', async () => {
    await create();
    await guarded(guardedChanges[0] as (typeof guardedChanges)[number], 1);
    expect(reviews.reviews.get('rev-1')?.focalPoints.AUT).toEqual({
      name: 'Anna',
      email: 'anna@aut.example',
      language: 'fr',
    });
  });

  it('answers 400 on a withdrawal whose expectedVersion is not a whole number from 1', async () => {
    await create();
    for (const bad of ['0', '-1', '1.5', 'two', '', '1e3', '9'.repeat(20)]) {
      const res = await call('DELETE /reviews/{id}/submissions/{state}', {
        params: { id: 'rev-1', state: 'GRC' },
        query: { expectedVersion: bad },
      });
      expect([res.statusCode, res.json.error], bad).toEqual([400, 'VALIDATION_FAILED']);
      expect(res.json.issues.map((i: { path: string }) => i.path)).toEqual(['query.expectedVersion']);
    }
  });

  it('answers 400 on a change whose body carries an expectedVersion that is not a whole number from 1', async () => {
    await create();
    for (const bad of [0, 1.5, '1']) {
      const res = await call('POST /reviews/{id}/pause', {
        params: { id: 'rev-1' },
        body: { reason: 'elections', expectedVersion: bad },
      });
      expect([res.statusCode, res.json.issues?.[0]?.path]).toEqual([400, 'body.expectedVersion']);
    }
  });

  it('documents expectedVersion on every change and VERSION_CONFLICT among its 409 codes', async () => {
    const doc = (await call('GET /openapi.json')).json;
    const schemas = doc.components.schemas;
    for (const change of guardedChanges) {
      const [method = '', path = ''] = change.routeKey.split(' ');
      const operation = doc.paths[path][method.toLowerCase()];
      if (change.body) {
        const ref: string = operation.requestBody.content['application/json'].schema.$ref;
        const body = schemas[ref.replace('#/components/schemas/', '')];
        expect(body.properties.expectedVersion, change.routeKey).toMatchObject({
          type: 'integer',
          minimum: 1,
        });
        expect(body.required ?? [], change.routeKey).not.toContain('expectedVersion');
      } else {
        expect(operation.parameters, change.routeKey).toContainEqual(
          expect.objectContaining({ name: 'expectedVersion', in: 'query', required: false }),
        );
      }
      expect(operation.responses['409'].description, change.routeKey).toContain('VERSION_CONFLICT');
    }
  });
});

describe('reports and documents', () => {
  it('lists overdue reviews with days overdue', async () => {
    await create();
    const report = await call('GET /reports/overdue', { at: '2027-02-08T10:00:00Z' });
    expect(report.json.items).toEqual([
      expect.objectContaining({
        id: 'rev-1',
        daysOverdue: 14,
        responsibleStates: ['GRC', 'AUT', 'BRA'],
        escalations: 0,
      }),
    ]);
    const list = await call('GET /reviews', { query: { overdue: 'true' }, at: '2027-02-08T10:00:00Z' });
    expect(list.json.items).toHaveLength(1);
  });

  it('serves an OpenAPI 3.1 document with every route', async () => {
    const doc = await call('GET /openapi.json');
    expect(doc.json.openapi).toBe('3.1.0');
    expect(Object.keys(doc.json.paths)).toEqual(
      expect.arrayContaining(['/reviews', '/reviews/{id}/transitions', '/health']),
    );
    expect(doc.json.paths['/reviews'].post.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/CreateReview',
    });
    expect(doc.json.components.schemas.CreateReview.properties).toHaveProperty('reviewingStates');
    expect(doc.json.components.schemas.CreateReview.required).toEqual(
      expect.arrayContaining([
        'stateUnderReview',
        'cluster',
        'instruments',
        'reviewingStates',
        'language',
        'launchedAt',
      ]),
    );
  });
});

describe('random input', () => {
  it('never answers 5xx to any JSON body on any write route', async () => {
    await create();
    const writes = apiRoutes.filter((r) => r.access === 'write');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...writes),
        fc.jsonValue(),
        fc.oneof(fc.constant('rev-1'), fc.string()),
        async (route, body, id) => {
          const res = await call(route.routeKey, { body, params: { id, state: 'AUT' } });
          expect(res.statusCode).toBeLessThan(500);
        },
      ),
      { numRuns: 300 },
    );
  });
});
