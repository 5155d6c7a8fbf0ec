import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '#shared/domain/calendar.ts';
import { type ApiClient, startLocalClient } from './support/local-client.ts';

/**
 * DESIGN §4 "Input bounds" through local mode: each bad input gets a clear 400 or 409 with
 * the path, changes nothing, and leaves the lists and reports answering for everyone.
 */

let api: ApiClient;
const day = (offset: number) => addDays(localDate(api.runtime.now().toISOString(), 'Europe/Vienna'), offset);
beforeAll(async () => {
  api = await startLocalClient();
});
afterAll(async () => {
  await api?.runtime.stop();
});

/** Each test names its own State under review, so it counts only its own reviews. */
function aReview(stateUnderReview: string, overrides: Record<string, unknown> = {}) {
  return {
    stateUnderReview,
    cluster: 1,
    instruments: ['UNTOC', 'TIP'],
    reviewingStates: [
      { state: 'AUT', instruments: ['UNTOC', 'TIP'] },
      { state: 'BRA', instruments: ['UNTOC', 'TIP'] },
    ],
    language: 'en',
    launchedAt: day(-2),
    ...overrides,
  };
}
const focalPoint = { name: 'Anna Huber', email: 'anna@aut.example', language: 'en' };

async function create(stateUnderReview: string, overrides: Record<string, unknown> = {}) {
  const res = await api.request('POST', '/reviews', { body: aReview(stateUnderReview, overrides) });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json as { id: string; version: number; deadline: string };
}
async function reviewsOf(state: string): Promise<unknown[]> {
  const res = await api.request('GET', `/reviews?state=${state}`);
  expect(res.status).toBe(200);
  return res.json.items;
}
const rawPost = (path: string, text: string, method = 'POST') =>
  api.request(method, path, { rawBody: text, headers: { 'content-type': 'application/json' } });

/** The lists and the overdue report still answer: no refused input may have broken them. */
async function expectStillServing() {
  const lists = await Promise.all([
    api.request('GET', '/reviews'),
    api.request('GET', '/reviews?overdue=true'),
    api.request('GET', '/reports/overdue'),
  ]);
  expect(lists.map((r) => r.status)).toEqual([200, 200, 200]);
}

/** A refusal with the status, code and (for 400) the issue path expected; then the lists still answer. */
async function expectRefused(
  res: { status: number; json: { error?: string; issues?: { path: string }[] } },
  status: number,
  error: string,
  path?: string,
) {
  expect([res.status, res.json.error], JSON.stringify(res.json)).toEqual([status, error]);
  if (path)
    expect(
      res.json.issues?.map((i) => i.path),
      JSON.stringify(res.json),
    ).toContain(path);
  await expectStillServing();
}

describe('dates outside 2000-01-01 … 2100-12-31', () => {
  it('refuses a launch date outside the bounds, or one whose first deadline falls outside, creating nothing', async () => {
    for (const launchedAt of ['9999-12-31', '0000-01-01', '1999-12-31', '2101-01-01', '+010000-01-14']) {
      const res = await api.request('POST', '/reviews', { body: aReview('ISL', { launchedAt }) });
      await expectRefused(res, 400, 'VALIDATION_FAILED', 'body.launchedAt');
    }
    // The launched stage's deadline (T0 + 14 days) would be 2101-01-08.
    const late = await api.request('POST', '/reviews', {
      body: aReview('ISL', { launchedAt: '2100-12-25' }),
    });
    await expectRefused(late, 400, 'VALIDATION_FAILED', 'launchedAt');
    expect(await reviewsOf('ISL')).toEqual([]);
  });

  it('refuses a transition or deadline change to a date past 2100-12-31, changing nothing', async () => {
    const { id } = await create('NOR');
    const moved = await api.request('POST', `/reviews/${id}/transitions`, {
      body: { to: 'self_assessment', deadline: '2101-01-01' },
    });
    await expectRefused(moved, 400, 'VALIDATION_FAILED', 'body.deadline');
    const changed = await api.request('POST', `/reviews/${id}/deadline`, {
      body: { deadline: '9999-12-31', reason: 'forever' },
    });
    await expectRefused(changed, 400, 'VALIDATION_FAILED', 'body.deadline');
    const read = await api.request('GET', `/reviews/${id}`);
    expect(read.json).toMatchObject({ version: 1, stage: 'launched', deadline: day(12) });
  });

  it('refuses a resume that would move the deadline past 2100-12-31, leaving the review paused', async () => {
    const { id } = await create('SWE');
    await api.request('POST', `/reviews/${id}/deadline`, { body: { deadline: '2100-12-31', reason: 'far' } });
    const paused = await api.request('POST', `/reviews/${id}/pause`, { body: { reason: 'elections' } });
    expect(paused.status).toBe(200);
    expect((await api.request('POST', '/_local/clock', { body: { advance: 'PT1H' } })).status).toBe(200);
    const resumed = await api.request('POST', `/reviews/${id}/resume`, { body: { reason: 'back' } });
    await expectRefused(resumed, 400, 'VALIDATION_FAILED', 'deadline');
    const read = await api.request('GET', `/reviews/${id}`);
    expect(read.json).toMatchObject({ paused: true, deadline: '2100-12-31', version: paused.json.version });
  });
});

describe('State codes', () => {
  it('refuses codes that name no State, wherever a State is given', async () => {
    for (const code of ['ZZZ', 'XXX', 'AAA']) {
      await expectRefused(
        await api.request('POST', '/reviews', { body: aReview(code) }),
        400,
        'VALIDATION_FAILED',
        'body.stateUnderReview',
      );
      const reviewing = [
        { state: code, instruments: ['UNTOC', 'TIP'] },
        { state: 'BRA', instruments: ['UNTOC', 'TIP'] },
      ];
      await expectRefused(
        await api.request('POST', '/reviews', { body: aReview('FIN', { reviewingStates: reviewing }) }),
        400,
        'VALIDATION_FAILED',
        'body.reviewingStates.0.state',
      );
      await expectRefused(
        await api.request('POST', '/reviews', {
          body: aReview('FIN', { focalPoints: { [code]: focalPoint } }),
        }),
        400,
        'VALIDATION_FAILED',
      );
      await expectRefused(
        await api.request('GET', `/reviews?state=${code}`),
        400,
        'VALIDATION_FAILED',
        'query.state',
      );
    }
    expect(await reviewsOf('FIN')).toEqual([]);
    const { id } = await create('DNK');
    await expectRefused(
      await api.request('PUT', `/reviews/${id}/focal-points/ZZZ`, { body: focalPoint }),
      400,
      'VALIDATION_FAILED',
      'path.state',
    );
    expect((await api.request('GET', `/reviews/${id}`)).json.version).toBe(1);
  });

  it('refuses an instrument listed twice by a reviewing State, at its position', async () => {
    const reviewingStates = [
      { state: 'AUT', instruments: ['UNTOC', 'TIP'] },
      { state: 'BRA', instruments: ['UNTOC', 'TIP', 'UNTOC'] },
    ];
    const res = await api.request('POST', '/reviews', { body: aReview('EST', { reviewingStates }) });
    await expectRefused(res, 400, 'VALIDATION_FAILED', 'reviewingStates.1.instruments.2');
    expect(await reviewsOf('EST')).toEqual([]);
  });
});

describe('names and reasons', () => {
  it('refuses blank names and names with control or bidi-override characters', async () => {
    const { id } = await create('LVA');
    for (const name of [
      '   ',
      '\t',
      'Anna\u0000Huber',
      'Anna\u202eHuber',
      'Anna\u2066Huber',
      'Anna\u0085',
      'A\nB',
    ]) {
      const res = await api.request('PUT', `/reviews/${id}/focal-points/AUT`, {
        body: { ...focalPoint, name },
      });
      await expectRefused(res, 400, 'VALIDATION_FAILED', 'body.name');
    }
    const atCreation = await api.request('POST', '/reviews', {
      body: aReview('LVA', { focalPoints: { AUT: { ...focalPoint, name: ' ' } } }),
    });
    await expectRefused(atCreation, 400, 'VALIDATION_FAILED', 'body.focalPoints.AUT.name');
    const read = await api.request('GET', `/reviews/${id}`);
    expect([read.json.version, read.json.focalPoints]).toEqual([1, {}]);
  });

  it('refuses blank reasons and reasons with control characters, but keeps their line breaks', async () => {
    const { id } = await create('LTU');
    for (const reason of ['  ', '\r\n', 'elections\u0007', 'elections\u202d', 'a\u007fb']) {
      const res = await api.request('POST', `/reviews/${id}/pause`, { body: { reason } });
      await expectRefused(res, 400, 'VALIDATION_FAILED', 'body.reason');
    }
    const paused = await api.request('POST', `/reviews/${id}/pause`, {
      body: { reason: 'national elections:\r\n\t- parliament dissolved\n\t- new government' },
    });
    expect(paused.status).toBe(200);
    expect(paused.json.pause.reason).toBe(
      'national elections:\r\n\t- parliament dissolved\n\t- new government',
    );
  });
});

describe('forbidden keys', () => {
  it('refuses __proto__, constructor and prototype keys anywhere in a body, with the path', async () => {
    const body = JSON.stringify(aReview('HUN'));
    const cases: [string, string][] = [
      [
        body.replace('{', `{"focalPoints":{"__proto__":${JSON.stringify(focalPoint)}},`),
        'body.focalPoints.__proto__',
      ],
      [body.replace('{', '{"constructor":{},'), 'body.constructor'],
      [
        body.replace('"instruments":["UNTOC","TIP"]}', '"instruments":["UNTOC","TIP"],"prototype":1}'),
        'body.reviewingStates.0.prototype',
      ],
    ];
    for (const [text, path] of cases) {
      await expectRefused(await rawPost('/reviews', text), 400, 'VALIDATION_FAILED', path);
    }
    expect(await reviewsOf('HUN')).toEqual([]);
    const { id } = await create('CZE');
    const onFocalPoint = await rawPost(
      `/reviews/${id}/focal-points/AUT`,
      `{"__proto__":{"admin":true},${JSON.stringify(focalPoint).slice(1)}`,
      'PUT',
    );
    await expectRefused(onFocalPoint, 400, 'VALIDATION_FAILED', 'body.__proto__');
    expect((await api.request('GET', `/reviews/${id}`)).json.focalPoints).toEqual({});
  });
});

describe('completed reviews', () => {
  it('refuses any change to a completed review with 409 REVIEW_COMPLETED, and mails nobody', async () => {
    const { id } = await create('PRT');
    for (const to of ['self_assessment', 'desk_review', 'dialogue', 'observations', 'summary', 'completed']) {
      const res = await api.request('POST', `/reviews/${id}/transitions`, { body: { to } });
      expect(res.status).toBe(200);
    }
    const before = (await api.request('GET', `/reviews/${id}`)).json.version;
    const email = `late-${Date.now()}@aut.example`;
    const fp = await api.request('PUT', `/reviews/${id}/focal-points/AUT`, {
      body: { ...focalPoint, email },
    });
    await expectRefused(fp, 409, 'REVIEW_COMPLETED');
    const deadline = await api.request('POST', `/reviews/${id}/deadline`, {
      body: { deadline: day(30), reason: 'x' },
    });
    await expectRefused(deadline, 409, 'REVIEW_COMPLETED');
    await expectRefused(
      await api.request('POST', `/reviews/${id}/pause`, { body: { reason: 'x' } }),
      409,
      'REVIEW_COMPLETED',
    );
    expect((await api.request('GET', `/reviews/${id}`)).json.version).toBe(before);
    expect((await api.request('POST', '/_local/settle')).json.settled).toBe(true);
    const mailbox = await api.request('GET', '/_local/mailbox');
    expect(mailbox.json.messages.filter((m: { to: string[] }) => m.to.includes(email))).toEqual([]);
  });
});

describe('resume after a deadline set during the pause', () => {
  it('keeps the deadline the Secretariat set while paused, and records old and new', async () => {
    const { id } = await create('SVK');
    await api.request('POST', `/reviews/${id}/pause`, { body: { reason: 'elections' } });
    const set = await api.request('POST', `/reviews/${id}/deadline`, {
      body: { deadline: day(60), reason: 'new government' },
    });
    expect(set.status).toBe(200);
    expect((await api.request('POST', '/_local/clock', { body: { advance: 'P3D' } })).status).toBe(200);
    const resumed = await api.request('POST', `/reviews/${id}/resume`, { body: { reason: 'resumed' } });
    expect(resumed.status).toBe(200);
    expect(resumed.json.deadline).toBe(set.json.deadline);
    expect(resumed.json.ledger.at(-1)).toMatchObject({
      kind: 'resume',
      oldDeadline: set.json.deadline,
      newDeadline: set.json.deadline,
    });
  });
});

describe('random bodies', () => {
  it('never answers 5xx to POST /reviews, whatever the JSON holds', async () => {
    const odd = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.constantFrom(
        '9999-12-31',
        '0000-01-01',
        '+010000-01-14',
        '2100-12-31',
        '2000-01-01',
        '\u0000',
        '\u202e',
        '',
      ),
      fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -0, 5e-324, 0, 1, 4),
      fc.jsonValue({ maxDepth: 2 }),
    );
    const fields = Object.keys(aReview('GRC'));
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom(...fields, 'focalPoints', 'group', 'secretariatEmail'), odd, {
          maxKeys: 4,
        }),
        fc.option(fc.constantFrom('__proto__', 'constructor', 'prototype'), { nil: undefined }),
        async (mutations, forbidden) => {
          let text = JSON.stringify({ ...aReview('GRC'), ...mutations });
          if (forbidden) text = text.replace('{', `{"${forbidden}":{"x":1},`);
          const res = await rawPost('/reviews', text);
          expect(res.status, text).toBeLessThan(500);
        },
      ),
      { numRuns: 80 },
    );
    await expectStillServing();
  });
});
