import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtConsole, consoleHeaderPolicy, consoleHeaders } from '#infra/console-site.ts';
import { consoleCors } from '#infra/constructs/secretariat-api.ts';
import { CONSOLE_CONTENT_TYPES } from '#infra/local/local-console.ts';
import type { ConsoleConfig } from '#shared/http/console-config.ts';
import { type ApiClient, importSampleCaseload, startLocalClient } from '../support/local-client.ts';
import {
  browserForFile,
  type ConsolePage,
  checkAccessibility,
  problemsBut,
  saveScreenshot,
} from './support/browser.ts';
import { type FakeOidcProvider, type FakeUser, startFakeOidc } from './support/fake-oidc.ts';

/**
 * The Secretariat console as it runs on AWS (DESIGN §10), in headless Chromium: its build served
 * from an origin of its own with the headers CloudFront sets, signing in through an identity
 * provider on a second origin with the authorization code flow and PKCE, and calling the API on a
 * third, behind a stand-in for API Gateway (its CORS for the console, its JWT authorizer) in
 * front of local mode.
 */

const CLIENT_ID = 'console-client-4f1c';
const SCOPES = 'openid email';
const GROUPS_CLAIM = 'cognito:groups';
const officer: FakeUser = { email: 'amina.officer@un.org', groups: ['secretariat'] };
const viewer: FakeUser = { email: 'li.viewer@un.org', groups: ['viewer'] };

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closed(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

/** The console's bucket behind CloudFront: the build at the root, `config.json` as the stack publishes it. */
interface ConsoleSite {
  /** `http://127.0.0.1:<port>/`: the console's URL, its client's callback. */
  readonly url: string;
  readonly origin: string;
  /** What the stack writes once the API and the sign-in exist: `config.json` and the header policy's origins. */
  publish(config: ConsoleConfig, sources: { apiOrigins: string[]; identityOrigins: string[] }): void;
  close(): Promise<void>;
}

async function startConsoleSite(root: string): Promise<ConsoleSite> {
  let config: ConsoleConfig | undefined;
  let headers: Record<string, string> = {};
  const server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://site').pathname;
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      if (path === '/config.json' && config) {
        res.writeHead(200, { ...headers, 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : JSON.stringify(config));
        return;
      }
      // CloudFront's default root object.
      const file = normalize(join(root, path === '/' ? 'index.html' : path));
      const contentType = CONSOLE_CONTENT_TYPES[extname(file)];
      const body =
        file.startsWith(root + sep) && contentType ? await readFile(file).catch(() => undefined) : undefined;
      if (!body) {
        res.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end('Not found.');
        return;
      }
      res.writeHead(200, { ...headers, 'content-type': contentType ?? 'application/octet-stream' });
      res.end(req.method === 'HEAD' ? undefined : body);
    })().catch((error) => res.destroy(error));
  });
  const origin = await listen(server);
  return {
    url: `${origin}/`,
    origin,
    publish(next, sources) {
      config = next;
      headers = consoleHeaders(consoleHeaderPolicy(sources));
    },
    close: () => closed(server),
  };
}

/** One request the API stand-in received. */
interface ApiCall {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly status: number;
  /** The local token it was forwarded with; absent when it was answered at the edge. */
  readonly forwardedAs?: string;
}

interface ApiStandIn {
  readonly url: string;
  readonly calls: readonly ApiCall[];
  /** Preflights refused: the console asked for an origin, a method or a header the API does not allow. */
  readonly refusedPreflights: readonly string[];
  close(): Promise<void>;
}

/** The API's CORS exactly as the stack configures it (`consoleCors`, read from the construct). */
const DEPLOYED_CORS = consoleCors('https://console.example.org');
const API_CORS = {
  allowMethods: (DEPLOYED_CORS.allowMethods ?? []).map(String),
  allowHeaders: DEPLOYED_CORS.allowHeaders ?? [],
  exposeHeaders: DEPLOYED_CORS.exposeHeaders ?? [],
  maxAgeSeconds: DEPLOYED_CORS.maxAge?.toSeconds() ?? 0,
};

/**
 * API Gateway in front of local mode: it answers the console's preflights itself, lets through only
 * an access token the provider issued (its JWT authorizer), and hands local mode the local token
 * of the caller's role (the groups claim the function would have read).
 */
async function startApiStandIn(
  upstream: string,
  consoleOrigin: string,
  provider: FakeOidcProvider,
): Promise<ApiStandIn> {
  const calls: ApiCall[] = [];
  const refusedPreflights: string[] = [];
  const corsFor = (origin: string | undefined): Record<string, string> =>
    origin === consoleOrigin
      ? {
          'access-control-allow-origin': origin,
          'access-control-expose-headers': API_CORS.exposeHeaders.join(','),
        }
      : {};

  function preflight(req: IncomingMessage, res: ServerResponse): void {
    const origin = req.headers.origin;
    const method = String(req.headers['access-control-request-method'] ?? '');
    const asked = String(req.headers['access-control-request-headers'] ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean);
    const refused =
      origin !== consoleOrigin
        ? `origin ${origin}`
        : !API_CORS.allowMethods.includes(method)
          ? `method ${method}`
          : asked.filter((name) => !API_CORS.allowHeaders.includes(name)).map((name) => `header ${name}`)[0];
    if (refused !== undefined) {
      refusedPreflights.push(`${req.url}: ${refused}`);
      res.writeHead(204).end();
      return;
    }
    res
      .writeHead(204, {
        'access-control-allow-origin': consoleOrigin,
        'access-control-allow-methods': API_CORS.allowMethods.join(','),
        'access-control-allow-headers': API_CORS.allowHeaders.join(','),
        'access-control-max-age': String(API_CORS.maxAgeSeconds),
      })
      .end();
  }

  function forward(req: IncomingMessage, res: ServerResponse): void {
    const authorization = req.headers.authorization;
    const cors = corsFor(req.headers.origin);
    const call = { method: req.method ?? '', path: req.url ?? '', authorization };
    const user = provider.userOf(/^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '');
    if (!user) {
      calls.push({ ...call, status: 401 });
      res.writeHead(401, { ...cors, 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
      res.end(JSON.stringify({ message: 'Unauthorized' }));
      return;
    }
    const localToken = user.groups.includes('secretariat')
      ? 'local-secretariat'
      : user.groups.includes('viewer')
        ? 'local-viewer'
        : undefined;
    if (!localToken) {
      calls.push({ ...call, status: 403 });
      res.writeHead(403, { ...cors, 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'FORBIDDEN', message: 'No role.' }));
      return;
    }
    const { host: _host, origin: _origin, referer: _referer, ...headers } = req.headers;
    const target = new URL(req.url ?? '/', upstream);
    const outgoing = request(
      target,
      { method: req.method, headers: { ...headers, authorization: `Bearer ${localToken}` } },
      (answer) => {
        calls.push({ ...call, status: answer.statusCode ?? 0, forwardedAs: localToken });
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, ...cors });
        answer.pipe(res);
      },
    );
    outgoing.on('error', (error) => res.destroy(error));
    req.pipe(outgoing);
  }

  const server = createServer((req, res) => {
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) preflight(req, res);
    else forward(req, res);
  });
  const url = await listen(server);
  return { url, calls, refusedPreflights, close: () => closed(server) };
}

let api: ApiClient;
let oidc: FakeOidcProvider;
let site: ConsoleSite;
let apiEdge: ApiStandIn;
const chromium = browserForFile();

beforeAll(async () => {
  api = await startLocalClient();
  await importSampleCaseload(api);
  site = await startConsoleSite(await builtConsole());
  oidc = await startFakeOidc({ clientId: CLIENT_ID, consoleUrl: site.url, groupsClaim: GROUPS_CLAIM });
  apiEdge = await startApiStandIn(api.runtime.url, site.origin, oidc);
  site.publish(
    {
      apiUrl: apiEdge.url,
      auth: {
        kind: 'oidc',
        authorizationEndpoint: oidc.authorizationEndpoint,
        tokenEndpoint: oidc.tokenEndpoint,
        logoutEndpoint: oidc.logoutEndpoint,
        clientId: CLIENT_ID,
        scopes: SCOPES,
        groupsClaim: GROUPS_CLAIM,
      },
    },
    { apiOrigins: [apiEdge.url], identityOrigins: [oidc.url] },
  );
});
afterAll(async () => {
  await chromium.close();
  await Promise.all([site?.close(), oidc?.close(), apiEdge?.close()]);
  await api?.runtime.stop();
});

function consolePage(): Promise<ConsolePage> {
  return chromium.page(site.url);
}

/** The origins the page sent requests to beside its own. */
function foreignOrigins(page: ConsolePage): string[] {
  return [...new Set(page.foreignRequests.map((line) => new URL(line.split(' ')[1] ?? '').origin))].sort();
}

/** What the tab keeps: the sessionStorage keys, localStorage's size and the cookies. */
async function keptByTab(tab: ConsolePage) {
  const storage = await tab.page.evaluate(() => ({
    sessionKeys: Object.keys(sessionStorage).sort(),
    localItems: localStorage.length,
  }));
  return { ...storage, cookies: (await tab.context.cookies()).length };
}

/** The provider's requests from `mark` on, as endpoint, status and what the client got wrong. */
function providerSince(mark: number) {
  return oidc.requests.slice(mark).map(({ endpoint, status, mistake }) => ({ endpoint, status, mistake }));
}

const signInButton = (page: Page) => page.getByRole('button', { name: 'Sign in', exact: true });
const overviewHeading = (page: Page) =>
  page.getByRole('heading', { level: 1, name: 'Reviews needing attention' });
const queryOf = (page: Page) => new URL(page.url()).search;

describe('the stand-ins', () => {
  it('refuse a wrong verifier, a reused code, another redirect address and any token but the access token', async () => {
    const mark = oidc.requests.length;
    oidc.next({ user: officer });
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const authorize = async (redirectUri: string) => {
      const url = new URL(oidc.authorizationEndpoint);
      for (const [name, value] of Object.entries({
        response_type: 'code',
        client_id: CLIENT_ID,
        redirect_uri: redirectUri,
        scope: SCOPES,
        state: 'some-state',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }))
        url.searchParams.set(name, value);
      const response = await fetch(url, { redirect: 'manual' });
      return {
        status: response.status,
        code: new URL(response.headers.get('location') ?? site.url).searchParams.get('code'),
      };
    };
    const exchange = async (code: string | null, codeVerifier: string, redirectUri = site.url) => {
      const response = await fetch(oidc.tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: CLIENT_ID,
          code: code ?? '',
          redirect_uri: redirectUri,
          code_verifier: codeVerifier,
        }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, string> };
    };

    expect((await authorize('http://127.0.0.1:1/elsewhere')).status).toBe(400);
    const wrongVerifier = await authorize(site.url);
    expect(await exchange(wrongVerifier.code, randomBytes(32).toString('base64url'))).toEqual({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    // The code died with the failed exchange.
    expect((await exchange(wrongVerifier.code, verifier)).status).toBe(400);
    expect((await exchange((await authorize(site.url)).code, verifier, 'http://127.0.0.1:1/')).status).toBe(
      400,
    );
    const good = (await authorize(site.url)).code;
    const tokens = await exchange(good, verifier);
    expect(tokens.status).toBe(200);
    expect((await exchange(good, verifier)).status).toBe(400);

    const processes = (token?: string) =>
      fetch(`${apiEdge.url}/processes`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    expect((await processes()).status).toBe(401);
    expect((await processes(tokens.body.id_token)).status).toBe(401);
    expect((await processes(tokens.body.access_token)).status).toBe(200);
    expect(providerSince(mark).filter(({ mistake }) => mistake).length).toBe(5);
  });
});

describe('the console signing in through the identity provider', () => {
  let officerPage: ConsolePage;

  it('signs an officer in and back, and every API call carries the access token', async () => {
    officerPage = await consolePage();
    const { page } = officerPage;
    const mark = oidc.requests.length;
    const callMark = apiEdge.calls.length;
    oidc.next({ user: officer });

    await page.goto(site.url);
    await signInButton(page).waitFor();
    expect(await checkAccessibility(page, 'oidc-sign-in')).toEqual([]);
    await saveScreenshot(page, 'oidc-sign-in');
    await signInButton(page).click();
    await overviewHeading(page).waitFor();

    await expect
      .poll(() => page.locator('header .who').textContent())
      .toContain(`Signed in as ${officer.email}, Secretariat officer`);
    expect(queryOf(page)).toBe('');
    expect(page.url()).toBe(site.url);
    const mostOverdue = (await api.request('GET', '/reports/overdue?limit=1')).json.items[0];
    await expect
      .poll(() => page.locator('main tbody tr').first().getByRole('link').textContent())
      .toBe(mostOverdue.reference);

    expect(providerSince(mark)).toEqual([
      { endpoint: 'authorize', status: 302, mistake: undefined },
      { endpoint: 'token', status: 200, mistake: undefined },
    ]);
    const authorize = oidc.requests[mark]?.params;
    expect(authorize).toMatchObject({ client_id: CLIENT_ID, redirect_uri: site.url, scope: SCOPES });
    expect(oidc.requests[mark + 1]?.origin).toBe(site.origin);
    const tokens = oidc.issued.at(-1);
    expect(tokens?.user).toBe(officer);
    const calls = apiEdge.calls.slice(callMark);
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.filter((call) => call.authorization !== `Bearer ${tokens?.accessToken}`)).toEqual([]);
    expect(calls.filter((call) => call.forwardedAs !== 'local-secretariat')).toEqual([]);
    expect(apiEdge.refusedPreflights).toEqual([]);
    // The verifier and state are gone; the session is in this tab's sessionStorage alone.
    expect(await keptByTab(officerPage)).toEqual({
      sessionKeys: ['untoc-console-session'],
      localItems: 0,
      cookies: 0,
    });

    expect(await checkAccessibility(page, 'oidc-overview')).toEqual([]);
    await saveScreenshot(page, 'oidc-overview');
    expect(problemsBut(officerPage, [])).toEqual([]);
    expect(foreignOrigins(officerPage)).toEqual([oidc.url, apiEdge.url].sort());
  });

  it("signs out through the provider's logout, with the client and the console's address", async () => {
    const { page } = officerPage;
    const mark = oidc.requests.length;

    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInButton(page).waitFor();

    expect(providerSince(mark)).toEqual([{ endpoint: 'logout', status: 302, mistake: undefined }]);
    expect(oidc.requests[mark]?.params).toEqual({ client_id: CLIENT_ID, logout_uri: site.url });
    expect(page.url()).toBe(site.url);
    expect(await keptByTab(officerPage)).toEqual({ sessionKeys: [], localItems: 0, cookies: 0 });
    // Nothing signs the tab back in on its own.
    await page.reload();
    await signInButton(page).waitFor();
    expect(problemsBut(officerPage, [])).toEqual([]);
  });

  it('brings a viewer back to the review they opened, with no action on it', async () => {
    // An overdue review, on which an officer would be offered every action.
    const review = (await api.request('GET', '/reports/overdue?limit=1')).json.items[0];
    const viewerPage = await consolePage();
    const { page } = viewerPage;
    const callMark = apiEdge.calls.length;
    oidc.next({ user: viewer });

    await page.goto(`${site.url}#/reviews/${encodeURIComponent(review.id)}`);
    await signInButton(page).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(review.reference) }).waitFor();
    await page.getByText('You are signed in as a viewer').waitFor();

    expect(page.url()).toBe(`${site.url}#/reviews/${encodeURIComponent(review.id)}`);
    expect(await page.locator('header .who').textContent()).toContain(
      `Signed in as ${viewer.email}, viewer (read only)`,
    );
    expect(await page.locator('main button').count()).toBe(0);
    expect(await page.locator('main form').count()).toBe(0);
    const calls = apiEdge.calls.slice(callMark);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((call) => call.forwardedAs !== 'local-viewer')).toEqual([]);
    expect(
      calls.filter((call) => call.authorization !== `Bearer ${oidc.issued.at(-1)?.accessToken}`),
    ).toEqual([]);
    expect(await checkAccessibility(page, 'oidc-review-viewer')).toEqual([]);
    await saveScreenshot(page, 'oidc-review-viewer');
    expect(problemsBut(viewerPage, [])).toEqual([]);
    expect(foreignOrigins(viewerPage)).toEqual([oidc.url, apiEdge.url].sort());
  });

  it('refuses a return whose state is not the one the tab sent, and keeps no session', async () => {
    const tampered = await consolePage();
    const { page } = tampered;
    const mark = oidc.requests.length;
    const callMark = apiEdge.calls.length;
    oidc.next({ user: officer, misbehave: 'wrong-state' });

    await page.goto(site.url);
    await signInButton(page).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();

    expect(await alert.textContent()).toBe('Sign-in did not match this tab: sign in again.');
    expect(await signInButton(page).isEnabled()).toBe(true);
    expect(queryOf(page)).toBe('');
    // The code was never exchanged, and the API never called.
    expect(providerSince(mark)).toEqual([{ endpoint: 'authorize', status: 302, mistake: undefined }]);
    expect(apiEdge.calls.slice(callMark)).toEqual([]);
    expect(await keptByTab(tampered)).toEqual({ sessionKeys: [], localItems: 0, cookies: 0 });
    expect(await checkAccessibility(page, 'oidc-sign-in-state-mismatch')).toEqual([]);
    await saveScreenshot(page, 'oidc-sign-in-state-mismatch');
    expect(problemsBut(tampered, [])).toEqual([]);
    expect(foreignOrigins(tampered)).toEqual([oidc.url]);
  });

  it('says so when the provider refuses the code, keeps no session, and signs in on a second try', async () => {
    const refused = await consolePage();
    const { page } = refused;
    const mark = oidc.requests.length;
    oidc.next({ user: officer, misbehave: 'refuse-code' });

    await page.goto(site.url);
    await signInButton(page).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();

    expect(await alert.textContent()).toBe(
      'Sign-in failed at the token endpoint (400 invalid_grant): sign in again.',
    );
    expect(queryOf(page)).toBe('');
    expect(providerSince(mark)).toEqual([
      { endpoint: 'authorize', status: 302, mistake: undefined },
      { endpoint: 'token', status: 400, mistake: undefined },
    ]);
    expect(await keptByTab(refused)).toEqual({ sessionKeys: [], localItems: 0, cookies: 0 });
    expect(await checkAccessibility(page, 'oidc-sign-in-refused')).toEqual([]);
    await saveScreenshot(page, 'oidc-sign-in-refused');
    const tokenEndpoint = oidc.tokenEndpoint.replace(/[.]/g, '\\.');
    expect(
      problemsBut(refused, [
        new RegExp(`^HTTP 400: POST ${tokenEndpoint}$`),
        new RegExp(`status of 400 \\(Bad Request\\) \\(${tokenEndpoint}:0\\)$`),
      ]),
    ).toEqual([]);

    await signInButton(page).click();
    await overviewHeading(page).waitFor();
    expect(await page.locator('header .who').textContent()).toContain(`Signed in as ${officer.email}`);
    // The console reads the refusal's body (its OAuth error code): nothing is left in flight.
    expect(problemsBut(refused, [])).toEqual([]);
  });
});
