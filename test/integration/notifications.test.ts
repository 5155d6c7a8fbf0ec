import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '#infra/local/emulators.ts';
import { addDays, atLocalTime, localDate } from '#shared/domain/calendar.ts';
import { type ApiClient, startLocalClient } from './support/local-client.ts';

const TZ = 'Europe/Vienna';
let api: ApiClient;
let sqs: SQSClient;
let n = 0;

beforeAll(async () => {
  api = await startLocalClient();
  sqs = new SQSClient(clientConfig(api.runtime.emulators, 'sqs'));
});
afterAll(async () => {
  sqs?.destroy();
  await api?.runtime.stop();
});

const today = () => localDate(api.runtime.now().toISOString(), TZ);
/** Moves the local clock to a Vienna wall time; answers after everything has settled. */
async function clockTo(date: string, time = '08:00') {
  const target = atLocalTime(date, time, TZ);
  if (Date.parse(target) <= api.runtime.now().getTime()) return;
  const res = await api.request('POST', '/_local/clock', { body: { now: target } });
  expect(res.status).toBe(200);
}
async function settle() {
  expect((await api.request('POST', '/_local/settle')).json.settled).toBe(true);
}
interface Mail {
  kind?: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  attachments: { filename: string; contentType: string }[];
}
/** A review's mail to the address; the Monday digest, the Secretariat's own, is tested in digest.test.ts. */
async function mailTo(address: string): Promise<Mail[]> {
  const res = await api.request('GET', '/_local/mailbox');
  return (res.json.messages as Mail[]).filter((m) => m.to.includes(address) && m.kind !== 'digest');
}
function queueUrl(pattern: RegExp): string {
  const found = [...api.runtime.queues.entries()].find(([key]) => pattern.test(key));
  if (!found) throw new Error(`no queue like ${pattern}: ${[...api.runtime.queues.keys()].join(', ')}`);
  return found[1].url;
}

/** A review with its own addresses, so each test reads only its own mail. */
async function createReview(focalPoints: Record<string, { language: string; email?: string } | null>) {
  n++;
  const addresses = {
    GRC: `grc-${n}@example.gr`,
    AUT: `aut-${n}@example.at`,
    BRA: `bra-${n}@example.br`,
    secretariat: `officer-${n}@un.example`,
  };
  const fps = Object.fromEntries(
    Object.entries(focalPoints)
      .filter(([, fp]) => fp !== null)
      .map(([state, fp]) => [
        state,
        {
          name: `Focal point ${state}`,
          email: fp?.email ?? addresses[state as 'GRC'],
          language: fp?.language,
        },
      ]),
  );
  const res = await api.request('POST', '/reviews', {
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
      secretariatEmail: addresses.secretariat,
      focalPoints: fps,
    },
  });
  expect(res.status).toBe(201);
  return { id: res.json.id as string, ...addresses };
}
async function move(id: string, to: string, deadline?: string) {
  const res = await api.request('POST', `/reviews/${id}/transitions`, {
    body: { to, ...(deadline ? { deadline } : {}) },
  });
  expect(res.status).toBe(200);
  await settle();
  return res.json;
}
async function notifications(id: string): Promise<
  {
    kind: string;
    stageEpoch: number;
    status: string;
    reason?: string;
    deliveries: { recipient: string; status: string; reason?: string }[];
  }[]
> {
  return (await api.request('GET', `/reviews/${id}/notifications`)).json.items;
}

describe('notifications through local mode', () => {
  it('follows a review from stage notices through reminders to escalations, each mail exactly once', async () => {
    const r = await createReview({
      GRC: { language: 'en' },
      AUT: { language: 'fr' },
      BRA: { language: 'ar' },
    });
    await settle();
    // Stage notices to every participant, in their language, with the calendar file.
    const [grcNotice] = await mailTo(r.GRC);
    const [autNotice] = await mailTo(r.AUT);
    const [braNotice] = await mailTo(r.BRA);
    expect(grcNotice?.subject).toMatch(/^GRC-C2-\d{4}(?:-\d+)? \(Greece\): new stage/);
    expect(autNotice?.subject).toMatch(/^Examen GRC-C2-\d{4}(?:-\d+)? \(Grèce\)/);
    expect(braNotice?.html).toContain('dir="rtl"');
    for (const notice of [grcNotice, autNotice, braNotice]) {
      expect(notice?.attachments.map((a) => [a.filename, a.contentType])).toEqual([
        ['deadline.ics', 'text/calendar'],
      ]);
    }

    const deadline = addDays(today(), 60);
    await move(r.id, 'self_assessment', deadline);
    expect(await mailTo(r.GRC)).toHaveLength(2);
    const reminders = async () => (await mailTo(r.GRC)).filter((m) => m.subject.startsWith('Reminder'));

    await clockTo(addDays(deadline, -29));
    expect(await reminders()).toHaveLength(1);
    await clockTo(addDays(deadline, -13));
    expect(await reminders()).toHaveLength(2);
    await clockTo(addDays(deadline, -6));
    expect(await reminders()).toHaveLength(3);
    await clockTo(deadline);
    expect(await reminders()).toHaveLength(4);
    // Only the responsible State (the State under review) is reminded.
    expect(await mailTo(r.AUT)).toHaveLength(2);
    expect(await mailTo(r.secretariat)).toEqual([]);

    await clockTo(addDays(deadline, 4), '10:00');
    expect((await mailTo(r.GRC)).filter((m) => /deadline has passed/.test(m.subject))).toHaveLength(1);
    const escalations = await mailTo(r.secretariat);
    expect(escalations.map((m) => m.subject)).toEqual([
      expect.stringMatching(/^Escalation 1: GRC-C2-\d{4}(?:-\d+)? \(Greece\)/),
    ]);
    expect(escalations[0]?.text).toMatch(/reminder/i);

    await clockTo(addDays(deadline, 17), '10:00');
    expect((await mailTo(r.secretariat)).map((m) => m.subject)).toEqual([
      expect.stringMatching(/^Escalation 1/),
      expect.stringMatching(/^Escalation 2/),
    ]);
    expect(await reminders()).toHaveLength(4);

    const log = (await notifications(r.id)).filter((x) => x.stageEpoch === 2);
    const statuses = (kind: string) => log.filter((x) => x.kind === kind).map((x) => x.status);
    expect(statuses('reminder').filter((s) => s !== 'cancelled')).toEqual(['sent', 'sent', 'sent', 'sent']);
    expect(statuses('escalation').slice(0, 2)).toEqual(['sent', 'sent']);
    expect(statuses('escalation').slice(2)).toEqual(['pending', 'pending', 'pending', 'pending']);
    expect(statuses('overdue_notice').at(-1)).toBe('sent');

    // The overdue report, paged two at a time for a viewer, lists every overdue review once, this
    // one with the two escalations the escalator counted as it sent them.
    const listed: { id: string; stage: string; owing: string[]; escalations: number }[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = await api.request('GET', `/reports/overdue?limit=2${query}`, { token: 'local-viewer' });
      expect(page.status).toBe(200);
      expect(page.json.items.length).toBeLessThanOrEqual(2);
      listed.push(...page.json.items);
      cursor = page.json.nextCursor;
    } while (cursor !== null);
    expect(new Set(listed.map((i) => i.id)).size).toBe(listed.length);
    expect(listed.find((i) => i.id === r.id)).toMatchObject({
      stage: 'self_assessment',
      owing: ['GRC'],
      escalations: 2,
    });
    const forged = await api.request('GET', '/reports/overdue?cursor=forged', { token: 'local-viewer' });
    expect(forged.status).toBe(400);
    expect(forged.json.issues).toEqual([{ path: 'query.cursor', message: 'not a cursor this API issued' }]);
  });

  it('sends nothing for a paused review and moves the deadline on resume', async () => {
    const r = await createReview({
      GRC: { language: 'en' },
      AUT: { language: 'es' },
      BRA: { language: 'ru' },
    });
    const deadline = addDays(today(), 40);
    await move(r.id, 'self_assessment', deadline);
    const before = (await mailTo(r.GRC)).length;
    expect(
      (await api.request('POST', `/reviews/${r.id}/pause`, { body: { reason: 'elections' } })).status,
    ).toBe(200);
    await settle();
    await clockTo(addDays(deadline, 5));
    // Only the notice of the pause itself, to every participant's focal point.
    expect((await mailTo(r.GRC)).slice(before).map((m) => m.kind)).toEqual(['paused']);
    expect((await mailTo(r.AUT)).filter((m) => m.kind === 'paused')).toHaveLength(1);
    expect(await mailTo(r.secretariat)).toEqual([]);
    const resumed = await api.request('POST', `/reviews/${r.id}/resume`, {
      body: { reason: 'new government' },
    });
    expect(resumed.json.deadline > deadline).toBe(true);
    await settle();
    const log = (await notifications(r.id)).filter((x) => x.stageEpoch === 2);
    expect(log.filter((x) => x.status === 'cancelled').length).toBeGreaterThan(0);
    expect(log.filter((x) => x.status === 'cancelled').every((x) => x.reason === 'review paused')).toBe(true);
    expect(log.filter((x) => x.status === 'pending').length).toBeGreaterThan(0);
  });

  it('sends no stale reminder after the stage moves on', async () => {
    const r = await createReview({
      GRC: { language: 'en' },
      AUT: { language: 'en' },
      BRA: { language: 'zh' },
    });
    const deadline = addDays(today(), 20);
    await move(r.id, 'self_assessment', deadline);
    await move(r.id, 'desk_review', addDays(today(), 200));
    await clockTo(addDays(deadline, 3));
    const grcMail = await mailTo(r.GRC);
    expect(grcMail.filter((m) => /Reminder|deadline has passed/.test(m.subject))).toEqual([]);
    expect(await mailTo(r.secretariat)).toEqual([]);
  });

  it('escalates a reminder for a State without a focal point', async () => {
    const r = await createReview({ GRC: { language: 'en' }, AUT: { language: 'en' }, BRA: null });
    await move(r.id, 'self_assessment');
    const deadline = addDays(today(), 10);
    await move(r.id, 'desk_review', deadline);
    await clockTo(addDays(deadline, -6));
    expect((await mailTo(r.AUT)).filter((m) => m.subject.startsWith('Reminder'))).toHaveLength(1);
    expect((await mailTo(r.secretariat)).map((m) => m.subject)).toEqual([
      expect.stringMatching(/^No focal point for Brazil \(BRA\)/),
    ]);
  });

  it('sends the current stage notice to a focal point registered mid-stage', async () => {
    const r = await createReview({ GRC: { language: 'en' }, AUT: { language: 'en' }, BRA: null });
    await move(r.id, 'self_assessment');
    expect(await mailTo(r.BRA)).toEqual([]);
    const put = await api.request('PUT', `/reviews/${r.id}/focal-points/BRA`, {
      body: { name: 'Focal point BRA', email: r.BRA, language: 'es' },
    });
    expect(put.status).toBe(200);
    await settle();
    const mail = await mailTo(r.BRA);
    expect(mail.map((m) => m.subject)).toEqual([expect.stringMatching(/Autoevaluación/)]);
    expect(mail[0]?.attachments.map((a) => a.filename)).toEqual(['deadline.ics']);
    // The others were told once, when the stage began.
    expect((await mailTo(r.GRC)).filter((m) => /Self-assessment/.test(m.subject))).toHaveLength(1);
  });

  it('marks a bounced address undeliverable and tells the Secretariat', async () => {
    const r = await createReview({
      GRC: { language: 'en' },
      AUT: { language: 'en', email: 'bounce@simulator.amazonses.com' },
      BRA: { language: 'en' },
    });
    await settle();
    expect((await mailTo(r.secretariat)).map((m) => m.subject)).toEqual([
      expect.stringMatching(/^Undeliverable focal point address \(bounce\): Austria, GRC-C2-/),
    ]);
    await move(r.id, 'self_assessment');
    const notice = (await notifications(r.id)).find(
      (x) => x.kind === 'stage_notice' && x.deliveries.some((d) => d.reason),
    );
    expect(notice?.deliveries.find((d) => d.recipient === 'AUT')).toMatchObject({
      status: 'skipped',
      reason: 'address undeliverable',
    });
  });

  it('sends one e-mail when the same queue message is delivered twice', async () => {
    const r = await createReview({
      GRC: { language: 'en' },
      AUT: { language: 'en' },
      BRA: { language: 'en' },
    });
    await move(r.id, 'self_assessment', addDays(today(), 45));
    const before = (await mailTo(r.GRC)).length;
    const log = await api.request('GET', `/reviews/${r.id}/notifications`);
    const reminder = (
      log.json.items as { id: string; kind: string; stageEpoch: number; status: string }[]
    ).find((x) => x.kind === 'reminder' && x.status === 'pending');
    expect(reminder).toBeDefined();
    const body = JSON.stringify({ reviewId: r.id, stageEpoch: reminder?.stageEpoch, id: reminder?.id });
    const url = queueUrl(/FocalPoint.*Queue(?!.*Dlq)/i);
    await Promise.all([
      sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body })),
      sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body })),
    ]);
    await settle();
    expect(await mailTo(r.GRC)).toHaveLength(before + 1);
  });

  it('moves a poison message to the dead-letter queue after maxReceiveCount', async () => {
    const url = queueUrl(/FocalPoint.*Queue(?!.*Dlq)/i);
    const dlq = queueUrl(/FocalPoint.*Dlq/i);
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'this is not a notification' }));
    let inDlq = 0;
    for (let attempt = 0; attempt < 8 && inDlq === 0; attempt++) {
      await settle();
      // Past the mail queues' visibility timeout (6 × the 60 s consumer timeout), on the local clock.
      expect((await api.request('POST', '/_local/clock', { body: { advance: 'PT7M' } })).status).toBe(200);
      const attrs = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['ApproximateNumberOfMessages'] }),
      );
      inDlq = Number(attrs.Attributes?.ApproximateNumberOfMessages ?? 0);
    }
    expect(inDlq).toBe(1);
  });
});
