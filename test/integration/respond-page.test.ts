import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '#shared/domain/calendar.ts';
import { formatDeadline } from '#shared/email/format-deadline.ts';
import {
  type AccessibilityViolation,
  browserForFile,
  type ConsolePage,
  checkAccessibility,
  type PageOptions,
  problemsBut,
  saveScreenshot,
} from './console/support/browser.ts';
import { type ApiClient, startLocalClient } from './support/local-client.ts';
import { aReviewInSelfAssessment, settle as settleLocal, stageNoticeLink } from './support/personal-links.ts';

/**
 * The focal-point page (DESIGN §10) as a focal point meets it: the link taken from a real stage
 * notice in local mode's mailbox and opened in headless Chromium with JavaScript off, its forms
 * filled by their labels and sent by their buttons, in French and in Arabic. What the page did is
 * read back through the Secretariat's API. axe needs script to run, so it gets pages of its own
 * with JavaScript on (the page ships none, so they are the same pages).
 */

const TZ = 'Europe/Vienna';
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
  GRC: { name: 'Eleni Papadopoulou', email: 'eleni@example.gr', language: 'fr' },
  AUT: { name: 'Anna Huber', email: 'anna@example.at', language: 'ar' },
  BRA: { name: 'João Silva', email: 'joao@example.br', language: 'en' },
};

/** What the French and Arabic pages say, as a focal point reads it. */
const FR = {
  reviewLabel: 'Examen',
  stageLabel: 'Étape en cours',
  deadlineLabel: 'Date limite',
  newDeadline: 'Nouvelle date limite proposée',
  reason: 'Motif de la demande',
  send: 'Envoyer la demande',
  acknowledge: 'Accuser réception',
  report: 'Nous avons transmis notre contribution',
};
const AR = { acknowledge: 'الإقرار بالاستلام' };

interface ReviewUnderTest {
  id: string;
  reference: string;
  deadline: string;
  /** The stage's name in French, as the process's words give it. */
  stageFr: string;
  /** Each State's focal point's personal link, from their stage notice. */
  links: Record<'GRC' | 'AUT' | 'BRA', string>;
}

const settle = () => settleLocal(api);
/** The focal point's personal link, from their stage notice, as the browser opens it. */
const linkMailedTo = async (reviewId: string, address: string) =>
  `${api.runtime.url}${await stageNoticeLink(api, reviewId, address)}`;

/** Greece under review by Austria and Brazil, moved to the self-assessment: Greece owes, the others do not. */
async function aReviewUnderTest(): Promise<ReviewUnderTest> {
  const moved = await aReviewInSelfAssessment(api, people, {
    today: localDate(api.runtime.now().toISOString(), TZ),
  });
  const id = moved.id;
  const review = (await api.request('GET', `/reviews/${id}`)).json;
  const process = (await api.request('GET', '/processes')).json.items.find(
    (p: { id: string }) => p.id === review.process,
  );
  return {
    id,
    reference: review.reference,
    deadline: moved.deadline,
    stageFr: process.text.fr.stages.self_assessment,
    links: {
      GRC: await linkMailedTo(id, people.GRC.email),
      AUT: await linkMailedTo(id, people.AUT.email),
      BRA: await linkMailedTo(id, people.BRA.email),
    },
  };
}

async function extensionRequests(
  id: string,
): Promise<{ requestedDeadline: string; reason: string; status: string }[]> {
  const response = await api.request('GET', `/reviews/${id}/extension-requests`);
  expect(response.status).toBe(200);
  return response.json.items;
}
async function historyTypes(id: string): Promise<string[]> {
  return (await api.request('GET', `/reviews/${id}/history`)).json.items.map((e: { type: string }) => e.type);
}

/** A page as a focal point's browser has it: JavaScript off, since the page must work without it. */
function focalPointPage(viewport: PageOptions['viewport'] = 'desktop'): Promise<ConsolePage> {
  return chromium.page(api.runtime.url, { viewport, javaScript: false });
}

/** Opens a link and returns the document's status. */
async function open(page: Page, link: string): Promise<number> {
  const response = await page.goto(link);
  if (!response) throw new Error(`no response for ${link}`);
  return response.status();
}

/** Sends a form by clicking its button; returns the status of the page the POST answered with. */
async function send(page: Page, button: string): Promise<number> {
  const answered = page.waitForResponse(
    (r: Response) => r.request().isNavigationRequest() && r.request().method() === 'POST',
  );
  await page.getByRole('button', { name: button, exact: true }).click();
  const status = (await answered).status();
  await page.waitForLoadState();
  await settle();
  return status;
}

/** The page's label/value list: label → value. */
function details(page: Page): Promise<Record<string, string>> {
  return page
    .locator('main > dl')
    .first()
    .evaluate((dl) =>
      Object.fromEntries(
        [...dl.querySelectorAll('dt')].map((dt) => [
          dt.textContent ?? '',
          dt.nextElementSibling?.textContent ?? '',
        ]),
      ),
    );
}

/** What the status banner says (empty when there is none). */
async function banner(page: Page): Promise<string> {
  const status = page.getByRole('status');
  return (await status.count()) === 1 ? ((await status.textContent()) ?? '').trim() : '';
}

/** Where the heading's text and the first button sit within the main column's content box. */
function layoutOf(page: Page) {
  // The callbacks run in the page: its document is reached from the element they are given.
  return page.locator('main').evaluate((main) => {
    const doc = main.ownerDocument;
    const h1 = main.querySelector('h1');
    const footer = doc.querySelector('footer p');
    const button = main.querySelector('button');
    if (!h1 || !button || !footer) throw new Error('the page has no h1, button or footer');
    const style = doc.defaultView.getComputedStyle(main);
    const box = main.getBoundingClientRect();
    const text = doc.createRange();
    text.selectNodeContents(h1);
    const words = text.getBoundingClientRect();
    const control = button.getBoundingClientRect();
    const below = footer.getBoundingClientRect();
    return {
      direction: style.direction,
      viewport: doc.documentElement.clientWidth,
      main: { left: box.left, right: box.right },
      content: {
        left: box.left + Number.parseFloat(style.paddingLeft),
        right: box.right - Number.parseFloat(style.paddingRight),
      },
      heading: { left: words.left, right: words.right },
      button: { left: control.left, right: control.right },
      footer: { left: below.left, right: below.right },
    };
  });
}

/** A refusal the test asks for: its response, and the line Chromium logs for it. */
function meant(status: 400 | 403, method: 'GET' | 'POST'): RegExp[] {
  return [new RegExp(`^HTTP ${status}: ${method} `), new RegExp(`^console error: .* status of ${status} `)];
}

/** The page's own problems but those it was meant to have, and any request to another origin. */
function unexpectedProblems(page: ConsolePage, expected: RegExp[] = []): string[] {
  return [...problemsBut(page, expected), ...page.foreignRequests];
}

describe('the focal-point page in Chromium, without JavaScript (DESIGN §10)', () => {
  /** The French flow acts on this one; `fresh` stays as mailed (its forms record nothing). */
  let review: ReviewUnderTest;
  let fresh: ReviewUnderTest;
  beforeAll(async () => {
    review = await aReviewUnderTest();
    fresh = await aReviewUnderTest();
  });

  it("shows a French focal point their review and records one extension request, however often it's sent", async () => {
    const first = await focalPointPage();
    // The same page open twice (the link clicked twice in the mail): the second tab keeps the form.
    const second = await focalPointPage();
    const wanted = addDays(review.deadline, 30);
    const reason = 'Traduction du questionnaire en grec';

    expect(await open(first.page, review.links.GRC)).toBe(200);
    expect(await first.page.locator('html').getAttribute('lang')).toBe('fr');
    expect(await first.page.getByRole('heading', { level: 1 }).textContent()).toContain(review.reference);
    expect(await details(first.page)).toMatchObject({
      [FR.reviewLabel]: review.reference,
      [FR.stageLabel]: review.stageFr,
      [FR.deadlineLabel]: formatDeadline(review.deadline, 'fr', TZ),
    });
    expect(await banner(first.page)).toBe('');
    await saveScreenshot(first.page, 'respond-page-fr');
    expect(await open(second.page, review.links.GRC)).toBe(200);

    await first.page.getByLabel(FR.newDeadline).fill(wanted);
    await first.page.getByLabel(FR.reason).fill(reason);
    expect(await send(first.page, FR.send)).toBe(200);
    expect(await banner(first.page)).not.toBe('');
    expect(await first.page.getByLabel(FR.newDeadline).count()).toBe(0);
    expect(await first.page.getByRole('button', { name: FR.send }).count()).toBe(0);
    expect(await extensionRequests(review.id)).toEqual([
      expect.objectContaining({ requestedDeadline: wanted, reason, status: 'open' }),
    ]);

    // Back: the page is not cached (no-store), so it is fetched again, and offers no second request.
    await first.page.goBack();
    expect(await first.page.getByLabel(FR.newDeadline).count()).toBe(0);
    // The form still open in the other tab, sent as it was: the page says so, nothing more is recorded.
    await second.page.getByLabel(FR.newDeadline).fill(wanted);
    await second.page.getByLabel(FR.reason).fill(reason);
    expect(await send(second.page, FR.send)).toBe(200);
    expect(await banner(second.page)).not.toBe('');
    expect(await second.page.getByLabel(FR.newDeadline).count()).toBe(0);
    expect(await extensionRequests(review.id)).toHaveLength(1);

    // Acknowledging: once by the button, once more from the other tab's stale page.
    expect(await send(first.page, FR.acknowledge)).toBe(200);
    expect(await banner(first.page)).not.toBe('');
    expect(await first.page.getByRole('button', { name: FR.acknowledge }).count()).toBe(0);
    expect((await historyTypes(review.id)).filter((t) => t === 'acknowledged')).toHaveLength(1);
    expect(await send(second.page, FR.acknowledge)).toBe(200);
    expect(await banner(second.page)).not.toBe('');
    expect((await historyTypes(review.id)).filter((t) => t === 'acknowledged')).toHaveLength(1);
    expect((await historyTypes(review.id)).filter((t) => t === 'extension_requested')).toHaveLength(1);

    expect(unexpectedProblems(first)).toEqual([]);
    expect(unexpectedProblems(second)).toEqual([]);
  });

  it('sends an invalid extension form back with status 400, the error by its field, the values kept, and records nothing', async () => {
    const other = fresh;
    const form = await focalPointPage();
    const { page } = form;
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') posts.push(request.url());
    });
    expect(await open(page, other.links.GRC)).toBe(200);
    const date = page.getByLabel(FR.newDeadline);
    const reason = page.getByLabel(FR.reason);

    // An empty reason: the browser itself holds the form back (the field is required).
    await date.fill(addDays(other.deadline, 10));
    await page.getByRole('button', { name: FR.send, exact: true }).click();
    expect(await reason.evaluate((field): boolean => field.validity.valueMissing)).toBe(true);
    expect(posts).toEqual([]);

    // A reason of spaces only passes the browser's check, not the page's.
    await reason.fill('   ');
    expect(await send(page, FR.send)).toBe(400);
    expect(await reason.getAttribute('aria-invalid')).toBe('true');
    expect(await date.getAttribute('aria-invalid')).toBeNull();
    expect(await date.inputValue()).toBe(addDays(other.deadline, 10));
    expect(await errorBesideField(page, 'reason')).not.toBe('');
    expect(await page.getByRole('alert').getByRole('link').count()).toBe(1);

    // A date not after the deadline, sent as a browser that does not check forms sends it.
    await date.fill(other.deadline);
    await reason.fill('Élections législatives');
    await page.locator('form:has(#reason)').evaluate((extension) => {
      extension.noValidate = true;
    });
    expect(await send(page, FR.send)).toBe(400);
    expect(await date.getAttribute('aria-invalid')).toBe('true');
    expect(await reason.getAttribute('aria-invalid')).toBeNull();
    expect(await date.inputValue()).toBe(other.deadline);
    expect(await reason.inputValue()).toBe('Élections législatives');
    expect(await errorBesideField(page, 'deadline')).not.toBe('');

    expect(await extensionRequests(other.id)).toEqual([]);
    expect(await historyTypes(other.id)).not.toContain('extension_requested');
    expect(unexpectedProblems(form, meant(400, 'POST'))).toEqual([]);
  });

  it('lays out right to left for an Arabic focal point, whose State owes nothing and who may only acknowledge', async () => {
    const arabic = await focalPointPage();
    expect(await open(arabic.page, review.links.AUT)).toBe(200);
    const html = arabic.page.locator('html');
    expect([await html.getAttribute('lang'), await html.getAttribute('dir')]).toEqual(['ar', 'rtl']);
    expect(await arabic.page.locator('form').count()).toBe(1);
    expect(await arabic.page.getByRole('button').allTextContents()).toEqual([AR.acknowledge]);
    expect(await arabic.page.locator('input[name=deadline], input[value=report]').count()).toBe(0);
    expect(await arabic.page.getByRole('heading', { level: 1 }).textContent()).toContain(review.reference);

    const layout = await layoutOf(arabic.page);
    expect(layout.direction).toBe('rtl');
    // The column is centred; within it the heading and the button start on the right.
    expect(layout.viewport).toBe(1280);
    expect(Math.abs(layout.main.left - (layout.viewport - layout.main.right))).toBeLessThan(2);
    expect(Math.abs(layout.heading.right - layout.content.right)).toBeLessThan(2);
    expect(layout.heading.left - layout.content.left).toBeGreaterThan(50);
    expect(Math.abs(layout.button.right - layout.content.right)).toBeLessThan(2);
    // The footer below the card: its text lines up with the card's.
    expect(Math.abs(layout.footer.right - layout.content.right)).toBeLessThan(2);
    await saveScreenshot(arabic.page, 'respond-page-ar');

    // The French page, as a contrast: the same column, read from the left.
    const french = await focalPointPage();
    expect(await open(french.page, review.links.GRC)).toBe(200);
    const ltr = await layoutOf(french.page);
    expect(ltr.direction).toBe('ltr');
    expect(Math.abs(ltr.heading.left - ltr.content.left)).toBeLessThan(2);
    expect(Math.abs(ltr.footer.left - ltr.content.left)).toBeLessThan(2);

    expect(unexpectedProblems(arabic)).toEqual([]);
    expect(unexpectedProblems(french)).toEqual([]);
  });

  it('refuses a link with one character changed with a clear page in English, and records nothing', async () => {
    const before = await historyTypes(review.id);
    const refused = await focalPointPage();
    expect(await open(refused.page, altered(review.links.GRC))).toBe(403);
    expect(await refused.page.locator('html').getAttribute('lang')).toBe('en');
    const heading = await refused.page.getByRole('heading', { level: 1 }).textContent();
    expect(heading).toMatch(/not valid/i);
    expect(await refused.page.locator('form').count()).toBe(0);
    await settle();
    expect(await historyTypes(review.id)).toEqual(before);
    expect(unexpectedProblems(refused, meant(403, 'GET'))).toEqual([]);
  });

  it('fits a phone: no sideways scrolling, and buttons at least 44 px tall', async () => {
    const phone = await focalPointPage('phone');
    expect(await open(phone.page, fresh.links.GRC)).toBe(200);
    const fit = await phone.page.locator('html').evaluate((html) => {
      const scroller = html.ownerDocument.scrollingElement ?? html;
      return {
        scrollWidth: Number(scroller.scrollWidth),
        clientWidth: Number(scroller.clientWidth),
        buttons: [...html.querySelectorAll('button')].map((b): number => b.getBoundingClientRect().height),
      };
    });
    expect(fit.clientWidth).toBe(390);
    expect(fit.scrollWidth).toBeLessThanOrEqual(fit.clientWidth);
    // Acknowledge, report and ask: all three forms are on this page.
    expect(fit.buttons).toHaveLength(3);
    for (const height of fit.buttons) expect(height).toBeGreaterThanOrEqual(44);
    expect(await phone.page.getByRole('button', { name: FR.report }).count()).toBe(1);
    expect(unexpectedProblems(phone)).toEqual([]);
  });

  it('has no serious or critical accessibility violation: in French, with field errors, in Arabic, and refused', async () => {
    // JavaScript on for axe alone: the page ships no script, so this is the same page.
    const checked = await chromium.page(api.runtime.url);
    const { page } = checked;
    const violations: AccessibilityViolation[] = [];

    expect(await open(page, fresh.links.GRC)).toBe(200);
    violations.push(...(await checkAccessibility(page, 'respond-fr')));
    await page.getByLabel(FR.newDeadline).fill(addDays(fresh.deadline, 10));
    await page.getByLabel(FR.reason).fill('   ');
    expect(await send(page, FR.send)).toBe(400);
    violations.push(...(await checkAccessibility(page, 'respond-fr-errors')));
    expect(await open(page, fresh.links.AUT)).toBe(200);
    violations.push(...(await checkAccessibility(page, 'respond-ar')));
    expect(await open(page, altered(fresh.links.GRC))).toBe(403);
    violations.push(...(await checkAccessibility(page, 'respond-refused')));

    expect(violations).toEqual([]);
    // With script on, the CSP listener runs too: the page's one style passes its hash, nothing is blocked.
    expect(unexpectedProblems(checked, [...meant(400, 'POST'), ...meant(403, 'GET')])).toEqual([]);
  });
});

/** The error shown by a field: the paragraph just before it, which the field names as its description. */
function errorBesideField(page: Page, field: 'deadline' | 'reason'): Promise<string> {
  return page.locator(`#${field}`).evaluate((input) => {
    const error = input.previousElementSibling;
    const describedBy = (input.getAttribute('aria-describedby') ?? '').split(' ');
    if (!error?.classList.contains('error') || !describedBy.includes(error.id)) return '';
    return error.textContent ?? '';
  });
}

/** The link with one character of its token changed. */
function altered(link: string): string {
  const url = new URL(link);
  const token = url.pathname.slice('/respond/'.length);
  const i = Math.floor(token.length / 2);
  url.pathname = `/respond/${token.slice(0, i)}${token[i] === 'A' ? 'B' : 'A'}${token.slice(i + 1)}`;
  return url.toString();
}
