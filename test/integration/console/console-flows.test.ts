import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDate } from '../../../console/src/format.ts';
import { type ApiClient, importSampleCaseload, startLocalClient } from '../support/local-client.ts';
import {
  browserForFile,
  type ConsolePage,
  checkAccessibility,
  problemsBut,
  saveScreenshot,
} from './support/browser.ts';

/**
 * The Secretariat console used as an officer and a viewer would (issue 12): through local mode's
 * `/console/` in headless Chromium, with the sample caseload imported through the API. What the
 * page does is checked against the API, never against the page alone.
 */

let api: ApiClient;
const chromium = browserForFile();

beforeAll(async () => {
  api = await startLocalClient();
  await importSampleCaseload(api);
});
afterAll(async () => {
  await chromium.close();
  await api?.runtime.stop();
});

function consolePage(viewport: 'desktop' | 'phone' = 'desktop'): Promise<ConsolePage> {
  return chromium.page(`${api.runtime.url}/console/`, { viewport });
}

async function signIn(page: Page, role: 'Secretariat officer' | 'viewer'): Promise<void> {
  await page.goto(`${api.runtime.url}/console/`);
  await page.getByRole('button', { name: new RegExp(`^Sign in as ${role}`) }).click();
  await page.getByRole('heading', { level: 1, name: 'Reviews needing attention' }).waitFor();
}

/** The review as the API has it now. */
async function reviewNow(id: string) {
  const response = await api.request('GET', `/reviews/${id}`);
  expect(response.status).toBe(200);
  return response.json;
}

describe('the console as a Secretariat officer', () => {
  let officer: ConsolePage;
  let reviewId: string;

  it('opens on the most overdue review, first on the page', async () => {
    officer = await consolePage();
    await officer.page.goto(`${api.runtime.url}/console/`);
    expect(await checkAccessibility(officer.page, 'sign-in')).toEqual([]);
    await saveScreenshot(officer.page, 'sign-in');
    await signIn(officer.page, 'Secretariat officer');

    const mostOverdue = (await api.request('GET', '/reports/overdue?limit=1')).json.items[0];
    expect(mostOverdue).toBeDefined();
    const firstRow = officer.page.locator('main tbody tr').first();
    // The first table on the page is the overdue one, and its first row the most overdue review.
    await expect
      .poll(() =>
        officer.page
          .locator('main table')
          .first()
          .evaluate((t) => t.closest('section')?.querySelector('h2')?.textContent),
      )
      .toMatch(/^Overdue/);
    expect(await firstRow.getByRole('link').textContent()).toBe(mostOverdue.reference);
    expect(await firstRow.locator('td').nth(3).textContent()).toBe(String(mostOverdue.daysOverdue));

    expect(await checkAccessibility(officer.page, 'overview')).toEqual([]);
    await saveScreenshot(officer.page, 'overview');
    reviewId = mostOverdue.id;
  });

  it('moves an overdue review from the overview in two clicks, with the version it showed', async () => {
    const second = (await api.request('GET', '/reports/overdue?limit=2')).json.items[1];
    const before = await reviewNow(second.id);
    const process = (await api.request('GET', '/processes')).json.items.find(
      (p: { id: string }) => p.id === before.process,
    );
    const next = process.transitions.find(
      (t: { from: string; kind: string }) => t.from === before.stage && t.kind === 'advance',
    ).to;
    const row = officer.page.locator('main tbody tr').filter({ hasText: second.reference });

    await row
      .getByRole('button', { name: `Move to ${process.text.en.stages[next]} (${second.reference})` })
      .click();
    await row.getByRole('button', { name: `Confirm moving ${second.reference}` }).click();
    await officer.page
      .getByRole('status')
      .filter({ hasText: `${second.reference} moved to` })
      .waitFor();

    const after = await reviewNow(second.id);
    expect([after.stage, after.version]).toEqual([next, before.version + 1]);
    expect(problemsBut(officer, [])).toEqual([]);
  });

  it('finds a review by its reference', async () => {
    const target = (await api.request('GET', '/reviews?limit=100')).json.items.find(
      (r: { reference: string }) => r.reference.startsWith('UNCAC-'),
    );
    await officer.page.getByRole('searchbox', { name: 'Reference' }).fill(target.reference.toLowerCase());
    const links = officer.page.locator('main tbody tr th a');
    await expect.poll(() => links.allTextContents()).toEqual([target.reference]);
    await officer.page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => links.count()).toBeGreaterThan(1);
  });

  it('moves the review to its next stage in two clicks; the API agrees and the stage notice is mailed', async () => {
    await api.request('DELETE', '/_local/mailbox');
    const before = await reviewNow(reviewId);
    const processes = (await api.request('GET', '/processes')).json.items;
    const process = processes.find((p: { id: string }) => p.id === before.process);
    const next = process.transitions.find(
      (t: { from: string; kind: string }) => t.from === before.stage && t.kind === 'advance',
    ).to;
    const nextName = process.text.en.stages[next];

    await officer.page.locator('main tbody tr').first().getByRole('link').click();
    await officer.page.getByRole('heading', { level: 1, name: new RegExp(before.reference) }).waitFor();
    expect(await checkAccessibility(officer.page, 'review')).toEqual([]);
    await saveScreenshot(officer.page, 'review');

    await officer.page.getByRole('button', { name: `Move to ${nextName}` }).click();
    // Before confirming, the page says which deadline the stage's rule gives (this late review's has passed).
    const ruleNote = await officer.page.locator('#move-confirm p.note').textContent();
    await officer.page.getByRole('button', { name: `Confirm move to ${nextName}` }).click();
    await officer.page
      .getByRole('status')
      .filter({ hasText: `Moved to ${nextName}.` })
      .waitFor();

    const after = await reviewNow(reviewId);
    expect(ruleNote).toContain(formatDate(after.deadline));
    expect(ruleNote).toContain('already past');
    expect(after.stage).toBe(next);
    expect(after.version).toBe(before.version + 1);
    const history = (await api.request('GET', `/reviews/${reviewId}/history`)).json.items;
    expect(history.at(-1)).toMatchObject({ type: 'transitioned', fromStage: before.stage, stage: next });
    // The page shows what the API says.
    await expect.poll(() => officer.page.locator('dl.facts dd').first().textContent()).toContain(nextName);

    await api.request('POST', '/_local/settle');
    const mail = (await api.request('GET', '/_local/mailbox')).json.messages.filter(
      (m: { kind: string; subject: string }) =>
        m.kind === 'stage_notice' && m.subject.includes(before.reference),
    );
    expect(mail.length).toBeGreaterThan(0);
    expect(problemsBut(officer, [])).toEqual([]);
  });

  it('records a submission through the page', async () => {
    const before = await reviewNow(reviewId);
    expect(before.owing.length).toBeGreaterThan(0);
    const state = before.owing[0];

    await officer.page.getByRole('combobox', { name: 'From' }).selectOption(state);
    await officer.page.getByRole('textbox', { name: 'Note (optional)' }).fill('Received by diplomatic pouch');
    await officer.page.getByRole('button', { name: 'Record submission' }).click();
    await officer.page.getByRole('status').filter({ hasText: 'recorded' }).waitFor();

    const after = await reviewNow(reviewId);
    expect(after.submissions).toEqual([
      expect.objectContaining({ state, note: 'Received by diplomatic pouch', by: 'local-secretariat' }),
    ]);
    expect(after.owing).not.toContain(state);
    expect(problemsBut(officer, [])).toEqual([]);
  });

  it('withdraws the submission, registers a focal point and an expert, pauses and resumes, all as the API records them', async () => {
    const page = officer.page;
    const start = await reviewNow(reviewId);
    const submitted = start.submissions[0].state;

    await page.getByRole('button', { name: `Withdraw the submission of` }).first().click();
    await page.getByRole('status').filter({ hasText: 'withdrawn' }).waitFor();
    expect((await reviewNow(reviewId)).submissions).toEqual([]);

    const missing =
      [start.stateUnderReview, ...start.reviewingStates.map((r: { state: string }) => r.state)].find(
        (state: string) => start.focalPoints[state] === undefined,
      ) ?? start.stateUnderReview;
    await page.getByRole('combobox', { name: 'State', exact: true }).selectOption(missing);
    await page.getByRole('textbox', { name: 'Name', exact: true }).first().fill('Amina Diallo');
    await page
      .getByRole('textbox', { name: 'E-mail', exact: true })
      .first()
      .fill('amina.diallo@focal.example');
    await page.getByRole('combobox', { name: 'Language of the mails' }).selectOption('fr');
    await page.getByRole('button', { name: 'Save focal point' }).click();
    await page.getByRole('status').filter({ hasText: 'Focal point of' }).waitFor();
    expect((await reviewNow(reviewId)).focalPoints[missing]).toEqual({
      name: 'Amina Diallo',
      email: 'amina.diallo@focal.example',
      language: 'fr',
    });

    const reviewing = start.reviewingStates[0].state;
    await page.getByRole('combobox', { name: 'Reviewing State' }).selectOption(reviewing);
    await page.getByRole('button', { name: 'Add an expert' }).click();
    const expert = page.getByRole('group', { name: /^Expert \d+$/ }).last();
    await expert.getByRole('textbox', { name: 'Name' }).fill('Ivan Petrov');
    await expert.getByRole('textbox', { name: 'E-mail' }).fill('ivan.petrov@expert.example');
    await expert.getByRole('combobox', { name: 'Language' }).selectOption('ru');
    await page.getByRole('button', { name: 'Save experts' }).click();
    await page.getByRole('status').filter({ hasText: 'Experts of' }).waitFor();
    expect((await reviewNow(reviewId)).experts[reviewing]).toEqual([
      expect.objectContaining({ name: 'Ivan Petrov', email: 'ivan.petrov@expert.example', language: 'ru' }),
    ]);

    const pause = page.locator('form', { has: page.getByRole('heading', { name: 'Pause the review' }) });
    await pause.getByRole('textbox', { name: 'Reason' }).fill('National elections');
    await pause.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('status').filter({ hasText: 'Paused' }).waitFor();
    expect((await reviewNow(reviewId)).pause).toMatchObject({ reason: 'National elections' });
    // Paused: no move is offered.
    expect(
      await page
        .getByRole('button', { name: /^Move to / })
        .first()
        .isDisabled(),
    ).toBe(true);

    const resume = page.locator('form', { has: page.getByRole('heading', { name: 'Resume the review' }) });
    await resume.getByRole('textbox', { name: 'Reason' }).fill('New government in office');
    await resume.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('status').filter({ hasText: 'Resumed' }).waitFor();
    const end = await reviewNow(reviewId);
    expect(end.paused).toBe(false);

    // Record the submission again, for the tests that follow.
    await page.getByRole('combobox', { name: 'From' }).selectOption(submitted);
    await page.getByRole('button', { name: 'Record submission' }).click();
    await page.getByRole('status').filter({ hasText: 'recorded' }).waitFor();
    const history = (await api.request('GET', `/reviews/${reviewId}/history`)).json.items.map(
      (e: { type: string }) => e.type,
    );
    expect(history.slice(-6)).toEqual([
      'submission_withdrawn',
      'focal_point_set',
      'experts_set',
      'paused',
      'resumed',
      'submission_recorded',
    ]);
    expect(problemsBut(officer, [])).toEqual([]);
  });

  it('explains a 409 when the review changed meanwhile, and changes nothing', async () => {
    const seen = await reviewNow(reviewId);
    // Another officer changes the deadline while this page still shows version `seen.version`.
    const meanwhile = await api.request('POST', `/reviews/${reviewId}/deadline`, {
      body: { deadline: '2027-06-30', reason: 'Translation of the replies' },
    });
    expect(meanwhile.status).toBe(200);

    await officer.page.getByRole('textbox', { name: 'New deadline' }).fill('2027-03-31');
    await officer.page
      .getByRole('textbox', { name: 'Reason', exact: true })
      .first()
      .fill('Asked by the focal point');
    await officer.page.getByRole('button', { name: 'Change deadline' }).click();
    const alert = officer.page.getByRole('alert').filter({ hasText: 'Someone else changed this review' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain(
      `you saw version ${seen.version}; it is now version ${meanwhile.json.version}`,
    );

    const after = await reviewNow(reviewId);
    expect(after.version).toBe(meanwhile.json.version);
    expect(after.deadline).toBe('2027-06-30');
    // The page now shows the review as it is.
    await expect.poll(() => officer.page.locator('dl.facts').textContent()).toContain('30 Jun 2027');
    expect(await checkAccessibility(officer.page, 'review-409')).toEqual([]);
    await saveScreenshot(officer.page, 'review-409');
    expect(
      problemsBut(officer, [/HTTP 409: POST .*\/deadline$/, /status of 409 \(Conflict\) .*\/deadline:0\)$/]),
    ).toEqual([]);
  });

  it('says so when DynamoDB stalls mid-action, and a second try changes the review once', async () => {
    const page = officer.page;
    const before = await reviewNow(reviewId);
    const pausesBefore = (await api.request('GET', `/reviews/${reviewId}/history`)).json.items.filter(
      (e: { type: string }) => e.type === 'paused',
    ).length;
    const pause = page.locator('form', { has: page.getByRole('heading', { name: 'Pause the review' }) });
    await pause.getByRole('textbox', { name: 'Reason' }).fill('Awaiting the new focal point');
    // The page's own reads (the last test's refresh) done first: only the pause meets the stall.
    await page.waitForLoadState('networkidle');

    api.runtime.emulators.signal('dynamodb', 'SIGSTOP');
    try {
      await pause.getByRole('button', { name: 'Pause' }).click();
      // The pause's own answer, in its form: not another section's read.
      await pause.getByRole('alert').filter({ hasText: 'did not answer in time' }).waitFor();
    } finally {
      api.runtime.emulators.signal('dynamodb', 'SIGCONT');
    }
    // The stalled write may still land once DynamoDB goes on: the second try is then a 409, explained.
    await pause.getByRole('button', { name: 'Pause' }).click();
    const actions = page.locator('section.actions');
    await actions
      .getByRole('status')
      .filter({ hasText: 'Paused' })
      .or(actions.getByRole('alert').filter({ hasText: 'Someone else changed this review' }))
      .first()
      .waitFor();

    const after = await reviewNow(reviewId);
    expect(after.pause).toMatchObject({ reason: 'Awaiting the new focal point' });
    expect(after.version).toBe(before.version + 1);
    const pausesAfter = (await api.request('GET', `/reviews/${reviewId}/history`)).json.items.filter(
      (e: { type: string }) => e.type === 'paused',
    ).length;
    expect(pausesAfter).toBe(pausesBefore + 1);
    expect(
      problemsBut(officer, [
        /HTTP (503|409): POST .*\/pause$/,
        /status of (503|409) \((Service Unavailable|Conflict)\) .*\/pause:0\)$/,
      ]),
    ).toEqual([]);
    // Resumed through the API, for the tests that follow.
    expect(
      (await api.request('POST', `/reviews/${reviewId}/resume`, { body: { reason: 'Focal point named' } }))
        .status,
    ).toBe(200);
  });

  it('sends a double-clicked action once', async () => {
    const page = officer.page;
    // The review was resumed through the API: show it as it is.
    await page.reload();
    await page.getByRole('heading', { name: 'Pause the review' }).waitFor();
    const before = await reviewNow(reviewId);
    const pause = page.locator('form', { has: page.getByRole('heading', { name: 'Pause the review' }) });
    await pause.getByRole('textbox', { name: 'Reason' }).fill('Clicked twice');
    await pause.getByRole('button', { name: 'Pause' }).dblclick();
    await page.getByRole('status').filter({ hasText: 'Paused' }).waitFor();
    await api.request('POST', '/_local/settle');
    expect((await reviewNow(reviewId)).version).toBe(before.version + 1);
    expect(problemsBut(officer, [])).toEqual([]);
    expect(
      (await api.request('POST', `/reviews/${reviewId}/resume`, { body: { reason: 'Go on' } })).status,
    ).toBe(200);
  });

  it('checks and imports a file row by row', async () => {
    await officer.page.getByRole('link', { name: 'Import' }).click();
    await officer.page.getByRole('heading', { level: 1, name: 'Import reviews' }).waitFor();
    const csv = [
      'reference,stateUnderReview,cluster,instruments,reviewingStates,language,launchedAt,stage,stageEnteredAt',
      'FIN-C4-2026,FIN,4,UNTOC,EST:UNTOC LVA:UNTOC,en,2026-02-03,self_assessment,2026-03-01',
      'XXX-C4-2026,XXX,4,UNTOC,EST:UNTOC,en,2026-02-03,self_assessment,2026-03-01',
    ].join('\n');
    await officer.page
      .getByLabel('File', { exact: true })
      .setInputFiles({ name: 'caseload.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await officer.page.getByRole('button', { name: 'Check (dry run)' }).click();
    await officer.page.getByRole('heading', { name: 'Dry run: nothing was imported' }).waitFor();
    const rows = officer.page.locator(
      '#import-result ~ table tbody tr, section[aria-labelledby="import-result"] tbody tr',
    );
    expect(await rows.nth(0).textContent()).toContain('valid: would be created');
    expect(await rows.nth(1).textContent()).toContain('not valid');
    expect((await api.request('GET', '/reviews?state=FIN')).json.items).toEqual([]);
    expect(await checkAccessibility(officer.page, 'import')).toEqual([]);
    await saveScreenshot(officer.page, 'import');

    await officer.page.getByRole('button', { name: 'Import', exact: true }).click();
    await officer.page.getByRole('heading', { name: 'Imported', exact: true }).waitFor();
    const created = (await api.request('GET', '/reviews?state=FIN')).json.items;
    expect(created.map((r: { reference: string }) => r.reference)).toEqual(['FIN-C4-2026']);
    expect(problemsBut(officer, [])).toEqual([]);
  });

  it('shows the reports and downloads the timeliness CSV', async () => {
    await officer.page.getByRole('link', { name: 'Reports' }).click();
    await officer.page.getByRole('heading', { level: 2, name: 'Timeliness per stage' }).waitFor();
    await officer.page.locator('section[aria-labelledby="timeliness-heading"] tbody tr').first().waitFor();
    await officer.page.locator('article.digest').first().waitFor();
    const [download] = await Promise.all([
      officer.page.waitForEvent('download'),
      officer.page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const path = await download.path();
    const csv = readFileSync(path, 'utf8');
    const apiCsv = await fetch(`${api.runtime.url}/reports/timeliness?limit=100`, {
      headers: { authorization: 'Bearer local-secretariat', accept: 'text/csv' },
    }).then((r) => r.text());
    expect(csv.split('\r\n')[0]).toBe(apiCsv.split('\r\n')[0]);
    expect(csv.split('\r\n').length).toBe(apiCsv.split('\r\n').length);
    expect(await checkAccessibility(officer.page, 'reports')).toEqual([]);
    await saveScreenshot(officer.page, 'reports');
    expect(problemsBut(officer, [])).toEqual([]);
    expect(officer.foreignRequests).toEqual([]);
  });
});

describe('the console as a viewer, from the keyboard alone and on a phone', () => {
  it('shows the same review with no action, and the API would refuse one anyway', async () => {
    const viewer = await consolePage();
    await signIn(viewer.page, 'viewer');
    await viewer.page.locator('main tbody tr').first().getByRole('link').click();
    await viewer.page.getByText('You are signed in as a viewer').waitFor();

    expect(await viewer.page.locator('main button').count()).toBe(0);
    expect(await viewer.page.locator('main form').count()).toBe(0);
    const id = decodeURIComponent(new URL(viewer.page.url()).hash.replace('#/reviews/', ''));
    const refused = await api.request('POST', `/reviews/${id}/pause`, {
      token: 'local-viewer',
      body: { reason: 'not allowed' },
    });
    expect(refused.status).toBe(403);
    expect(await checkAccessibility(viewer.page, 'review-viewer')).toEqual([]);
    await saveScreenshot(viewer.page, 'review-viewer');

    await viewer.page.getByRole('link', { name: 'Import' }).click();
    await viewer.page.getByText('Only Secretariat officers may import reviews').waitFor();
    expect(await viewer.page.locator('main input, main button').count()).toBe(0);
    expect(problemsBut(viewer, [])).toEqual([]);
  });

  it('works from the keyboard alone: skip link, then a review opened and moved without a pointer', async () => {
    const keys = await consolePage();
    await keys.page.goto(`${api.runtime.url}/console/`);
    await keys.page.getByRole('button', { name: /^Sign in as Secretariat officer/ }).waitFor();
    await keys.page.keyboard.press('Tab');
    await keys.page.keyboard.press('Enter'); // the first control: sign in as the officer
    await keys.page.getByRole('heading', { level: 1, name: 'Reviews needing attention' }).waitFor();

    await keys.page.keyboard.press('Tab');
    expect(await keys.page.evaluate<string>('document.activeElement.textContent')).toBe(
      'Skip to the content',
    );
    await keys.page.keyboard.press('Enter');
    // Tab on until the first review's link, as a keyboard user would.
    const first = (await api.request('GET', '/reports/overdue?limit=1')).json.items[0];
    for (let i = 0; i < 30; i++) {
      await keys.page.keyboard.press('Tab');
      if ((await keys.page.evaluate<string>('document.activeElement.textContent')) === first.reference) break;
    }
    expect(await keys.page.evaluate<string>('document.activeElement.textContent')).toBe(first.reference);
    await keys.page.keyboard.press('Enter');
    await keys.page.getByRole('heading', { level: 1, name: new RegExp(first.reference) }).waitFor();
    // The new page's content has the focus, as after a page load.
    expect(await keys.page.evaluate<string>('document.activeElement.id')).toBe('main');

    const before = await reviewNow(first.id);
    const move = keys.page.getByRole('button', { name: /^Move to / }).first();
    await move.focus();
    await keys.page.keyboard.press('Enter');
    const confirm = keys.page.getByRole('button', { name: /^Confirm move to / });
    await confirm.focus();
    await keys.page.keyboard.press('Enter');
    await keys.page.getByRole('status').filter({ hasText: 'Moved to' }).waitFor();
    expect((await reviewNow(first.id)).version).toBe(before.version + 1);
    expect(problemsBut(keys, [])).toEqual([]);
  });

  it('is usable at phone width', async () => {
    const phone = await consolePage('phone');
    await signIn(phone.page, 'Secretariat officer');
    const overflow = await phone.page.evaluate<number>(
      'document.documentElement.scrollWidth - window.innerWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await checkAccessibility(phone.page, 'overview-phone')).toEqual([]);
    await saveScreenshot(phone.page, 'overview-phone');
  });
});
