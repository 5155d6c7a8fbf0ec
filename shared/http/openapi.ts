import { ErrorView, GatewayErrorView } from '#shared/api/schemas.ts';
import * as z from '#shared/domain/zod.ts';
import type { Route } from './route.ts';

/**
 * OpenAPI 3.1 generated from the routes' zod schemas (zod 4 emits JSON Schema 2020-12, the
 * dialect OpenAPI 3.1 uses). Built once per process and cached: at synth for the API bundle,
 * which carries it built (openapi-document.ts), so this module and zod's JSON Schema code do
 * not ship; on first use in local mode and tests.
 *
 * Every status and error code a route can answer is listed on it, with the codes of each
 * status as an `enum` on `error` (DESIGN §4): a client can switch on them, and the contract
 * test validates every response the integration tests receive against this document.
 */
let cached: unknown;

/** What a status means, whichever route answers it. */
const STATUS_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (VALIDATION_FAILED with issues), malformed JSON, or an unreadable request',
  401: 'No or bad token',
  403: 'Wrong role',
  404: 'Unknown review, whatever the id looks like',
  409: 'The request conflicts with the state of the review or of a request with the same Idempotency-Key',
  413: 'Body over 64 KB (over 10 MB, API Gateway refuses it itself)',
  415: 'Not JSON',
  422: 'Idempotency-Key reused with another body',
  429: 'Throttled by API Gateway (AWS only)',
  500: 'Something went wrong on our side',
  503: 'A dependency did not answer in time: retry after Retry-After seconds; a write happened once or not at all',
};

/** Statuses API Gateway itself may answer in AWS, with its `{ message }` body (see {@link GatewayErrorView}). */
const GATEWAY_STATUSES = new Set([401, 413, 429, 500, 503]);

/**
 * The 409 codes of each change beyond IDEMPOTENCY_IN_PROGRESS, from the domain rule it calls
 * (shared/domain/review.ts). VERSION_CONFLICT is on every change: without `expectedVersion` it
 * still ends the server's own retries. A write route not listed here gets them all.
 */
const CONFLICTS: Record<string, string[]> = {
  'POST /reviews': ['REFERENCE_TAKEN'],
  'POST /reviews/{id}/transitions': ['ILLEGAL_TRANSITION', 'REVIEW_PAUSED', 'VERSION_CONFLICT'],
  'PUT /reviews/{id}/focal-points/{state}': ['REVIEW_COMPLETED', 'VERSION_CONFLICT'],
  'POST /reviews/{id}/deadline': ['REVIEW_COMPLETED', 'VERSION_CONFLICT'],
  'POST /reviews/{id}/pause': ['REVIEW_COMPLETED', 'REVIEW_PAUSED', 'VERSION_CONFLICT'],
  'POST /reviews/{id}/resume': ['REVIEW_NOT_PAUSED', 'VERSION_CONFLICT'],
  'PUT /reviews/{id}/experts/{state}': ['REVIEW_COMPLETED', 'VERSION_CONFLICT'],
  'POST /reviews/{id}/submissions': ['NOT_RESPONSIBLE', 'REVIEW_COMPLETED', 'VERSION_CONFLICT'],
  'DELETE /reviews/{id}/submissions/{state}': ['REVIEW_COMPLETED', 'VERSION_CONFLICT'],
  'POST /reviews/{id}/extension-requests/{rid}/decision': [
    'EXTENSION_REQUEST_CLOSED',
    'REVIEW_COMPLETED',
    'VERSION_CONFLICT',
  ],
  // Rows are answered one by one: a taken reference is the row's `exists`, not a 409.
  'POST /reviews/import': [],
};
const ALL_CONFLICTS = [
  'ILLEGAL_TRANSITION',
  'NOT_RESPONSIBLE',
  'REFERENCE_TAKEN',
  'REVIEW_COMPLETED',
  'REVIEW_NOT_PAUSED',
  'REVIEW_PAUSED',
  'VERSION_CONFLICT',
];

/**
 * The error codes a route can answer, by status, read off the chain (http-middlewares.ts:
 * route, role, input, idempotency, the error mapper) and the gateway in front of it
 * (infra/local/local-api-gateway.ts).
 */
export function errorCodes(route: Route): Map<number, string[]> {
  const codes = new Map<number, Set<string>>();
  const add = (status: number, ...names: string[]) => {
    const set = codes.get(status) ?? new Set<string>();
    for (const name of names) set.add(name);
    codes.set(status, set);
  };
  const hasId = route.routeKey.includes('{id}');
  // The chain itself, on every route: an event it cannot read, a crash, a dependency timing out.
  add(400, 'BAD_REQUEST');
  add(500, 'INTERNAL');
  add(503, 'UNAVAILABLE');
  // The gateway reads every body before routing it, and refuses one over its own limit.
  add(413, 'PAYLOAD_TOO_LARGE');
  add(429);
  if (route.access !== 'public') {
    add(401, 'UNAUTHENTICATED');
    add(403, 'FORBIDDEN');
  }
  if (route.body || route.query || route.params) add(400, 'VALIDATION_FAILED');
  if (route.body) {
    add(400, 'MALFORMED_JSON');
    add(415, 'UNSUPPORTED_MEDIA_TYPE');
  }
  if (hasId) add(404, 'REVIEW_NOT_FOUND');
  if (route.routeKey.includes('{rid}')) add(404, 'EXTENSION_REQUEST_NOT_FOUND');
  if (route.access === 'write') {
    // The Idempotency-Key header is validated, and a key can be in flight or reused.
    add(400, 'VALIDATION_FAILED');
    add(409, 'IDEMPOTENCY_IN_PROGRESS', ...(CONFLICTS[route.routeKey] ?? ALL_CONFLICTS));
    add(422, 'IDEMPOTENCY_KEY_REUSED');
  }
  return new Map([...codes].sort(([a], [b]) => a - b).map(([status, names]) => [status, [...names].sort()]));
}

/** Named schemas (`.meta({ id })`) land in components.schemas and are referenced from there. */
function schemaOf(
  schema: z.ZodMiniType,
  io: 'input' | 'output',
  components: Record<string, unknown>,
): unknown {
  const json = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
    reused: 'inline',
  });
  const {
    $schema: _,
    $defs,
    ...rest
  } = JSON.parse(JSON.stringify(json).replaceAll('"#/$defs/', '"#/components/schemas/')) as Record<
    string,
    unknown
  > & { $defs?: Record<string, unknown> };
  Object.assign(components, $defs);
  return rest;
}

/** The error body of one status: `error` narrowed to its codes, and only the fields those codes carry. */
function errorSchema(status: number, codes: string[], components: Record<string, unknown>): unknown {
  const shape =
    status === 400
      ? z.pick(ErrorView, { error: true, message: true, issues: true })
      : status === 409
        ? z.omit(ErrorView, { issues: true })
        : z.pick(ErrorView, { error: true, message: true });
  const ours =
    codes.length > 0
      ? schemaOf(z.extend(shape, { error: z.enum(codes as [string, ...string[]]) }), 'output', components)
      : undefined;
  if (!GATEWAY_STATUSES.has(status)) return ours;
  const gateway = schemaOf(GatewayErrorView, 'output', components);
  return ours ? { anyOf: [ours, gateway] } : gateway;
}

const RETRY_AFTER = {
  description: 'Seconds to wait before retrying (sent with UNAVAILABLE and IDEMPOTENCY_IN_PROGRESS)',
  required: false,
  schema: { type: 'string', pattern: '^[0-9]+$' },
};

function errorResponses(route: Route, components: Record<string, unknown>): Record<string, unknown> {
  const responses: Record<
    string,
    { description: string; headers?: unknown; content: Record<string, unknown> }
  > = Object.fromEntries(
    [...errorCodes(route)].map(([status, codes]) => [
      String(status),
      {
        description: `${STATUS_DESCRIPTIONS[status] ?? 'Error'}${codes.length > 0 ? `: ${codes.join(', ')}` : ''}`,
        ...(status === 503 || status === 409 ? { headers: { 'Retry-After': RETRY_AFTER } } : {}),
        content: { 'application/json': { schema: errorSchema(status, codes, components) } },
      },
    ]),
  );
  // A page route answers these as pages (the chain's own refusals stay JSON errors).
  for (const [status, description] of Object.entries(route.response.pages ?? {})) {
    const page = alternativeContent(route, description);
    const existing = responses[status];
    responses[status] = existing
      ? {
          ...existing,
          description: `${existing.description}; or, as a page, ${description}`,
          content: { ...existing.content, ...page },
        }
      : {
          description,
          ...(status === '503' || status === '429' ? { headers: { 'Retry-After': RETRY_AFTER } } : {}),
          content: page,
        };
  }
  return responses;
}

/** The success response's headers: the version as ETag, where a review was created, a replay. */
function successHeaders(route: Route): Record<string, unknown> {
  const headers: Record<string, unknown> = {};
  if (route.routeKey === 'GET /reviews/{id}') {
    headers.ETag = {
      description: 'The review version, quoted; send it back as expectedVersion',
      required: true,
      schema: { type: 'string', pattern: '^"[0-9]+"$' },
    };
  }
  if (route.response.status === 201) {
    headers.Location = { description: 'The new resource', required: true, schema: { type: 'string' } };
  }
  if (route.routeKey === 'GET /reports/timeliness') {
    headers['X-Next-Cursor'] = {
      description:
        "With text/csv: the next page's cursor (the JSON body's nextCursor); absent on the last page",
      required: false,
      schema: { type: 'string' },
    };
  }
  if (route.response.alternatives) {
    headers.Vary = {
      description: 'Accept: the answer takes the media type the request prefers',
      required: true,
      schema: { type: 'string', pattern: '(^|[\\s,])[Aa]ccept($|[\\s,])' },
    };
  }
  if (route.access === 'write') {
    headers['Idempotent-Replayed'] = {
      description: 'true when this is the stored answer to an earlier request with the same Idempotency-Key',
      required: false,
      schema: { type: 'string', enum: ['true'] },
    };
  }
  return headers;
}

/** The media types besides JSON a success answer comes in, chosen by `Accept`; each body is text. */
function alternativeContent(route: Route, description?: string): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(route.response.alternatives ?? {}).map(([mediaType, alternative]) => [
      mediaType,
      { schema: { type: 'string', description: description ?? alternative.description } },
    ]),
  );
}

function parameters(route: Route, components: Record<string, unknown>): unknown[] {
  const params: unknown[] = [];
  const pathSchemas = route.params
    ? ((schemaOf(route.params, 'input', components) as { properties?: Record<string, unknown> }).properties ??
      {})
    : {};
  for (const name of route.routeKey.matchAll(/\{(\w+)\}/g)) {
    const key = name[1] ?? '';
    params.push({ name: key, in: 'path', required: true, schema: pathSchemas[key] ?? { type: 'string' } });
  }
  if (route.query) {
    const json = schemaOf(route.query, 'input', components) as { properties?: Record<string, unknown> };
    for (const [name, schema] of Object.entries(json.properties ?? {})) {
      params.push({ name, in: 'query', required: false, schema });
    }
  }
  if (route.access === 'write') {
    params.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'A repeat with the same body returns the first answer without acting twice',
      schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' },
    });
  }
  return params;
}

/** The OpenAPI document for the given routes. */
export function openApiDocument(routes: Route[]): unknown {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  const components: Record<string, unknown> = {};
  for (const route of routes) {
    const [method = 'get', path = '/'] = route.routeKey.split(' ');
    const headers = successHeaders(route);
    paths[path] ??= {};
    paths[path][method.toLowerCase()] = {
      summary: route.summary,
      security: route.access === 'public' ? [] : [{ bearer: [] }],
      'x-required-role':
        route.access === 'write' ? 'secretariat' : route.access === 'read' ? 'secretariat or viewer' : 'none',
      parameters: parameters(route, components),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': { schema: schemaOf(route.body, 'input', components) },
                // Another media type is text the route reads into the JSON body's shape.
                ...Object.fromEntries(
                  Object.entries(route.request?.alternatives ?? {}).map(([type, { description }]) => [
                    type,
                    { schema: { type: 'string', description } },
                  ]),
                ),
              },
            },
          }
        : {}),
      responses: {
        [String(route.response.status)]: {
          description: route.response.pages
            ? 'The page'
            : route.response.alternatives
              ? `Success: JSON, or ${Object.keys(route.response.alternatives).join(' or ')} when Accept prefers it`
              : 'Success',
          ...(Object.keys(headers).length > 0 ? { headers } : {}),
          content: route.response.pages
            ? alternativeContent(route)
            : {
                'application/json': {
                  // A route without a response schema still answers a JSON object (GET /health, this document).
                  schema: route.response.schema
                    ? schemaOf(route.response.schema, 'output', components)
                    : { type: 'object' },
                },
                ...alternativeContent(route),
              },
        },
        ...errorResponses(route, components),
      },
    };
  }
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'untoc-review-tracker',
      version: '1.0.0',
      description:
        'Secretariat API of the UNTOC Review Mechanism tracker. Deadlines are dates in the time zone of record. ' +
        'Errors are { error, message, issues? }; in AWS, API Gateway answers some statuses itself with { message } only.',
    },
    components: {
      schemas: components,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    paths,
  };
  return cached;
}
