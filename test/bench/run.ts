import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LocalRuntime, startLocal } from '#infra/local/local-runtime.ts';
import { buildBundles, bundleReport } from './bundle.ts';
import { HttpCallCounter } from './call-counters.ts';
import { coldImportReport, measureColdImports } from './cold-import.ts';
import { startDynamoFixture } from './dynamo-fixture.ts';
import { localApi } from './local-api.ts';
import { benchPipeline } from './pipeline.ts';
import { progress, quietOutput } from './quiet-output.ts';
import { type Metric, metricsTable, round, type SectionResult, writeResults } from './report.ts';
import { benchSweepRead } from './sweep-read.ts';
import { benchTimeliness } from './timeliness.ts';
import { benchTransitionCalls } from './transition-calls.ts';

/**
 * `npm run bench`: the DESIGN §6 targets, measured side by side in one run and reported as a
 * table on stdout and `bench-results.json`. A missed target is a finding, not a failure: the
 * exit code is non-zero only when the bench itself breaks.
 */

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RESULTS_FILE = join(PROJECT_ROOT, 'bench-results.json');

/** Knobs, each bounded so the whole run stays under ~10 minutes on two shared cores. */
const config = {
  coldImportRepeats: intFromEnv('BENCH_COLD_REPEATS', 7),
  sweepLoadSeconds: intFromEnv('BENCH_LOAD_SECONDS', 150),
  pipelineReviews: intFromEnv('BENCH_REVIEWS', 120),
  pipelineWave: intFromEnv('BENCH_WAVE', 30),
};
/** A hung emulator must not hang the bench: past this the run is abandoned as broken. */
const WATCHDOG_MS = 15 * 60_000;

function intFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

type Sections = Record<string, SectionResult>;
/** Set when a section crashed: the only case that makes the exit code non-zero. */
let broken = false;

/** Runs one section; a crash becomes a broken-bench row instead of hiding the other sections. */
async function section(sections: Sections, name: string, work: () => Promise<SectionResult>): Promise<void> {
  progress(`${name}…`);
  const started = Date.now();
  try {
    sections[name] = await work();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    progress(`${name} broke: ${error instanceof Error ? (error.stack ?? message) : message}`);
    sections[name] = {
      metrics: [{ section: name, name: 'bench broke', value: message.slice(0, 80), pass: false }],
      text: `${name}: broke (${message})`,
      details: { error: message },
    };
    broken = true;
  }
  progress(`${name} done in ${Math.round((Date.now() - started) / 1000)} s`);
}

async function bundleSections(sections: Sections): Promise<void> {
  const outDir = mkdtempSync(join(tmpdir(), 'untoc-bench-bundles-'));
  try {
    let bundles: Awaited<ReturnType<typeof buildBundles>> = [];
    await section(sections, 'bundle', async () => {
      bundles = await buildBundles(PROJECT_ROOT, outDir);
      return bundleReport(bundles);
    });
    if (bundles.length > 0) {
      await section(sections, 'cold import', async () =>
        coldImportReport(
          await measureColdImports(PROJECT_ROOT, bundles, config.coldImportRepeats),
          config.coldImportRepeats,
        ),
      );
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

async function dynamoSections(sections: Sections): Promise<void> {
  const fixture = await startDynamoFixture();
  try {
    await section(sections, 'sweep read', () => benchSweepRead(fixture, config.sweepLoadSeconds));
    await section(sections, 'transition calls', () => benchTransitionCalls(fixture));
  } finally {
    await fixture.stop();
  }
}

/** Counts the handlers' SDK requests to each emulator (the SES client talks to local mode's SES front). */
function sdkCallCounter(runtime: LocalRuntime): HttpCallCounter {
  const { endpoints } = runtime.emulators;
  const host = (url: string) => new URL(url).host;
  const sesFront = process.env.AWS_ENDPOINT_URL_SES ?? endpoints.ses;
  return new HttpCallCounter(
    new Map([
      [host(endpoints.dynamodb), 'dynamodb'],
      [host(endpoints.sqs), 'sqs'],
      [host(sesFront), 'ses'],
    ]),
  );
}

/** The local-mode sections; resolves to the number of problems local mode logged. */
async function localModeSections(sections: Sections): Promise<number> {
  let problems = 0;
  const runtime = await startLocal({
    port: 0,
    realTimeSchedules: false,
    // Into the log file with the handlers' output (stdout is redirected there).
    log: (message, error) => {
      problems++;
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error ?? '');
      process.stdout.write(`local runtime: ${message} ${detail}\n`);
    },
  });
  const counter = sdkCallCounter(runtime);
  counter.start();
  try {
    const api = localApi(runtime);
    await section(sections, 'pipeline', () =>
      benchPipeline(runtime, api, counter, { reviews: config.pipelineReviews, wave: config.pipelineWave }),
    );
    await section(sections, 'timeliness', () => benchTimeliness(runtime, api));
  } finally {
    counter.stop();
    await runtime.stop();
  }
  return problems;
}

async function main(): Promise<void> {
  const started = Date.now();
  const logFile = join(tmpdir(), `untoc-bench-${started}.log`);
  const out = quietOutput(logFile);
  const watchdog = setTimeout(() => {
    progress(`abandoned after ${WATCHDOG_MS / 60_000} minutes`);
    process.exit(1);
  }, WATCHDOG_MS);
  watchdog.unref();
  progress(`handler and runtime logs go to ${logFile}`);
  const sections: Sections = {};
  let runtimeProblems = 0;
  try {
    await bundleSections(sections);
    await dynamoSections(sections);
    runtimeProblems = await localModeSections(sections);
  } catch (error) {
    broken = true;
    progress(`broke: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  } finally {
    clearTimeout(watchdog);
  }

  const durationSeconds = (Date.now() - started) / 1000;
  const metrics: Metric[] = [
    ...Object.values(sections).flatMap((s) => s.metrics),
    { section: 'run', name: 'Problems logged by local mode', value: runtimeProblems },
    { section: 'run', name: 'Bench duration', value: round(durationSeconds, 0), unit: 's' },
  ];
  writeResults(RESULTS_FILE, {
    generatedAt: new Date(started).toISOString(),
    durationSeconds: round(durationSeconds, 1),
    machine: { cpus: cpus().length, node: process.version, platform: process.platform },
    config,
    logFile,
    broken,
    metrics,
    sections: Object.fromEntries(Object.entries(sections).map(([name, s]) => [name, s.details])),
  });
  out.print(
    Object.values(sections)
      .map((s) => `${s.text}\n`)
      .join('\n'),
  );
  out.print(metricsTable(metrics));
  out.print(`\nResults: ${RESULTS_FILE}; logs: ${logFile}`);
  await out.restore();
  process.exitCode = broken ? 1 : 0;
}

await main();
