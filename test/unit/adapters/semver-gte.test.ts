import { createRequire } from 'node:module';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gte } from '#shared/adapters/semver-gte.ts';

/** semver itself (a dev dependency, untyped here): the oracle. */
const semver = createRequire(import.meta.url)('semver') as { gte(a: string, b: string): boolean };

/** The bundles' stand-in for semver (an esbuild alias) answers `gte` as semver itself does. */
describe('semver-gte', () => {
  const identifier = fc.oneof(fc.nat(20).map(String), fc.constantFrom('alpha', 'beta', 'rc', 'x-1'));
  const version = fc
    .tuple(
      fc.nat(30),
      fc.nat(30),
      fc.nat(30),
      fc.option(fc.array(identifier, { minLength: 1, maxLength: 3 })),
    )
    .map(([a, b, c, pre]) => `${a}.${b}.${c}${pre ? `-${pre.join('.')}` : ''}`);

  it('agrees with semver.gte on any two versions, prereleases included', () => {
    fc.assert(
      fc.property(version, version, (a, b) => {
        expect(gte(a, b)).toBe(semver.gte(a, b));
      }),
      { numRuns: 2000 },
    );
  });

  it("reads Node's own versions and those the X-Ray SDK compares", () => {
    expect(gte(process.versions.node, '8.0.0')).toBe(true);
    expect(gte('v22.23.3', '22.23.3')).toBe(true);
    expect(gte('2.999.0', '3.0.0')).toBe(false);
    expect(() => gte('banana', '1.0.0')).toThrow(TypeError);
  });
});
