import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '#infra/local/emulators.ts';
import type { LocalInvocation } from '#infra/local/local-functions.ts';
import { type LocalRuntime, startLocal } from '#infra/local/local-runtime.ts';
import {
  DUE_SHARDS,
  dueShardKey,
  NOTIFICATIONS_DUE_INDEX,
  notificationSk,
  reviewPk,
} from '#shared/adapters/dynamodb-keys.ts';
import { addDays, localDate } from '#shared/domain/calendar.ts';
import { notificationId } from '#shared/domain/notification-plan.ts';

/**
 * The 09:00 burst through local mode (DESIGN §6): a day's reminders all fall due at 09:00 Vienna.
 * Real reviews (their reminders mailed to their focal points) and 2,500 notifications seeded
 * straight into the table (of reviews that do not exist: the mailer skips them) fall due in the
 * same minute; the clock crosses 09:00 and then one more minute, two sweep ticks. Every one of
 * them is then out of the due index, reached the mailer exactly once, and each focal point has
 * exactly one reminder.
 */

const TZ = 'Europe/Vienna';
const REVIEWS = 20;
const SEEDED = 2_500;
const SWEEP_ENTRY = 'functions/sweep.handler.ts';
const CONSUMERS = new Set(['functions/mailer.handler.ts', 'functions/escalator.handler.ts']);

let runtime: LocalRuntime;
let documents: DynamoDBDocumentClient;
let table: string;
/** Every notification id the mail consumers were handed, one entry per SQS record. */
const consumed: string[] = [];
/** Scheduled times of the sweep runs. */
const sweeps: string[] = [];

function observe(invocation: LocalInvocation): void {
  const event = invocation.event as { time?: string; Records?: { body?: string }[] };
  if (invocation.entry === SWEEP_ENTRY && event.time) sweeps.push(new Date(event.time).toISOString());
  if (!CONSUMERS.has(invocation.entry)) return;
  for (const record of event.Records ?? []) {
    const body = JSON.parse(record.body ?? '{}') as { id?: string };
    if (body.id) consumed.push(body.id);
  }
}

beforeAll(async () => {
  runtime = await startLocal({ port: 0, realTimeSchedules: false, observeInvocation: observe });
  const sweep = [...runtime.functions.values()].find((f) => f.entry === SWEEP_ENTRY);
  table = sweep?.environment.NOTIFICATIONS_TABLE ?? '';
  documents = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(runtime.emulators, 'dynamodb')), {
    marshallOptions: { removeUndefinedValues: true },
  });
});
afterAll(async () => {
  documents?.destroy();
  await runtime?.stop();
});

async function request(method: string, path: string, body?: unknown) {
  const response = await fetch(`${runtime.url}${path}`, {
    method,
    headers: { authorization: 'Bearer local-secretariat', 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON responses
  return { status: response.status, json: (await response.json()) as any };
}

async function settled(): Promise<void> {
  const deadline = Date.now() + 45_000;
  while (!(await runtime.settle(5_000))) {
    if (Date.now() > deadline) throw new Error('local mode did not settle');
  }
}

/** A review launched today with a focal point per participant, its own addresses. */
async function createReview(n: number): Promise<{ id: string; addresses: string[] }> {
  const addresses = ['GRC', 'AUT', 'BRA'].map((state) => `${state.toLowerCase()}-burst-${n}@example.org`);
  const [grc = '', aut = '', bra = ''] = addresses;
  const res = await request('POST', '/reviews', {
    stateUnderReview: 'GRC',
    cluster: 2,
    instruments: ['UNTOC'],
    reviewingStates: [
      { state: 'AUT', instruments: ['UNTOC'] },
      { state: 'BRA', instruments: ['UNTOC'] },
    ],
    language: 'en',
    launchedAt: localDate(runtime.now().toISOString(), TZ),
    focalPoints: {
      GRC: { name: 'Focal point GRC', email: grc, language: 'en' },
      AUT: { name: 'Focal point AUT', email: aut, language: 'fr' },
      BRA: { name: 'Focal point BRA', email: bra, language: 'es' },
    },
  });
  expect(res.status).toBe(201);
  return { id: res.json.id as string, addresses };
}

/** Pending notifications of reviews that do not exist, due at `dueAt`, written as the planner writes them. */
async function seed(count: number, dueAt: string): Promise<string[]> {
  const deadline = addDays(localDate(dueAt, TZ), 30);
  const items = Array.from({ length: count }, (_, i) => {
    const reviewId = randomUUID();
    const kind = i % 10 === 9 ? 'escalation' : 'reminder';
    const id = notificationId(reviewId, 2, deadline, kind, 1);
    return {
      pk: reviewPk(reviewId),
      sk: notificationSk(2, id),
      id,
      reviewId,
      stage: 'self_assessment',
      stageEpoch: 2,
      deadline,
      kind,
      occurrence: 1,
      offsetDays: kind === 'escalation' ? 1 : -30,
      audience: kind === 'escalation' ? 'secretariat' : 'responsible',
      dueAt,
      status: 'pending',
      deliveries: [],
      plannedAt: runtime.now().toISOString(),
      duePk: dueShardKey(id),
    };
  });
  for (let start = 0; start < items.length; start += 25) {
    let requests = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
    while (requests.length > 0) {
      const result = await documents.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = (result.UnprocessedItems?.[table] ?? []) as typeof requests;
    }
  }
  return items.map((item) => item.id);
}

/** Items still waiting in the due index at `now`. */
async function pendingDue(now: string): Promise<number> {
  let count = 0;
  for (let shard = 0; shard < DUE_SHARDS; shard++) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(
        new QueryCommand({
          TableName: table,
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

describe('the 09:00 burst through local mode', () => {
  it('queues every notification due in one minute within two sweep ticks, each once', async () => {
    // Arrange: real reviews, all with the same first reminder at 09:00 Vienna a week ahead.
    const reviews = [];
    for (let n = 0; n < REVIEWS; n++) reviews.push(await createReview(n));
    await settled();
    const firstReminders = await Promise.all(
      reviews.map(async ({ id }) => {
        const items = (await request('GET', `/reviews/${id}/notifications`)).json.items as {
          id: string;
          kind: string;
          status: string;
          dueAt: string;
        }[];
        const reminders = items.filter((x) => x.kind === 'reminder' && x.status === 'pending');
        return reminders.sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
      }),
    );
    const nine = new Date(firstReminders[0]?.dueAt ?? '').toISOString();
    expect(new Set(firstReminders.map((r) => (r ? new Date(r.dueAt).toISOString() : undefined)))).toEqual(
      new Set([nine]),
    );
    expect(
      new Intl.DateTimeFormat('en-GB', { timeZone: TZ, timeStyle: 'short' }).format(new Date(nine)),
    ).toBe('09:00');
    const seeded = await seed(SEEDED, nine);
    await request('DELETE', '/_local/mailbox');
    const oneMinute = (k: number) => new Date(Date.parse(nine) + k * 60_000);
    await runtime.advanceTo(oneMinute(-1));
    await settled();
    expect(await pendingDue(nine)).toBe(SEEDED + REVIEWS);
    consumed.length = 0;
    sweeps.length = 0;

    // Act: the clock crosses 09:00 Vienna, then one more minute: two sweep ticks.
    await runtime.advanceTo(oneMinute(0));
    const leftAfterFirst = await pendingDue(nine);
    await runtime.advanceTo(oneMinute(1));
    await settled();

    // Assert
    expect(sweeps).toEqual([oneMinute(0).toISOString(), oneMinute(1).toISOString()]);
    expect(leftAfterFirst).toBeLessThan(SEEDED + REVIEWS);
    expect(await pendingDue(oneMinute(1).toISOString())).toBe(0);
    const expected = [...seeded, ...firstReminders.map((r) => r?.id ?? '')];
    const times = new Map<string, number>();
    for (const id of consumed) times.set(id, (times.get(id) ?? 0) + 1);
    expect(expected.filter((id) => times.get(id) !== 1)).toEqual([]);
    expect(consumed).toHaveLength(expected.length);
    const mailbox = (await request('GET', '/_local/mailbox')).json.messages as {
      to: string[];
      kind?: string;
    }[];
    const reminders = mailbox.filter((m) => m.kind === 'reminder');
    const addresses = reviews.flatMap((r) => r.addresses).sort();
    expect(reminders.flatMap((m) => m.to).sort()).toEqual(addresses);
  }, 120_000);
});
