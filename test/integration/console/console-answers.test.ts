import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '#shared/domain/calendar.ts';
import { formatDate } from '../../../console/src/format.ts';
import { type ApiClient, startLocalClient } from '../support/local-client.ts';
import {
  aReviewInSelfAssessment,
  mailsTo as mailsOf,
  stageNoticeLink as noticeLink,
  settle as settleLocal,
  submitForm,
} from '../support/personal-links.ts';
import {
  browserForFile,
  type ConsolePage,
  checkAccessibility,
  problemsBut,
  saveScreenshot,
} from './support/browser.ts';

/**
 * What focal points answer from the mail, seen and decided in the Secretariat console (DESIGN §10):
 * a focal point's personal link taken from a real stage notice and its forms sent as a browser
 * sends them; then the officer (and a viewer) in headless Chromium. What the page does is checked
 * against the API and the mailbox, never against the page alone.
 */

let api: ApiClient;
const chromium = browserForFile();

beforeAll(async () => {
  api = await startLocalClient();
});
afterAll(async () => {
  await chromium.close();
  await api?.runtime.stop();
});

const people = {
  GRC: { name: 'Eleni Papadopoulou', email: 'eleni@example.gr', language: 'en' },
  AUT: { name: 'Anna Huber', email: 'anna@example.at', language: 'fr' },
  BRA: { name: 'João Silva', email: 'joao@example.br', language: 'ar' },
};
const expert = { name: 'Nikos Georgiou', email: 'nikos@example.gr', language: 'es' };

const settle = () => settleLocal(api);
const mailsTo = (reviewId: string, address: string, kind: string) => mailsOf(api, reviewId, address, kind);
const stageNoticeLink = (reviewId: string, address: string) => noticeLink(api, reviewId, address);
/** Sends one of the personal page's forms as a browser would; it must be taken. */
async function answer(link: string, fields: Record<string, string>): Promise<void> {
  const sent = await submitForm(api, link, fields);
  expect(sent.status, sent.html).toBe(200);
}

/** The review as the API has it now. */
async function reviewNow(id: string) {
  const response = await api.request('GET', `/reviews/${id}`);
  expect(response.status).toBe(200);
  return response.json;
}
async function requestsNow(id: string) {
  const response = await api.request('GET', `/reviews/${id}/extension-requests`);
  expect(response.status).toBe(200);
  return response.json.items;
}

async function signIn(page: Page, role: 'Secretariat officer' | 'viewer'): Promise<void> {
  await page.goto(`${api.runtime.url}/console/`);
  await page.getByRole('button', { name: new RegExp(`^Sign in as ${role}`) }).click();
  await page.getByRole('heading', { level: 1, name: 'Reviews needing attention' }).waitFor();
}
/** An overview section by its heading ("Overdue (3)"). */
const section = (page: Page, title: string) =>
  page.locator('main section', {
    has: page.getByRole('heading', { level: 2, name: new RegExp(`^${title}`) }),
  });
const requestsSection = (page: Page) => page.locator('section[aria-labelledby="extensions-heading"]');
const answersSection = (page: Page) => page.locator('section[aria-labelledby="answers-heading"]');

describe("focal points' answers in the console", () => {
  let officer: ConsolePage;
  let id: string;
  let reference: string;
  let link: string;
  let wanted: string;

  it('marks the review on the overview when its focal point asks for an extension, and shows the request and the acknowledgements', async () => {
    const timeZone = (await api.request('GET', '/processes')).json.items[0].timeZone as string;
    const today = localDate(api.runtime.now().toISOString(), timeZone);
    // Due in ten days: the review is also in "Due within 14 days", where the badge marks it.
    const made = await aReviewInSelfAssessment(api, people, {
      today,
      experts: [expert],
      deadline: addDays(today, 10),
    });
    id = made.id;
    reference = made.reference;
    const deadline = made.deadline;
    wanted = addDays(deadline, 30);

    link = await stageNoticeLink(id, people.GRC.email);
    await answer(link, { action: 'extension', deadline: wanted, reason: 'Translation into Greek' });
    await answer(link, { action: 'acknowledge' });
    await answer(await stageNoticeLink(id, expert.email), { action: 'acknowledge' });
    expect((await reviewNow(id)).openExtensionRequests).toBe(1);

    officer = await chromium.page(`${api.runtime.url}/console/`);
    await signIn(officer.page, 'Secretariat officer');
    const waiting = section(officer.page, 'Extension requests waiting');
    await expect.poll(() => waiting.locator('tbody th a').allTextContents()).toEqual([reference]);
    const dueSoon = section(officer.page, 'Due within 14 days').locator('tbody tr', { hasText: reference });
    expect(await dueSoon.locator('.badge').textContent()).toBe('extension requested');
    expect(await checkAccessibility(officer.page, 'overview-extensions')).toEqual([]);
    await saveScreenshot(officer.page, 'overview-extensions');

    await waiting.getByRole('link', { name: reference }).click();
    await officer.page.getByRole('heading', { level: 1, name: new RegExp(reference) }).waitFor();
    const request = requestsSection(officer.page).getByRole('article', {
      name: `Greece asked for an extension to ${formatDate(wanted)}`,
    });
    await request.waitFor();
    const requestText = await request.textContent();
    expect(requestText).toContain('waiting for a decision');
    expect(requestText).toContain('Translation into Greek');
    expect(requestText).toContain(`Deadline then${formatDate(deadline)}`);
    expect(await officer.page.locator('dl.facts').first().textContent()).toContain(
      '1 request waiting for a decision',
    );

    const greece = answersSection(officer.page).locator('tbody tr', { hasText: 'Greece (GRC)' });
    const acknowledged = await greece.locator('td').textContent();
    expect(acknowledged).toMatch(/^the focal point, .+; the expert Nikos Georgiou, .+$/);
    expect(
      await answersSection(officer.page)
        .locator('tbody tr', { hasText: 'Austria' })
        .locator('td')
        .textContent(),
    ).toBe('not yet');

    const timeline = officer.page.locator('ol.timeline');
    await expect
      .poll(() => timeline.textContent())
      .toContain(
        `Greece's focal point asked for an extension to ${formatDate(wanted)}: “Translation into Greek”`,
      );
    expect(await timeline.textContent()).toContain("Greece's focal point acknowledged the stage");
    expect(await timeline.textContent()).toContain("Greece's expert Nikos Georgiou acknowledged the stage");
    expect(problemsBut(officer, [])).toEqual([]);
  });

  it('approves the request with a reason: the deadline moves, the request is approved, and the focal point is mailed the decision', async () => {
    const page = officer.page;
    const before = await reviewNow(id);
    await page.getByRole('button', { name: "Approve Greece's request" }).click();
    const form = page.getByRole('form', { name: "Approve Greece's request" });
    await form.waitFor();
    // The section with its decision form open, as an officer uses it.
    expect(await checkAccessibility(page, 'review-extension-request')).toEqual([]);
    await saveScreenshot(page, 'review-extension-request');

    await form.getByRole('textbox', { name: /^Reason/ }).fill('Translation takes time');
    await form.getByRole('button', { name: 'Confirm approval' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Extension approved: the deadline is now ${formatDate(wanted)}` })
      .waitFor();
    await expect.poll(() => page.locator('dl.facts').first().textContent()).toContain(formatDate(wanted));

    const after = await reviewNow(id);
    expect([after.deadline, after.version, after.openExtensionRequests]).toEqual([
      wanted,
      before.version + 1,
      0,
    ]);
    const [request] = await requestsNow(id);
    expect(request).toMatchObject({
      status: 'approved',
      decision: { reason: 'Translation takes time', newDeadline: wanted },
    });
    const item = requestsSection(page).getByRole('article', {
      name: `Greece asked for an extension to ${formatDate(wanted)}`,
    });
    await expect.poll(() => item.textContent()).toContain(`the deadline moved to ${formatDate(wanted)}`);
    expect(await requestsSection(page).getByRole('button').count()).toBe(0);

    await settle();
    const decisions = await mailsTo(id, people.GRC.email, 'extension_decision');
    expect(decisions).toHaveLength(1);
    expect(decisions[0]?.text).toContain('Translation takes time');
    await expect
      .poll(() => page.locator('ol.timeline').textContent())
      .toContain(`Greece's request for an extension to ${formatDate(wanted)} approved`);
    expect(problemsBut(officer, [])).toEqual([]);
  });

  it('declines a second request with a reason: the deadline stays and the focal point is told', async () => {
    const page = officer.page;
    const asked = addDays(wanted, 20);
    await answer(link, { action: 'extension', deadline: asked, reason: 'Parliamentary elections' });
    await page.reload();
    const request = requestsSection(page).getByRole('article', {
      name: `Greece asked for an extension to ${formatDate(asked)}`,
    });
    await request.waitFor();
    // The open one first, above the one decided.
    expect(await requestsSection(page).getByRole('article').first().getAttribute('class')).toBe(
      'request open',
    );

    await request.getByRole('button', { name: "Decline Greece's request" }).click();
    const form = page.getByRole('form', { name: "Decline Greece's request" });
    // Declining sets no deadline: the form asks for none.
    expect(await form.locator('input[type="date"]').count()).toBe(0);
    await form.getByRole('textbox', { name: /^Reason/ }).fill('The elections do not delay the replies');
    await form.getByRole('button', { name: 'Confirm decline' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Extension declined: the deadline stays ${formatDate(wanted)}` })
      .waitFor();

    const after = await reviewNow(id);
    expect([after.deadline, after.openExtensionRequests]).toEqual([wanted, 0]);
    const [declined] = await requestsNow(id);
    expect(declined).toMatchObject({
      requestedDeadline: asked,
      status: 'declined',
      decision: { reason: 'The elections do not delay the replies', newDeadline: null },
    });
    await settle();
    expect(await mailsTo(id, people.GRC.email, 'extension_decision')).toHaveLength(2);
    await expect
      .poll(() => page.locator('ol.timeline').textContent())
      .toContain(
        `Greece's request for an extension to ${formatDate(asked)} declined: the deadline stays ${formatDate(wanted)}`,
      );
    expect(problemsBut(officer, [])).toEqual([]);
  });

  it('shows a viewer the requests and no decision form', async () => {
    const asked = addDays(wanted, 40);
    await answer(link, { action: 'extension', deadline: asked, reason: 'Summer recess' });
    const viewer = await chromium.page(`${api.runtime.url}/console/`);
    await signIn(viewer.page, 'viewer');
    await section(viewer.page, 'Extension requests waiting').getByRole('link', { name: reference }).click();
    const request = requestsSection(viewer.page).getByRole('article', {
      name: `Greece asked for an extension to ${formatDate(asked)}`,
    });
    await request.waitFor();
    expect(await request.textContent()).toContain('waiting for a decision');
    expect(await requestsSection(viewer.page).getByRole('article').count()).toBe(3);
    expect(await viewer.page.locator('main button').count()).toBe(0);
    expect(await viewer.page.locator('main form').count()).toBe(0);
    expect(await checkAccessibility(viewer.page, 'review-extension-viewer')).toEqual([]);
    expect(problemsBut(viewer, [])).toEqual([]);
  });

  it('explains a 409 when the request was decided meanwhile, and shows it as it is', async () => {
    const page = officer.page;
    await page.reload();
    const open = (await requestsNow(id)).find((r: { status: string }) => r.status === 'open');
    await page.getByRole('button', { name: "Approve Greece's request" }).click();
    const form = page.getByRole('form', { name: "Approve Greece's request" });
    await form.getByRole('textbox', { name: /^Reason/ }).fill('Granted');
    // Another officer declines it while this page still shows it open.
    const meanwhile = await api.request('POST', `/reviews/${id}/extension-requests/${open.id}/decision`, {
      body: { decision: 'decline', reason: 'Decided by a colleague' },
    });
    expect(meanwhile.status).toBe(200);

    await form.getByRole('button', { name: 'Confirm approval' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Someone else changed this review' });
    await alert.waitFor();
    expect((await reviewNow(id)).deadline).toBe(wanted);
    const item = requestsSection(page).getByRole('article', {
      name: `Greece asked for an extension to ${formatDate(open.requestedDeadline)}`,
    });
    await expect.poll(() => item.textContent()).toContain('Decided by a colleague');
    expect(
      await requestsSection(page)
        .getByRole('button', { name: /^Approve/ })
        .count(),
    ).toBe(0);
    expect(
      problemsBut(officer, [/HTTP 409: POST .*\/decision$/, /status of 409 \(Conflict\) .*\/decision:0\)$/]),
    ).toEqual([]);
  });

  it('rejects a reported submission, then records the next report as received', async () => {
    const page = officer.page;
    await answer(link, { action: 'report' });
    const reported = (await reviewNow(id)).reports;
    expect(reported).toEqual([expect.objectContaining({ state: 'GRC' })]);
    await page.reload();
    const reports = answersSection(page).locator('ul.answers li', { hasText: 'Greece (GRC)' });
    await reports.waitFor();
    expect(await reports.textContent()).toContain(`held until ${formatDate(reported[0].holdUntil)}`);
    expect(
      await page
        .locator('section[aria-labelledby="submissions-heading"] tbody tr', { hasText: 'Greece' })
        .textContent(),
    ).toContain('reported as sent');

    await reports.getByRole('button', { name: 'Reject report of Greece' }).click();
    await page.getByRole('status').filter({ hasText: 'Report of Greece rejected' }).waitFor();
    const rejected = await reviewNow(id);
    expect([rejected.reports, rejected.owing]).toEqual([[], ['GRC']]);
    const types = (await api.request('GET', `/reviews/${id}/history`)).json.items.map(
      (e: { type: string }) => e.type,
    );
    expect(types.at(-1)).toBe('submission_report_rejected');
    await expect
      .poll(() => page.locator('ol.timeline').textContent())
      .toContain("Greece's report of a submission sent was rejected");

    await answer(link, { action: 'report' });
    await page.reload();
    await answersSection(page)
      .getByRole('button', { name: 'Record as received the submission of Greece' })
      .click();
    await page.getByRole('status').filter({ hasText: 'Submission of Greece recorded as received' }).waitFor();
    const recorded = await reviewNow(id);
    expect(recorded.submissions.map((s: { state: string }) => s.state)).toEqual(['GRC']);
    expect([recorded.reports, recorded.owing]).toEqual([[], []]);
    expect(await answersSection(page).getByRole('button').count()).toBe(0);
    expect(problemsBut(officer, [])).toEqual([]);
    expect(officer.foreignRequests).toEqual([]);
  });
});
