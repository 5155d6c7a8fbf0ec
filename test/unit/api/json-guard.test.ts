import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forbiddenKeyIssues } from '#shared/api/json-guard.ts';

describe('forbiddenKeyIssues', () => {
  it('finds nothing in clean JSON, primitives and null', () => {
    expect(forbiddenKeyIssues(JSON.parse('{"a":{"b":[1,{"c":null}]},"proto":"__proto__"}'))).toEqual([]);
    for (const value of [null, 1, 'constructor', true, [], {}]) expect(forbiddenKeyIssues(value)).toEqual([]);
  });

  it('finds a __proto__ key that JSON.parse made an own property, with its path', () => {
    const json: unknown = JSON.parse('{"focalPoints":{"__proto__":{"name":"x"}}}');
    expect(forbiddenKeyIssues(json)).toEqual([
      { path: 'focalPoints.__proto__', message: '__proto__ is not allowed as a key' },
    ]);
  });

  it('finds constructor and prototype keys inside arrays, with the prefix given', () => {
    const json: unknown = JSON.parse(
      '{"reviewingStates":[{"state":"AUT"},{"constructor":{"prototype":1}}],"prototype":2}',
    );
    expect(forbiddenKeyIssues(json, 'body').map((i) => i.path)).toEqual([
      'body.reviewingStates.1.constructor',
      'body.reviewingStates.1.constructor.prototype',
      'body.prototype',
    ]);
  });

  it('walks very deep JSON without overflowing the stack', () => {
    const depth = 100_000;
    const json: unknown = JSON.parse(`${'{"a":'.repeat(depth)}{"__proto__":1}${'}'.repeat(depth)}`);
    const issues = forbiddenKeyIssues(json);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path.endsWith('a.__proto__')).toBe(true);
  });

  it('reports a bounded number of issues for a body full of them', () => {
    const json: unknown = JSON.parse(`[${Array.from({ length: 1000 }, () => '{"__proto__":1}').join(',')}]`);
    expect(forbiddenKeyIssues(json).length).toBeLessThanOrEqual(20);
    expect(forbiddenKeyIssues(json).length).toBeGreaterThan(0);
  });

  it('finds a forbidden key wherever it is placed in random JSON', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 4 }),
        fc.constantFrom('__proto__', 'constructor', 'prototype'),
        (value, key) => {
          const text = `{"x":[${JSON.stringify(value)},{"${key}":${JSON.stringify(value)}}]}`;
          expect(forbiddenKeyIssues(JSON.parse(text)).map((i) => i.path)).toContain(`x.1.${key}`);
        },
      ),
      { numRuns: 200 },
    );
  });
});
