import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * One AWS SDK version line (issue 11): every client shares one `@aws-sdk/core` and one
 * `@smithy/core`, so a bundle never carries two copies of the SDK's machinery and the
 * clients the tests ran against are the clients that ship.
 */
const lock = JSON.parse(readFileSync(new URL('../../../package-lock.json', import.meta.url), 'utf8')) as {
  packages: Record<string, { version?: string }>;
};

function versionsOf(name: string): string[] {
  const versions = Object.entries(lock.packages)
    .filter(([path]) => path === `node_modules/${name}` || path.endsWith(`/node_modules/${name}`))
    .map(([, entry]) => entry.version ?? '?');
  return [...new Set(versions)];
}

describe('the AWS SDK in package-lock.json', () => {
  it.each(['@aws-sdk/core', '@smithy/core', '@aws-sdk/types', '@smithy/node-http-handler'])(
    'has exactly one version of %s',
    (name) => {
      expect(versionsOf(name)).toHaveLength(1);
    },
  );
});
