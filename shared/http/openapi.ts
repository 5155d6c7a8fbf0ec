import * as z from 'zod';
import { ErrorView } from '#shared/api/schemas.ts';
import type { Route } from './route.ts';

/**
 * OpenAPI 3.1 generated from the routes' zod schemas (zod 4 emits JSON Schema 2020-12, the
 * dialect OpenAPI 3.1 uses). Built once per cold start and cached.
 */
let cached: unknown;

const ERRORS: Record<string, string> = {
  '400': 'Invalid input (with issues)',
  '401': 'No or bad token',
  '403': 'Wrong role',
  '404': 'Unknown review',
  '409':
    'ILLEGAL_TRANSITION, VERSION_CONFLICT (with currentVersion), REVIEW_PAUSED or IDEMPOTENCY_IN_PROGRESS',
  '413': 'Body over 64 KB',
  '415': 'Not JSON',
  '422': 'Idempotency-Key reused with another body',
};

/** Named schemas (`.meta({ id })`) land in components.schemas and are referenced from there. */
function schemaOf(schema: z.ZodType, io: 'input' | 'output', components: Record<string, unknown>): unknown {
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

function parameters(route: Route, components: Record<string, unknown>): unknown[] {
  const params: unknown[] = [];
  for (const name of route.routeKey.matchAll(/\{(\w+)\}/g)) {
    params.push({ name: name[1], in: 'path', required: true, schema: { type: 'string' } });
  }
  if (route.query) {
    const json = schemaOf(route.query, 'input', components) as { properties?: Record<string, unknown> };
    for (const [name, schema] of Object.entries(json.properties ?? {})) {
      params.push({ name, in: 'query', required: false, schema });
    }
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
    const errorResponses = Object.fromEntries(
      Object.entries(ERRORS)
        .filter(([code]) => route.access !== 'public' || code === '400')
        .map(([code, description]) => [
          code,
          {
            description,
            content: { 'application/json': { schema: schemaOf(ErrorView, 'output', components) } },
          },
        ]),
    );
    paths[path] ??= {};
    paths[path][method.toLowerCase()] = {
      summary: route.summary,
      security: route.access === 'public' ? [] : [{ bearer: [] }],
      'x-required-role':
        route.access === 'write' ? 'secretariat' : route.access === 'read' ? 'secretariat or viewer' : 'none',
      parameters: [
        ...parameters(route, components),
        ...(route.access === 'write'
          ? [
              {
                name: 'Idempotency-Key',
                in: 'header',
                required: false,
                schema: { type: 'string', maxLength: 255 },
              },
            ]
          : []),
      ],
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: schemaOf(route.body, 'input', components) } },
            },
          }
        : {}),
      responses: {
        [String(route.response.status)]: {
          description: 'Success',
          ...(route.response.schema
            ? {
                content: {
                  'application/json': { schema: schemaOf(route.response.schema, 'output', components) },
                },
              }
            : {}),
        },
        ...errorResponses,
      },
    };
  }
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'untoc-review-tracker',
      version: '1.0.0',
      description:
        'Secretariat API of the UNTOC Review Mechanism tracker. Deadlines are dates in the time zone of record.',
    },
    components: {
      schemas: components,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    paths,
  };
  return cached;
}
