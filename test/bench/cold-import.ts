import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FunctionBundles } from './bundle.ts';
import { type Metric, round, type SectionResult, textTable } from './report.ts';
import { median } from './stats.ts';

/**
 * Cold import: a fresh `node` per sample, timing only `await import(module)` (not node's own
 * boot, which is the same for every variant). Three variants per function:
 * - `house`: the minified bundle with the SDK inside (what is deployed);
 * - `cdkDefault`: `NodejsFunction`'s default bundle (CommonJS, unminified, `@aws-sdk/*`
 *   external and loaded from node_modules file by file, as from Lambda's runtime). This is the
 *   baseline of the ratio: it is what deploying without the house settings gives, and as plain
 *   JavaScript no transpiler cost inflates it;
 * - `source`: the `.ts` entry through tsx's loader, shown for information only: its time is
 *   mostly tsx transforming (or reading its cache for) each file, which no deployment pays.
 */

export const COLD_IMPORT_TARGET = 0.4;
const SAMPLE_TIMEOUT_MS = 30_000;

type Variant = 'house' | 'cdkDefault' | 'source';
const VARIANTS: Variant[] = ['house', 'cdkDefault', 'source'];

/** Dummy values for every variable an env schema of shared/config/env.ts requires; no network at init. */
const HANDLER_ENV: Record<string, string> = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  REVIEWS_TABLE: 'bench-reviews',
  NOTIFICATIONS_TABLE: 'bench-notifications',
  IDEMPOTENCY_TABLE: 'bench-idempotency',
  FOCAL_POINT_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/bench-focal-point',
  ESCALATION_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/bench-escalation',
  PLANNER_DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/bench-planner-dlq',
  SIGNING_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:bench-signing',
  SENDER_EMAIL: 'no-reply@example.org',
  SENDER_NAME: 'UNODC Review Mechanism',
  SECRETARIAT_EMAIL: 'untoc.review@example.org',
  SES_CONFIGURATION_SET: 'bench',
  TIME_ZONE_OF_RECORD: 'Europe/Vienna',
  GROUPS_CLAIM: 'cognito:groups',
  POWERTOOLS_SERVICE_NAME: 'untoc-review-tracker',
  POWERTOOLS_LOG_LEVEL: 'INFO',
};

/** Runs in the child: imports the module given as argv[1], prints the milliseconds it took. */
const CHILD_SCRIPT = `
const started = performance.now();
const module = await import(process.argv[1]);
const ms = performance.now() - started;
if (typeof (module.handler ?? module.default?.handler) !== "function") throw new Error("no handler export");
process.stdout.write(JSON.stringify({ ms }));
process.exit(0);
`;

function sample(projectRoot: string, moduleUrl: string, withTsx: boolean): Promise<number> {
  const args = [
    ...(withTsx ? ['--import', 'tsx'] : []),
    '--input-type=module',
    '-e',
    CHILD_SCRIPT,
    moduleUrl,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...HANDLER_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: SAMPLE_TIMEOUT_MS,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const parsed = /\{"ms":[\d.]+\}/.exec(out);
      if (code !== 0 || !parsed) {
        reject(new Error(`cold import of ${moduleUrl} failed (exit ${code}): ${err.slice(-800)}`));
        return;
      }
      resolve((JSON.parse(parsed[0]) as { ms: number }).ms);
    });
  });
}

export interface ColdImportResult {
  name: string;
  samplesMs: Record<Variant, number[]>;
  medianMs: Record<Variant, number>;
  /** house ÷ cdkDefault. */
  ratio: number;
}

/** `repeats` samples per variant and function, variants interleaved so drift hits all alike. */
export async function measureColdImports(
  projectRoot: string,
  bundles: FunctionBundles[],
  repeats: number,
): Promise<ColdImportResult[]> {
  const results: ColdImportResult[] = [];
  for (const b of bundles) {
    const urls: Record<Variant, string> = {
      house: pathToFileURL(b.house.file).href,
      cdkDefault: pathToFileURL(b.cdkDefault.file).href,
      source: pathToFileURL(join(projectRoot, b.entry)).href,
    };
    const samplesMs: Record<Variant, number[]> = { house: [], cdkDefault: [], source: [] };
    // One untimed tsx run first: it fills tsx's transform cache, as any second run finds it.
    await sample(projectRoot, urls.source, true);
    for (let i = 0; i < repeats; i++) {
      const order = i % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
      for (const variant of order) {
        samplesMs[variant].push(await sample(projectRoot, urls[variant], variant === 'source'));
      }
    }
    const medianMs = {
      house: median(samplesMs.house),
      cdkDefault: median(samplesMs.cdkDefault),
      source: median(samplesMs.source),
    };
    results.push({ name: b.name, samplesMs, medianMs, ratio: medianMs.house / medianMs.cdkDefault });
  }
  return results;
}

export function coldImportReport(results: ColdImportResult[], repeats: number): SectionResult {
  const ms = (v: number) => String(Math.round(v));
  const table = textTable([
    ['Function', 'house ms', 'CDK default ms', 'tsx source ms', 'house ÷ CDK default', 'house ÷ tsx source'],
    ...results.map((r) => [
      r.name,
      ms(r.medianMs.house),
      ms(r.medianMs.cdkDefault),
      ms(r.medianMs.source),
      `${round(r.ratio, 2)}×`,
      `${round(r.medianMs.house / r.medianMs.source, 2)}×`,
    ]),
  ]);
  const metrics: Metric[] = results.map((r) => ({
    section: '1 cold import',
    name: `${r.name} import: house ${Math.round(r.medianMs.house)} ms ÷ CDK default ${Math.round(r.medianMs.cdkDefault)} ms`,
    value: `${round(r.ratio, 2)}×`,
    target: `≤ ${COLD_IMPORT_TARGET}×`,
    pass: r.ratio <= COLD_IMPORT_TARGET,
  }));
  return {
    metrics,
    text:
      `Cold import, median of ${repeats} fresh node processes each, import() only ` +
      `(baseline: the CDK default bundle; tsx source for information):\n${table}`,
    details: results.map((r) => ({
      name: r.name,
      medianMs: {
        house: round(r.medianMs.house, 1),
        cdkDefault: round(r.medianMs.cdkDefault, 1),
        tsxSource: round(r.medianMs.source, 1),
      },
      ratioHouseToCdkDefault: round(r.ratio, 3),
      ratioHouseToTsxSource: round(r.medianMs.house / r.medianMs.source, 3),
      samplesMs: Object.fromEntries(
        Object.entries(r.samplesMs).map(([k, v]) => [k, v.map((x) => round(x, 1))]),
      ),
    })),
  };
}
