import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the Cognito Hosted UI (or an organisation's OIDC provider) for the console's
 * browser tests (DESIGN §10): the authorization code flow with PKCE, checked as strictly as the
 * real provider checks it, on a port of its own (a different origin from the console and the
 * API). Nobody types a password: `/oauth2/authorize` sends the browser straight back with a code
 * for the user the test named. Its tokens are well-formed JWTs, unsigned (`alg: none`): the
 * console only reads their claims, and the API stand-in asks this provider whom a token belongs
 * to instead of verifying a signature.
 */

/** Who signs in. */
export interface FakeUser {
  readonly email: string;
  /** What the groups claim lists (`secretariat`, `viewer`). */
  readonly groups: readonly string[];
}

/** How the next round trip goes wrong, on purpose. */
export type Misbehaviour =
  /** Send the browser back with a `state` other than the one it sent. */
  | 'wrong-state'
  /** Refuse the code at the token endpoint (400 `invalid_grant`) although it is good. */
  | 'refuse-code';

export interface FakeOidcOptions {
  /** The console's app client. */
  readonly clientId: string;
  /** The console's URL: the client's one registered callback and sign-out URL. */
  readonly consoleUrl: string;
  /** The scopes the client may ask for. @default ['openid', 'email'] */
  readonly allowedScopes?: readonly string[];
  /** The claim that lists the user's groups. @default 'cognito:groups' */
  readonly groupsClaim?: string;
}

/** One request to the provider, as it answered it. */
export interface ProviderRequest {
  readonly endpoint: 'authorize' | 'token' | 'token-preflight' | 'logout' | 'unknown';
  /** The query (authorize, logout) or the form body (token). */
  readonly params: Readonly<Record<string, string>>;
  /** The `Origin` header, when the browser sent one. */
  readonly origin: string | undefined;
  readonly status: number;
  /** What the client got wrong (the provider refused the request for it); absent when nothing. */
  readonly mistake?: string;
}

export interface IssuedTokens {
  readonly user: FakeUser;
  readonly accessToken: string;
  readonly idToken: string;
}

export interface FakeOidcProvider {
  /** The provider's origin (`http://127.0.0.1:<port>`). */
  readonly url: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  /** Cognito's `/logout`: `client_id` and `logout_uri`, then back to the console. */
  readonly logoutEndpoint: string;
  /** Every request, in the order they came. */
  readonly requests: readonly ProviderRequest[];
  /** Every token pair issued, in order. */
  readonly issued: readonly IssuedTokens[];
  /**
   * Who signs in at `/oauth2/authorize` from now on, and what goes wrong with the next round trip
   * (that one only).
   */
  next(signIn: { user: FakeUser; misbehave?: Misbehaviour }): void;
  /** The user an access token this provider issued belongs to; undefined for any other string (an id token too). */
  userOf(accessToken: string): FakeUser | undefined;
  close(): Promise<void>;
}

/** Cognito's Hosted UI codes live five minutes; tokens an hour (the console's app client). */
const CODE_LIFETIME_MS = 5 * 60_000;
const TOKEN_LIFETIME_SECONDS = 3600;
/** RFC 7636 §4.1: 43 to 128 unreserved characters; S256 of anything is 43 base64url ones. */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

function base64Url(bytes: Buffer): string {
  return bytes.toString('base64url');
}

function unsignedJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => base64Url(Buffer.from(JSON.stringify(value), 'utf8'));
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

interface PendingCode {
  readonly user: FakeUser;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scope: string;
  readonly challenge: string;
  readonly expiresAt: number;
  readonly misbehave: Misbehaviour | undefined;
}

async function formOf(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

/** Starts the provider on a free port of 127.0.0.1. */
export async function startFakeOidc(options: FakeOidcOptions): Promise<FakeOidcProvider> {
  const allowedScopes = new Set(options.allowedScopes ?? ['openid', 'email']);
  const groupsClaim = options.groupsClaim ?? 'cognito:groups';
  const consoleOrigin = new URL(options.consoleUrl).origin;
  const requests: ProviderRequest[] = [];
  const issued: IssuedTokens[] = [];
  const codes = new Map<string, PendingCode>();
  let signIn: { user: FakeUser; misbehave?: Misbehaviour } | undefined;
  let url = '';

  function answer(
    res: ServerResponse,
    entry: Omit<ProviderRequest, 'status'>,
    status: number,
    headers: Record<string, string>,
    body?: string,
  ): void {
    requests.push({ ...entry, status });
    res.writeHead(status, headers);
    res.end(body);
  }

  /** The token endpoint answers CORS for the console's origin alone, as Cognito does for its clients' origins. */
  function cors(origin: string | undefined): Record<string, string> {
    return origin === consoleOrigin ? { 'access-control-allow-origin': origin, vary: 'origin' } : {};
  }

  function authorize(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
    const params = Object.fromEntries(query);
    const entry = { endpoint: 'authorize' as const, params, origin: req.headers.origin };
    const scopes = (params.scope ?? '').split(' ').filter(Boolean);
    const mistake =
      params.response_type !== 'code'
        ? `response_type is ${params.response_type}, not code`
        : params.client_id !== options.clientId
          ? `unknown client_id ${params.client_id}`
          : params.redirect_uri !== options.consoleUrl
            ? `redirect_uri ${params.redirect_uri} is not the registered ${options.consoleUrl}`
            : params.code_challenge_method !== 'S256'
              ? `code_challenge_method is ${params.code_challenge_method}, not S256`
              : !S256_CHALLENGE.test(params.code_challenge ?? '')
                ? `code_challenge ${params.code_challenge} is not an S256 challenge`
                : !params.state
                  ? 'no state'
                  : !scopes.includes('openid') || scopes.some((scope) => !allowedScopes.has(scope))
                    ? `scope ${params.scope} is not openid and the allowed scopes`
                    : !signIn
                      ? 'nobody is set to sign in (the test did not call next())'
                      : undefined;
    if (mistake !== undefined || !signIn) {
      answer(res, { ...entry, mistake }, 400, { 'content-type': 'text/plain; charset=utf-8' }, mistake);
      return;
    }
    const code = base64Url(randomBytes(32));
    codes.set(code, {
      user: signIn.user,
      clientId: options.clientId,
      redirectUri: options.consoleUrl,
      scope: scopes.join(' '),
      challenge: params.code_challenge ?? '',
      expiresAt: Date.now() + CODE_LIFETIME_MS,
      misbehave: signIn.misbehave,
    });
    // A misbehaviour spoils one round trip; the user stays set for the next.
    const misbehave = signIn.misbehave;
    signIn = { user: signIn.user };
    const back = new URL(options.consoleUrl);
    back.searchParams.set('code', code);
    back.searchParams.set(
      'state',
      misbehave === 'wrong-state' ? base64Url(randomBytes(16)) : (params.state ?? ''),
    );
    answer(res, entry, 302, { location: back.toString(), 'cache-control': 'no-store' });
  }

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = req.headers.origin;
    const form = await formOf(req);
    const params = Object.fromEntries(form);
    const entry = { endpoint: 'token' as const, params, origin };
    const headers = { ...cors(origin), 'content-type': 'application/json', 'cache-control': 'no-store' };
    const refuse = (error: string, mistake: string | undefined) =>
      answer(
        res,
        mistake === undefined ? entry : { ...entry, mistake },
        400,
        headers,
        JSON.stringify({ error }),
      );

    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      refuse('invalid_request', `content-type ${req.headers['content-type']} is not form-encoded`);
      return;
    }
    if (params.grant_type !== 'authorization_code') {
      refuse('unsupported_grant_type', `grant_type is ${params.grant_type}`);
      return;
    }
    if (params.client_id !== options.clientId) {
      refuse('invalid_client', `unknown client_id ${params.client_id}`);
      return;
    }
    const pending = codes.get(params.code ?? '');
    // A code is good once, whatever becomes of the exchange (RFC 6749 §4.1.2).
    codes.delete(params.code ?? '');
    const verifier = params.code_verifier ?? '';
    const mistake = !pending
      ? 'the code is unknown or was used already'
      : pending.expiresAt <= Date.now()
        ? 'the code has expired'
        : params.redirect_uri !== pending.redirectUri
          ? `redirect_uri ${params.redirect_uri} is not the one the code was issued for`
          : !VERIFIER.test(verifier)
            ? 'code_verifier is not 43 to 128 unreserved characters'
            : base64Url(createHash('sha256').update(verifier, 'ascii').digest()) !== pending.challenge
              ? 'base64url(sha256(code_verifier)) is not the code_challenge'
              : undefined;
    if (mistake !== undefined || !pending) {
      refuse('invalid_grant', mistake);
      return;
    }
    if (pending.misbehave === 'refuse-code') {
      refuse('invalid_grant', undefined);
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const sub = createHash('sha256').update(pending.user.email).digest('hex').slice(0, 32);
    const common = {
      sub,
      [groupsClaim]: [...pending.user.groups],
      iss: url,
      auth_time: now,
      iat: now,
      exp: now + TOKEN_LIFETIME_SECONDS,
    };
    // As Cognito shapes them: the access token names the client and scopes but not the e-mail
    // address; the id token is for the client (`aud`) and carries the address.
    const accessToken = unsignedJwt({
      ...common,
      token_use: 'access',
      client_id: pending.clientId,
      scope: pending.scope,
      username: sub,
      jti: base64Url(randomBytes(16)),
    });
    const idToken = unsignedJwt({
      ...common,
      token_use: 'id',
      aud: pending.clientId,
      email: pending.user.email,
      email_verified: true,
      'cognito:username': sub,
      jti: base64Url(randomBytes(16)),
    });
    issued.push({ user: pending.user, accessToken, idToken });
    answer(
      res,
      entry,
      200,
      headers,
      JSON.stringify({
        access_token: accessToken,
        id_token: idToken,
        token_type: 'Bearer',
        expires_in: TOKEN_LIFETIME_SECONDS,
      }),
    );
  }

  function preflight(req: IncomingMessage, res: ServerResponse): void {
    const origin = req.headers.origin;
    const entry = { endpoint: 'token-preflight' as const, params: {}, origin };
    answer(res, entry, 204, {
      ...cors(origin),
      ...(origin === consoleOrigin
        ? {
            'access-control-allow-methods': 'POST',
            'access-control-allow-headers': 'content-type, authorization',
          }
        : {}),
    });
  }

  function logout(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
    const params = Object.fromEntries(query);
    const entry = { endpoint: 'logout' as const, params, origin: req.headers.origin };
    const mistake =
      params.client_id !== options.clientId
        ? `unknown client_id ${params.client_id}`
        : params.logout_uri !== options.consoleUrl
          ? `logout_uri ${params.logout_uri} is not the registered ${options.consoleUrl}`
          : undefined;
    if (mistake !== undefined) {
      answer(res, { ...entry, mistake }, 400, { 'content-type': 'text/plain; charset=utf-8' }, mistake);
      return;
    }
    answer(res, entry, 302, { location: options.consoleUrl, 'cache-control': 'no-store' });
  }

  const server = createServer((req, res) => {
    const address = new URL(req.url ?? '/', 'http://provider');
    const route = `${req.method} ${address.pathname}`;
    if (route === 'GET /oauth2/authorize') return authorize(req, res, address.searchParams);
    if (route === 'POST /oauth2/token') return void token(req, res).catch((error) => res.destroy(error));
    if (route === 'OPTIONS /oauth2/token') return preflight(req, res);
    if (route === 'GET /logout') return logout(req, res, address.searchParams);
    answer(
      res,
      { endpoint: 'unknown', params: Object.fromEntries(address.searchParams), origin: req.headers.origin },
      404,
      { 'content-type': 'text/plain; charset=utf-8' },
      `No ${route} here.`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    authorizationEndpoint: `${url}/oauth2/authorize`,
    tokenEndpoint: `${url}/oauth2/token`,
    logoutEndpoint: `${url}/logout`,
    requests,
    issued,
    next(next) {
      signIn = next;
    },
    userOf(accessToken) {
      return issued.find((tokens) => tokens.accessToken === accessToken)?.user;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
