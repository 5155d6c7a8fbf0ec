import { accessSync, constants } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/**
 * Headless Chromium for the Secretariat console's browser tests (DESIGN §10). The browser is
 * Debian's (`.ci/run` installs it when missing): `npx playwright install` downloads its own,
 * which cannot work on a machine that reaches only npm and Debian.
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
/** The CI artefact folder (git-ignored). */
const SCREENSHOT_DIR = join(ROOT, 'test-results', 'console');
const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/**
 * Flags for a machine whose network is closed: without the background-networking ones Chromium
 * opens many connections at start (updates, sync, QUIC probes), each refused. Playwright passes
 * most of them too; they are named here so an upgrade of playwright cannot drop them. Playwright
 * gives every launch a fresh `--user-data-dir` of its own (and refuses one in `args`).
 */
const CHROMIUM_ARGS = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Starts headless Chromium: `CHROMIUM_PATH`, or Debian's at `/usr/bin/chromium`. A missing
 * browser is an error that says what to install, so the tests fail rather than skip.
 */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? DEBIAN_CHROMIUM;
  try {
    accessSync(executablePath, constants.X_OK);
  } catch {
    throw new Error(
      `No Chromium at ${executablePath}: the console's browser tests need one. ` +
        `Install Debian's (apt-get install chromium; .ci/run does this when it is missing) ` +
        'or set CHROMIUM_PATH to a Chromium executable.',
    );
  }
  return chromium.launch({
    executablePath,
    headless: true,
    // Chromium will not start its sandbox as root; as any other user it keeps it.
    chromiumSandbox: process.getuid?.() !== 0,
    args: CHROMIUM_ARGS,
  });
}

/** The two widths DESIGN §10 asks the console to be usable at. */
const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 },
} as const;

/** A page of its own context, and what went wrong while it was open. */
export interface ConsolePage {
  readonly page: Page;
  readonly context: BrowserContext;
  /**
   * Console errors, uncaught page errors, failed requests, error responses and Content Security
   * Policy violations, one line each, in the order they happened: a clean run leaves it empty.
   */
  readonly problems: string[];
  /** Requests to any origin but the console's: it loads no third-party assets (DESIGN §10). */
  readonly foreignRequests: string[];
  close(): Promise<void>;
}

/** The name the page reports CSP violations under (a binding: the CSP does not apply to it). */
const CSP_BINDING = '__reportCspViolation';
/**
 * Runs before any of the page's own script. `securitypolicyviolation` also reports what Chromium
 * blocks without a console message (a blocked inline style, say).
 */
const CSP_LISTENER = `document.addEventListener('securitypolicyviolation', (event) => {
  globalThis.${CSP_BINDING}(event.effectiveDirective + ' blocked ' + (event.blockedURI || 'inline') +
    ' at ' + (event.sourceFile || event.documentURI) + ':' + event.lineNumber);
}, true);`;

/** How a page's context is set up. */
export interface PageOptions {
  /** @default 'desktop' */
  viewport?: keyof typeof VIEWPORTS;
  /**
   * Whether the page's own script runs. Off for a page that must work without it (the focal-point
   * page); the problem recorder still sees failed and foreign requests, but not what only a script
   * in the page can report (CSP events).
   * @default true
   */
  javaScript?: boolean;
}

/** Opens a new context and page for the console at `baseUrl` (its origin is the console's). */
export async function newConsolePage(
  browser: Browser,
  baseUrl: string,
  options: PageOptions = {},
): Promise<ConsolePage> {
  const origin = new URL(baseUrl).origin;
  const context = await browser.newContext({
    ...VIEWPORTS[options.viewport ?? 'desktop'],
    javaScriptEnabled: options.javaScript ?? true,
  });
  const problems: string[] = [];
  const foreignRequests: string[] = [];
  await context.exposeBinding(CSP_BINDING, (_source, text: string) => {
    problems.push(`CSP violation: ${text}`);
  });
  await context.addInitScript({ content: CSP_LISTENER });
  context.on('console', (message) => {
    if (message.type() === 'error' || /content security policy/i.test(message.text())) {
      const { url, lineNumber } = message.location();
      problems.push(`console ${message.type()}: ${message.text()} (${url}:${lineNumber})`);
    }
  });
  context.on('weberror', (error) => {
    problems.push(`page error: ${error.error().stack ?? error.error().message}`);
  });
  context.on('requestfailed', (request) => {
    problems.push(`request failed: ${request.method()} ${request.url()} (${request.failure()?.errorText})`);
  });
  context.on('response', (response) => {
    if (response.status() >= 400) {
      problems.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
    }
  });
  context.on('request', (request) => {
    const url = new URL(request.url());
    // data: and blob: URLs come from the page itself (the favicon is `data:,`).
    if (url.protocol !== 'data:' && url.protocol !== 'blob:' && url.origin !== origin) {
      foreignRequests.push(`${request.method()} ${request.url()}`);
    }
  });
  const page = await context.newPage();
  return { page, context, problems, foreignRequests, close: () => context.close() };
}

/** An accessibility violation, as a failing `toEqual([])` should show it. */
export interface AccessibilityViolation {
  readonly screen: string;
  readonly id: string;
  readonly impact: string;
  readonly help: string;
  /** CSS selectors of the offending elements (`>>>` crosses into a shadow root or frame). */
  readonly targets: string[];
}

/** WCAG 2.1 AA, which DESIGN §10 asks for, includes 2.0's A and AA. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe-core on the page as it stands and returns its serious and critical violations.
 * axe is evaluated through the DevTools protocol: the console's CSP forbids inline script, so
 * a `<script>` tag with axe's source would be blocked.
 */
export async function checkAccessibility(page: Page, screen: string): Promise<AccessibilityViolation[]> {
  if (!(await page.evaluate("typeof globalThis.axe === 'object'"))) await page.evaluate(axe.source);
  const violations = await page.evaluate(async (tags) => {
    const { axe: inPage } = globalThis as unknown as { axe: typeof axe };
    const results = await inPage.run({ runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return results.violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact: impact ?? 'unknown',
      help,
      targets: nodes.map((node) => node.target.flat().join(' >>> ')),
    }));
  }, WCAG_TAGS);
  return violations
    .filter(({ impact }) => impact === 'serious' || impact === 'critical')
    .map((violation) => ({ screen, ...violation }));
}

/** Saves a full-page PNG as `test-results/console/<name>.png` (a CI artefact); returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Chromium for one test file: started by the first test that opens a page (a missing browser then
 * fails those tests with the message saying what to install, where a failing `beforeAll` would
 * only skip them), and closed with every page it opened by `close()` in `afterAll`.
 */
export function browserForFile(): {
  page(baseUrl: string, options?: PageOptions): Promise<ConsolePage>;
  close(): Promise<void>;
} {
  let start: Promise<Browser> | undefined;
  const pages: ConsolePage[] = [];
  return {
    async page(baseUrl, options = {}) {
      start ??= launchBrowser();
      const page = await newConsolePage(await start, baseUrl, options);
      pages.push(page);
      return page;
    },
    async close() {
      for (const page of pages) await page.close().catch(() => undefined);
      await (await start?.catch(() => undefined))?.close();
    },
  };
}

/**
 * The page's problems but those it was meant to have (a 409 on purpose, and the line Chromium
 * logs for it), which are taken off its list for good.
 */
export function problemsBut(page: ConsolePage, expected: RegExp[]): string[] {
  const kept = page.problems.filter((line) => !expected.some((pattern) => pattern.test(line)));
  page.problems.splice(0, page.problems.length, ...kept);
  return kept;
}
