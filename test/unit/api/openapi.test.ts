import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as errors from '#shared/domain/errors.ts';
import { apiRoutes } from '#shared/http/api-routes.ts';
import { openApiDocument } from '#shared/http/openapi.ts';
import { openApiContract } from '../../integration/support/openapi-contract.ts';

const root = join(import.meta.dirname, '../../..');
const document = openApiDocument(apiRoutes) as {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
};
const contract = openApiContract(document);

/** Every (status, code) pair the document lists on some route. */
function documentedPairs(): Set<string> {
  const pairs = new Set<string>();
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(operations)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        for (const code of JSON.stringify(response).matchAll(/"enum":\[([^\]]*)\]/g)) {
          for (const name of (code[1] ?? '').matchAll(/"([A-Z_]+)"/g)) pairs.add(`${status} ${name[1]}`);
        }
      }
    }
  }
  return pairs;
}

/** A response as local mode would send it. */
const answer = (
  method: string,
  path: string,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) =>
  contract.responseProblems({
    method,
    path,
    status,
    headers: new Headers({ 'content-type': 'application/json', ...headers }),
    text: JSON.stringify(body),
  });

describe('the OpenAPI document', () => {
  it('lists every status and error code the HTTP chain and the local gateway answer with', () => {
    const sources = ['shared/http/http-middlewares.ts', 'infra/local/local-api-gateway.ts'].map((f) =>
      readFileSync(join(root, f), 'utf8'),
    );
    const answered = new Set<string>();
    for (const source of sources) {
      for (const m of source.matchAll(/new HttpError\(\s*(\d{3}),\s*'([A-Z_]+)'/g))
        answered.add(`${m[1]} ${m[2]}`);
      for (const m of source.matchAll(
        /(?:jsonResponse|send)\(\s*(?:res,\s*)?(\d{3}),\s*\{\s*error:\s*'([A-Z_]+)'/g,
      )) {
        answered.add(`${m[1]} ${m[2]}`);
      }
    }
    // Only for a method and path the API does not have, which the document cannot list.
    answered.delete('404 NOT_FOUND');
    expect(answered.size).toBeGreaterThan(10);
    const documented = documentedPairs();
    for (const pair of answered) expect(documented, pair).toContain(pair);
  });

  it('lists the code of every domain error under the status the mapper gives its family', () => {
    const documented = documentedPairs();
    const args = ['launched', 'completed', []];
    for (const value of Object.values(errors)) {
      if (typeof value !== 'function' || !(value.prototype instanceof errors.DomainError)) continue;
      if (Object.getPrototypeOf(value) === errors.DomainError && value !== errors.InvalidInputError) continue;
      const error = new (value as new (...a: unknown[]) => errors.DomainError)(...args);
      const status =
        error instanceof errors.ConflictError ? 409 : error instanceof errors.NotFoundError ? 404 : 400;
      expect(documented, `${value.name}`).toContain(`${status} ${error.code}`);
    }
  });

  it('compiles every schema it holds with a strict JSON Schema 2020-12 validator', () => {
    for (const [template, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          // A page (the focal-point page's answers) is text: its schema is a string, no JSON to compile.
          if (!(response as { content?: Record<string, unknown> }).content?.['application/json']) continue;
          // An empty body is no JSON: the check must say so, which it can only once the schema compiled.
          const problems = contract.responseProblems({
            method: method.toUpperCase(),
            path: template,
            status: Number(status),
            headers: new Headers({ 'content-type': 'application/json' }),
            text: '',
          });
          expect(problems, `${method} ${template} ${status}`).toContain('the body is not JSON');
        }
      }
    }
  });

  it('refuses the request bodies the server refuses', () => {
    const fp = { name: 'Anna Huber', email: 'anna@aut.example', language: 'en' };
    const path = '/reviews/{id}/focal-points/{state}';
    expect(contract.requestBodyProblems('PUT', path, fp)).toEqual([]);
    for (const name of ['', '   ', '\t', 'a\u0000b', 'a\u202eb', 'a\u0085b', 'a\nb']) {
      expect(contract.requestBodyProblems('PUT', path, { ...fp, name }), JSON.stringify(name)).not.toEqual(
        [],
      );
    }
    for (const reason of ['  ', 'a\u0007b', 'a\u2066b']) {
      expect(contract.requestBodyProblems('POST', '/reviews/{id}/pause', { reason })).not.toEqual([]);
    }
    expect(contract.requestBodyProblems('POST', '/reviews/{id}/pause', { reason: 'a\r\n\tb' })).toEqual([]);
    const newReview = {
      stateUnderReview: 'GRC',
      cluster: 1,
      instruments: ['UNTOC'],
      reviewingStates: [
        { state: 'AUT', instruments: ['UNTOC'] },
        { state: 'BRA', instruments: ['UNTOC'] },
      ],
      language: 'en',
      launchedAt: '2027-01-11',
      focalPoints: { AUT: fp },
    };
    expect(contract.requestBodyProblems('POST', '/reviews', newReview)).toEqual([]);
    for (const bad of [
      { launchedAt: '1999-12-31' },
      { launchedAt: '2101-01-01' },
      { stateUnderReview: 'ZZZ' },
      { focalPoints: { XXX: fp } },
      { instruments: ['UNTOC', 'UNTOC'] },
      {
        reviewingStates: [
          { state: 'AUT', instruments: ['UNTOC', 'UNTOC'] },
          { state: 'BRA', instruments: ['UNTOC'] },
        ],
      },
    ]) {
      expect(
        contract.requestBodyProblems('POST', '/reviews', { ...newReview, ...bad }),
        JSON.stringify(bad),
      ).not.toEqual([]);
    }
    expect(
      contract.requestBodyProblems('POST', '/reviews/{id}/deadline', { deadline: '2100-12-31', reason: 'x' }),
    ).toEqual([]);
    expect(
      contract.requestBodyProblems('POST', '/reviews/{id}/deadline', { deadline: '2101-01-01', reason: 'x' }),
    ).not.toEqual([]);
  });

  it('documents every field of a stored notification, all optional ones set', () => {
    const notification = {
      id: 'n1',
      reviewId: 'r1',
      kind: 'undeliverable',
      stage: 'launched',
      stageEpoch: 1,
      deadline: '2027-01-25',
      occurrence: 1,
      offsetDays: 0,
      audience: 'secretariat',
      recipientState: 'AUT',
      dueAt: '2027-01-12T08:00:00Z',
      status: 'sent',
      reason: 'why',
      queuedAt: '2027-01-12T08:00:01Z',
      sentAt: '2027-01-12T08:00:02Z',
      deliveries: [
        {
          recipient: 'SECRETARIAT',
          status: 'sent',
          messageId: 'm1',
          reason: 'r',
          at: '2027-01-12T08:00:02Z',
        },
      ],
      detail: { state: 'AUT', cause: 'bounce', addressHint: 'a***@aut.example' },
    };
    expect(answer('GET', '/reviews/r1/notifications', 200, { items: [notification] })).toEqual([]);
    expect(
      answer('GET', '/reviews/r1/notifications', 200, { items: [{ ...notification, extra: 1 }] }),
    ).not.toEqual([]);
  });

  it('allows the fields each error code carries, and only the codes of the route', () => {
    const path = '/reviews/r1/transitions';
    const illegal = {
      error: 'ILLEGAL_TRANSITION',
      message: 'x',
      from: 'launched',
      to: 'completed',
      allowed: ['self_assessment'],
    };
    expect(answer('POST', path, 409, illegal)).toEqual([]);
    expect(answer('POST', path, 409, { error: 'VERSION_CONFLICT', message: 'x', currentVersion: 3 })).toEqual(
      [],
    );
    expect(answer('POST', path, 409, { error: 'REVIEW_NOT_PAUSED', message: 'x' })).not.toEqual([]);
    expect(answer('POST', '/reviews/r1/resume', 409, { error: 'REVIEW_NOT_PAUSED', message: 'x' })).toEqual(
      [],
    );
    expect(
      answer('PUT', '/reviews/r1/focal-points/AUT', 409, { error: 'REVIEW_COMPLETED', message: 'x' }),
    ).toEqual([]);
    expect(answer('GET', '/reviews', 500, { error: 'INTERNAL', message: 'x' })).toEqual([]);
    expect(answer('GET', '/reviews', 500, { message: 'Internal Server Error' })).toEqual([]);
    expect(answer('GET', '/reviews', 500, { error: 'OOPS', message: 'x' })).not.toEqual([]);
    expect(answer('GET', '/reviews', 418, { error: 'INTERNAL', message: 'x' })).toEqual([
      expect.stringContaining('status 418 is not documented for GET /reviews'),
    ]);
    expect(
      answer('POST', '/reviews', 503, { error: 'UNAVAILABLE', message: 'x' }, { 'retry-after': '2' }),
    ).toEqual([]);
    expect(
      answer('POST', '/reviews', 503, { error: 'UNAVAILABLE', message: 'x' }, { 'retry-after': 'soon' }),
    ).not.toEqual([]);
  });

  it('requires the ETag on a review read and checks the headers it documents', () => {
    const review = answer('GET', '/reviews/r1', 200, {});
    expect(review).toContain('header ETag is required on 200 but missing');
    expect(answer('GET', '/reviews/nope', 404, { error: 'REVIEW_NOT_FOUND', message: 'x' })).toEqual([]);
    expect(answer('GET', '/nowhere', 404, { error: 'NOT_FOUND', message: 'x' })).toEqual([]);
    expect(answer('GET', '/nowhere', 200, {})).not.toEqual([]);
  });
});
