import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATOR } from '#infra/local/local-ses.ts';
import { addDays, atLocalTime, dayOfWeek, localDate } from '#shared/domain/calendar.ts';
import { DIGEST_HEADINGS, DIGEST_SECTIONS, type DigestSection } from '#shared/email/digest-template.ts';
import { type ApiClient, startLocalClient } from './support/local-client.ts';

/**
 * The weekly Secretariat digest through local mode: the schedule fires when the local clock
 * passes Monday 08:00 in Vienna, the mail lands in the local mailbox as `kind: "digest"`, and
 * it says what `GET /reports/digest` says. Every answer of the API is checked against
 * `/openapi.json` by the client.
 */

const TZ = 'Europe/Vienna';
const OFFICER = 'digest-officer@un.example';
const QUIET_OFFICER = 'quiet-officer@un.example';
let api: ApiClient;

beforeAll(async () => {
  api = await startLocalClient();
});
afterAll(async () => {
  await api?.runtime.stop();
});

const today = () => localDate(api.runtime.now().toISOString(), TZ);

/** The first Monday 08:00 in Vienna after the local clock's now. */
function nextMonday0800(): string {
  const now = api.runtime.now().getTime();
  let date = addDays(today(), (8 - dayOfWeek(today())) % 7);
  while (Date.parse(atLocalTime(date, '08:00', TZ)) <= now) date = addDays(date, 7);
  return atLocalTime(date, '08:00', TZ);
}

async function clockTo(instant: string) {
  const res = await api.request('POST', '/_local/clock', { body: { now: instant } });
  expect(res.status).toBe(200);
}

interface Mail {
  kind?: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
}
async function digestsTo(address: string): Promise<Mail[]> {
  const res = await api.request('GET', '/_local/mailbox');
  return (res.json.messages as Mail[]).filter((m) => m.kind === 'digest' && m.to.includes(address));
}

const fp = (name: string, email: string) => ({ name, email, language: 'en' });

async function createReview(body: Record<string, unknown>): Promise<{ id: string; reference: string }> {
  const res = await api.request('POST', '/reviews', {
    body: {
      stateUnderReview: 'GRC',
      cluster: 1,
      instruments: ['UNTOC'],
      reviewingStates: [
        { state: 'AUT', instruments: ['UNTOC'] },
        { state: 'BRA', instruments: ['UNTOC'] },
      ],
      language: 'en',
      launchedAt: today(),
      ...body,
    },
  });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json;
}

/** The references a digest mail lists under each section's heading (`- REF (/reviews/id): …`). */
function sectionsOfMail(text: string): Partial<Record<DigestSection, string[]>> {
  const sections: Partial<Record<DigestSection, string[]>> = {};
  for (const block of text.split('\n\n')) {
    const [heading = '', ...lines] = block.split('\n');
    const section = DIGEST_SECTIONS.find(
      (s) => heading === `${DIGEST_HEADINGS[s].heading} (${lines.length})`,
    );
    if (section)
      sections[section] = lines.map((line) => /^- (\S+) \(\/reviews\/[^)]+\): /.exec(line)?.[1] ?? line);
  }
  return sections;
}

/** The references the JSON digest lists in each non-empty section. */
function sectionsOfReport(digest: Record<DigestSection, { reference: string }[]>) {
  return Object.fromEntries(
    DIGEST_SECTIONS.filter((s) => digest[s].length > 0).map((s) => [s, digest[s].map((e) => e.reference)]),
  );
}

describe('the weekly Secretariat digest in local mode', () => {
  it('is in the mailbox at Monday 08:00 in Vienna, says what GET /reports/digest says, and goes out once a week only when there is something to report', async () => {
    // Due within 14 days, a focal point whose address bounces, two participants without one.
    const dueSoon = await createReview({
      secretariatEmail: OFFICER,
      focalPoints: {
        GRC: fp('Eleni Papadopoulou', 'eleni@grc.example'),
        AUT: fp('Anna Huber', SIMULATOR.bounce),
      },
    });
    // Launched long ago: its launch stage is overdue, every State still owing.
    const overdue = await createReview({
      secretariatEmail: OFFICER,
      launchedAt: addDays(today(), -30),
      stateUnderReview: 'ISL',
      focalPoints: {
        ISL: fp('Jón Jónsson', 'jon@isl.example'),
        AUT: fp('Anna Huber', 'anna@aut.example'),
        BRA: fp('João Silva', 'joao@bra.example'),
      },
    });
    const paused = await createReview({ secretariatEmail: OFFICER, stateUnderReview: 'NOR' });
    expect(
      (await api.request('POST', `/reviews/${paused.id}/pause`, { body: { reason: 'national elections' } }))
        .status,
    ).toBe(200);
    // Another officer, with nothing to report once its review has moved on to a far deadline.
    const quiet = await createReview({
      secretariatEmail: QUIET_OFFICER,
      stateUnderReview: 'PRT',
      focalPoints: {
        PRT: fp('Ana Costa', 'ana@prt.example'),
        AUT: fp('Anna Huber', 'anna@aut.example'),
        BRA: fp('João Silva', 'joao@bra.example'),
      },
    });
    // No officer of its own: the deployment's Secretariat address gets it.
    const unassigned = await createReview({ stateUnderReview: 'FIN' });
    expect((await api.request('POST', '/_local/settle')).json.settled).toBe(true);
    expect(await digestsTo(OFFICER)).toEqual([]);

    const monday = nextMonday0800();
    await clockTo(monday);

    const mails = await digestsTo(OFFICER);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    const report = await api.request('GET', `/reports/digest?for=${encodeURIComponent(OFFICER)}`, {
      token: 'local-viewer',
    });
    expect(report.status).toBe(200);
    const [digest, ...others] = report.json.items;
    expect(others).toEqual([]);
    expect(digest).toMatchObject({ officer: OFFICER, today: localDate(monday, TZ), nothingToReport: false });
    expect(mail?.subject).toBe(digest.subject);
    expect(mail?.subject).toMatch(/^Weekly digest, \d{1,2} \w+ \d{4}: /);
    expect(mail?.from).toMatch(/<.+@.+>$/);
    expect(sectionsOfMail(mail?.text ?? '')).toEqual(sectionsOfReport(digest));
    expect(sectionsOfReport(digest)).toEqual({
      overdue: [overdue.reference],
      dueSoon: [dueSoon.reference],
      paused: [paused.reference],
      undeliverable: [dueSoon.reference],
      withoutFocalPoint: [dueSoon.reference, paused.reference].sort(),
    });
    expect(digest.overdue[0]).toMatchObject({ owing: ['ISL', 'AUT', 'BRA'], link: `/reviews/${overdue.id}` });
    expect(digest.paused[0]).toMatchObject({
      reason: 'national elections',
      since: expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
    });
    expect(digest.undeliverable[0]).toMatchObject({
      state: 'AUT',
      role: 'focal_point',
      address: 'b***@simulator.amazonses.com',
    });

    // Without `for`: every officer's digest, the deployment's address for the review without one.
    const all = (await api.request('GET', '/reports/digest')).json.items as {
      officer: string;
      nothingToReport: boolean;
      withoutFocalPoint: { reviewId: string }[];
    }[];
    expect(all.map((d) => d.officer)).toEqual(expect.arrayContaining([OFFICER, QUIET_OFFICER]));
    const fallback = all.find((d) => d.withoutFocalPoint.some((w) => w.reviewId === unassigned.id));
    expect(fallback?.officer).not.toMatch(/digest-officer|quiet-officer/);
    expect(await digestsTo(fallback?.officer ?? '')).toHaveLength(1);
    expect(await digestsTo(QUIET_OFFICER)).toHaveLength(1);

    // Later the same Monday: the schedule has not fired again, nothing is sent twice.
    await clockTo(new Date(Date.parse(monday) + 3_600_000).toISOString());
    expect(await digestsTo(OFFICER)).toHaveLength(1);

    // The quiet officer's review moves on to a deadline far away: nothing to report, no mail.
    const moved = await api.request('POST', `/reviews/${quiet.id}/transitions`, {
      body: { to: 'self_assessment', deadline: addDays(today(), 200) },
    });
    expect(moved.status).toBe(200);
    await clockTo(atLocalTime(addDays(localDate(monday, TZ), 7), '08:00', TZ));
    expect(await digestsTo(QUIET_OFFICER)).toHaveLength(1);
    const quietReport = await api.request('GET', `/reports/digest?for=${encodeURIComponent(QUIET_OFFICER)}`);
    expect(quietReport.json.items).toEqual([
      expect.objectContaining({
        officer: QUIET_OFFICER,
        nothingToReport: true,
        subject: null,
        openReviews: 1,
      }),
    ]);
    // The officer with something to report gets the new week's digest, once.
    expect(await digestsTo(OFFICER)).toHaveLength(2);
  });

  it('refuses a `for` that is not an address, and callers without a token', async () => {
    const bad = await api.request('GET', '/reports/digest?for=not-an-address');
    expect([bad.status, bad.json.error]).toEqual([400, 'VALIDATION_FAILED']);
    const anonymous = await api.request('GET', '/reports/digest', { token: null });
    expect(anonymous.status).toBe(401);
  });
});
