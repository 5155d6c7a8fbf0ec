import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LocalFunction, LocalInvocation } from '#infra/local/local-functions.ts';
import type { BuiltBundles } from './bundle.ts';
import { type Metric, round, type SectionResult, textTable } from './report.ts';
import { median } from './stats.ts';

/**
 * Cold start as users feel it (DESIGN §6): a fresh `node` per sample loads the deployed
 * bundle (source maps on, `NODE_OPTIONS=--enable-source-maps` as the template sets it) and
 * handles its first event against the running local emulators. The events and environments
 * are the ones local mode really gave each function during the bench (recorded through
 * `observeInvocation`), so every handler takes its usual path: its SDK clients sign, resolve
 * endpoints and make real calls. Each function is A/B alternated with the floor handler
 * (a GetItem, bundled with the same esbuild command); the ratio is of medians.
 * `BENCH_COLD_DEBUG=1` prints each child's output and handler result, to check that a replayed
 * event really did the function's work (a "1st call" of about 1 ms did none).
 */

export const COLD_START_TARGET = 1.6;
const SAMPLE_TIMEOUT_MS = 30_000;

/** Runs in the child: load, then one invocation; prints milliseconds from the process's time origin. */
const CHILD_SCRIPT = `
import { readFileSync } from "node:fs";
const [bundleUrl, handlerName, eventFile, timeoutMs] = process.argv.slice(1);
const event = JSON.parse(readFileSync(eventFile, "utf8"));
const started = performance.now();
const module = await import(bundleUrl);
const loaded = performance.now();
const handler = module[handlerName];
if (typeof handler !== "function") throw new Error("no handler " + handlerName);
const context = {
  functionName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? "bench", functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:bench", memoryLimitInMB: "512",
  awsRequestId: "bench-cold-start", logGroupName: "/aws/lambda/bench", logStreamName: "bench",
  callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => Number(timeoutMs) - (performance.now() - loaded), done() {}, fail() {}, succeed() {},
};
const result = await handler(event, context);
if (process.env.BENCH_COLD_DEBUG) process.stderr.write("RESULT " + JSON.stringify(result) + "\\n");
const invoked = performance.now();
process.stdout.write(JSON.stringify({ bootMs: started, loadMs: loaded - started, invokeMs: invoked - loaded }));
process.exit(0);
`;

interface Sample {
  /** Node's own start-up before the first line of the child script. */
  bootMs: number;
  loadMs: number;
  invokeMs: number;
}
/** What DESIGN §6 calls cold start: load plus first invocation. */
const coldMs = (s: Sample) => s.loadMs + s.invokeMs;

/** Keeps, per entry, the invocation to replay: the first one, or a later one `prefer` likes better. */
export class InvocationRecorder {
  private readonly kept = new Map<string, LocalInvocation>();
  constructor(private readonly prefer: (candidate: LocalInvocation) => boolean = () => false) {}

  readonly observe = (invocation: LocalInvocation): void => {
    const current = this.kept.get(invocation.entry);
    if (current && (this.prefer(current) || !this.prefer(invocation))) return;
    // A deep copy: the handler may not change what is replayed later.
    this.kept.set(invocation.entry, structuredClone(invocation));
  };

  get(entry: string): LocalInvocation | undefined {
    return this.kept.get(entry);
  }
}

function sample(
  projectRoot: string,
  bundleFile: string,
  handlerName: string,
  eventFile: string,
  environment: Record<string, string>,
  timeoutMs: number,
): Promise<Sample> {
  const args = [
    '--input-type=module',
    '-e',
    CHILD_SCRIPT,
    pathToFileURL(bundleFile).href,
    handlerName,
    eventFile,
    String(timeoutMs),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: projectRoot,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...(process.env.BENCH_COLD_DEBUG ? { BENCH_COLD_DEBUG: '1' } : {}),
        ...environment,
      },
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
      if (process.env.BENCH_COLD_DEBUG) process.stderr.write(`${bundleFile}:\n${out}\n${err}\n`);
      const parsed = /\{"bootMs":[\d.]+,"loadMs":[\d.]+,"invokeMs":[\d.]+\}/.exec(out);
      if (code !== 0 || !parsed) {
        reject(new Error(`cold start of ${bundleFile} failed (exit ${code}): ${err.slice(0, 800)}`));
        return;
      }
      resolve(JSON.parse(parsed[0]) as Sample);
    });
  });
}

export interface ColdStartResult {
  name: string;
  /** Whether the replayed event is one local mode gave the function, or a stand-in. */
  event: 'recorded' | 'stand-in';
  samples: { fn: Sample[]; floor: Sample[]; houseFloor: Sample[] };
  medianMs: {
    fn: number;
    floor: number;
    houseFloor: number;
    fnLoad: number;
    fnInvoke: number;
    boot: number;
  };
  /** fn ÷ floor, load + first invocation. */
  ratio: number;
}

/** A stand-in first event for a function local mode did not invoke during the bench. */
function standIn(entry: string): unknown {
  // Schedules get their tick; queue and topic consumers an empty batch.
  return /sweep|digest/.test(entry) ? { time: new Date().toISOString() } : { Records: [] };
}

/**
 * `repeats` samples per function and as many of the floor, alternated (function first on even
 * rounds, floor first on odd ones) so the machine's drift hits both alike.
 */
export async function measureColdStarts(
  projectRoot: string,
  built: BuiltBundles,
  recorder: InvocationRecorder,
  functions: ReadonlyMap<string, LocalFunction>,
  floorEnvironmentFrom: string,
  repeats: number,
): Promise<ColdStartResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'untoc-bench-cold-'));
  try {
    const functionOf = (entry: string) => {
      const fn = [...functions.values()].find((f) => f.entry === entry);
      if (!fn) throw new Error(`local mode has no function for ${entry}`);
      return fn;
    };
    const floorFunction = functionOf(floorEnvironmentFrom);
    const floorEnvironment = floorFunction.runtimeEnvironment();
    const floorEvent = join(dir, 'floor.json');
    writeFileSync(floorEvent, '{}');
    const results: ColdStartResult[] = [];
    for (const b of built.functions) {
      const recorded = recorder.get(b.entry);
      const eventFile = join(dir, `${b.name}.json`);
      writeFileSync(eventFile, JSON.stringify(recorded ? recorded.event : standIn(b.entry)));
      const environment = recorded ? recorded.environment : functionOf(b.entry).runtimeEnvironment();
      const handlerName = recorded?.handlerName ?? 'handler';
      const timeoutMs = functionOf(b.entry).timeoutSeconds * 1000;
      const samples: ColdStartResult['samples'] = { fn: [], floor: [], houseFloor: [] };
      const runFn = async () =>
        samples.fn.push(
          await sample(projectRoot, b.house.file, handlerName, eventFile, environment, timeoutMs),
        );
      const runFloor = async () =>
        samples.floor.push(
          await sample(
            projectRoot,
            built.floor.file,
            'handler',
            floorEvent,
            floorEnvironment,
            floorFunction.timeoutSeconds * 1000,
          ),
        );
      const runHouseFloor = async () =>
        samples.houseFloor.push(
          await sample(
            projectRoot,
            built.houseFloor.file,
            'handler',
            floorEvent,
            floorEnvironment,
            floorFunction.timeoutSeconds * 1000,
          ),
        );
      // Function and floor alternate (A/B, then B/A); the house floor, for information, comes last.
      for (let i = 0; i < repeats; i++) {
        if (i % 2 === 0) {
          await runFn();
          await runFloor();
        } else {
          await runFloor();
          await runFn();
        }
        await runHouseFloor();
      }
      const medianMs = {
        fn: median(samples.fn.map(coldMs)),
        floor: median(samples.floor.map(coldMs)),
        houseFloor: median(samples.houseFloor.map(coldMs)),
        fnLoad: median(samples.fn.map((s) => s.loadMs)),
        fnInvoke: median(samples.fn.map((s) => s.invokeMs)),
        boot: median([...samples.fn, ...samples.floor].map((s) => s.bootMs)),
      };
      results.push({
        name: b.name,
        event: recorded ? 'recorded' : 'stand-in',
        samples,
        medianMs,
        ratio: medianMs.fn / medianMs.floor,
      });
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function coldStartReport(results: ColdStartResult[], repeats: number): SectionResult {
  const ms = (v: number) => String(Math.round(v));
  const table = textTable([
    [
      'Function',
      'event',
      'load ms',
      '1st call ms',
      'cold ms',
      'floor ms',
      'cold ÷ floor',
      `≤ ${COLD_START_TARGET}×`,
      'house floor ms',
      'cold ÷ house floor',
    ],
    ...results.map((r) => [
      r.name,
      r.event,
      ms(r.medianMs.fnLoad),
      ms(r.medianMs.fnInvoke),
      ms(r.medianMs.fn),
      ms(r.medianMs.floor),
      `${round(r.ratio, 2)}×`,
      r.ratio <= COLD_START_TARGET ? 'PASS' : 'FAIL',
      ms(r.medianMs.houseFloor),
      `${round(r.medianMs.fn / r.medianMs.houseFloor, 2)}×`,
    ]),
  ]);
  const metrics: Metric[] = results.map((r) => ({
    section: '1 cold start',
    name: `${r.name} cold start: ${Math.round(r.medianMs.fn)} ms ÷ floor ${Math.round(r.medianMs.floor)} ms (${r.event} event)`,
    value: `${round(r.ratio, 2)}×`,
    target: `≤ ${COLD_START_TARGET}×`,
    pass: r.ratio <= COLD_START_TARGET,
  }));
  const boot = median(results.map((r) => r.medianMs.boot));
  const floorMs = median(results.map((r) => r.medianMs.floor));
  const houseFloorMs = median(results.map((r) => r.medianMs.houseFloor));
  metrics.push({
    section: '1 cold start',
    name: `House floor (GetItem in the Powertools chain): ${Math.round(houseFloorMs)} ms ÷ floor ${Math.round(floorMs)} ms`,
    value: `${round(houseFloorMs / floorMs, 2)}×`,
  });
  return {
    metrics,
    text:
      `Cold start, median of ${repeats} fresh node processes per function and as many of the floor, A/B ` +
      'alternated: load of the deployed bundle (source maps on) plus its first invocation with an event ' +
      `local mode gave it, against the emulators. Node's own boot (${Math.round(boot)} ms, the same for all) ` +
      'is not counted. The house floor (the same GetItem in the Powertools chain every function starts ' +
      `with) shows what the house's observability costs before any code of a function runs.\n${table}`,
    details: results.map((r) => ({
      name: r.name,
      event: r.event,
      ratio: round(r.ratio, 3),
      medianMs: Object.fromEntries(Object.entries(r.medianMs).map(([k, v]) => [k, round(v, 1)])),
      samplesMs: {
        fn: r.samples.fn.map((s) => round(coldMs(s), 1)),
        floor: r.samples.floor.map((s) => round(coldMs(s), 1)),
        houseFloor: r.samples.houseFloor.map((s) => round(coldMs(s), 1)),
      },
    })),
  };
}
