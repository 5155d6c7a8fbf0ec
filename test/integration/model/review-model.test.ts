import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCommands, CreateCommand, createSpec } from './model-commands.ts';
import { checkMailbox, RunModel } from './model-run.ts';
import { ModelSystem } from './model-system.ts';

/**
 * Model-based test of the whole system through local mode (issue 7, DESIGN §2 and §6): random
 * sequences of API calls, concurrent writes and clock moves, checked after every clock move
 * against an independent model of the mail each address must get.
 *
 * MODEL_RUNS, MODEL_STEPS: runs and commands per run. MODEL_SEED, MODEL_PATH and
 * MODEL_REPLAY_PATH replay a failure as fast-check printed it. MODEL_SHRINK_SECONDS bounds the
 * shrinking of a failure (0: no shrinking). MODEL_TIMEOUT_MS overrides the test's timeout.
 * MODEL_TRACE=1 prints each run's commands and the model's log; MODEL_LOGS=1 keeps the handlers' INFO logs.
 */

const env = process.env;
const RUNS = Number(env.MODEL_RUNS ?? 3);
const STEPS = Number(env.MODEL_STEPS ?? 25);
const SHRINK_MS = Number(env.MODEL_SHRINK_SECONDS ?? 60) * 1000;
const TIMEOUT_MS = Number(env.MODEL_TIMEOUT_MS ?? RUNS * STEPS * 4_000 + SHRINK_MS + 120_000);
const FIGURES_FILE = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'test-results',
  'model-figures.json',
);

let system: ModelSystem;
let firstFailureAt: number | undefined;

const writeStdout = process.stdout.write.bind(process.stdout);

beforeAll(async () => {
  // The handlers' INFO lines (thousands per run) would bury the figures and the failure report.
  if (env.MODEL_LOGS !== '1') {
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
      String(chunk).startsWith('{"level":"INFO"')
        ? true
        : writeStdout(chunk, ...rest)) as typeof process.stdout.write;
  }
  system = await ModelSystem.start();
}, 120_000);
afterAll(async () => {
  await writeFigures();
  await system?.stop();
  process.stdout.write = writeStdout;
});

async function writeFigures(): Promise<void> {
  if (!system) return;
  await mkdir(dirname(FIGURES_FILE), { recursive: true });
  await writeFile(
    FIGURES_FILE,
    `${JSON.stringify({ at: new Date().toISOString(), runsRequested: RUNS, maxSteps: STEPS, ...system.figures }, null, 2)}\n`,
  );
}

function figuresLine(): string {
  const f = system.figures;
  return (
    `model figures: runs ${f.runs} (failed ${f.failedRuns}), steps ${f.steps}, API calls ${f.apiCalls}, ` +
    `clock moves ${f.clockMoves}, checks ${f.checks}, mails checked ${f.mailsChecked}, ` +
    `missing ${f.missing}, extra ${f.extra}, duplicate ${f.duplicate}` +
    (f.unmodelled > 0 ? `, unmodelled ${f.unmodelled}` : '')
  );
}

/** Pauses what the run left open, so its reviews stay quiet while later runs read the mailbox. */
async function quiesce(model: RunModel): Promise<void> {
  await Promise.all(
    model.reviews.map((r) =>
      r.paused || r.stage === 'completed'
        ? undefined
        : system.request('POST', `/reviews/${r.id}/pause`, { reason: 'model run over' }),
    ),
  );
  await system.settle();
}

describe('the whole system against an independent model of DESIGN §2', () => {
  it(
    'sends every mail the model predicts, once, and nothing else, whatever the sequence of calls and clock moves',
    async () => {
      // Arrange
      const property = fc.asyncProperty(
        createSpec,
        fc.commands(allCommands(), {
          maxCommands: STEPS,
          size: 'max',
          ...(env.MODEL_REPLAY_PATH ? { replayPath: env.MODEL_REPLAY_PATH } : {}),
        }),
        async (first, commands) => {
          // Shrinking replays against a live system: past its budget, stop spending time on it.
          if (firstFailureAt !== undefined && Date.now() - firstFailureAt > SHRINK_MS) return true;
          const model = new RunModel(randomBytes(3).toString('hex'));
          system.figures.runs++;
          try {
            await system.clearMailbox();
            await system.readClock();
            await new CreateCommand(first).run(model, system);
            await fc.asyncModelRun(async () => ({ model, real: system }), commands);
            await system.settle();
            await checkMailbox(model, system, 'the last command');
          } catch (error) {
            system.figures.failedRuns++;
            firstFailureAt ??= Date.now();
            throw error;
          } finally {
            system.figures.steps += model.steps;
            system.figures.mailsChecked += model.mailsSeen;
            await quiesce(model).catch(() => undefined);
            if (env.MODEL_TRACE === '1')
              console.log(
                [...model.trace, ...model.reviews.flatMap((r) => [r.describe(), ...r.log])].join('\n'),
              );
            console.log(figuresLine());
            await writeFigures();
          }
        },
      );

      // Act
      const run = fc.assert(property, {
        numRuns: RUNS,
        ...(env.MODEL_SEED ? { seed: Number(env.MODEL_SEED) } : {}),
        ...(env.MODEL_PATH ? { path: env.MODEL_PATH } : {}),
        endOnFailure: SHRINK_MS === 0,
      });

      // Assert
      await expect(run).resolves.toBeUndefined();
    },
    TIMEOUT_MS,
  );
});
