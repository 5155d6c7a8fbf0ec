import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '#shared/domain/calendar.ts';
import { type ApiClient, startLocalClient } from './support/local-client.ts';

let api: ApiClient;
/** A date relative to the local clock's today in Vienna, so the tests do not age. */
const day = (offset: number) => addDays(localDate(api.runtime.now().toISOString(), 'Europe/Vienna'), offset);
beforeAll(async () => {
  api = await startLocalClient();
});
afterAll(async () => {
  await api?.runtime.stop();
});

function aReview(overrides: Record<string, unknown> = {}) {
  const stateUnderReview = (overrides.stateUnderReview as string | undefined) ?? 'GRC';
  return {
    stateUnderReview,
    cluster: 1,
    group: 2,
    instruments: ['UNTOC', 'TIP'],
    reviewingStates: [
      { state: 'AUT', instruments: ['UNTOC', 'TIP'] },
      { state: 'BRA', instruments: ['UNTOC', 'TIP'] },
    ],
    language: 'en',
    launchedAt: day(-12),
    focalPoints: {
      [stateUnderReview]: { name: 'Eleni Papadopoulou', email: 'fp@sur.example', language: 'en' },
    },
    ...overrides,
  };
}
const create = async (overrides: Record<string, unknown> = {}) => {
  const res = await api.request('POST', '/reviews', { body: aReview(overrides) });
  expect(res.status).toBe(201);
  return res.json as { id: string; version: number };
};

describe('Secretariat API through local mode', () => {
  it('creates a review and reads it back with its version as ETag', async () => {
    const created = await create();
    const res = await api.request('GET', `/reviews/${created.id}`, { token: 'local-viewer' });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.json).toMatchObject({
      stage: 'launched',
      deadline: day(2),
      overdue: false,
      focalPoints: { GRC: { language: 'en' } },
    });
  });

  it('lists with filters by stage, State, cluster and overdue, newest first, with a cursor', async () => {
    const a = await create({ stateUnderReview: 'PER', cluster: 3 });
    const b = await create({ stateUnderReview: 'KEN', cluster: 3, launchedAt: day(-200) });
    const byCluster = await api.request('GET', '/reviews?cluster=3');
    expect(byCluster.json.items.map((r: { id: string }) => r.id)).toEqual([b.id, a.id]);
    const byState = await api.request('GET', '/reviews?state=KEN');
    expect(byState.json.items.map((r: { id: string }) => r.id)).toEqual([b.id]);
    const asReviewer = await api.request('GET', '/reviews?state=AUT&cluster=3');
    expect(asReviewer.json.items).toHaveLength(2);
    const overdue = await api.request('GET', '/reviews?overdue=true&cluster=3');
    expect(overdue.json.items.map((r: { id: string }) => r.id)).toEqual([b.id]);
    const page1 = await api.request('GET', '/reviews?cluster=3&limit=1');
    expect(page1.json.items).toHaveLength(1);
    const page2 = await api.request(
      'GET',
      `/reviews?cluster=3&limit=1&cursor=${encodeURIComponent(page1.json.nextCursor)}`,
    );
    expect(page2.json.items[0].id).toBe(a.id);
    const byStage = await api.request('GET', '/reviews?stage=dialogue');
    expect(byStage.json.items).toEqual([]);
    const report = await api.request('GET', '/reports/overdue', { token: 'local-viewer' });
    expect(report.json.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: b.id, stage: 'launched', escalations: 0 })]),
    );
  });

  it('applies legal transitions and refuses illegal ones', async () => {
    const { id } = await create();
    const moved = await api.request('POST', `/reviews/${id}/transitions`, {
      body: { to: 'self_assessment' },
    });
    expect(moved.status).toBe(200);
    expect(moved.json).toMatchObject({ stage: 'self_assessment', version: 2 });
    expect(moved.json.deadline > day(150)).toBe(true);
    const illegal = await api.request('POST', `/reviews/${id}/transitions`, { body: { to: 'completed' } });
    expect(illegal.status).toBe(409);
    expect(illegal.json).toMatchObject({ error: 'ILLEGAL_TRANSITION', allowed: ['desk_review'] });
  });

  it('gives exactly one success to six concurrent transitions with the same expectedVersion', async () => {
    const { id } = await create();
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        api.request('POST', `/reviews/${id}/transitions`, {
          body: { to: 'self_assessment', expectedVersion: 1 },
        }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409]);
    for (const conflict of results.filter((r) => r.status === 409)) {
      expect(conflict.json).toMatchObject({ error: 'VERSION_CONFLICT', currentVersion: 2 });
    }
    const history = await api.request('GET', `/reviews/${id}/history`);
    expect(history.json.items.map((e: { type: string }) => e.type)).toEqual(['created', 'transitioned']);
  });

  it('replays an idempotent request and refuses the key with another body', async () => {
    const headers = { 'idempotency-key': `create-${Date.now()}` };
    const first = await api.request('POST', '/reviews', { body: aReview({ cluster: 4 }), headers });
    const again = await api.request('POST', '/reviews', { body: aReview({ cluster: 4 }), headers });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json.id).toBe(first.json.id);
    const list = await api.request('GET', '/reviews?cluster=4');
    expect(list.json.items).toHaveLength(1);
    const other = await api.request('POST', '/reviews', { body: aReview({ cluster: 2 }), headers });
    expect([other.status, other.json.error]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
  });

  it('refuses a submission and its withdrawal at a stale expectedVersion, changing nothing', async () => {
    const { id } = await create();
    const stale = await api.request('POST', `/reviews/${id}/submissions`, {
      body: { state: 'AUT', expectedVersion: 2 },
    });
    expect([stale.status, stale.json.error, stale.json.currentVersion]).toEqual([409, 'VERSION_CONFLICT', 1]);
    const unchanged = await api.request('GET', `/reviews/${id}`);
    expect(unchanged.json).toMatchObject({ version: 1, submissions: [] });
    const recorded = await api.request('POST', `/reviews/${id}/submissions`, {
      body: { state: 'AUT', expectedVersion: 1 },
    });
    expect(recorded.json).toMatchObject({
      version: 2,
      submissions: [expect.objectContaining({ state: 'AUT' })],
    });
    const staleWithdrawal = await api.request('DELETE', `/reviews/${id}/submissions/AUT?expectedVersion=1`);
    expect([staleWithdrawal.status, staleWithdrawal.json.currentVersion]).toEqual([409, 2]);
    const badVersion = await api.request('DELETE', `/reviews/${id}/submissions/AUT?expectedVersion=two`);
    expect([badVersion.status, badVersion.json.issues[0].path]).toEqual([400, 'query.expectedVersion']);
    const withdrawn = await api.request('DELETE', `/reviews/${id}/submissions/AUT?expectedVersion=2`);
    expect(withdrawn.json).toMatchObject({ version: 3, submissions: [] });
    const history = await api.request('GET', `/reviews/${id}/history`);
    expect(history.json.items.map((e: { type: string }) => e.type)).toEqual([
      'created',
      'submission_recorded',
      'submission_withdrawn',
    ]);
  });

  it('pauses, refuses transitions while paused, resumes with the deadline moved, and keeps the ledger', async () => {
    const deadline = day(14);
    const { id } = await create({ launchedAt: day(0) });
    const paused = await api.request('POST', `/reviews/${id}/pause`, {
      body: { reason: 'national elections' },
    });
    expect(paused.json).toMatchObject({ paused: true, overdue: false });
    const refused = await api.request('POST', `/reviews/${id}/transitions`, {
      body: { to: 'self_assessment' },
    });
    expect([refused.status, refused.json.error]).toEqual([409, 'REVIEW_PAUSED']);
    const clock = await api.request('POST', '/_local/clock', { body: { advance: 'P3D' } });
    expect(clock.status).toBe(200);
    const resumed = await api.request('POST', `/reviews/${id}/resume`, {
      body: { reason: 'government formed' },
    });
    // Paused 3 days and a few milliseconds: rounded up to 4 whole days.
    expect(resumed.json).toMatchObject({ paused: false, deadline: addDays(deadline, 4) });
    const extended = await api.request('POST', `/reviews/${id}/deadline`, {
      body: { deadline: day(90), reason: 'translation of the questionnaire' },
    });
    expect(extended.json.deadline).toBe(day(90));
    expect(extended.json.ledger).toEqual([
      expect.objectContaining({ kind: 'pause', reason: 'national elections', by: 'local-secretariat' }),
      expect.objectContaining({ kind: 'resume', oldDeadline: deadline, newDeadline: addDays(deadline, 4) }),
      expect.objectContaining({ kind: 'extension', oldDeadline: addDays(deadline, 4), newDeadline: day(90) }),
    ]);
    const backwards = await api.request('POST', '/_local/clock', { body: { now: '2020-01-01T00:00:00Z' } });
    expect(backwards.status).toBe(409);
  });

  it('registers and replaces a focal point', async () => {
    const { id } = await create();
    const res = await api.request('PUT', `/reviews/${id}/focal-points/AUT`, {
      body: { name: 'Anna Huber', email: 'anna@aut.example', language: 'fr' },
    });
    expect(res.json.focalPoints.AUT).toEqual({
      name: 'Anna Huber',
      email: 'anna@aut.example',
      language: 'fr',
    });
    expect((await api.request('POST', '/_local/settle')).json.settled).toBe(true);
    // Planned and sent by now, so the contract check sees whole notification records.
    const notifications = await api.request('GET', `/reviews/${id}/notifications`);
    expect(notifications.status).toBe(200);
    expect(notifications.json.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'stage_notice', reviewId: id })]),
    );
  });

  it('answers every error code of the contract', async () => {
    const { id } = await create();
    const invalid = await api.request('POST', '/reviews', { body: aReview({ cluster: 7 }) });
    expect([invalid.status, invalid.json.error, invalid.json.issues[0].path]).toEqual([
      400,
      'VALIDATION_FAILED',
      'body.cluster',
    ]);
    expect((await api.request('GET', '/reviews', { token: null })).status).toBe(401);
    expect((await api.request('GET', '/reviews', { token: 'forged' })).status).toBe(401);
    expect((await api.request('POST', '/reviews', { token: 'local-viewer', body: aReview() })).status).toBe(
      403,
    );
    for (const unknown of ['nope', '00000000-0000-0000-0000-000000000000', '%E2%9C%93', 'x'.repeat(2100)]) {
      const res = await api.request('GET', `/reviews/${unknown}`);
      expect([res.status, res.json.error]).toEqual([404, 'REVIEW_NOT_FOUND']);
    }
    const stale = await api.request('POST', `/reviews/${id}/transitions`, {
      body: { to: 'self_assessment', expectedVersion: 9 },
    });
    expect([stale.status, stale.json.error, stale.json.currentVersion]).toEqual([409, 'VERSION_CONFLICT', 1]);
    const running = await api.request('POST', `/reviews/${id}/resume`, { body: { reason: 'not paused' } });
    expect([running.status, running.json.error]).toEqual([409, 'REVIEW_NOT_PAUSED']);
    const huge = await api.request('POST', '/reviews', {
      rawBody: JSON.stringify({ pad: 'x'.repeat(70_000) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(huge.status).toBe(413);
    const form = await api.request('POST', '/reviews', {
      rawBody: 'a=b',
      headers: { 'content-type': 'text/plain' },
    });
    expect(form.status).toBe(415);
    const malformed = await api.request('POST', '/reviews', {
      rawBody: '{"a":',
      headers: { 'content-type': 'application/json' },
    });
    expect([malformed.status, malformed.json.error]).toEqual([400, 'MALFORMED_JSON']);
    expect((await api.request('GET', '/health', { token: null })).status).toBe(200);
    const doc = await api.request('GET', '/openapi.json');
    expect(doc.json.openapi).toBe('3.1.0');
  });

  it('never answers 5xx to random JSON bodies', async () => {
    const { id } = await create();
    const paths = [
      '/reviews',
      `/reviews/${id}/transitions`,
      `/reviews/${id}/deadline`,
      `/reviews/${id}/pause`,
      `/reviews/${id}/resume`,
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 3 }), async (path, body) => {
        const res = await api.request('POST', path, { body });
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 120 },
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40 }), fc.jsonValue({ maxDepth: 2 }), async (state, body) => {
        const res = await api.request(
          'PUT',
          `/reviews/${id}/focal-points/${encodeURIComponent(state) || 'X'}`,
          { body },
        );
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
  });
});
