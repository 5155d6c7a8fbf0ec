// Runs one local emulator for `infra/local/emulators.ts` and dies together with the process that started it.
//
// Plain JavaScript on purpose: it runs under bare `node` (Node 20 cannot strip types), so every emulator
// child starts in tens of milliseconds without a TypeScript loader.
//
// The parent holds the write end of our stdin pipe. The kernel closes it however the parent ends (exit,
// crash, SIGKILL), so stdin reaching its end is the one signal that cannot be missed.
//
// Usage:
//   node emulator-child.mjs sqs <port>          fauxqs, in this process, on 127.0.0.1
//   node emulator-child.mjs ses <port>          aws-ses-v2-local, in this process, on 127.0.0.1
//   node emulator-child.mjs exec <cmd> [args…]  any other program, killed when we are told to stop

import { spawn } from 'node:child_process';

/** How long a supervised program may take to exit after SIGTERM before it gets SIGKILL. */
const KILL_GRACE_MS = 3_000;

const [mode, ...rest] = process.argv.slice(2);

/**
 * Calls `onParentGone` once the parent can no longer talk to us.
 * @param {() => void} onParentGone
 */
function watchParent(onParentGone) {
  process.stdin.on('end', onParentGone);
  process.stdin.on('close', onParentGone);
  process.stdin.on('error', onParentGone);
  process.stdin.resume();
}

/**
 * @param {string | undefined} text
 * @returns {number}
 */
function parsePort(text) {
  const port = Number(text);
  if (!Number.isInteger(port) || port <= 0 || port > 65_535) {
    console.error(`emulator-child: bad port ${JSON.stringify(text)}`);
    process.exit(2);
  }
  return port;
}

/** @param {number} port */
async function runSqs(port) {
  const { buildApp } = await import('fauxqs');
  // `host: 'localhost'` makes queue URLs `http://sqs.<region>.localhost:<port>/000000000000/<name>`, the
  // same whichever address a client used; fauxqs keys queues by that exact URL, so it must not vary.
  const app = buildApp({ logger: false, host: 'localhost' });
  await app.listen({ port, host: '127.0.0.1' });
  console.log(`fauxqs listening on http://127.0.0.1:${port}`);
}

/** @param {number} port */
async function runSes(port) {
  const module = await import('aws-ses-v2-local');
  // A CommonJS module with `exports.default`: Node's ESM loader puts `module.exports` under `default`.
  const start = module.default.default ?? module.default;
  const server = await start({ host: '127.0.0.1', port });
  // Express 5 resolves even when the bind fails (the error goes to the listen callback), so check.
  if (!server.listening) {
    console.error(`emulator-child: aws-ses-v2-local could not listen on 127.0.0.1:${port}`);
    process.exit(1);
  }
  console.log(`aws-ses-v2-local listening on http://127.0.0.1:${port}`);
}

/**
 * @param {string} command
 * @param {string[]} args
 */
function runExec(command, args) {
  const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS).unref();
  };
  child.on('error', (error) => {
    console.error(`emulator-child: cannot run ${command}: ${error.message}`);
    process.exit(127);
  });
  // Exit with the program, so the parent sees an early death (e.g. a port clash) as our exit.
  child.on('exit', (code) => process.exit(code ?? 1));
  // Last resort if this supervisor itself is on its way out for any other reason.
  process.on('exit', () => child.kill('SIGKILL'));
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, stop);
  watchParent(stop);
}

switch (mode) {
  case 'sqs':
  case 'ses': {
    // The server lives in this process, so leaving is all it takes to stop it.
    watchParent(() => process.exit(0));
    const port = parsePort(rest[0]);
    try {
      await (mode === 'sqs' ? runSqs(port) : runSes(port));
    } catch (error) {
      console.error(`emulator-child: ${mode} failed to start:`, error);
      process.exit(1);
    }
    break;
  }
  case 'exec': {
    const [command, ...args] = rest;
    if (command === undefined) {
      console.error('emulator-child: exec needs a command');
      process.exit(2);
    }
    runExec(command, args);
    break;
  }
  default:
    console.error(`emulator-child: unknown mode ${JSON.stringify(mode)}`);
    process.exit(2);
}
