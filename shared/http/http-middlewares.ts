import { createHash } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { forbiddenKeyIssues } from '#shared/api/json-guard.ts';
import { ConflictError, DomainError, InvalidInputError, NotFoundError } from '#shared/domain/errors.ts';
import * as z from '#shared/domain/zod.ts';
import { redactedError } from '#shared/observability/logger.ts';
import { countEvent } from '#shared/observability/metrics.ts';
import { DependencyUnavailableError } from '#shared/ports/dependency.ts';
import {
  type IdempotencyClaim,
  IdempotencyClaimLostError,
  type IdempotencyStore,
} from '#shared/ports/idempotency-store.ts';
import { InvalidCursorError } from '#shared/ports/review-repository.ts';
import type { Caller } from '#shared/use-cases/deps.ts';
import { ApiEvent, type ApiResponse, DEFAULT_GROUPS_CLAIM, groupsFromClaim } from './api-event.ts';
import { HttpError } from './http-error.ts';
import type { Route } from './route.ts';

/** Per-request state the chain builds up for the handler. */
export interface ApiState {
  event: ApiEvent;
  route: Route;
  caller: Caller;
  input: { body: unknown; query: unknown; params: unknown; accept: string };
  /** The request's claim on its `Idempotency-Key`, while it holds one. */
  idempotency?: {
    claim: IdempotencyClaim;
    /** Set once the route's change has sent its transaction with the completion (it may have landed). */
    writeAttempted: boolean;
    /** Set once the route's change has written the completion in its own transaction. */
    completedByWrite: boolean;
  };
}
export type ApiContext = Context & { api?: ApiState };
type ApiRequest = middy.Request<unknown, ApiResponse, Error, ApiContext>;

/** Request bodies above this size get 413 (DESIGN §4). */
export const MAX_BODY_BYTES = 64 * 1024;

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

/** A JSON response with the house headers. */
export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): ApiResponse {
  return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

/** A response whose body is already text in another media type (a CSV report), with the house headers. */
export function textResponse(
  statusCode: number,
  contentType: string,
  body: string,
  headers: Record<string, string> = {},
): ApiResponse {
  return { statusCode, headers: { ...JSON_HEADERS, ...headers, 'content-type': contentType }, body };
}

const JSON_MEDIA_TYPE = 'application/json';

/**
 * The media type to answer in (RFC 9110 §12.5.1): of JSON and the route's `alternatives`, the one
 * the `Accept` header weighs highest (`q`), a more specific range before a wildcard, then the
 * header's own order. JSON without the header, or when it accepts nothing offered: the header is
 * then disregarded rather than answered with 406, as RFC 9110 allows.
 */
export function negotiateMediaType(accept: string | undefined, alternatives: readonly string[]): string {
  const offered = [JSON_MEDIA_TYPE, ...alternatives];
  if (accept === undefined || accept.trim() === '') return JSON_MEDIA_TYPE;
  const ranges = accept.split(',').map((part, index) => {
    const [range = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    return { range, weight: Number.isFinite(weight) ? Math.min(1, Math.max(0, weight)) : 0, index };
  });
  let best: { type: string; weight: number; specificity: number; index: number } | undefined;
  for (const type of offered) {
    const [major] = type.split('/');
    const matched = ranges
      .map((r) => ({
        ...r,
        specificity: r.range === type ? 2 : r.range === `${major}/*` ? 1 : r.range === '*/*' ? 0 : -1,
      }))
      .filter((r) => r.specificity >= 0)
      .sort((a, b) => b.specificity - a.specificity)[0];
    if (!matched || matched.weight <= 0) continue;
    const better =
      !best ||
      matched.weight > best.weight ||
      (matched.weight === best.weight &&
        (matched.specificity > best.specificity ||
          (matched.specificity === best.specificity && matched.index < best.index)));
    if (better)
      best = { type, weight: matched.weight, specificity: matched.specificity, index: matched.index };
  }
  return best?.type ?? JSON_MEDIA_TYPE;
}

function state(request: ApiRequest): ApiState {
  const api = request.context.api;
  if (!api) throw new Error('API state missing: the chain order is broken');
  return api;
}

function header(event: ApiEvent, name: string): string | undefined {
  const entry = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === name);
  return entry?.[1];
}

/** Finds the route for the event's routeKey; parses the event at the edge. */
export function resolveRoute(routes: Route[]): middy.MiddlewareObj<unknown, ApiResponse, Error, ApiContext> {
  const byKey = new Map(routes.map((r) => [r.routeKey, r]));
  return {
    before: function resolveRouteBefore(request) {
      const parsed = ApiEvent.safeParse(request.event);
      if (!parsed.success) throw new HttpError(400, 'BAD_REQUEST', 'The request could not be read.');
      const route = byKey.get(parsed.data.routeKey);
      if (!route) throw new HttpError(404, 'NOT_FOUND', 'No such route.');
      request.context.api = {
        event: parsed.data,
        route,
        caller: { id: 'anonymous' },
        input: {} as ApiState['input'],
      };
    },
  };
}

/**
 * Roles from the groups claim: `secretariat` reads and writes, `viewer` reads.
 * @param groupsClaim the claim's name: `cognito:groups`, or an organisation's provider's (`groups`)
 */
export function authorize(
  groupsClaim: string = DEFAULT_GROUPS_CLAIM,
): middy.MiddlewareObj<unknown, ApiResponse, Error, ApiContext> {
  return {
    before: function authorizeBefore(request) {
      const api = state(request);
      if (api.route.access === 'public') return;
      const claims = api.event.requestContext.authorizer?.jwt?.claims;
      const sub = claims?.sub;
      if (!claims || typeof sub !== 'string' || sub === '') {
        throw new HttpError(401, 'UNAUTHENTICATED', 'A valid bearer token is required.');
      }
      const groups = groupsFromClaim(claims[groupsClaim]);
      const allowed = api.route.access === 'write' ? ['secretariat'] : ['secretariat', 'viewer'];
      if (!groups.some((g) => allowed.includes(g))) {
        throw new HttpError(403, 'FORBIDDEN', `This needs the ${allowed.join(' or ')} role.`);
      }
      api.caller = { id: sub };
    },
  };
}

function issuesOf(error: z.core.$ZodError, prefix: string): { path: string; message: string }[] {
  return error.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter(Boolean).join('.'),
    message: i.message,
  }));
}

function parseBody(event: ApiEvent, route: Route): unknown {
  if (!route.body) return undefined;
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  const maxBytes = route.request?.maxBytes ?? MAX_BODY_BYTES;
  if (Buffer.byteLength(text, 'utf8') > maxBytes) {
    throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `The body is over ${maxBytes / 1024} KB.`);
  }
  const contentType = header(event, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  const alternative = contentType ? route.request?.alternatives?.[contentType] : undefined;
  if (!alternative && contentType !== 'application/json' && !contentType?.endsWith('+json')) {
    const accepted = ['application/json', ...Object.keys(route.request?.alternatives ?? {})].join(' or ');
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `Send the body as ${accepted}.`);
  }
  let json: unknown;
  if (alternative) {
    // The alternative's reader turns the text into the JSON body's shape, or refuses it (400).
    json = alternative.read(text);
  } else {
    try {
      json = JSON.parse(text);
    } catch {
      throw new HttpError(400, 'MALFORMED_JSON', 'The body is not valid JSON.');
    }
  }
  // Before the schema: zod would drop a `__proto__` key silently instead of refusing it.
  const forbidden = forbiddenKeyIssues(json, 'body');
  if (forbidden.length > 0) {
    throw new HttpError(400, 'VALIDATION_FAILED', 'The body is not valid.', forbidden);
  }
  const result = route.body.safeParse(json);
  if (!result.success) {
    throw new HttpError(400, 'VALIDATION_FAILED', 'The body is not valid.', issuesOf(result.error, 'body'));
  }
  return result.data;
}

/**
 * Size (413), media type (415), JSON (400) and the route's zod schemas for body, query and path;
 * and the media type the answer should take, from `Accept`.
 */
export function parseInput(): middy.MiddlewareObj<unknown, ApiResponse, Error, ApiContext> {
  return {
    before: function parseInputBefore(request) {
      const api = state(request);
      const { event, route } = api;
      const body = parseBody(event, route);
      const parse = (schema: z.ZodMiniType | undefined, value: unknown, where: string): unknown => {
        if (!schema) return value;
        const result = schema.safeParse(value);
        if (!result.success) {
          throw new HttpError(
            400,
            'VALIDATION_FAILED',
            `The ${where} is not valid.`,
            issuesOf(result.error, where),
          );
        }
        return result.data;
      };
      api.input = {
        body,
        query: parse(route.query, event.queryStringParameters ?? {}, 'query'),
        params: parse(route.params, event.pathParameters ?? {}, 'path'),
        accept: negotiateMediaType(header(event, 'accept'), Object.keys(route.response.alternatives ?? {})),
      };
    },
  };
}

const IdempotencyKey = z
  .string()
  .check(z.regex(/^[\x21-\x7e]{1,255}$/, 'must be 1 to 255 printable ASCII characters'));

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * `Idempotency-Key` on writes (DESIGN §4): runs after validation, so a rejected request is
 * not remembered; a repeat with the same body replays the first success; another body is
 * 422; a repeat while the first is in flight is 409 (with `Retry-After`). Keys are scoped to
 * the caller. A route whose change is a review write completes the key in that write's own
 * transaction (see the dispatcher in `http-chain.ts`); others complete it after success.
 * Failures release the claim so a retry acts; a change that landed meanwhile keeps it.
 */
export function idempotency(
  store: IdempotencyStore,
  logger: Logger,
): middy.MiddlewareObj<unknown, ApiResponse, Error, ApiContext> {
  const now = (api: ApiState) => Math.floor(api.event.requestContext.timeEpoch / 1000);
  const release = async (api: ApiState | undefined) => {
    const held = api?.idempotency;
    if (!held || held.completedByWrite) return;
    api.idempotency = undefined;
    // Best effort: a claim left behind expires on its own, and the change it guarded cannot land without it.
    await store.release(held.claim).catch((error: unknown) => {
      logger.warn('idempotency claim not released', { reason: (error as Error).name });
    });
  };
  return {
    before: async function idempotencyBefore(request) {
      const api = state(request);
      const raw = header(api.event, 'idempotency-key');
      if (raw === undefined || api.route.access !== 'write') return;
      const parsed = IdempotencyKey.safeParse(raw);
      if (!parsed.success) {
        throw new HttpError(400, 'VALIDATION_FAILED', 'The Idempotency-Key header is not valid.', [
          { path: 'header.Idempotency-Key', message: parsed.error.issues[0]?.message ?? 'invalid' },
        ]);
      }
      const key = `${api.caller.id}#${parsed.data}`;
      // The query counts when there is one (`?dryRun=true`, `?expectedVersion=`): a dry run's key
      // must not replay its answer for the real import. Left out when empty, so the fingerprints
      // of requests without a query are those stored before it counted.
      const query = api.input.query;
      const hasQuery = typeof query === 'object' && query !== null && Object.keys(query).length > 0;
      const fingerprint = createHash('sha256')
        .update(
          canonical({
            route: api.route.routeKey,
            params: api.input.params,
            body: api.input.body,
            ...(hasQuery ? { query } : {}),
          }),
        )
        .digest('hex');
      const begun = await store.begin(key, fingerprint, now(api));
      switch (begun.outcome) {
        case 'started':
          api.idempotency = { claim: begun.claim, writeAttempted: false, completedByWrite: false };
          return;
        case 'replay':
          return { ...begun.response, headers: { ...begun.response.headers, 'idempotent-replayed': 'true' } };
        case 'in_progress':
          throw new HttpError(
            409,
            'IDEMPOTENCY_IN_PROGRESS',
            'A request with this Idempotency-Key is still running.',
            undefined,
            { 'retry-after': String(begun.retryAfterSeconds) },
          );
        case 'mismatch':
          throw new HttpError(
            422,
            'IDEMPOTENCY_KEY_REUSED',
            'This Idempotency-Key was used with another request body.',
          );
      }
    },
    after: async function idempotencyAfter(request) {
      const api = request.context.api;
      const response = request.response;
      const held = api?.idempotency;
      if (!held || !response || held.completedByWrite) return;
      if (response.statusCode >= 200 && response.statusCode < 300) {
        await store.complete({ claim: held.claim, response, nowEpochSeconds: now(api) });
      } else {
        await release(api);
      }
    },
    onError: async function idempotencyOnError(request) {
      // A change sent to a table that did not answer may still land: its claim stays (it expires
      // on its own), so that landing completes it and a retry replays it. Before the change was
      // sent, nothing can land: the claim goes, and a retry acts at once.
      const held = request.context.api?.idempotency;
      if (request.error instanceof DependencyUnavailableError && held?.writeAttempted) return;
      await release(request.context.api);
    },
  };
}

/** What a 503 tells the client to wait: long enough for the SDK's timeouts to have passed, short enough to feel live. */
const RETRY_AFTER_SECONDS = 2;

/** Maps an error to the contract's response; unknown errors become a generic 500, logged once. */
export function errorToResponse(error: unknown, logger: Logger): ApiResponse {
  if (error instanceof HttpError) {
    return jsonResponse(
      error.statusCode,
      {
        error: error.code,
        message: error.message,
        ...(error.issues ? { issues: error.issues } : {}),
      },
      error.headers,
    );
  }
  if (error instanceof IdempotencyClaimLostError) {
    return jsonResponse(
      409,
      {
        error: 'IDEMPOTENCY_IN_PROGRESS',
        message: 'A retry with this Idempotency-Key took over while this request was running.',
      },
      { 'retry-after': String(RETRY_AFTER_SECONDS) },
    );
  }
  if (error instanceof InvalidInputError) {
    return jsonResponse(400, { error: error.code, message: error.message, issues: error.issues });
  }
  if (error instanceof InvalidCursorError) {
    return jsonResponse(400, {
      error: 'VALIDATION_FAILED',
      message: 'The cursor is not valid.',
      issues: [{ path: 'query.cursor', message: 'not a cursor this API issued' }],
    });
  }
  if (error instanceof NotFoundError) return jsonResponse(404, { error: error.code, message: error.message });
  if (error instanceof ConflictError) {
    return jsonResponse(409, { error: error.code, message: error.message, ...error.details });
  }
  if (error instanceof DomainError) return jsonResponse(400, { error: error.code, message: error.message });
  if (error instanceof DependencyUnavailableError) {
    // Logged without the cause's message: SDK errors can quote request data.
    logger.warn('dependency unavailable', { dependency: error.dependency, reason: error.reason });
    return jsonResponse(
      503,
      {
        error: 'UNAVAILABLE',
        message: 'A service this API depends on did not answer in time; try again shortly.',
      },
      { 'retry-after': String(RETRY_AFTER_SECONDS) },
    );
  }
  // With its stack, once; masked: an SDK error's message and fields can quote stored data.
  logger.error('unhandled error', redactedError(error));
  countEvent('InternalErrorAnswered');
  return jsonResponse(500, { error: 'INTERNAL', message: 'Something went wrong on our side.' });
}

/** The error handler: every failure leaves as the contract's error body. */
export function errorResponse(logger: Logger): middy.MiddlewareObj<unknown, ApiResponse, Error, ApiContext> {
  return {
    onError: function errorResponseOnError(request) {
      request.response = errorToResponse(request.error, logger);
      logger.info('request refused', {
        routeKey: request.context.api?.route.routeKey,
        statusCode: request.response.statusCode,
      });
    },
  };
}
