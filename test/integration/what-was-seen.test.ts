import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '#infra/local/emulators.ts';
import { type LocalRuntime, startLocal } from '#infra/local/local-runtime.ts';

/**
 * Issue 7's "What was seen", each through local mode as a Secretariat client saw it: reviews left
 * without a plan, writes refused under light contention, stage notices twice or never around a
 * registration or a pause, and local data lost on restart.
 */

const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SEC = { authorization: 'Bearer local-secretariat', 'content-type': 'application/json' };
let runtime: LocalRuntime;
let n = 0;

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${runtime.url}${path}`, {
    method,
    headers: SEC,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
  return { status: res.status, json: (text ? JSON.parse(text) : null) as any };
}
const settle = async () => expect((await call('POST', '/_local/settle')).json.settled).toBe(true);
const today = () => runtime.now().toISOString().slice(0, 10);

/** A review with its own addresses; focal points for the States named. */
async function createReview(withFocalPoints: string[] = []) {
  n++;
  const email = (state: string) => `${state.toLowerCase()}-${n}@seen.example`;
  const res = await call('POST', '/reviews', {
    stateUnderReview: 'GRC',
    cluster: 1,
    instruments: ['UNTOC'],
    reviewingStates: [
      { state: 'AUT', instruments: ['UNTOC'] },
      { state: 'BRA', instruments: ['UNTOC'] },
    ],
    language: 'en',
    launchedAt: today(),
    secretariatEmail: `officer-${n}@seen.example`,
    focalPoints: Object.fromEntries(
      withFocalPoints.map((state) => [state, { name: `FP ${state}`, email: email(state), language: 'en' }]),
    ),
  });
  expect(res.status).toBe(201);
  return { id: res.json.id as string, email };
}
async function mailTo(address: string, kind?: string) {
  const { json } = await call('GET', '/_local/mailbox');
  return (json.messages as { to: string[]; kind?: string; stageEpoch?: number }[]).filter(
    (m) => m.to.includes(address) && (kind === undefined || m.kind === kind),
  );
}
const notifications = async (id: string) =>
  (await call('GET', `/reviews/${id}/notifications`)).json.items as { kind: string; status: string }[];

beforeAll(async () => {
  runtime = await startLocal({ port: 0, realTimeSchedules: false });
});
afterAll(async () => {
  await runtime?.stop();
});

describe('reviews left without a plan (issue 7, seen 1)', () => {
  it('plans a review created without focal points, as DynamoDB Local streams an empty map as {}', async () => {
    // Act
    const { id } = await createReview();
    await settle();

    // Assert: reminders, the overdue notice and escalations are planned; the notice had nobody.
    const planned = await notifications(id);
    expect(planned.filter((p) => p.kind === 'escalation')).toHaveLength(6);
    expect(planned.find((p) => p.kind === 'stage_notice')?.status).toBe('skipped');
  });

  it('parks a review change the planner cannot handle on its alarmed DLQ, whole, instead of going quiet', async () => {
    // Arrange: a review item no version of this code writes (an unknown stage).
    const dynamodb = new DynamoDBClient(clientConfig(runtime.emulators, 'dynamodb'));
    const sqs = new SQSClient(clientConfig(runtime.emulators, 'sqs'));
    const { id } = await createReview();
    await settle();
    const reviews = runtime.templates
      .flatMap((t) =>
        Object.keys(t.template.Resources).map((logicalId) => ({ stack: t.stackName, logicalId })),
      )
      .find((r) => r.logicalId.startsWith('ReviewsTable'));
    expect(reviews).toBeDefined();
    const stored = await call('GET', `/reviews/${id}`);
    const tableName = (
      await dynamodb.send(new (await import('@aws-sdk/client-dynamodb')).ListTablesCommand({}))
    ).TableNames?.find((name) => name.startsWith('ReviewsTable'));

    // Act
    await dynamodb.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          pk: { S: `REVIEW#${id}` },
          sk: { S: 'REVIEW' },
          type: { S: 'review' },
          id: { S: id },
          stage: { S: 'no_such_stage' },
          version: { N: String(stored.json.version + 1) },
        },
      }),
    );
    await settle();

    // Assert
    const dlq = [...runtime.queues].find(([key]) => key.includes('PlannerDlq'))?.[1].url;
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: dlq, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    const parked = (received.Messages ?? []).map((m) => JSON.parse(m.Body ?? '{}'));
    const ours = parked.find((p) => JSON.stringify(p).includes(id));
    expect(ours).toMatchObject({ error: 'Error', event: { Records: [{ eventName: 'MODIFY' }] } });
    expect(ours.event.Records[0].dynamodb.NewImage.stage).toEqual({ S: 'no_such_stage' });
    expect(ours.event.Records[0].dynamodb.OldImage.stage).toEqual({ S: 'launched' });
    dynamodb.destroy();
    sqs.destroy();
  });
});

describe('writes without expectedVersion under light contention (issue 7, seen 5)', () => {
  it('lands eight concurrent focal-point and deadline writes on one review, none refused', async () => {
    // Arrange
    const { id, email } = await createReview();
    const deadline = (i: number) => {
      const d = new Date(`${today()}T12:00:00Z`);
      d.setUTCDate(d.getUTCDate() + 30 + i);
      return d.toISOString().slice(0, 10);
    };

    // Act
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        i % 2 === 0
          ? call('PUT', `/reviews/${id}/focal-points/${['GRC', 'AUT', 'BRA', 'GRC'][i / 2]}`, {
              name: `FP ${i}`,
              email: email(`S${i}`),
              language: 'fr',
            })
          : call('POST', `/reviews/${id}/deadline`, { deadline: deadline(i), reason: `extension ${i}` }),
      ),
    );

    // Assert
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    const history = (await call('GET', `/reviews/${id}/history`)).json.items;
    expect(history).toHaveLength(9);
    expect(new Set(history.map((e: { version: number }) => e.version)).size).toBe(9);
  });
});

describe('stage notices exactly once per person (issue 7, seen 4)', () => {
  it('sends one notice to a focal point registered 0–40 ms after a transition, every time', async () => {
    for (const gap of [0, 5, 10, 20, 30, 40]) {
      // Arrange
      const { id, email } = await createReview(['GRC']);
      await settle();

      // Act
      const moving = call('POST', `/reviews/${id}/transitions`, { to: 'self_assessment' });
      await new Promise((resolve) => setTimeout(resolve, gap));
      const registering = call('PUT', `/reviews/${id}/focal-points/AUT`, {
        name: 'Anna',
        email: email('AUT'),
        language: 'fr',
      });
      expect((await moving).status).toBe(200);
      expect((await registering).status).toBe(200);
      await settle();

      // Assert: Anna has exactly one stage notice of the stage current now (epoch 2), whichever landed first.
      const notices = await mailTo(email('AUT'), 'stage_notice');
      expect(
        notices.filter((m) => m.stageEpoch === 2),
        `gap ${gap} ms`,
      ).toHaveLength(1);
      expect(notices.filter((m) => m.stageEpoch === 1).length).toBeLessThanOrEqual(1);
    }
  });

  it('holds the notice of a review paused right after creation and sends it on resume, once', async () => {
    // Arrange
    const { id, email } = await createReview(['GRC', 'AUT']);
    expect((await call('POST', `/reviews/${id}/pause`, { reason: 'elections' })).status).toBe(200);
    await settle();
    const before = (await mailTo(email('GRC'), 'stage_notice')).length;

    // Act: a focal point registered while paused, then the resume.
    expect(
      (
        await call('PUT', `/reviews/${id}/focal-points/BRA`, {
          name: 'B',
          email: email('BRA'),
          language: 'es',
        })
      ).status,
    ).toBe(200);
    await settle();
    expect(await mailTo(email('BRA'))).toEqual([]);
    expect((await call('POST', `/reviews/${id}/resume`, { reason: 'new government' })).status).toBe(200);
    await settle();

    // Assert: everyone current has exactly one notice of the stage; nobody got a second.
    for (const state of ['GRC', 'AUT', 'BRA']) {
      expect(await mailTo(email(state), 'stage_notice'), state).toHaveLength(1);
    }
    expect(before).toBeLessThanOrEqual(1);
  });

  it('keeps a deadline set during a pause on resume', async () => {
    const { id } = await createReview(['GRC']);
    await call('POST', `/reviews/${id}/pause`, { reason: 'elections' });
    const set = new Date(`${today()}T12:00:00Z`);
    set.setUTCDate(set.getUTCDate() + 90);
    const deadline = set.toISOString().slice(0, 10);
    await call('POST', `/reviews/${id}/deadline`, { deadline, reason: 'agreed new date' });
    await call('POST', '/_local/clock', { advance: 'P10D' });
    const resumed = await call('POST', `/reviews/${id}/resume`, { reason: 'back' });
    expect([resumed.status, resumed.json.deadline]).toEqual([200, deadline]);
  });
});

describe('local data kept between runs (issue 7, deliver 5)', () => {
  /** `npm start` as a person runs it: its own process, data under `<dir>/.local`. */
  async function npmStart(dir: string, port: number, args: string[] = []) {
    const child = spawn(
      join(PROJECT_ROOT, 'node_modules/.bin/tsx'),
      [join(PROJECT_ROOT, 'infra/local/start.ts'), ...args],
      {
        cwd: dir,
        env: { ...process.env, PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    const deadline = Date.now() + 90_000;
    while (!output.includes('is running locally')) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`npm start did not come up:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const base = `http://127.0.0.1:${port}`;
    return {
      async call(method: string, path: string, body?: unknown) {
        const res = await fetch(`${base}${path}`, {
          method,
          headers: SEC,
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
        return { status: res.status, json: (await res.json()) as any };
      },
      /** Ctrl-C; `npm start` must be gone well inside its own 20 s grace. */
      async stop() {
        const exited = new Promise((resolve) => child.once('exit', () => resolve('exited')));
        child.kill('SIGINT');
        const ended = await Promise.race([exited, sleep(15_000).then(() => 'still running')]);
        if (ended !== 'exited') {
          child.kill('SIGKILL');
          throw new Error(`npm start still running 15 s after Ctrl-C:\n${output.slice(-4000)}`);
        }
      },
    };
  }

  it('keeps reviews, the clock and what was in flight across a restart; --fresh starts empty', async () => {
    // Arrange: a first run creates a review and moves the clock.
    const dir = mkdtempSync(join(tmpdir(), 'untoc-restart-'));
    const port = 3900 + Math.floor(Math.random() * 90);
    try {
      const first = await npmStart(dir, port);
      const created = await first.call('POST', '/reviews', {
        stateUnderReview: 'GRC',
        cluster: 1,
        instruments: ['UNTOC'],
        reviewingStates: [
          { state: 'AUT', instruments: ['UNTOC'] },
          { state: 'BRA', instruments: ['UNTOC'] },
        ],
        language: 'en',
        launchedAt: new Date().toISOString().slice(0, 10),
      });
      expect(created.status).toBe(201);
      const moved = await first.call('POST', '/_local/clock', { advance: 'P20D' });
      await first.stop();

      // Act
      const second = await npmStart(dir, port);
      const found = await second.call('GET', `/reviews/${created.json.id}`);
      const clock = await second.call('GET', '/_local/clock');
      const planned = (await second.call('GET', `/reviews/${created.json.id}/notifications`)).json.items;
      await second.stop();
      const third = await npmStart(dir, port, ['--fresh']);
      const gone = await third.call('GET', `/reviews/${created.json.id}`);
      await third.stop();

      // Assert
      expect(found.status).toBe(200);
      expect(Date.parse(clock.json.now)).toBeGreaterThanOrEqual(Date.parse(moved.json.now));
      expect(planned.filter((p: { status: string }) => ['queued', 'sending'].includes(p.status))).toEqual([]);
      expect(gone.status).toBe(404);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
