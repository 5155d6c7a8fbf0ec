import type { ConsoleConfig, ConsoleRole } from '#shared/http/console-config.ts';

/**
 * Who is signed in. Local mode: one of the local tokens, picked on the sign-in screen. AWS: the
 * authorization code flow with PKCE against the Hosted UI (or the organisation's provider): the
 * verifier and state live in sessionStorage only for the round trip; the access token lives in
 * sessionStorage for the tab, never in localStorage or a cookie. The role shown decides which
 * actions are offered; the API decides what is allowed.
 */

export interface Session {
  token: string;
  role: ConsoleRole;
  /** What the header shows: the local token's name, or the signed-in user's e-mail or subject. */
  label: string;
  /** Milliseconds since the epoch; absent for local tokens. */
  expiresAt?: number;
}

const SESSION_KEY = 'untoc-console-session';
const FLOW_KEY = 'untoc-console-oidc-flow';

export function savedSession(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    if (!raw) return undefined;
    const session = JSON.parse(raw) as Session;
    if (session.expiresAt !== undefined && session.expiresAt <= Date.now()) return undefined;
    return session;
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(SESSION_KEY);
}

function base64Url(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(bytes = 32): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/**
 * The console's own address, as registered as the client's callback: the folder, so a tab
 * opened at `…/index.html` signs in through the same registered address.
 */
export function redirectUri(): string {
  return `${location.origin}${location.pathname.replace(/index\.html$/, '')}`;
}

type OidcAuth = Extract<ConsoleConfig['auth'], { kind: 'oidc' }>;

/** Sends the browser to the provider's sign-in, with a fresh PKCE verifier and state. */
export async function beginSignIn(auth: OidcAuth): Promise<void> {
  const verifier = randomString();
  const state = randomString(16);
  const challenge = base64Url(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
  );
  sessionStorage.setItem(FLOW_KEY, JSON.stringify({ verifier, state, hash: location.hash }));
  const url = new URL(auth.authorizationEndpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', auth.clientId);
  url.searchParams.set('redirect_uri', redirectUri());
  url.searchParams.set('scope', auth.scopes);
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  location.assign(url.toString());
}

/** The claims of a JWT, unverified: for the role and name shown only (the API verifies). */
function claimsOf(jwt: string): Record<string, unknown> {
  const payload = jwt.split('.')[1] ?? '';
  const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}

function groupsIn(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.map(String);
  if (typeof claim === 'string')
    return claim
      .replace(/^\[|\]$/g, '')
      .split(/[\s,]+/)
      .filter(Boolean);
  return [];
}

/**
 * Finishes a sign-in when the provider has sent the browser back with `?code=&state=`: exchanges
 * the code (with the verifier) at the token endpoint, then removes the query from the address.
 * Returns the session, or undefined when this page load is not a return from sign-in.
 */
export async function completeSignIn(auth: OidcAuth): Promise<Session | undefined> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const error = params.get('error');
  if (!code && !error) return undefined;
  const flow = JSON.parse(sessionStorage.getItem(FLOW_KEY) ?? 'null') as {
    verifier: string;
    state: string;
    hash: string;
  } | null;
  sessionStorage.removeItem(FLOW_KEY);
  history.replaceState(null, '', `${location.pathname}${flow?.hash ?? ''}`);
  if (error) throw new Error(`Sign-in was refused: ${params.get('error_description') ?? error}`);
  if (!flow || params.get('state') !== flow.state)
    throw new Error('Sign-in did not match this tab: sign in again.');
  const response = await fetch(auth.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: auth.clientId,
      code: code ?? '',
      redirect_uri: redirectUri(),
      code_verifier: flow.verifier,
    }),
  });
  if (!response.ok) {
    // OAuth's error body names what went wrong (invalid_grant: the code expired or was used).
    const body = (await response.json().catch(() => ({}))) as { error?: unknown };
    const code = typeof body.error === 'string' ? ` ${body.error}` : '';
    throw new Error(`Sign-in failed at the token endpoint (${response.status}${code}): sign in again.`);
  }
  const tokens = (await response.json()) as { access_token: string; id_token?: string; expires_in?: number };
  const access = claimsOf(tokens.access_token);
  const identity = tokens.id_token ? claimsOf(tokens.id_token) : access;
  const groups = groupsIn(access[auth.groupsClaim] ?? identity[auth.groupsClaim]);
  const session: Session = {
    token: tokens.access_token,
    role: groups.includes('secretariat') ? 'secretariat' : 'viewer',
    label: String(identity.email ?? identity['cognito:username'] ?? identity.sub ?? 'signed in'),
    expiresAt: Date.now() + (tokens.expires_in ?? 3600) * 1000,
  };
  saveSession(session);
  return session;
}

/** Where the browser goes on signing out (the provider's logout), if anywhere. */
export function signOutUrl(auth: ConsoleConfig['auth']): string | undefined {
  if (auth.kind !== 'oidc' || !auth.logoutEndpoint) return undefined;
  const url = new URL(auth.logoutEndpoint);
  url.searchParams.set('client_id', auth.clientId);
  url.searchParams.set('logout_uri', redirectUri());
  return url.toString();
}
