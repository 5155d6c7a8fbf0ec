import ICAL from 'ical.js';
import nodeIcal from 'node-ical';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, atLocalTime, localDate } from '#shared/domain/calendar.ts';
import { type ApiClient, startLocalClient } from './support/local-client.ts';

/**
 * Issue "Mail a focal point can act on", tried as a new user would through local mode: a
 * review with two reviewing States where one has submitted its written feedback, experts,
 * change notices, and every mail read back with an independent MIME parser and every
 * calendar file with two independent iCalendar parsers.
 */

const TZ = 'Europe/Vienna';
let api: ApiClient;

beforeAll(async () => {
  api = await startLocalClient();
});
afterAll(async () => {
  await api?.runtime.stop();
});

interface Mail {
  id: string;
  to: string[];
  subject: string;
  text: string;
  kind?: string;
  reviewId?: string;
  attachments: { filename: string; contentType: string }[];
}
const today = () => localDate(api.runtime.now().toISOString(), TZ);
async function clockTo(date: string, time = '10:00') {
  const target = atLocalTime(date, time, TZ);
  if (Date.parse(target) <= api.runtime.now().getTime()) return;
  expect((await api.request('POST', '/_local/clock', { body: { now: target } })).status).toBe(200);
}
async function settle() {
  expect((await api.request('POST', '/_local/settle')).json.settled).toBe(true);
}
async function mailbox(reviewId: string): Promise<Mail[]> {
  const res = await api.request('GET', '/_local/mailbox');
  return (res.json.messages as Mail[]).filter((m) => m.reviewId === reviewId);
}
const addressed = (mails: Mail[], address: string) => mails.filter((m) => m.to.includes(address));
async function ok(method: string, path: string, body?: unknown) {
  const res = await api.request(method, path, body === undefined ? {} : { body });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  await settle();
  return res.json;
}
async function raw(mail: Mail): Promise<string> {
  const res = await fetch(`${api.runtime.url}/_local/mailbox/${encodeURIComponent(mail.id)}.eml`);
  expect(res.status).toBe(200);
  return res.text();
}

const people = {
  GRC: { name: 'Eleni Papadopoulou', email: 'eleni@example.gr', language: 'en' },
  AUT: { name: 'Anna Huber', email: 'anna@example.at', language: 'fr' },
  BRA: { name: 'João Silva', email: 'joao@example.br', language: 'es' },
};
const experts = {
  AUT: { name: 'Karl Berger', email: 'karl@example.at', language: 'en' },
  BRA: { name: 'Maria Souza', email: 'maria@example.br', language: 'ru' },
};
const officer = 'officer@un.example';

describe('a review tracked State by State, with mail a focal point can act on', () => {
  it('reminds and escalates only the State still owing, and tells the Secretariat when all have submitted', async () => {
    // Arrange: Greece under review, Austria and Brazil reviewing, in the desk review.
    const created = await api.request('POST', '/reviews', {
      body: {
        stateUnderReview: 'GRC',
        cluster: 2,
        instruments: ['UNTOC'],
        reviewingStates: [
          { state: 'AUT', instruments: ['UNTOC'] },
          { state: 'BRA', instruments: ['UNTOC'] },
        ],
        language: 'en',
        launchedAt: today(),
        secretariatEmail: officer,
        focalPoints: people,
      },
    });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    expect(created.json.reference).toMatch(/^GRC-C2-\d{4}(-\d+)?$/);
    const reference = created.json.reference as string;
    await settle();
    await ok('PUT', `/reviews/${id}/experts/AUT`, { experts: [experts.AUT] });
    await ok('PUT', `/reviews/${id}/experts/BRA`, { experts: [experts.BRA] });
    await ok('POST', `/reviews/${id}/transitions`, { to: 'self_assessment' });
    const deadline = addDays(today(), 40);
    const desk = await ok('POST', `/reviews/${id}/transitions`, { to: 'desk_review', deadline });
    expect(desk.owing).toEqual(['AUT', 'BRA']);

    // Act: Austria's written feedback arrives.
    const one = await ok('POST', `/reviews/${id}/submissions`, { state: 'AUT', note: 'by e-mail' });
    const again = await ok('POST', `/reviews/${id}/submissions`, { state: 'AUT' });
    const refused = await api.request('POST', `/reviews/${id}/submissions`, { body: { state: 'GRC' } });
    await clockTo(addDays(deadline, -6));
    const afterReminder = await mailbox(id);
    await clockTo(addDays(deadline, 3));
    const afterDeadline = await mailbox(id);
    await ok('POST', `/reviews/${id}/submissions`, { state: 'BRA' });
    await clockTo(addDays(deadline, 20));
    const finally_ = await mailbox(id);

    // Assert: submissions on the review and in its history.
    expect(one.owing).toEqual(['BRA']);
    expect(one.submissions).toEqual([expect.objectContaining({ state: 'AUT', note: 'by e-mail' })]);
    expect(again.version).toBe(one.version);
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({
      error: 'NOT_RESPONSIBLE',
      state: 'GRC',
      responsible: ['AUT', 'BRA'],
    });
    const history = (await api.request('GET', `/reviews/${id}/history`)).json.items as { type: string }[];
    expect(history.filter((e) => e.type === 'submission_recorded')).toHaveLength(2);

    // Only Brazil (its focal point and its expert) gets the −7-day reminder.
    const reminders = afterReminder.filter((m) => m.kind === 'reminder');
    expect(reminders.map((m) => m.to[0]).sort()).toEqual([people.BRA.email, experts.BRA.email].sort());
    expect(reminders.every((m) => m.subject.includes(reference))).toBe(true);
    // The overdue notice goes to Brazil's focal point only; the escalation names Brazil, never Austria.
    const overdue = afterDeadline.filter((m) => m.kind === 'overdue_notice');
    expect(overdue.map((m) => m.to[0])).toEqual([people.BRA.email]);
    const [escalation, ...more] = addressed(afterDeadline, officer).filter((m) => m.kind === 'escalation');
    expect(more).toEqual([]);
    expect(escalation?.text).toContain('Brazil (BRA)');
    expect(escalation?.text).not.toMatch(/Austria|AUT/);
    // Brazil submits: one "all submissions received", then no more escalations for the stage.
    const toOfficer = addressed(finally_, officer);
    expect(toOfficer.filter((m) => m.kind === 'all_submissions_received').map((m) => m.subject)).toEqual([
      `All submissions received: ${reference}, Desk review`,
    ]);
    expect(toOfficer.filter((m) => m.kind === 'escalation')).toHaveLength(1);

    // Every mail: an independent MIME parser finds Reply-To, our Message-ID and a named From.
    for (const mail of finally_) {
      const parsed = await PostalMime.parse(await raw(mail));
      expect(parsed.from?.name).toBe('UNODC Review Mechanism');
      expect(parsed.messageId).toMatch(/^<[^<>\s]+@example\.org>$/);
      if (!mail.to.includes(officer)) {
        expect(parsed.replyTo?.[0]?.address).toBe(officer);
        expect(parsed.to?.[0]?.name).toMatch(/\S/);
      }
      // Every calendar file reads with two independent parsers, with the reference in its title.
      for (const attachment of parsed.attachments.filter((a) => a.mimeType === 'text/calendar')) {
        const text =
          typeof attachment.content === 'string'
            ? attachment.content
            : new TextDecoder().decode(attachment.content as ArrayBuffer);
        const viaIcalJs = new ICAL.Component(ICAL.parse(text));
        const event = viaIcalJs.getFirstSubcomponent('vevent');
        expect(String(event?.getFirstPropertyValue('summary'))).toContain(reference);
        const viaNodeIcal = Object.values(nodeIcal.sync.parseICS(text)).find((c) => c?.type === 'VEVENT');
        expect(viaNodeIcal && 'uid' in viaNodeIcal ? viaNodeIcal.uid : undefined).toBe(
          event?.getFirstPropertyValue('uid'),
        );
      }
    }
    // Nothing was sent twice (one Message-ID per notification and recipient).
    const keys = finally_.map((m) => `${m.kind}|${m.to.join()}|${m.subject}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('tells the States still owing of an extension, and every participant of a pause and the resume', async () => {
    const created = await api.request('POST', '/reviews', {
      body: {
        stateUnderReview: 'GRC',
        cluster: 3,
        instruments: ['UNTOC'],
        reviewingStates: [
          { state: 'AUT', instruments: ['UNTOC'] },
          { state: 'BRA', instruments: ['UNTOC'] },
        ],
        language: 'en',
        launchedAt: today(),
        focalPoints: people,
      },
    });
    const id = created.json.id as string;
    await settle();
    await ok('POST', `/reviews/${id}/transitions`, { to: 'self_assessment' });
    await ok('POST', `/reviews/${id}/deadline`, { deadline: addDays(today(), 200), reason: 'translation' });
    await ok('POST', `/reviews/${id}/pause`, { reason: 'elections' });
    await ok('POST', `/reviews/${id}/resume`, { reason: 'new government' });
    const mails = await mailbox(id);
    const kinds = (address: string) =>
      addressed(mails, address)
        .map((m) => m.kind)
        .filter((k) => k !== 'stage_notice');
    // Only Greece owes the self-assessment: only its focal point hears of the new deadline.
    expect(kinds(people.GRC.email)).toEqual(['deadline_changed', 'paused', 'resumed']);
    expect(kinds(people.AUT.email)).toEqual(['paused', 'resumed']);
    const [resumed] = addressed(mails, people.AUT.email).filter((m) => m.kind === 'resumed');
    expect(resumed?.attachments.map((a) => a.filename)).toEqual(['deadline.ics']);
  });

  it('gives each review a reference of its own, and refuses a given one that is taken', async () => {
    const body = (reference?: string) => ({
      stateUnderReview: 'NOR',
      cluster: 4,
      instruments: ['UNTOC'],
      reviewingStates: [
        { state: 'AUT', instruments: ['UNTOC'] },
        { state: 'BRA', instruments: ['UNTOC'] },
      ],
      language: 'en',
      launchedAt: today(),
      ...(reference ? { reference } : {}),
    });
    const year = today().slice(0, 4);
    const first = await api.request('POST', '/reviews', { body: body() });
    const second = await api.request('POST', '/reviews', { body: body() });
    const given = await api.request('POST', '/reviews', { body: body('UNTOC/NOR/1') });
    const taken = await api.request('POST', '/reviews', { body: body('untoc/nor/1') });
    expect([first.json.reference, second.json.reference, given.json.reference]).toEqual([
      `NOR-C4-${year}`,
      `NOR-C4-${year}-2`,
      'UNTOC/NOR/1',
    ]);
    expect(taken.status).toBe(409);
    expect(taken.json).toMatchObject({ error: 'REFERENCE_TAKEN', reference: 'untoc/nor/1' });
    // Withdrawing a submission made by mistake, and the bounds on experts.
    const id = first.json.id as string;
    await ok('POST', `/reviews/${id}/submissions`, { state: 'NOR' });
    const withdrawn = await ok('DELETE', `/reviews/${id}/submissions/NOR`);
    expect(withdrawn.owing).toEqual(['NOR', 'AUT', 'BRA']);
    const many = Array.from({ length: 21 }, (_, i) => ({
      name: `Expert ${i}`,
      email: `e${i}@example.no`,
      language: 'en',
    }));
    const tooMany = await api.request('PUT', `/reviews/${id}/experts/NOR`, { body: { experts: many } });
    expect(tooMany.status).toBe(400);
  });
});
