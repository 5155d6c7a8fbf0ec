import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleHeaderPolicy, consoleHeaders } from '#infra/console-site.ts';
import { ConsoleConfig } from '#shared/http/console-config.ts';
import { type ApiClient, startLocalClient } from '../support/local-client.ts';
import { browserForFile, checkAccessibility, saveScreenshot } from './support/browser.ts';

/**
 * The Secretariat console as local mode serves it (DESIGN §10), in headless Chromium. These
 * checks hold for any first screen: they ask for headers, a clean load and accessibility, not
 * for particular content.
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

/** One GET with the path sent as written (`fetch` would resolve `..` before sending it). */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(api.runtime.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the console site', () => {
  it('serves /console/ with the headers CloudFront sets, no inline script and no framing', async () => {
    const expected = consoleHeaders(consoleHeaderPolicy({ apiOrigins: [], identityOrigins: [] }));

    const response = await fetch(`${api.runtime.url}/console/`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const sent = Object.fromEntries(Object.keys(expected).map((name) => [name, response.headers.get(name)]));
    expect(sent).toEqual(expected);
    const directives = (sent['content-security-policy'] ?? '').split(';').map((d) => d.trim());
    expect(directives).toContain("script-src 'self'");
    expect(directives).toContain("frame-ancestors 'none'");
    expect(directives.join(';')).not.toContain("'unsafe-inline'");
    expect(directives.join(';')).not.toContain("'unsafe-eval'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('redirects /console to /console/', async () => {
    const response = await fetch(`${api.runtime.url}/console`, { redirect: 'manual' });

    expect(response.status).toBe(308);
    expect(response.headers.get('location')).toBe('/console/');
  });

  it('offers both local tokens with their roles in config.json', async () => {
    const response = await fetch(`${api.runtime.url}/console/config.json`);

    expect(response.status).toBe(200);
    const config = ConsoleConfig.parse(await response.json());
    expect(config.apiUrl).toBe('');
    expect(config.auth).toEqual({
      kind: 'local',
      tokens: expect.arrayContaining([
        { token: 'local-secretariat', role: 'secretariat' },
        { token: 'local-viewer', role: 'viewer' },
      ]),
    });
  });

  it.each([
    '/console/../package.json',
    '/console/%2e%2e/package.json',
    '/console/..%2fpackage.json',
    '/console/%2e%2e%2fpackage.json',
    '/console/..%5cpackage.json',
    '/console/..\\package.json',
    '/console/assets/../../package.json',
    '/console//package.json',
    '/console/index.html/../../package.json',
  ])('answers 404 to %s and shows no file outside the build', async (path) => {
    const response = await rawGet(path);

    expect(response.status).toBe(404);
    expect(response.body).not.toContain('untoc-review-tracker');
  });

  it.each([
    '/console/no-such-page.html',
    '/console/assets/no-such-file.js',
    '/console/vite.config.ts',
    '/console/src/main.tsx',
    '/console/index.htm',
  ])('answers 404 to the unknown file %s', async (path) => {
    const response = await fetch(`${api.runtime.url}${path}`);

    expect(response.status).toBe(404);
  });
});

describe('the console in a browser', () => {
  it.each(['desktop', 'phone'] as const)(
    'loads its first screen at %s width with no errors, no CSP violations and nothing third-party',
    async (viewport) => {
      const consolePage = await chromium.page(api.runtime.url, { viewport });
      const { page, problems, foreignRequests } = consolePage;
      try {
        const served: { url: string; nosniff: string | undefined; csp: string | undefined }[] = [];
        page.on('response', (response) => {
          const headers = response.headers();
          served.push({
            url: response.url(),
            nosniff: headers['x-content-type-options'],
            csp: headers['content-security-policy'],
          });
        });

        const response = await page.goto(`${api.runtime.url}/console/`, { waitUntil: 'networkidle' });

        expect(response?.status()).toBe(200);
        await page.getByRole('main').first().waitFor();
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        expect(problems).toEqual([]);
        expect(foreignRequests).toEqual([]);
        // Every file of the console, not only index.html, carries the policy.
        expect(served.filter(({ nosniff, csp }) => nosniff !== 'nosniff' || csp === undefined)).toEqual([]);
        // Usable at this width: nothing sticks out sideways.
        const overflow = await page.evaluate(
          'document.documentElement.scrollWidth - document.documentElement.clientWidth',
        );
        expect(overflow).toBe(0);
        expect(await checkAccessibility(page, `first screen (${viewport})`)).toEqual([]);
        // axe ran in the page: it must not have tripped the CSP either.
        expect(problems).toEqual([]);
        await saveScreenshot(page, `first-screen-${viewport}`);
      } finally {
        await consolePage.close();
      }
    },
  );
});
