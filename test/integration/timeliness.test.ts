import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addDuration, atLocalTime, daysBetween, localDate } from '#shared/domain/calendar.ts';
import { type ApiClient, startLocalClient } from './support/local-client.ts';

/**
 * Issue "timeliness report", tried through local mode as the Secretariat would: three reviews
 * launched the same day, extended, shortened, paused and resumed and moved on while the local
 * clock runs a month ahead, then `GET /reports/timeliness` read as JSON and as CSV, page by page
 * and filtered, with a viewer's token. Every answer is checked against /openapi.json by the client.
 */

const TZ = 'Europe/Vienna';
let api: ApiClient;
/** Launch day of every review here: tomorrow in Vienna, each change at 10:00 local time. */
let t0: string;
const day = (n: number) => addDays(t0, n);

async function ok(method: string, path: string, body?: unknown) {
  const res = await api.request(method, path, body === undefined ? {} : { body });
  expect(res.status, JSON.stringify(res.json)).toBeLessThan(300);
  return res.json;
}
async function advance(duration: string) {
  expect((await api.request('POST', '/_local/clock', { body: { advance: duration } })).status).toBe(200);
}
const report = (query = '', headers: Record<string, string> = {}) =>
  api.request('GET', `/reports/timeliness${query}`, { token: 'local-viewer', headers });

function aReview(overrides: Record<string, unknown> = {}) {
  return {
    stateUnderReview: 'GRC',
    cluster: 3,
    group: 1,
    instruments: ['UNTOC'],
    reviewingStates: [
      { state: 'AUT', instruments: ['UNTOC'] },
      { state: 'BRA', instruments: ['UNTOC'] },
    ],
    language: 'en',
    launchedAt: t0,
    ...overrides,
  };
}

const ids = { a: '', b: '', c: '' };
/** A's launch-stage deadline when it left the stage: the extension plus the resume's shift. */
let aLaunchDeadline = '';

beforeAll(async () => {
  api = await startLocalClient();
  t0 = addDays(localDate(api.runtime.now().toISOString(), TZ), 1);
  expect(
    (await api.request('POST', '/_local/clock', { body: { now: atLocalTime(t0, '10:00', TZ) } })).status,
  ).toBe(200);
  // Day 0: A and B (UNTOC, cluster 3) and C (UNCAC, cluster 2) are created a minute apart, so
  // the report lists them C, B, A (newest first).
  ids.a = (await ok('POST', '/reviews', aReview({ reference: 'GRC-A' }))).id;
  await advance('PT1M');
  ids.b = (await ok('POST', '/reviews', aReview({ group: 2, reference: 'GRC-B' }))).id;
  await advance('PT1M');
  ids.c = (
    await ok(
      'POST',
      '/reviews',
      aReview({
        process: 'uncac',
        cluster: 2,
        instruments: ['UNCAC'],
        reviewingStates: [
          { state: 'AUT', instruments: ['UNCAC'] },
          { state: 'BRA', instruments: ['UNCAC'] },
        ],
        reference: 'GRC-C',
      }),
    )
  ).id;
  // Day 2: A extended by six days; B extended by sixteen and shortened back.
  await advance('P2D');
  await ok('POST', `/reviews/${ids.a}/deadline`, { deadline: day(20), reason: 'translation' });
  await ok('POST', `/reviews/${ids.b}/deadline`, { deadline: day(30), reason: 'translation' });
  await ok('POST', `/reviews/${ids.b}/deadline`, { deadline: day(14), reason: 'done after all' });
  // Days 5 to 9: A paused.
  await advance('P3D');
  await ok('POST', `/reviews/${ids.a}/pause`, { reason: 'national elections' });
  await advance('P4D');
  aLaunchDeadline = (await ok('POST', `/reviews/${ids.a}/resume`, { reason: 'government formed' })).deadline;
  // Day 29: A moves on to the self-assessment; C is paused; the report is read on day 30.
  await advance('P20D');
  await ok('POST', `/reviews/${ids.a}/transitions`, { to: 'self_assessment' });
  await ok('POST', `/reviews/${ids.c}/pause`, { reason: 'national elections' });
  await advance('P1D');
});
afterAll(async () => {
  await api?.runtime.stop();
});

describe('GET /reports/timeliness through local mode', () => {
  it('measures each stage visit and sums the page up per stage, for a viewer', async () => {
    const res = await report('?cluster=3');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const { items, summary, nextCursor } = res.json;
    expect(nextCursor).toBeNull();
    expect(items.map((r: { id: string }) => r.id)).toEqual([ids.b, ids.a]);
    const [b, a] = items;
    expect(a).toMatchObject({ reference: 'GRC-A', process: 'untoc', cluster: 3, group: 1, timeZone: TZ });
    expect(a.visits).toEqual([
      expect.objectContaining({
        stage: 'launched',
        stageEpoch: 1,
        enteredOn: day(0),
        leftOn: day(29),
        ongoing: false,
        plannedDeadline: day(14),
        finalDeadline: aLaunchDeadline,
        plannedDays: 14,
        actualDays: 29,
        extensions: { count: 1, days: 6 },
        pausedDays: 4,
        daysLate: 11,
      }),
      expect.objectContaining({
        stage: 'self_assessment',
        stageEpoch: 2,
        enteredOn: day(29),
        leftOn: null,
        leftAt: null,
        ongoing: true,
        paused: false,
        // T0 + 6 months: counted from the launch.
        plannedDeadline: addDuration(t0, 'P6M'),
        plannedDays: daysBetween(day(29), addDuration(t0, 'P6M')),
        actualDays: 1,
        extensions: { count: 0, days: 0 },
        pausedDays: 0,
        daysLate: 0,
      }),
    ]);
    expect(aLaunchDeadline > day(20)).toBe(true);
    expect(b.visits).toEqual([
      expect.objectContaining({
        stage: 'launched',
        ongoing: true,
        plannedDays: 14,
        actualDays: 30,
        finalDeadline: day(14),
        extensions: { count: 2, days: 0 },
        pausedDays: 0,
        daysLate: 16,
      }),
    ]);
    expect(summary).toEqual([
      {
        process: 'untoc',
        stage: 'launched',
        visits: 2,
        ongoing: 1,
        plannedDays: { median: 14, mean: 14 },
        actualDays: { median: 29.5, mean: 29.5 },
        daysLate: { median: 13.5, mean: 13.5 },
        late: 2,
        extensions: { count: 3, days: 6 },
        pausedDays: 4,
      },
      expect.objectContaining({ process: 'untoc', stage: 'self_assessment', visits: 1, ongoing: 1, late: 0 }),
    ]);
  });

  it('counts a pause still running to today and marks the visit paused', async () => {
    const res = await report('?process=uncac');
    expect(res.json.items.map((r: { id: string }) => r.id)).toEqual([ids.c]);
    expect(res.json.items[0]).toMatchObject({ process: 'uncac', paused: true, cluster: 2 });
    // UNCAC plans its launch stage at T0 + 21 days.
    expect(res.json.items[0].visits).toEqual([
      expect.objectContaining({ paused: true, plannedDays: 21, actualDays: 30, pausedDays: 1, daysLate: 8 }),
    ]);
  });

  it('answers one CSV row per stage visit, with a header row', async () => {
    const res = await report('?cluster=3', { accept: 'text/csv' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('vary')).toMatch(/Accept/);
    const lines = (res.json as string).split('\r\n');
    expect(lines[0]).toBe(
      'reference,reviewId,process,stateUnderReview,cluster,group,stage,stageEpoch,enteredOn,leftOn,ongoing,paused,' +
        'plannedDeadline,finalDeadline,plannedDays,actualDays,extensions,extensionDays,pausedDays,daysLate,timeZone',
    );
    expect(lines.slice(1)).toEqual([
      `GRC-B,${ids.b},untoc,GRC,3,2,launched,1,${day(0)},,true,false,${day(14)},${day(14)},14,30,2,0,0,16,${TZ}`,
      `GRC-A,${ids.a},untoc,GRC,3,1,launched,1,${day(0)},${day(29)},false,false,${day(14)},${aLaunchDeadline},14,29,1,6,4,11,${TZ}`,
      `GRC-A,${ids.a},untoc,GRC,3,1,self_assessment,2,${day(29)},,true,false,${addDuration(t0, 'P6M')},${addDuration(t0, 'P6M')},${daysBetween(day(29), addDuration(t0, 'P6M'))},1,0,0,0,0,${TZ}`,
      '',
    ]);
  });

  it('pages with a cursor, as JSON and as CSV', async () => {
    const first = await report('?cluster=3&limit=1');
    expect(first.json.items.map((r: { id: string }) => r.id)).toEqual([ids.b]);
    expect(first.json.summary).toEqual([expect.objectContaining({ stage: 'launched', visits: 1 })]);
    const cursor = encodeURIComponent(first.json.nextCursor);
    const second = await report(`?cluster=3&limit=1&cursor=${cursor}`);
    expect(second.json.items.map((r: { id: string }) => r.id)).toEqual([ids.a]);
    expect(second.json.nextCursor).toBeNull();

    const csv = await report('?cluster=3&limit=1', { accept: 'text/csv' });
    const next = csv.headers.get('x-next-cursor');
    expect(next).toEqual(expect.any(String));
    const rest = await report(`?cluster=3&limit=1&cursor=${encodeURIComponent(next ?? '')}`, {
      accept: 'text/csv',
    });
    expect((rest.json as string).split('\r\n').filter((l) => l.includes(ids.a))).toHaveLength(2);
    expect(rest.headers.get('x-next-cursor')).toBeNull();
  });

  it('filters by cluster, group and process', async () => {
    const idsOf = async (query: string) => (await report(query)).json.items.map((r: { id: string }) => r.id);
    expect(await idsOf('')).toEqual([ids.c, ids.b, ids.a]);
    expect(await idsOf('?group=2')).toEqual([ids.b]);
    expect(await idsOf('?group=1')).toEqual([ids.c, ids.a]);
    expect(await idsOf('?process=untoc&group=1')).toEqual([ids.a]);
    expect(await idsOf('?cluster=2&process=untoc')).toEqual([]);
    expect(await idsOf('?cluster=2')).toEqual([ids.c]);
  });

  it('refuses an unknown query key, a value out of range and a cursor it did not issue for these filters', async () => {
    for (const query of ['?stage=launched', '?group=4', '?cluster=5', '?process=unicef', '?limit=101']) {
      const res = await report(query);
      expect([res.status, res.json.error], query).toEqual([400, 'VALIDATION_FAILED']);
    }
    const listing = await api.request('GET', '/reviews?limit=1');
    const fromListing = await report(`?cursor=${encodeURIComponent(listing.json.nextCursor)}`);
    expect([fromListing.status, fromListing.json.issues]).toEqual([
      400,
      [{ path: 'query.cursor', message: 'not a cursor this API issued' }],
    ]);
    const ours = (await report('?cluster=3&limit=1')).json.nextCursor;
    const otherFilters = await report(`?cluster=2&limit=1&cursor=${encodeURIComponent(ours)}`);
    expect(otherFilters.status).toBe(400);
  });

  it('needs a Secretariat token', async () => {
    const res = await api.request('GET', '/reports/timeliness', { token: null });
    expect(res.status).toBe(401);
  });
});
