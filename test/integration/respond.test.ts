import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourcesOfType } from '#infra/local/template.ts';
import { addDays, atLocalTime, localDate } from '#shared/domain/calendar.ts';
import { type ApiClient, startLocalClient } from './support/local-client.ts';
import {
  aReviewInSelfAssessment,
  hiddenField,
  linkIn,
  type Mail,
  mailsTo,
  openPage,
  settle as settleLocal,
  submitForm,
} from './support/personal-links.ts';

/**
 * Issue "Focal points answer from the mail", tried as a focal point would through local mode:
 * the link is taken from a real mail in the mailbox, opened and its forms sent as a browser
 * sends them (form-encoded, with the page's own hidden fields), and every effect read back
 * through the Secretariat's API and the mailbox.
 */

const TZ = 'Europe/Vienna';
let api: ApiClient;

beforeAll(async () => {
  api = await startLocalClient();
});
afterAll(async () => {
  await api?.runtime.stop();
});

const today = () => localDate(api.runtime.now().toISOString(), TZ);
async function clockTo(date: string, time = '10:00') {
  const target = atLocalTime(date, time, TZ);
  if (Date.parse(target) <= api.runtime.now().getTime()) return;
  expect((await api.request('POST', '/_local/clock', { body: { now: target } })).status).toBe(200);
}
const settle = () => settleLocal(api);
const mailbox = async (reviewId: string): Promise<Mail[]> =>
  ((await api.request('GET', '/_local/mailbox')).json.messages as Mail[]).filter(
    (m) => m.reviewId === reviewId,
  );
const latestTo = async (reviewId: string, address: string, kind?: string) => {
  const mail = (await mailsTo(api, reviewId, address, kind)).at(-1);
  if (!mail) throw new Error(`no ${kind ?? ''} mail to ${address}`);
  return mail;
};
const page = (path: string) => openPage(api, path);
const hidden = hiddenField;
const submit = (path: string, fields: Record<string, string>, options: { csrf?: string | null } = {}) =>
  submitForm(api, path, fields, options);
async function history(id: string): Promise<{ type: string; state?: string; by: string }[]> {
  return (await api.request('GET', `/reviews/${id}/history`)).json.items;
}

const people = {
  GRC: { name: 'Eleni Papadopoulou', email: 'eleni@example.gr', language: 'en' },
  AUT: { name: 'Anna Huber', email: 'anna@example.at', language: 'fr' },
  BRA: { name: 'João Silva', email: 'joao@example.br', language: 'ar' },
};
const expert = { name: 'Nikos Georgiou', email: 'nikos@example.gr', language: 'es' };

/** Greece under review by Austria and Brazil, moved to the self-assessment (Greece owes), Greece with an expert. */
const aReview = () => aReviewInSelfAssessment(api, people, { today: today(), experts: [expert] });

describe('focal points answer from the mail (DESIGN §10)', () => {
  it('asks for an extension from the link in a real mail; the officer approves; the answer comes by mail with the new calendar entry', async () => {
    const { id, deadline } = await aReview();
    const notice = await latestTo(id, people.GRC.email, 'stage_notice');
    const link = linkIn(notice);
    expect(link.length).toBeLessThan(200 + '/respond/'.length);

    const opened = await page(link);
    expect(opened.status).toBe(200);
    expect(opened.headers.get('content-type')).toMatch(/^text\/html/);
    expect(opened.headers.get('cache-control')).toBe('no-store');
    expect(opened.headers.get('referrer-policy')).toBe('no-referrer');
    expect(opened.headers.get('content-security-policy')).toContain("form-action 'self'");
    expect(opened.html).toContain('<html lang="en"');
    expect(opened.html).not.toMatch(/<script/i);
    // Only this review's stage, deadline and what Greece owes: nobody's name or address.
    for (const person of [...Object.values(people), expert]) {
      expect(opened.html).not.toContain(person.email);
      expect(opened.html).not.toContain(person.name);
    }

    const wanted = addDays(deadline, 30);
    const asked = await submit(link, {
      action: 'extension',
      deadline: wanted,
      reason: 'Translation into Greek',
    });
    expect(asked.status).toBe(200);
    // A double click: the same form again records nothing more.
    expect(
      (await submit(link, { action: 'extension', deadline: wanted, reason: 'Translation into Greek' }))
        .status,
    ).toBe(200);
    const requests = (await api.request('GET', `/reviews/${id}/extension-requests`)).json.items;
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      state: 'GRC',
      requestedDeadline: wanted,
      status: 'open',
      reason: 'Translation into Greek',
    });
    expect((await api.request('GET', `/reviews/${id}`)).json.openExtensionRequests).toBe(1);
    // A viewer reads the requests and cannot decide them.
    expect(
      (await api.request('GET', `/reviews/${id}/extension-requests`, { token: 'local-viewer' })).status,
    ).toBe(200);
    expect(
      (
        await api.request('POST', `/reviews/${id}/extension-requests/${requests[0].id}/decision`, {
          token: 'local-viewer',
          body: { decision: 'approve', reason: 'ok' },
        })
      ).status,
    ).toBe(403);

    const decided = await api.request(
      'POST',
      `/reviews/${id}/extension-requests/${requests[0].id}/decision`,
      {
        body: { decision: 'approve', reason: 'Translation takes time' },
      },
    );
    expect(decided.status).toBe(200);
    expect(decided.json.deadline).toBe(wanted);
    await settle();
    expect(
      (
        await api.request('POST', `/reviews/${id}/extension-requests/${requests[0].id}/decision`, {
          body: { decision: 'decline', reason: 'again' },
        })
      ).json.error,
    ).toBe('EXTENSION_REQUEST_CLOSED');

    const answer = await latestTo(id, people.GRC.email, 'extension_decision');
    expect(answer.subject).toContain('GRC-C2-');
    expect(answer.text).toContain('Translation takes time');
    expect(answer.attachments.map((a) => a.contentType.split(';')[0])).toContain('text/calendar');
    // Greece hears it once: in the answer, not in a second "deadline changed" notice.
    expect(
      (await mailbox(id)).filter((m) => m.to.includes(people.GRC.email) && m.kind === 'deadline_changed'),
    ).toEqual([]);
    const types = (await history(id)).map((e) => e.type);
    expect(types).toContain('extension_requested');
    expect(types).toContain('extension_decided');
    const ledger = (await api.request('GET', `/reviews/${id}`)).json.ledger;
    expect(ledger.at(-1)).toMatchObject({ kind: 'extension', oldDeadline: deadline, newDeadline: wanted });

    // The page now says what the Secretariat decided, and offers a new request.
    const after = await page(link);
    expect(after.status).toBe(200);
    expect(after.html).toContain('name="deadline"');
  });

  it('refuses a link with one character changed, and records nothing', async () => {
    const { id } = await aReview();
    const link = linkIn(await latestTo(id, people.GRC.email, 'stage_notice'));
    const before = await history(id);
    const token = link.slice('/respond/'.length);
    const i = Math.floor(token.length / 2);
    const altered = `/respond/${token.slice(0, i)}${token[i] === 'A' ? 'B' : 'A'}${token.slice(i + 1)}`;
    const refused = await page(altered);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
    const posted = await api.request('POST', altered, {
      token: null,
      rawBody: 'action=acknowledge&csrf=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(posted.status).toBe(403);
    for (const junk of ['/respond/x', `/respond/${token}x`, `/respond/${'A'.repeat(300)}`, '/respond/%00']) {
      expect((await page(junk)).status, junk).toBe(403);
    }
    await settle();
    expect(await history(id)).toEqual(before);
  });

  it('refuses the link of a focal point since replaced (403), and the new one gets a link of their own', async () => {
    const { id } = await aReview();
    const old = linkIn(await latestTo(id, people.AUT.email, 'stage_notice'));
    const replaced = await api.request('PUT', `/reviews/${id}/focal-points/AUT`, {
      body: { name: 'Franz Weber', email: 'franz@example.at', language: 'en' },
    });
    expect(replaced.status).toBe(200);
    await settle();
    const before = await history(id);
    expect((await page(old)).status).toBe(403);
    expect((await submit(old, { action: 'acknowledge' }, { csrf: 'x' })).status).toBe(403);
    const fresh = linkIn(await latestTo(id, 'franz@example.at', 'stage_notice'));
    expect(fresh).not.toBe(old);
    expect((await page(fresh)).status).toBe(200);
    expect(await history(id)).toEqual(before);
  });

  it("acknowledges once per person, refuses a form without the page's own field, and lets an expert only acknowledge", async () => {
    const { id } = await aReview();
    const link = linkIn(await latestTo(id, people.GRC.email, 'stage_notice'));
    // A form posted from another site has no csrf value of this page's.
    expect((await submit(link, { action: 'acknowledge' }, { csrf: null })).status).toBe(403);
    expect((await submit(link, { action: 'acknowledge' }, { csrf: 'forged' })).status).toBe(403);
    expect((await history(id)).filter((e) => e.type === 'acknowledged')).toEqual([]);
    expect((await submit(link, { action: 'acknowledge' })).status).toBe(200);
    expect((await submit(link, { action: 'acknowledge' })).status).toBe(200);
    const acks = (await history(id)).filter((e) => e.type === 'acknowledged');
    expect(acks).toEqual([expect.objectContaining({ state: 'GRC', by: 'GRC/focal_point' })]);
    expect((await api.request('GET', `/reviews/${id}`)).json.acknowledgements).toEqual([
      expect.objectContaining({ state: 'GRC', who: 'focal_point' }),
    ]);

    const expertLink = linkIn(await latestTo(id, expert.email, 'stage_notice'));
    expect(expertLink).not.toBe(link);
    const expertPage = await page(expertLink);
    expect(expertPage.html).toContain('<html lang="es"');
    expect(expertPage.html).not.toContain('name="deadline"');
    expect((await submit(expertLink, { action: 'report' })).status).toBe(400);
    expect((await submit(expertLink, { action: 'acknowledge' })).status).toBe(200);
    expect((await history(id)).filter((e) => e.type === 'acknowledged')).toHaveLength(2);
    expect((await history(id)).filter((e) => e.type === 'submission_reported')).toEqual([]);

    // A reviewing State owes nothing in the self-assessment: its focal point may only acknowledge.
    const austria = await page(linkIn(await latestTo(id, people.AUT.email, 'stage_notice')));
    expect(austria.html).toContain('<html lang="fr"');
    expect(austria.html).not.toContain('value="report"');
    const brazil = await page(linkIn(await latestTo(id, people.BRA.email, 'stage_notice')));
    expect(brazil.html).toMatch(/<html lang="ar" dir="rtl"/);
  });

  it('holds the reminders to a State that reported its submission sent, for 14 days, until the Secretariat records or rejects it', async () => {
    const { id, deadline } = await aReview();
    const link = linkIn(await latestTo(id, people.GRC.email, 'stage_notice'));
    // Five days before the 90-day reminder, Greece says it has sent the questionnaire.
    await clockTo(addDays(deadline, -95));
    const reported = await submit(link, { action: 'report' });
    expect(reported.status).toBe(200);
    const review = (await api.request('GET', `/reviews/${id}`)).json;
    expect(review.owing).toEqual(['GRC']);
    expect(review.reports).toEqual([expect.objectContaining({ state: 'GRC' })]);
    await clockTo(addDays(deadline, -89));
    const reminders = (await api.request('GET', `/reviews/${id}/notifications`)).json.items.filter(
      (n: { kind: string; offsetDays: number }) => n.kind === 'reminder' && n.offsetDays === -90,
    );
    expect(reminders).toHaveLength(1);
    expect(reminders[0].deliveries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          recipient: 'GRC',
          status: 'skipped',
          reason: expect.stringContaining('reported'),
        }),
      ]),
    );
    expect((await mailbox(id)).filter((m) => m.kind === 'reminder')).toEqual([]);
    // The Secretariat has not received it: it rejects the report, and the next reminder goes out.
    expect((await api.request('DELETE', `/reviews/${id}/submissions/GRC`)).status).toBe(200);
    expect((await history(id)).map((e) => e.type)).toContain('submission_report_rejected');
    await clockTo(addDays(deadline, -30));
    expect(
      (await mailbox(id)).filter((m) => m.kind === 'reminder' && m.to.includes(people.GRC.email)),
    ).toHaveLength(1);
  });

  it('expires with the stage: a link of a stage left behind gets 410, as one past its expiry', async () => {
    const { id, deadline } = await aReview();
    const link = linkIn(await latestTo(id, people.GRC.email, 'stage_notice'));
    expect(
      (await api.request('POST', `/reviews/${id}/transitions`, { body: { to: 'desk_review' } })).status,
    ).toBe(200);
    await settle();
    expect((await page(link)).status).toBe(410);
    const next = linkIn(await latestTo(id, people.AUT.email, 'stage_notice'));
    expect((await page(next)).status).toBe(200);
    const desk = (await api.request('GET', `/reviews/${id}`)).json.deadline as string;
    expect(desk >= deadline).toBe(true);
    await clockTo(addDays(desk, 61));
    expect((await page(next)).status).toBe(410);
  });

  it('limits requests per link, and a link made before a rotation of the secret still works', async () => {
    const { id } = await aReview();
    const link = linkIn(await latestTo(id, people.BRA.email, 'stage_notice'));
    const other = linkIn(await latestTo(id, people.AUT.email, 'stage_notice'));
    // Rotate the signing secret as the README says (put-secret-value): AWSPREVIOUS keeps the old one.
    const [secret] = resourcesOfType(api.runtime.templates, 'AWS::SecretsManager::Secret');
    if (!secret) throw new Error('no secret in the template');
    const name = String(secret.resource.Properties?.Name ?? `${secret.stackName}-${secret.logicalId}`);
    const client = new SecretsManagerClient({
      region: api.runtime.emulators.region,
      endpoint: process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER,
      credentials: api.runtime.emulators.credentials,
    });
    await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'r'.repeat(64) }));
    client.destroy();
    expect((await page(link)).status).toBe(200);
    let status = 200;
    let retryAfter: string | null = null;
    for (let i = 0; i < 40 && status === 200; i++) {
      const res = await page(link);
      status = res.status;
      retryAfter = res.headers.get('retry-after');
    }
    expect(status).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // Another person's link is counted apart.
    expect((await page(other)).status).toBe(200);
  });

  it('answers a page, not a JSON error, when DynamoDB stalls, and a retry then records once', async () => {
    const { id } = await aReview();
    const link = linkIn(await latestTo(id, people.GRC.email, 'stage_notice'));
    const csrf = hidden((await page(link)).html, 'csrf') ?? '';
    const form = new URLSearchParams({ csrf, action: 'acknowledge' }).toString();
    const post = () =>
      api.request('POST', link, {
        token: null,
        rawBody: form,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      });
    api.runtime.emulators.signal('dynamodb', 'SIGSTOP');
    let stalled: Awaited<ReturnType<typeof post>>;
    try {
      stalled = await post();
    } finally {
      api.runtime.emulators.signal('dynamodb', 'SIGCONT');
    }
    expect(stalled.status).toBe(503);
    expect(stalled.headers.get('content-type')).toMatch(/^text\/html/);
    expect(Number(stalled.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await post()).status).toBe(200);
    await settle();
    expect((await history(id)).filter((e) => e.type === 'acknowledged')).toHaveLength(1);
  });

  it('records one request and one acknowledgement when the same forms come all at once', async () => {
    const { id, deadline } = await aReview();
    const link = linkIn(await latestTo(id, people.GRC.email, 'stage_notice'));
    const csrf = hiddenField((await page(link)).html, 'csrf') ?? '';
    const post = (fields: Record<string, string>) =>
      api.request('POST', link, {
        token: null,
        rawBody: new URLSearchParams({ csrf, ...fields }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      });
    const answers = await Promise.all([
      ...Array.from({ length: 12 }, (_, i) =>
        post({ action: 'extension', deadline: addDays(deadline, 10 + i), reason: `try ${i}` }),
      ),
      ...Array.from({ length: 6 }, () => post({ action: 'acknowledge' })),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    }
    await settle();
    expect((await api.request('GET', `/reviews/${id}/extension-requests`)).json.items).toHaveLength(1);
    expect((await history(id)).filter((e) => e.type === 'acknowledged')).toHaveLength(1);
  });

  it('never answers a 5xx, whatever comes as a token or a form', async () => {
    const { id } = await aReview();
    const link = linkIn(await latestTo(id, people.GRC.email, 'stage_notice'));
    const csrf = hidden((await page(link)).html, 'csrf') ?? '';
    const before = await history(id);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constant(link),
          fc.string({ maxLength: 80 }).map((s) => `/respond/${encodeURIComponent(s)}`),
        ),
        fc.dictionary(
          fc.constantFrom('action', 'csrf', 'deadline', 'reason', '__proto__', 'constructor', 'x'),
          fc.oneof(
            fc.string({ maxLength: 40 }),
            fc.constantFrom(
              'acknowledge',
              'report',
              'extension',
              '2100-12-31',
              '2101-01-01',
              '0000-00-00',
              csrf,
            ),
          ),
        ),
        fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain'),
        async (path, fields, contentType) => {
          const body =
            contentType === 'application/json'
              ? JSON.stringify(fields)
              : new URLSearchParams(fields).toString();
          const res = await api.request('POST', path, {
            token: null,
            rawBody: body,
            headers: { 'content-type': contentType },
          });
          expect(res.status, `${path} ${body}`).toBeLessThan(500);
        },
      ),
      { numRuns: 60 },
    );
    await settle();
    // What the fuzz may have done is only what the page allows: acknowledge, report, ask.
    const added = (await history(id)).slice(before.length).map((e) => e.type);
    for (const type of added)
      expect(['acknowledged', 'submission_reported', 'extension_requested']).toContain(type);
  });
});
