/**
 * Lambda event filtering (the `FilterCriteria` of an event source mapping): the EventBridge
 * pattern subset CDK's `FilterRule` produces: exact values, `prefix`, `exists`,
 * `anything-but` and `numeric` comparisons, nested objects. A record passes when any filter
 * matches.
 */
export function matchesPattern(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.some((rule) => matchesRule(rule, value));
  if (pattern && typeof pattern === 'object') {
    if (!value || typeof value !== 'object') return false;
    return Object.entries(pattern as Record<string, unknown>).every(([key, sub]) =>
      matchesPattern(sub, (value as Record<string, unknown>)[key]),
    );
  }
  return pattern === value;
}

function matchesRule(rule: unknown, value: unknown): boolean {
  if (rule === null || typeof rule !== 'object') return value === rule;
  const r = rule as Record<string, unknown>;
  if ('exists' in r) return (value !== undefined) === r.exists;
  if (value === undefined) return false;
  if ('prefix' in r) return typeof value === 'string' && value.startsWith(String(r.prefix));
  if ('anything-but' in r) {
    const but = r['anything-but'];
    return Array.isArray(but) ? !but.includes(value) : value !== but;
  }
  if ('numeric' in r && Array.isArray(r.numeric)) {
    const ops = r.numeric as (string | number)[];
    const n = Number(value);
    for (let i = 0; i + 1 < ops.length; i += 2) {
      const [op, bound] = [ops[i], Number(ops[i + 1])];
      const ok = { '<': n < bound, '<=': n <= bound, '=': n === bound, '>': n > bound, '>=': n >= bound }[
        String(op)
      ];
      if (!ok) return false;
    }
    return true;
  }
  return matchesPattern(rule, value);
}

/** The mapping's filters (each a JSON pattern string); none means every record passes. */
export function passesFilters(filterCriteria: unknown, record: unknown): boolean {
  const filters = (filterCriteria as { Filters?: { Pattern?: string }[] } | undefined)?.Filters ?? [];
  if (filters.length === 0) return true;
  return filters.some((f) => matchesPattern(JSON.parse(f.Pattern ?? '{}'), record));
}
