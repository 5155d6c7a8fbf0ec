import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';

/**
 * The contract check (DESIGN §4: "every response, errors included, matches /openapi.json"):
 * a response is matched to its operation by method and path template, its status must be
 * documented there, its body must validate against that status's schema (the schema of its
 * content type: JSON, or a documented text type such as text/csv) with a real JSON
 * Schema 2020-12 validator (Ajv2020, the dialect zod emits and OpenAPI 3.1 uses), and its
 * documented headers must be present when required and valid when sent.
 */

/** One response as the client saw it. */
export interface ObservedResponse {
  method: string;
  /** The request path, with or without a query string. */
  path: string;
  status: number;
  headers: Headers;
  /** The body as text (empty when there was none). */
  text: string;
}

interface HeaderObject {
  required?: boolean;
  schema?: unknown;
}
interface ResponseObject {
  headers?: Record<string, HeaderObject>;
  content?: Record<string, { schema?: unknown }>;
}
interface Operation {
  responses?: Record<string, ResponseObject>;
  requestBody?: { content?: Record<string, { schema?: unknown }> };
}
interface Document {
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

/** Where the document's component schemas live for ajv, so `$ref`s resolve across compiled schemas. */
const BASE = 'https://contract.invalid/components/schemas/';

function rebased(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${BASE}`));
}

function describeErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map(
    (e) => `${e.instancePath || '(root)'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`,
  );
}

/** A path template as a regex; `{x}` matches one segment. */
function templatePattern(template: string): RegExp {
  const source = template
    .split(/(\{\w+\})/)
    .map((part) => (/^\{\w+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

/** The checks a document allows: responses, and (for unit tests) request bodies. */
export interface Contract {
  /** The template and operation of a request, or undefined for a route the document does not have. */
  operationOf(method: string, path: string): { template: string; operation: Operation } | undefined;
  /** What is wrong with a response; empty when it matches the document. */
  responseProblems(response: ObservedResponse): string[];
  /** What the document's request body schema finds wrong with `body`; empty when it accepts it. */
  requestBodyProblems(method: string, template: string, body: unknown): string[];
}

/** Builds the checks for one OpenAPI document. */
export function openApiContract(document: unknown): Contract {
  const doc = document as Document;
  const ajv = new Ajv2020({ strict: true, allErrors: true, validateFormats: false });
  // OpenAPI's own annotation keyword, which zod's `.meta({ example })` writes.
  ajv.addKeyword({ keyword: 'example' });
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
    ajv.addSchema(rebased(schema) as object, `${BASE}${name}`);
  }
  const compiled = new Map<string, ValidateFunction>();
  const validator = (key: string, schema: unknown): ValidateFunction => {
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(rebased(schema) as object);
      compiled.set(key, validate);
    }
    return validate;
  };
  // Literal segments before parameters: a template with fewer parameters wins.
  const templates = Object.keys(doc.paths ?? {})
    .map((template) => ({ template, pattern: templatePattern(template) }))
    .sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));

  const operationOf: Contract['operationOf'] = (method, path) => {
    const pathname = new URL(path, 'http://contract.invalid').pathname;
    for (const { template, pattern } of templates) {
      const operation = doc.paths?.[template]?.[method.toLowerCase()];
      if (operation && pattern.test(pathname)) return { template, operation };
    }
    return undefined;
  };

  return {
    operationOf,

    responseProblems(response) {
      const route = `${response.method} ${new URL(response.path, 'http://contract.invalid').pathname}`;
      const found = operationOf(response.method, response.path);
      let body: unknown;
      let isJson = false;
      try {
        body = response.text ? JSON.parse(response.text) : undefined;
        isJson = response.text !== '';
      } catch {
        body = response.text;
      }
      if (!found) {
        // A method and path the API does not have: the gateway's 404, and nothing else.
        const error = (body as { error?: unknown } | undefined)?.error;
        return response.status === 404 && error === 'NOT_FOUND'
          ? []
          : [`${route} is not in the document, yet answered ${response.status} (only 404 NOT_FOUND may)`];
      }
      const { template, operation } = found;
      const documented = operation.responses?.[String(response.status)];
      if (!documented) {
        const statuses = Object.keys(operation.responses ?? {}).join(', ');
        return [`status ${response.status} is not documented for ${route} (documented: ${statuses})`];
      }
      const problems: string[] = [];
      for (const [name, header] of Object.entries(documented.headers ?? {})) {
        const value = response.headers.get(name);
        if (value === null) {
          if (header.required) problems.push(`header ${name} is required on ${response.status} but missing`);
          continue;
        }
        if (header.schema) {
          const validate = validator(
            `${template} ${response.method} ${response.status} header ${name}`,
            header.schema,
          );
          if (!validate(value)) {
            problems.push(
              `header ${name}: ${JSON.stringify(value)} ${describeErrors(validate.errors).join('; ')}`,
            );
          }
        }
      }
      // A documented media type other than JSON (text/csv): the body is text, checked as a string.
      const mediaType =
        (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      const text = /json/.test(mediaType) ? undefined : documented.content?.[mediaType];
      if (text) {
        if (text.schema) {
          const validate = validator(
            `${template} ${response.method} ${response.status} ${mediaType}`,
            text.schema,
          );
          if (!validate(response.text)) problems.push(...describeErrors(validate.errors));
        }
        return problems;
      }
      const content = documented.content?.['application/json'];
      if (!content) {
        if (response.text !== '') problems.push(`a body was sent where ${response.status} documents none`);
        return problems;
      }
      const contentType = response.headers.get('content-type') ?? '';
      if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) {
        problems.push(`content-type ${JSON.stringify(contentType)} where application/json is documented`);
      }
      if (!isJson) {
        problems.push('the body is not JSON');
        return problems;
      }
      if (content.schema) {
        const validate = validator(`${template} ${response.method} ${response.status}`, content.schema);
        if (!validate(body)) problems.push(...describeErrors(validate.errors));
      }
      return problems;
    },

    requestBodyProblems(method, template, body) {
      const operation = doc.paths?.[template]?.[method.toLowerCase()];
      const schema = operation?.requestBody?.content?.['application/json']?.schema;
      if (!schema) return [`${method} ${template} documents no JSON request body`];
      const validate = validator(`${template} ${method} request`, schema);
      return validate(body) ? [] : describeErrors(validate.errors);
    },
  };
}

/** A response that does not match the document: the test that received it fails with this. */
export class ContractViolationError extends Error {
  constructor(response: ObservedResponse, problems: string[]) {
    const body = response.text.length > 2000 ? `${response.text.slice(0, 2000)}…` : response.text;
    super(
      `${response.method} ${response.path} answered ${response.status}, which does not match /openapi.json:\n` +
        `${problems.map((p) => `  - ${p}`).join('\n')}\n  body: ${body}`,
    );
    this.name = 'ContractViolationError';
  }
}
