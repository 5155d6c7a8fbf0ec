import type { InputIssue } from '#shared/domain/errors.ts';

/**
 * Keys refused anywhere in a JSON body (DESIGN §4). `JSON.parse` makes `__proto__` an own
 * property, but a spread, `Object.assign` or zod's record parsing treats it as the prototype:
 * the key is silently dropped (a focal point registered for nobody) or, in code that merges
 * objects, pollutes a prototype. `constructor` and `prototype` are refused with it, as no
 * field of this API is named so.
 */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Enough to show a client what to fix; a body full of forbidden keys need not be listed in full. */
const MAX_ISSUES = 20;

interface Node {
  value: unknown;
  /** The object key or array index that leads here from `parent`. */
  key: string;
  isIndex: boolean;
  parent: Node | undefined;
}

function pathOf(node: Node, prefix: string): string {
  const segments: string[] = [];
  for (let at: Node | undefined = node; at?.parent; at = at.parent) segments.push(at.key);
  if (prefix) segments.push(prefix);
  return segments.reverse().join('.');
}

/**
 * Every forbidden key in parsed JSON, in document order, each with its dotted path (array
 * indexes as numbers) under `prefix`. Walks with an explicit stack, so a 64 KB body nested
 * thousands of levels deep cannot overflow the call stack; paths are built only for the
 * keys found.
 */
export function forbiddenKeyIssues(json: unknown, prefix = ''): InputIssue[] {
  const issues: InputIssue[] = [];
  const stack: Node[] = [{ value: json, key: '', isIndex: false, parent: undefined }];
  for (let node = stack.pop(); node && issues.length < MAX_ISSUES; node = stack.pop()) {
    if (node.parent && !node.isIndex && FORBIDDEN_KEYS.has(node.key)) {
      issues.push({ path: pathOf(node, prefix), message: `${node.key} is not allowed as a key` });
    }
    const { value } = node;
    if (value === null || typeof value !== 'object') continue;
    const isArray = Array.isArray(value);
    // Own keys only: JSON.parse gives `__proto__` as one, and nothing inherited is JSON.
    const keys = isArray ? value.map((_, i) => String(i)) : Object.keys(value);
    // Pushed last key first, so the walk visits them in document order, depth first.
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] as string;
      stack.push({ value: (value as Record<string, unknown>)[key], key, isIndex: isArray, parent: node });
    }
  }
  return issues;
}
