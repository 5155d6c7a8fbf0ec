/**
 * Stands in for `semver` in the Lambda bundles (an esbuild alias set by the house function):
 * the Powertools Tracer's X-Ray SDK and its `cls-hooked` call only `semver.gte`, on Node's
 * and the SDK's release versions, yet bundle two whole copies of semver (5 and 7, about
 * 28 KB). A test holds this `gte` to semver's own answers.
 */

/** `major.minor.patch` with an optional `v` and prerelease; a prerelease sorts before its release. */
function parts(version: string): [number, number, number, string] {
  const m = /^\s*v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?\s*$/.exec(version);
  if (!m) throw new TypeError(`Invalid Version: ${version}`);
  return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] ?? ''];
}

/** semver's prerelease order: numeric identifiers numerically and before alphanumeric ones. */
function comparePrerelease(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i];
    const q = y[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    if (p === q) continue;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) return Number(p) < Number(q) ? -1 : 1;
    if (pn) return -1;
    if (qn) return 1;
    return p < q ? -1 : 1;
  }
  return 0;
}

/** True when version `a` is greater than or equal to `b`. */
export function gte(a: string, b: string): boolean {
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i] as number) > (y[i] as number);
  return comparePrerelease(x[3], y[3]) >= 0;
}

export default { gte };
