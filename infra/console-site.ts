import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The Secretariat console's static site (DESIGN §10): where its source is, how it is built (Vite,
 * a dev dependency: part of the normal build, no second toolchain), and the response headers it is
 * served with. CloudFront's response headers policy and local mode's static server both take the
 * headers from {@link consoleHeaderPolicy}, so the two cannot drift.
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The console's source folder (`console/`: index.html, src/, vite.config.ts). */
export const CONSOLE_SOURCE_DIR = join(ROOT, 'console');
const VITE_BIN = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
/** What the build reads besides the console's own folder. */
const BUILD_INPUTS = [CONSOLE_SOURCE_DIR, join(ROOT, 'shared', 'http', 'console-config.ts')];

function filesUnder(path: string): string[] {
  const stat = statSync(path);
  if (!stat.isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => name !== 'dist' && name !== 'node_modules')
    .sort()
    .flatMap((name) => filesUnder(join(path, name)));
}

/** A hash of everything the build reads (and of the lock file, for the toolchain's versions). */
export function consoleSourceHash(): string {
  const hash = createHash('sha256');
  for (const file of [...BUILD_INPUTS.flatMap(filesUnder), join(ROOT, 'package-lock.json')]) {
    hash.update(relative(ROOT, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

function viteArgs(outDir: string): string[] {
  return [VITE_BIN, 'build', CONSOLE_SOURCE_DIR, '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'];
}

/** Builds the console into `outDir` and waits (CDK's local bundling is synchronous). */
export function buildConsoleSync(outDir: string): void {
  const result = spawnSync(process.execPath, viteArgs(outDir), { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`console build failed (vite exit ${result.status}):\n${result.stderr}${result.stdout}`);
  }
}

const building = new Map<string, Promise<string>>();

/**
 * The console built once per source hash, under `node_modules/.cache/untoc-console/<hash>`:
 * parallel test files and `npm start` share one build, and an edit to the console's sources is
 * rebuilt on the next page load. Built into a temporary folder first and
 * renamed, so a reader never sees half a build.
 */
let lastHash: { at: number; hash: string } | undefined;
/** Sources are hashed at most once a second: a page load asks for several files at once. */
const HASH_REUSE_MS = 1000;

export function builtConsole(): Promise<string> {
  if (lastHash === undefined || Date.now() - lastHash.at > HASH_REUSE_MS) {
    lastHash = { at: Date.now(), hash: consoleSourceHash() };
  }
  const hash = lastHash.hash;
  const cacheDir = join(ROOT, 'node_modules', '.cache', 'untoc-console');
  const dir = join(cacheDir, hash);
  const existing = building.get(dir);
  if (existing) return existing;
  const work = (async () => {
    if (existsSync(join(dir, 'index.html'))) return dir;
    mkdirSync(cacheDir, { recursive: true });
    const temporary = `${dir}.${process.pid}.${Date.now()}.tmp`;
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, viteArgs(temporary), {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
      });
      child.stderr.on('data', (chunk) => {
        output += chunk;
      });
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`console build failed (vite exit ${code}):\n${output}`)),
      );
    });
    try {
      renameSync(temporary, dir);
    } catch (error) {
      // Another process finished the same build first: use theirs.
      rmSync(temporary, { recursive: true, force: true });
      if (!existsSync(join(dir, 'index.html'))) throw error;
    }
    return dir;
  })();
  building.set(dir, work);
  work.catch(() => building.delete(dir));
  return work;
}

/** The console's response headers, as CloudFront's response headers policy sets them. */
export interface ConsoleHeaderPolicy {
  /** No inline script or style, no framing, nothing fetched but from itself, the API and the sign-in. */
  readonly contentSecurityPolicy: string;
  readonly strictTransportSecurity: { readonly maxAgeSeconds: number; readonly includeSubdomains: true };
  readonly frameOptions: 'DENY';
  readonly referrerPolicy: 'no-referrer';
  readonly contentTypeOptions: 'nosniff';
}

/** Two years, as hstspreload.org asks. */
const HSTS_MAX_AGE_SECONDS = 63_072_000;

/**
 * The header policy for a console that calls the API at `apiOrigins` and signs in through
 * `identityOrigins` (the token endpoint is fetched; the authorize endpoint is navigated to).
 * Origins may be CDK tokens; they are joined, never parsed.
 */
export function consoleHeaderPolicy(sources: {
  apiOrigins: readonly string[];
  identityOrigins: readonly string[];
}): ConsoleHeaderPolicy {
  const connect = ["'self'", ...sources.apiOrigins, ...sources.identityOrigins].join(' ');
  return {
    contentSecurityPolicy: [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      `connect-src ${connect}`,
      "manifest-src 'self'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "object-src 'none'",
    ].join('; '),
    strictTransportSecurity: { maxAgeSeconds: HSTS_MAX_AGE_SECONDS, includeSubdomains: true },
    frameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    contentTypeOptions: 'nosniff',
  };
}

/** The policy as HTTP response headers (local mode sends exactly these). */
export function consoleHeaders(policy: ConsoleHeaderPolicy): Record<string, string> {
  return {
    'content-security-policy': policy.contentSecurityPolicy,
    'strict-transport-security': `max-age=${policy.strictTransportSecurity.maxAgeSeconds}; includeSubDomains`,
    'x-frame-options': policy.frameOptions,
    'referrer-policy': policy.referrerPolicy,
    'x-content-type-options': policy.contentTypeOptions,
  };
}
