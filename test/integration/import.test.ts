import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRecords } from '#shared/http/import-csv.ts';
import { type ApiClient, startLocalClient } from './support/local-client.ts';

/**
 * Issue "Adopt it for real", tried as a new user would through local mode: the sample caseload
 * imported from its CSV (dry run, for real, again), nobody mailed for a stage already left or
 * a rung already past, the next rung arriving when its time comes; and a uncac review moved
 * through its own stages with its own deadlines and words.
 */
const SAMPLE = readFileSync(new URL('../../infra/local/sample-caseload.csv', import.meta.url), 'utf8');
const SAMPLE_ROWS = csvRecords(SAMPLE).length - 1;

let api: ApiClient;
beforeAll(async () => {
  api = await startLocalClient();
});
afterAll(async () => {
  await api?.runtime.stop();
});

interface Mail {
  to: string[];
  subject: string;
  text: string;
  kind?: string;
  reviewId?: string;
}
async function mailbox(): Promise<Mail[]> {
  return (await api.request('GET', '/_local/mailbox')).json.messages as Mail[];
}
async function settle() {
  expect((await api.request('POST', '/_local/settle')).json.settled).toBe(true);
}
const importCsv = (text: string, query = '') =>
  api.request('POST', `/reviews/import${query}`, { rawBody: text, headers: { 'content-type': 'text/csv' } });

describe('bringing a running caseload in', () => {
  const ids = new Map<string, string>();

  it('checks the sample on a dry run, imports it, and finds it all there the second time', async () => {
    const dry = await importCsv(SAMPLE, '?dryRun=true');
    expect(dry.status, JSON.stringify(dry.json)).toBe(200);
    expect(dry.json.dryRun).toBe(true);
    expect(dry.json.items).toHaveLength(SAMPLE_ROWS);
    expect(dry.json.items.filter((i: { status: string }) => i.status !== 'valid')).toEqual([]);
    expect((await api.request('GET', '/reviews?limit=100')).json.items).toHaveLength(0);

    const real = await importCsv(SAMPLE);
    expect(real.status).toBe(200);
    expect(real.json.items.map((i: { status: string }) => i.status)).toEqual(
      Array(SAMPLE_ROWS).fill('created'),
    );
    for (const item of real.json.items) ids.set(item.reference, item.id);

    const again = await importCsv(SAMPLE);
    expect(again.json.items.map((i: { status: string }) => i.status)).toEqual(
      Array(SAMPLE_ROWS).fill('exists'),
    );
    expect(again.json.items.map((i: { id: string }) => i.id)).toEqual(
      real.json.items.map((i: { id: string }) => i.id),
    );
    expect((await api.request('GET', '/reviews?limit=100')).json.items).toHaveLength(SAMPLE_ROWS);
  });

  it('keeps each review where the file says, with its history opened by the import', async () => {
    const [header, ...rows] = csvRecords(SAMPLE);
    const col = (name: string) => header?.indexOf(name) ?? -1;
    for (const row of rows.slice(0, 8)) {
      const reference = row[col('reference')] as string;
      const review = (await api.request('GET', `/reviews/${ids.get(reference)}`)).json;
      expect(review).toMatchObject({ reference, stage: row[col('stage')], process: row[col('process')] });
      const history = (await api.request('GET', `/reviews/${review.id}/history`)).json.items;
      expect(history.map((e: { type: string }) => e.type)).toEqual(['imported']);
    }
  });

  it('mails nobody for a stage already left or a rung already past', async () => {
    await settle();
    expect(await mailbox()).toEqual([]);
    for (const id of ids.values()) {
      const items = (await api.request('GET', `/reviews/${id}/notifications`)).json.items;
      const now = api.runtime.now().toISOString();
      for (const n of items) {
        expect(n.kind).not.toBe('stage_notice');
        expect(n.status).toBe('pending');
        expect(n.dueAt > now).toBe(true);
      }
    }
  });

  it('sends the next rung when its time comes, and only that', async () => {
    const pending = (
      await Promise.all(
        [...ids.values()].map(
          async (id) => (await api.request('GET', `/reviews/${id}/notifications`)).json.items,
        ),
      )
    )
      .flat()
      .sort((a: { dueAt: string }, b: { dueAt: string }) => a.dueAt.localeCompare(b.dueAt));
    const first = pending[0];
    expect(first).toBeDefined();
    const target = new Date(Date.parse(first.dueAt) + 60_000).toISOString();
    expect((await api.request('POST', '/_local/clock', { body: { now: target } })).status).toBe(200);

    const due = pending.filter((n: { dueAt: string }) => n.dueAt <= target);
    // The weekly digest may fall in the same span: it is the Secretariat's, not a review's.
    const mail = (await mailbox()).filter((m) => m.kind !== 'digest');
    expect(mail.length).toBeGreaterThan(0);
    expect(new Set(mail.map((m) => m.reviewId))).toEqual(
      new Set(due.map((n: { reviewId: string }) => n.reviewId)),
    );
    expect(mail.every((m) => m.kind !== 'stage_notice')).toBe(true);
  });

  it('answers each JSON row on its own and refuses a CSV it cannot read', async () => {
    const res = await api.request('POST', '/reviews/import', {
      body: {
        reviews: [
          { stateUnderReview: 'GRC' },
          {
            reference: 'FIN-C4-2025',
            stateUnderReview: 'FIN',
            cluster: 4,
            instruments: ['UNTOC'],
            reviewingStates: [
              { state: 'EST', instruments: ['UNTOC'] },
              { state: 'LVA', instruments: ['UNTOC'] },
            ],
            language: 'en',
            launchedAt: '2025-02-03',
            stage: 'observations',
            stageEnteredAt: '2026-10-01T09:00:00+02:00',
            submissions: [{ state: 'EST' }],
          },
          'not a row',
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.json.items.map((i: { status: string }) => i.status)).toEqual([
      'invalid',
      'created',
      'invalid',
    ]);
    expect(res.json.items[0].issues.map((i: { path: string }) => i.path)).toContain('cluster');
    const created = (await api.request('GET', `/reviews/${res.json.items[1].id}`)).json;
    expect(created).toMatchObject({ stage: 'observations', owing: ['LVA'], deadline: '2027-01-01' });

    const unreadable = await importCsv('reference,colour\nX,blue\n');
    expect(unreadable.status).toBe(400);
    expect(unreadable.json.error).toBe('VALIDATION_FAILED');
    const viewer = await api.request('POST', '/reviews/import', {
      token: 'local-viewer',
      body: { reviews: [{}] },
    });
    expect(viewer.status).toBe(403);
    const tooMany = await api.request('POST', '/reviews/import', { body: { reviews: Array(501).fill({}) } });
    expect(tooMany.status).toBe(400);
  });
});

describe('a uncac review end to end', () => {
  it('follows its own deadlines and stage names from creation to its country report', async () => {
    await api.request('DELETE', '/_local/mailbox');
    const processes = (await api.request('GET', '/processes', { token: 'local-viewer' })).json.items;
    expect(processes.map((p: { id: string }) => p.id)).toEqual(['untoc', 'uncac']);

    const today = api.runtime.now().toISOString().slice(0, 10);
    const created = await api.request('POST', '/reviews', {
      body: {
        process: 'uncac',
        stateUnderReview: 'PER',
        cluster: 2,
        instruments: ['UNCAC'],
        reviewingStates: [
          { state: 'SWE', instruments: ['UNCAC'] },
          { state: 'NGA', instruments: ['UNCAC'] },
        ],
        language: 'es',
        launchedAt: today,
        focalPoints: {
          PER: { name: 'Rosa Quispe', email: 'rosa@per.example', language: 'es' },
          SWE: { name: 'Erik Lind', email: 'erik@swe.example', language: 'en' },
          NGA: { name: 'Chidi Okafor', email: 'chidi@nga.example', language: 'fr' },
        },
      },
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const id = created.json.id;
    const plusDays = (date: string, days: number) =>
      new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    const plusMonths = (date: string, months: number) => {
      const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
      const last = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
      return new Date(Date.UTC(y, m - 1 + months, Math.min(d, last))).toISOString().slice(0, 10);
    };
    expect(created.json).toMatchObject({
      process: 'uncac',
      stage: 'launched',
      deadline: plusDays(today, 21),
    });
    await settle();
    const notices = (await mailbox()).filter((m) => m.reviewId === id);
    expect(notices).toHaveLength(3);
    expect(notices.find((m) => m.to.includes('rosa@per.example'))?.subject).toContain('Inicio');
    expect(notices.find((m) => m.to.includes('erik@swe.example'))?.text).toContain('Review cycle');
    expect(notices.find((m) => m.to.includes('chidi@nga.example'))?.text).toContain(
      'Convention contre la corruption',
    );

    // UNTOC's stages are not this review's.
    const wrong = await api.request('POST', `/reviews/${id}/transitions`, { body: { to: 'observations' } });
    expect(wrong.status).toBe(409);
    for (const to of ['self_assessment', 'desk_review', 'dialogue', 'country_report']) {
      const moved = await api.request('POST', `/reviews/${id}/transitions`, { body: { to } });
      expect(moved.status, JSON.stringify(moved.json)).toBe(200);
    }
    await settle();
    const report = (await api.request('GET', `/reviews/${id}`)).json;
    // The country report is due six months after the launch, whenever it was entered.
    expect(report).toMatchObject({ stage: 'country_report', process: 'uncac' });
    expect(report.deadline).toBe(plusMonths(today, 6));
    const last = (await mailbox())
      .filter((m) => m.reviewId === id && m.to.includes('erik@swe.example'))
      .at(-1);
    expect(last?.subject).toContain('Country report and executive summary');
  });
});
