import { mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { buildApp } from '#infra/app.ts';
import { resourcesOfType } from '#infra/local/template.ts';
import { type Metric, round, type SectionResult, textTable } from './report.ts';

/**
 * Bundle size per function. The house bundle is the one CDK itself builds from the house
 * construct (a synth with bundling on), so the bench measures what ships even while the
 * construct's esbuild settings change; beside it, the same entry bundled with
 * `NodejsFunction`'s defaults (CommonJS, unminified, `@aws-sdk/*` left to the runtime).
 */

const KB = 1024;
export const BUNDLE_LIMIT_KB = 350;

export interface FunctionBundles {
  /** The function's logical id prefix (`Api`, `Planner` …). */
  name: string;
  /** Source entry, relative to the project root. */
  entry: string;
  house: { file: string; bytes: number };
  cdkDefault: { file: string; bytes: number };
  /** The five packages that put the most bytes into the house bundle (from its metafile). */
  topContributors: { source: string; bytes: number }[];
}

/** The CommonJS view of `node:child_process`, whose `spawnSync` CDK looks up at call time. */
function childProcessModule(): typeof import('node:child_process') {
  return createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
}

/**
 * CDK runs esbuild as `spawnSync(<esbuild runner>, ['--bundle', <entry>, …, '--outfile=<dir>/index.mjs', …])`
 * and looks `spawnSync` up at call time. While the app synthesizes, this wrapper adds
 * `--metafile` next to the outfile (a side output: the bundle itself is unchanged) and keeps
 * esbuild's summary off the terminal.
 */
/** The esbuild command CDK ran for the last house bundle: the floor is built with the same one. */
interface EsbuildCommand {
  command: string;
  args: string[];
}
let lastHouseCommand: EsbuildCommand | undefined;

function withEsbuildMetafiles<T>(work: () => T): T {
  const childProcess = childProcessModule();
  const original = childProcess.spawnSync;
  const wrapper = (command: string, args: readonly string[] = [], options: object = {}) => {
    const outfile = args.find((a) => a.startsWith('--outfile='))?.slice('--outfile='.length);
    if (!args.includes('--bundle') || outfile === undefined) return original(command, args, options);
    lastHouseCommand = { command, args: [...args] };
    const metafile = `--metafile=${join(dirname(outfile), 'index.meta.json')}`;
    return original(command, [...args, metafile], { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  };
  childProcess.spawnSync = wrapper as typeof original;
  try {
    return work();
  } finally {
    childProcess.spawnSync = original;
  }
}

/** Synthesizes the app with bundling on; returns each function's asset directory by entry. */
function houseAssets(outDir: string): Map<string, { name: string; dir: string }> {
  const assembly = withEsbuildMetafiles(() =>
    buildApp({ 'aws:cdk:enable-asset-metadata': true }, { outdir: outDir }).app.synth(),
  );
  const stacks = assembly.stacks.map((s) => ({ stackName: s.stackName, template: s.template }));
  const assets = new Map<string, { name: string; dir: string }>();
  for (const { logicalId, resource } of resourcesOfType(stacks, 'AWS::Lambda::Function')) {
    const entry = resource.Metadata?.['untoc:entry'];
    const assetPath = resource.Metadata?.['aws:asset:path'];
    if (typeof entry !== 'string' || typeof assetPath !== 'string') continue;
    assets.set(entry, { name: logicalId.replace(/Function[0-9A-F]{8}$/, ''), dir: join(outDir, assetPath) });
  }
  return assets;
}

/** Groups a bundle input path by the package it comes from (the project's own code as one group). */
export function packageOf(inputPath: string): string {
  const parts = inputPath.split('node_modules/');
  if (parts.length < 2) return '(project code)';
  const [first = '', second = ''] = (parts.at(-1) ?? '').split('/');
  return first.startsWith('@') ? `${first}/${second}` : first;
}

function topContributors(metafile: Metafile): { source: string; bytes: number }[] {
  const output = Object.entries(metafile.outputs).find(([path]) => path.endsWith('.mjs'))?.[1];
  const bySource = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const source = packageOf(path);
    bySource.set(source, (bySource.get(source) ?? 0) + bytesInOutput);
  }
  return [...bySource]
    .map(([source, bytes]) => ({ source, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 5);
}

/** The bench's floor handler, a GetItem and nothing else (DESIGN §6). */
export const FLOOR_ENTRY = 'test/bench/floor.handler.ts';
/** The floor inside the house's invocation chain (Powertools on middy) and document client. */
export const HOUSE_FLOOR_ENTRY = 'test/bench/house-floor.handler.ts';

/**
 * Builds the floor with the very esbuild command CDK ran for a house bundle, only the entry
 * and the output swapped: the same format, minification, source map, aliases and banner.
 */
function floorBundle(projectRoot: string, outDir: string, entry: string): { file: string; bytes: number } {
  if (!lastHouseCommand) throw new Error('no house bundle was built, so the floor has no command to copy');
  const { command, args } = lastHouseCommand;
  const file = join(outDir, basename(entry, '.ts'), 'index.mjs');
  mkdirSync(dirname(file), { recursive: true });
  const floorArgs = args.map((arg, i) =>
    args[i - 1] === '--bundle'
      ? join(projectRoot, entry)
      : arg.startsWith('--outfile=')
        ? `--outfile=${file}`
        : arg,
  );
  const result = childProcessModule().spawnSync(command, floorArgs, {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.status !== 0) throw new Error(`bundling the floor failed: ${String(result.stderr).slice(-800)}`);
  return { file, bytes: statSync(file).size };
}

/** `NodejsFunction` with no bundling props on nodejs22.x: CommonJS, not minified, SDK external. */
async function cdkDefaultBundle(projectRoot: string, entry: string, outfile: string): Promise<void> {
  await build({
    absWorkingDir: projectRoot,
    entryPoints: [join(projectRoot, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    external: ['@aws-sdk/*'],
    logLevel: 'silent',
  });
}

/**
 * Builds both variants of every function under `outDir`, which gets a `node_modules` link to
 * the project's so the SDK-external bundles find `@aws-sdk/*` there, as Lambda's runtime
 * would provide it.
 */
export interface BuiltBundles {
  functions: FunctionBundles[];
  /** The floor handler, built with the house command. */
  floor: { file: string; bytes: number };
  /** The house floor (the floor in the house chain), built with the house command. */
  houseFloor: { file: string; bytes: number };
}

export async function buildBundles(projectRoot: string, outDir: string): Promise<BuiltBundles> {
  mkdirSync(join(outDir, 'cdk-default'), { recursive: true });
  symlinkSync(join(projectRoot, 'node_modules'), join(outDir, 'node_modules'), 'dir');
  const results: FunctionBundles[] = [];
  for (const [entry, asset] of houseAssets(join(outDir, 'cdk.out'))) {
    const houseFile = join(asset.dir, 'index.mjs');
    const metafile = JSON.parse(readFileSync(join(asset.dir, 'index.meta.json'), 'utf8')) as Metafile;
    const defaultFile = join(outDir, 'cdk-default', `${basename(entry, '.ts')}.cjs`);
    await cdkDefaultBundle(projectRoot, entry, defaultFile);
    results.push({
      name: asset.name,
      entry,
      house: { file: houseFile, bytes: statSync(houseFile).size },
      cdkDefault: { file: defaultFile, bytes: statSync(defaultFile).size },
      topContributors: topContributors(metafile),
    });
  }
  return {
    functions: results,
    floor: floorBundle(projectRoot, outDir, FLOOR_ENTRY),
    houseFloor: floorBundle(projectRoot, outDir, HOUSE_FLOOR_ENTRY),
  };
}

const kb = (bytes: number) => round(bytes / KB, 1);
const within = (b: FunctionBundles) => b.house.bytes <= BUNDLE_LIMIT_KB * KB;

export function bundleReport({ functions: bundles, floor, houseFloor }: BuiltBundles): SectionResult {
  const sizes = textTable([
    [
      'Function',
      'House KB',
      'CDK default KB',
      'House ÷ default',
      'House − floor KB',
      `≤ ${BUNDLE_LIMIT_KB} KB`,
    ],
    ...bundles.map((b) => [
      b.name,
      String(kb(b.house.bytes)),
      String(kb(b.cdkDefault.bytes)),
      `${round(b.house.bytes / b.cdkDefault.bytes, 2)}×`,
      String(kb(b.house.bytes - floor.bytes)),
      within(b) ? 'PASS' : 'FAIL',
    ]),
    ['Floor (GetItem only)', String(kb(floor.bytes)), '', '', '0', ''],
    [
      'House floor (+ Powertools, middy)',
      String(kb(houseFloor.bytes)),
      '',
      '',
      String(kb(houseFloor.bytes - floor.bytes)),
      '',
    ],
  ]);
  const contributors = textTable([
    ['Function', 'Top 5 contributors to the house bundle, KB (metafile)'],
    ...bundles.map((b) => [b.name, b.topContributors.map((c) => `${c.source} ${kb(c.bytes)}`).join(', ')]),
  ]);
  const metrics: Metric[] = [
    ...bundles.map((b) => ({
      section: '1 bundle',
      name: `${b.name} bundle (house ÷ CDK default ${round(b.house.bytes / b.cdkDefault.bytes, 2)}×, floor + ${kb(b.house.bytes - floor.bytes)} KB)`,
      value: kb(b.house.bytes),
      unit: 'KB',
      target: `≤ ${BUNDLE_LIMIT_KB} KB`,
      pass: within(b),
    })),
    {
      section: '1 bundle',
      name: 'Floor bundle (DynamoDB GetItem only, house esbuild command)',
      value: kb(floor.bytes),
      unit: 'KB',
    },
    {
      section: '1 bundle',
      name: 'House floor bundle (the floor in the Powertools chain every function starts with)',
      value: kb(houseFloor.bytes),
      unit: 'KB',
    },
  ];
  return {
    metrics,
    text:
      'Bundles (KB = 1,024 bytes of JS, source map not counted). House: built by CDK from the house ' +
      'construct; CDK default: NodejsFunction defaults (CJS, unminified, @aws-sdk/* external); floor: ' +
      `${FLOOR_ENTRY} built with the house esbuild command.\n` +
      `${sizes}\n\n${contributors}`,
    details: {
      floorKB: kb(floor.bytes),
      houseFloorKB: kb(houseFloor.bytes),
      functions: bundles.map((b) => ({
        name: b.name,
        entry: b.entry,
        houseKB: kb(b.house.bytes),
        cdkDefaultKB: kb(b.cdkDefault.bytes),
        ratio: round(b.house.bytes / b.cdkDefault.bytes, 3),
        overFloorKB: kb(b.house.bytes - floor.bytes),
        pass: within(b),
        topContributorsKB: b.topContributors.map((c) => ({ source: c.source, kb: kb(c.bytes) })),
      })),
    },
  };
}
