import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventStreamSerde, eventStreamSerdeProvider } from '#shared/adapters/no-event-streams.ts';

const ROOT = new URL('../../..', import.meta.url).pathname;

/** The `@aws-sdk/client-*` packages the bundled code (shared/, functions/) imports. */
function bundledClients(): string[] {
  const clients = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts'))
        for (const m of readFileSync(path, 'utf8').matchAll(/from '(@aws-sdk\/client-[a-z0-9-]+)'/g))
          clients.add(m[1] as string);
    }
  };
  walk(join(ROOT, 'shared'));
  walk(join(ROOT, 'functions'));
  return [...clients].sort();
}

describe('the event-stream stand-in', () => {
  it('fails with a message naming the alias, whichever export is used', () => {
    expect(() => new EventStreamSerde()).toThrow(/aliases @smithy\/core\/event-streams away/);
    expect(() => eventStreamSerdeProvider()).toThrow(/no-event-streams\.ts/);
  });

  it('is safe: no client the functions import has an event-stream operation', () => {
    const clients = bundledClients();
    expect(clients).toContain('@aws-sdk/client-dynamodb');
    for (const client of clients) {
      // A client with event-stream operations wires `eventStreamSerdeProvider` into its runtime config.
      const config = readFileSync(join(ROOT, 'node_modules', client, 'dist-es', 'runtimeConfig.js'), 'utf8');
      expect(config, client).not.toContain('eventStreamSerdeProvider');
    }
    // The check itself can see one: S3 (SelectObjectContent) is in node_modules through fauxqs.
    const s3 = readFileSync(join(ROOT, 'node_modules/@aws-sdk/client-s3/dist-es/runtimeConfig.js'), 'utf8');
    expect(s3).toContain('eventStreamSerdeProvider');
  });
});
