import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layering of DESIGN §7, held the way `purity.test.ts` holds the domain: dependencies point
 * one way (functions → use cases → ports ← adapters), nothing in `shared/` imports `infra/`.
 * Each rule lists what a folder may not import; a wrong-way import fails here with its file.
 */

const ROOT = join(import.meta.dirname, '../../..');

/** Every `.ts` file below `dir`, relative to the project root. */
function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...sources(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** The specifiers a file imports (static imports and exports, and dynamic imports). */
function importsOf(source: string): string[] {
  return [...source.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1] ?? '');
}

/** The project folder an import lands in (`shared/ports`, `infra`), or the package for a bare one. */
function target(file: string, spec: string): string {
  if (spec.startsWith('#shared/')) return `shared/${spec.split('/')[1]}`;
  if (spec.startsWith('#infra/')) return 'infra';
  if (spec.startsWith('#functions/')) return 'functions';
  if (spec.startsWith('.')) {
    const resolved = relative(ROOT, join(ROOT, file, '..', spec));
    const [top, second] = resolved.split('/');
    return top === 'shared' ? `shared/${second}` : (top ?? '');
  }
  return spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec);
}

interface Rule {
  /** The folder whose files the rule is about. */
  folder: string;
  /** Folders and packages its files may not import. */
  forbidden: (string | RegExp)[];
  why: string;
}

const RULES: Rule[] = [
  {
    folder: 'shared',
    forbidden: ['infra', 'functions', 'aws-cdk-lib', 'constructs'],
    why: 'shared code is deployed in the functions; the CDK app reads it, never the other way',
  },
  {
    folder: 'shared/ports',
    forbidden: [/^shared\/(?!ports$|domain$)/, /^@aws-sdk\//, '@middy/core', 'aws-lambda'],
    why: 'ports are the interfaces use cases depend on: domain types only',
  },
  {
    folder: 'shared/use-cases',
    forbidden: [
      'shared/adapters',
      'shared/http',
      'shared/api',
      'shared/triggers',
      'shared/composition',
      'shared/manifest',
      /^@aws-sdk\//,
      '@middy/core',
      'aws-lambda',
      'zod',
    ],
    why: 'use cases see ports, the domain and the mail templates: no transport, no AWS, no event shapes',
  },
  {
    folder: 'shared/adapters',
    forbidden: [
      'shared/use-cases',
      'shared/http',
      'shared/api',
      'shared/triggers',
      'shared/composition',
      'shared/manifest',
    ],
    why: 'adapters implement ports; they call no use case and know nothing of HTTP or triggers',
  },
  {
    folder: 'shared/triggers',
    forbidden: ['shared/adapters', 'shared/use-cases', 'shared/http', /^@aws-sdk\//],
    why: 'a trigger chain parses its event and reports failures; what it calls is given to it',
  },
  {
    folder: 'shared/http',
    forbidden: ['shared/adapters', 'shared/triggers', /^@aws-sdk\//],
    why: 'the HTTP layer maps requests to use cases; adapters are composed in the handler',
  },
  {
    folder: 'shared/email',
    forbidden: ['shared/use-cases', 'shared/adapters', 'shared/http', /^@aws-sdk\//],
    why: 'mail rendering is pure: templates, MIME and calendar files from data',
  },
  {
    folder: 'shared/respond',
    forbidden: ['shared/use-cases', 'shared/adapters', 'shared/http', /^@aws-sdk\//],
    why: 'the focal-point page is rendered like mail: pure, from the view the use case builds',
  },
  {
    folder: 'functions',
    forbidden: ['infra'],
    why: 'a handler is bundled alone; the CDK app is not part of it',
  },
];

describe('layering (DESIGN §7)', () => {
  it.each(RULES)('keeps $folder clear of what it may not import', ({ folder, forbidden, why }) => {
    const files = sources(folder);
    expect(files.length).toBeGreaterThan(0);
    const wrong: string[] = [];
    for (const file of files) {
      for (const spec of importsOf(readFileSync(join(ROOT, file), 'utf8'))) {
        const lands = target(file, spec);
        if (forbidden.some((f) => (typeof f === 'string' ? lands === f : f.test(lands)))) {
          wrong.push(`${file} imports ${spec}`);
        }
      }
    }
    expect(wrong, why).toEqual([]);
  });

  it('builds every bundled schema with zod/mini, through shared/domain/zod.ts only', () => {
    // Classic zod in a bundle ships its whole API and its JSON Schema code (~57 KB); a classic
    // schema inside a mini one would bring it back, and only the house module sets the locale.
    const files = [...sources('shared'), ...sources('functions')];
    const wrong: string[] = [];
    for (const file of files) {
      for (const spec of importsOf(readFileSync(join(ROOT, file), 'utf8'))) {
        // Use cases parse nothing (their rule above forbids the package; this, the house module).
        if (file.startsWith('shared/use-cases/') && spec.endsWith('domain/zod.ts'))
          wrong.push(`${file} imports ${spec}`);
        if (!/^zod(\/|$)/.test(spec)) continue;
        const house = file === 'shared/domain/zod.ts' && (spec === 'zod/mini' || spec === 'zod/locales');
        if (!house) wrong.push(`${file} imports ${spec}`);
      }
    }
    expect(files).toContain('shared/domain/zod.ts');
    expect(wrong, "import * as z from '#shared/domain/zod.ts' instead").toEqual([]);
  });

  it('catches a wrong-way import (the rules can fail)', () => {
    const rule = RULES.find((r) => r.folder === 'shared');
    const spec = importsOf("import { REVIEWS_INDEXES } from '#infra/topology.ts';")[0] ?? '';
    expect(rule?.forbidden).toContain(target('shared/adapters/x.ts', spec));
    expect(target('shared/adapters/x.ts', '../../infra/topology.ts')).toBe('infra');
    expect(target('shared/use-cases/x.ts', '#shared/http/route.ts')).toBe('shared/http');
  });
});
