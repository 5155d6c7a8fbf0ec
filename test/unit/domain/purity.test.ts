import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const domainDir = join(import.meta.dirname, '../../../shared/domain');

describe('the domain core', () => {
  it('imports nothing from AWS, Lambda or middleware packages, and never reads the wall clock', () => {
    const files = readdirSync(domainDir).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      const source = readFileSync(join(domainDir, file), 'utf8');
      const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      // zod itself only through ./zod.ts (zod/mini with its locale set), as everywhere in shared/.
      const allowed = file === 'zod.ts' ? /^(\.\/|zod\/mini$|zod\/locales$)/ : /^\.\//;
      for (const spec of imports) {
        expect(spec, `${file} imports ${spec}`).toMatch(allowed);
      }
      expect(source, file).not.toMatch(/Date\.now\(|new Date\(\)|Temporal\.Now\.(instant|plainDate)/);
    }
  });
});
