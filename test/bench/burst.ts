import { randomUUID } from 'node:crypto';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { clientConfig } from '#infra/local/emulators.ts';
import { SWEEP_TIMEOUT_SECONDS } from '#infra/topology.ts';
import { SWEEP_MIN_REMAINING_MS } from '#shared/adapters/client-timeouts.ts';
import { DUE_SHARDS, NOTIFICATIONS_DUE_INDEX } from '#shared/adapters/dynamodb-keys.ts';
import { DynamoDbNotificationStore } from '#shared/adapters/dynamodb-notification-store.ts';
import { QueuedNotificationMessage, SqsNotificationQueue } from '#shared/adapters/sqs-notification-queue.ts';
import { addDays, atLocalTime } from '#shared/domain/calendar.ts';
import { notificationId, type PlannedNotification } from '#shared/domain/notification-plan.ts';
import { UNTOC_PROCESS } from '#shared/domain/processes/untoc.ts';
import { sweepDue } from '#shared/use-cases/sweep-due.ts';
import type { DynamoFixture } from './dynamo-fixture.ts';
import { progress } from './quiet-output.ts';
import { type Metric, round, type SectionResult } from './report.ts';
import { mapLimit } from './stats.ts';
import { load, storedItem } from './sweep-read.ts';

/**
 * The 09:00 burst (DESIGN §6): every reminder falls due at 09:00 in the time zone of record, so a
 * day's load lands in one minute. `size` pending notifications due in the same minute are written
 * straight into DynamoDB Local, then the real sweep use case, on the real adapters against DynamoDB
 * Local and fauxqs, runs tick after tick the way Lambda runs it: each tick with the scheduled
 * minute as `now` and a context whose remaining time counts down from the deployed timeout. What
 * reached the queues is then read back: every id once, none twice, none left pending.
 */

export const BURST_TICKS_TARGET = 2;
/** A sweep that has not finished by then is reported as such (FAIL), not waited on. */
const MAX_TICKS = 12;
/**
 * A Monday in the past: 09:00 Vienna there is before anything another bench section plans
 * (they plan from the real clock), so their items are never due in these ticks, nor these in theirs.
 */
const BURST_DATE = '2020-01-06';
/** Every tenth is an escalation (to the Secretariat's queue), the rest reminders to focal points. */
const ESCALATION_EVERY = 10;
const MINUTE_MS = 60_000;
const RECEIVERS = 4;

/** One reminder (or escalation) per review, all due at 09:00 Vienna on {@link BURST_DATE}. */
function* burstItems(size: number, dueAt: string): Generator<Record<string, unknown>> {
  const plannedAt = new Date(Date.parse(dueAt) - 40 * 24 * 3_600_000).toISOString();
  const deadline = addDays(BURST_DATE, 30);
  for (let i = 0; i < size; i++) {
    const reviewId = randomUUID();
    const escalation = i % ESCALATION_EVERY === ESCALATION_EVERY - 1;
    const kind = escalation ? 'escalation' : 'reminder';
    const planned: PlannedNotification = {
      id: notificationId(reviewId, 2, deadline, kind, 1),
      reviewId,
      stage: 'self_assessment',
      stageEpoch: 2,
      deadline,
      kind,
      occurrence: 1,
      offsetDays: escalation ? 1 : -30,
      audience: escalation ? 'secretariat' : 'responsible',
      dueAt,
    };
    yield storedItem(planned, plannedAt);
  }
}

/** Items still in the sparse due index at `now`: what the sweeps left pending. */
async function pendingDue(fixture: DynamoFixture, now: string): Promise<number> {
  let count = 0;
  for (let shard = 0; shard < DUE_SHARDS; shard++) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await fixture.documents.send(
        new QueryCommand({
          TableName: fixture.tables.notifications,
          IndexName: NOTIFICATIONS_DUE_INDEX,
          KeyConditionExpression: 'duePk = :shard AND dueAt <= :now',
          ExpressionAttributeValues: { ':shard': `DUE#${shard}`, ':now': now },
          Select: 'COUNT',
          ExclusiveStartKey: startKey,
        }),
      );
      count += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
  return count;
}

/** Every message on a queue, each received once (a long visibility timeout keeps it hidden after). */
async function drain(sqs: SQSClient, queueUrl: string): Promise<string[]> {
  const ids: string[] = [];
  await mapLimit(
    Array.from({ length: RECEIVERS }, (_, i) => i),
    RECEIVERS,
    async () => {
      // fauxqs may answer empty while others hold messages in flight: stop after a few empty answers.
      for (let empty = 0; empty < 3; ) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: 3_600,
            WaitTimeSeconds: 0,
          }),
        );
        if (Messages.length === 0) empty++;
        else empty = 0;
        for (const m of Messages) ids.push(QueuedNotificationMessage.parse(JSON.parse(m.Body ?? '')).id);
      }
    },
  );
  return ids;
}

interface Tick {
  now: string;
  ms: number;
  /** CPU of this process (the sweep's own SDK work; the emulators run in their own). */
  cpuMs: number;
  due: number;
  queued: number;
  failed: number;
  dynamoDbCalls: number;
  sqsCalls: number;
  pendingAfter: number;
  overran: boolean;
}

export async function benchBurst(fixture: DynamoFixture, size: number): Promise<SectionResult> {
  const sqs = new SQSClient({ ...clientConfig(fixture.emulators, 'sqs'), useQueueUrlAsEndpoint: false });
  let sqsCalls = 0;
  sqs.middlewareStack.add(
    (next) => async (args) => {
      sqsCalls++;
      return next(args);
    },
    { step: 'initialize', name: 'benchSqsCallCounter' },
  );
  const suffix = randomUUID().slice(0, 8);
  const focalPoint =
    (await sqs.send(new CreateQueueCommand({ QueueName: `burst-fp-${suffix}` }))).QueueUrl ?? '';
  const escalation =
    (await sqs.send(new CreateQueueCommand({ QueueName: `burst-esc-${suffix}` }))).QueueUrl ?? '';
  try {
    // In the store's fixed-width form (`….000Z`): the due index compares instants as strings.
    const dueAt = new Date(atLocalTime(BURST_DATE, '09:00', UNTOC_PROCESS.timeZone)).toISOString();
    const seeded = await load(fixture.documents, fixture.tables.notifications, burstItems(size, dueAt));
    progress(`burst: ${seeded} notifications due at ${dueAt} (09:00 Vienna)`);

    const deps = {
      notifications: new DynamoDbNotificationStore(fixture.counted, fixture.tables.notifications),
      queue: new SqsNotificationQueue(sqs, { focal_point: focalPoint, escalation }),
    };
    const ticks: Tick[] = [];
    for (let k = 0; k < MAX_TICKS; k++) {
      const now = new Date(Date.parse(dueAt) + k * MINUTE_MS).toISOString();
      fixture.counter.reset();
      const sqsBefore = sqsCalls;
      const started = Date.now();
      const cpu = process.cpuUsage();
      // What Lambda's context gives the handler: the deployed timeout, counting down from the start.
      const remainingMs = () => Math.max(0, SWEEP_TIMEOUT_SECONDS * 1000 - (Date.now() - started));
      const outcome = await sweepDue(deps, now, {
        budget: { remainingMs, reserveMs: SWEEP_MIN_REMAINING_MS },
      });
      const ms = Date.now() - started;
      const cpuUsed = process.cpuUsage(cpu);
      const pendingAfter = await pendingDue(fixture, now);
      ticks.push({
        now,
        ms,
        cpuMs: Math.round((cpuUsed.user + cpuUsed.system) / 1000),
        due: outcome.due,
        queued: outcome.queued,
        failed: outcome.failed,
        dynamoDbCalls: fixture.counter.calls.length,
        sqsCalls: sqsCalls - sqsBefore,
        pendingAfter,
        overran: ms > SWEEP_TIMEOUT_SECONDS * 1000,
      });
      progress(
        `burst: tick ${k + 1} at ${now}: ${outcome.queued} queued in ${ms} ms, ${pendingAfter} still pending`,
      );
      if (pendingAfter === 0) break;
    }

    const received = [...(await drain(sqs, focalPoint)), ...(await drain(sqs, escalation))];
    const distinct = new Set(received);
    const duplicates = received.length - distinct.size;
    const pendingLeft = ticks.at(-1)?.pendingAfter ?? size;
    const ticksToQueue = pendingLeft === 0 ? ticks.length : Number.POSITIVE_INFINITY;
    const overran = ticks.some((t) => t.overran);
    const allOnce = distinct.size === seeded && duplicates === 0 && pendingLeft === 0;
    const ticksPass = ticksToQueue <= BURST_TICKS_TARGET && !overran;
    const section = '2 sweep';
    const metrics: Metric[] = [
      {
        section,
        name: `09:00 burst: ticks to queue ${seeded} due in one minute`,
        value: Number.isFinite(ticksToQueue) ? ticksToQueue : `> ${MAX_TICKS}`,
        target: `≤ ${BURST_TICKS_TARGET}`,
        pass: ticksPass,
      },
      {
        section,
        name: '09:00 burst: duplicates on the queues',
        value: duplicates,
        target: '0',
        pass: duplicates === 0,
      },
      {
        section,
        name: '09:00 burst: every due item on a queue once, none left pending',
        value: allOnce ? 'yes' : `${distinct.size} of ${seeded}, ${pendingLeft} pending`,
        target: 'yes',
        pass: allOnce,
      },
      {
        section,
        name: `09:00 burst: time per tick (timeout ${SWEEP_TIMEOUT_SECONDS} s)`,
        value: ticks.map((t) => round(t.ms / 1000, 1)).join(' + '),
        unit: 's',
      },
      {
        section,
        name: '09:00 burst: sweep CPU per tick',
        value: ticks.map((t) => round(t.cpuMs / 1000, 1)).join(' + '),
        unit: 's',
      },
      {
        section,
        name: '09:00 burst: calls per tick (DynamoDB + SQS)',
        value: ticks.map((t) => `${t.dynamoDbCalls}+${t.sqsCalls}`).join(', '),
      },
    ];
    return {
      metrics,
      text:
        `09:00 burst: ${seeded} notifications due at ${dueAt}; ${ticks.length} sweep tick(s) ` +
        `(${ticks.map((t) => `${t.queued} queued in ${round(t.ms / 1000, 1)} s`).join(', ')}); ` +
        `${received.length} messages received, ${distinct.size} distinct, ${pendingLeft} left pending.`,
      details: {
        size: seeded,
        dueAt,
        timeoutSeconds: SWEEP_TIMEOUT_SECONDS,
        ticks,
        messages: received.length,
        distinct: distinct.size,
        duplicates,
        pendingLeft,
      },
    };
  } finally {
    await sqs.send(new DeleteQueueCommand({ QueueUrl: focalPoint })).catch(() => undefined);
    await sqs.send(new DeleteQueueCommand({ QueueUrl: escalation })).catch(() => undefined);
    sqs.destroy();
  }
}
