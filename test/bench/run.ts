import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LocalInvocation } from '#infra/local/local-functions.ts';
import { type LocalRuntime, startLocal } from '#infra/local/local-runtime.ts';
import { type BuiltBundles, buildBundles, bundleReport } from './bundle.ts';
import { benchBurst } from './burst.ts';
import { HttpCallCounter } from './call-counters.ts';
import { COLD_START_TARGET, coldStartReport, InvocationRecorder, measureColdStarts } from './cold-start.ts';
import { startDynamoFixture } from './dynamo-fixture.ts';
import { localApi } from './local-api.ts';
import { benchPipeline } from './pipeline.ts';
import { progress, quietOutput } from './quiet-output.ts';
import {
  type Metric,
  metricsTable,
  round,
  type SectionResult,
  targetsMarkdown,
  writeResults,
} from './report.ts';
import { benchReportCost } from './report-cost.ts';
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
/** The judged rows as Markdown, ready for README's bench section. */
const TARGETS_FILE = join(PROJECT_ROOT, 'bench-results.md');

/** Knobs, each bounded so the whole run stays under ~10 minutes on two shared cores. */
const config = {
  coldStartRepeats: intFromEnv('BENCH_COLD_REPEATS', 7),
  sweepLoadSeconds: intFromEnv('BENCH_LOAD_SECONDS', 150),
  pipelineReviews: intFromEnv('BENCH_REVIEWS', 120),
  pipelineWave: intFromEnv('BENCH_WAVE', 30),
  burstSize: intFromEnv('BENCH_BURST', 5_000),
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

/** Builds the bundles (kept in `outDir` for the cold-start section, which needs local mode running). */
async function bundleSections(sections: Sections, outDir: string): Promise<BuiltBundles | undefined> {
  let built: BuiltBundles | undefined;
  await section(sections, 'bundle', async () => {
    built = await buildBundles(PROJECT_ROOT, outDir);
    return bundleReport(built);
  });
  return built;
}

/** The API's recorded event should be a read (replaying a write would only replay its answer). */
const API_ENTRY = 'functions/api.handler.ts';
const isApiRead = (invocation: LocalInvocation) =>
  invocation.entry === API_ENTRY &&
  (invocation.event as { requestContext?: { http?: { method?: string } } }).requestContext?.http?.method ===
    'GET';

async function dynamoSections(sections: Sections): Promise<void> {
  const fixture = await startDynamoFixture();
  try {
    await section(sections, 'sweep read', () => benchSweepRead(fixture, config.sweepLoadSeconds));
    await section(sections, 'transition calls', () => benchTransitionCalls(fixture));
    await section(sections, '09:00 burst', () => benchBurst(fixture, config.burstSize));
    await section(sections, 'report cost', () => benchReportCost(fixture));
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
async function localModeSections(sections: Sections, built: BuiltBundles | undefined): Promise<number> {
  let problems = 0;
  const recorder = new InvocationRecorder(isApiRead);
  const runtime = await startLocal({
    observeInvocation: recorder.observe,
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
    if (built) {
      const bundles = built;
      await section(sections, 'cold start', async () => {
        // One read through the API, so the API's replayed first event is a GET of a review.
        const listing = await api.request<{ items: { id: string }[] }>('GET', '/reviews?limit=1');
        const id = listing.json.items[0]?.id;
        if (id) await api.request('GET', `/reviews/${id}`);
        const results = await measureColdStarts(
          PROJECT_ROOT,
          bundles,
          recorder,
          runtime.functions,
          API_ENTRY,
          config.coldStartRepeats,
        );
        progress(
          `cold start: worst ${Math.max(...results.map((r) => r.ratio)).toFixed(2)}× the floor (target ${COLD_START_TARGET}×)`,
        );
        return coldStartReport(results, config.coldStartRepeats);
      });
    }
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
  const bundleDir = mkdtempSync(join(tmpdir(), 'untoc-bench-bundles-'));
  try {
    const built = await bundleSections(sections, bundleDir);
    await dynamoSections(sections);
    runtimeProblems = await localModeSections(sections, built);
  } catch (error) {
    broken = true;
    progress(`broke: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  } finally {
    clearTimeout(watchdog);
    rmSync(bundleDir, { recursive: true, force: true });
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
  writeFileSync(TARGETS_FILE, `${targetsMarkdown(metrics)}\n`);
  out.print(`\nResults: ${RESULTS_FILE} (targets as Markdown: ${TARGETS_FILE}); logs: ${logFile}`);
  await out.restore();
  process.exitCode = broken ? 1 : 0;
}

await main();
