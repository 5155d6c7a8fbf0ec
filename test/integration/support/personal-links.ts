import { expect } from 'vitest';
import type { ApiClient } from './local-client.ts';

/**
 * What the focal-point page's tests share (DESIGN §10): the local mailbox read as a focal point
 * reads it, the personal link taken from a real mail, and the page's forms sent as a browser
 * sends them (the page first, its hidden `csrf` field, then the form, url-encoded).
 */

/** A mail in the local mailbox, as these tests read it. */
export interface Mail {
  id: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  kind?: string;
  reviewId?: string;
  attachments: { filename: string; contentType: string }[];
}

/** A personal link on a line of its own, as the text of every focal-point mail carries it. */
const PERSONAL_LINK = /^https?:\/\/\S+\/respond\/[A-Za-z0-9_-]+$/gm;

/** Waits until streams and queues are drained, so every mail due is in the mailbox. */
export async function settle(api: ApiClient): Promise<void> {
  expect((await api.request('POST', '/_local/settle')).json.settled).toBe(true);
}

/** The review's mail to `address` (of one kind when given), oldest first. */
export async function mailsTo(
  api: ApiClient,
  reviewId: string,
  address: string,
  kind?: string,
): Promise<Mail[]> {
  const messages = (await api.request('GET', '/_local/mailbox')).json.messages as Mail[];
  return messages.filter(
    (m) => m.reviewId === reviewId && m.to.includes(address) && (kind === undefined || m.kind === kind),
  );
}

/** The one personal link of a mail: its path (`/respond/<token>`), also found as the HTML's link. */
export function linkIn(mail: Mail | undefined): string {
  const links = mail?.text.match(PERSONAL_LINK) ?? [];
  expect(links, mail?.text).toHaveLength(1);
  const link = links[0] ?? '';
  if (mail?.html) expect(mail.html).toContain(`href="${link}"`);
  return new URL(link).pathname;
}

/**
 * The personal link of the stage notices a focal point received: one link however many copies
 * came (a notice delivered again carries the same link).
 */
export async function stageNoticeLink(api: ApiClient, reviewId: string, address: string): Promise<string> {
  const notices = await mailsTo(api, reviewId, address, 'stage_notice');
  expect(notices.length).toBeGreaterThan(0);
  const links = new Set(notices.map(linkIn));
  expect([...links]).toHaveLength(1);
  return [...links][0] ?? '';
}

/** The value of one of a page's hidden fields. */
export const hiddenField = (html: string, name: string): string | undefined =>
  html.match(new RegExp(`name="${name}" value="([^"]*)"`))?.[1];

/** A page as a browser gets it, without a token. */
export async function openPage(api: ApiClient, path: string) {
  const res = await api.request('GET', path, { token: null, headers: { accept: 'text/html' } });
  return { status: res.status, headers: res.headers, html: String(res.json ?? '') };
}

/**
 * Sends one of the page's forms as the browser would: its hidden `csrf` field (or the one given,
 * `null` for none), form-encoded; settled afterwards, as the mail it causes would go.
 */
export async function submitForm(
  api: ApiClient,
  path: string,
  fields: Record<string, string>,
  options: { csrf?: string | null } = {},
) {
  const csrf =
    options.csrf === undefined ? hiddenField((await openPage(api, path)).html, 'csrf') : options.csrf;
  const form = new URLSearchParams({ ...(csrf === null ? {} : { csrf: csrf ?? '' }), ...fields });
  const res = await api.request('POST', path, {
    token: null,
    rawBody: form.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
  });
  await settle(api);
  return { status: res.status, headers: res.headers, html: String(res.json ?? '') };
}

/** A focal point as a review registers one. */
type Person = { name: string; email: string; language: string };

/**
 * Greece under review by Austria and Brazil, launched today and moved to the self-assessment, in
 * which Greece owes and the others do not; settled, so the stage notices are in the mailbox.
 */
export async function aReviewInSelfAssessment(
  api: ApiClient,
  people: Record<'GRC' | 'AUT' | 'BRA', Person>,
  options: { today: string; experts?: Person[]; deadline?: string },
): Promise<{ id: string; reference: string; deadline: string }> {
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
      launchedAt: options.today,
      focalPoints: people,
    },
  });
  expect(created.status).toBe(201);
  const id = created.json.id as string;
  if (options.experts) {
    const set = await api.request('PUT', `/reviews/${id}/experts/GRC`, {
      body: { experts: options.experts },
    });
    expect(set.status).toBe(200);
  }
  const moved = await api.request('POST', `/reviews/${id}/transitions`, {
    body: { to: 'self_assessment', ...(options.deadline ? { deadline: options.deadline } : {}) },
  });
  expect(moved.status).toBe(200);
  await settle(api);
  return { id, reference: created.json.reference, deadline: moved.json.deadline };
}
