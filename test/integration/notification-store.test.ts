import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, type LocalEmulators, startEmulators } from '#infra/local/emulators.ts';
import { requeueInFlight } from '#infra/local/local-state.ts';
import { DynamoDbNotificationStore } from '#shared/adapters/dynamodb-notification-store.ts';
import { type PlannedNotification, planNotifications } from '#shared/domain/notification-plan.ts';
import { findStage } from '#shared/domain/process-definition.ts';
import { UNTOC_PROCESS } from '#shared/domain/processes/untoc.ts';
import { createTemplateTables } from './support/template-tables.ts';

/** The Notifications table's state machine against DynamoDB Local, tables as the template declares them. */
let emulators: LocalEmulators;
let store: DynamoDbNotificationStore;
let tables: Awaited<ReturnType<typeof createTemplateTables>>;

beforeAll(async () => {
  emulators = await startEmulators();
  tables = await createTemplateTables(emulators);
  store = new DynamoDbNotificationStore(tables.documents, tables.notifications);
});
afterAll(async () => {
  await emulators?.stop();
});

function plan(reviewId: string, deadline = '2027-07-05'): PlannedNotification[] {
  const stage = findStage(UNTOC_PROCESS, 'desk_review');
  if (!stage) throw new Error('no stage');
  return planNotifications({
    process: UNTOC_PROCESS,
    reviewId,
    stage,
    stageEpoch: 2,
    stageEnteredAt: '2027-01-04T10:00:00Z',
    deadline,
    now: '2027-01-04T10:00:00Z',
    includeStageNotice: true,
  });
}
const ref = (n: PlannedNotification) => ({ reviewId: n.reviewId, stageEpoch: n.stageEpoch, id: n.id });

describe('DynamoDbNotificationStore', () => {
  it('writes a plan once: a replay writes nothing, a cancelled item planned again is revived', async () => {
    const items = plan('r-plan');
    expect(await store.addPlanned(items, '2027-01-04T10:00:00Z')).toHaveLength(items.length);
    expect(await store.addPlanned(items, '2027-01-04T10:00:01Z')).toEqual([]);
    expect(await store.cancelPending('r-plan', 'paused', '2027-01-05T10:00:00Z', 2)).toBe(items.length);
    expect(await store.addPlanned(items.slice(0, 2), '2027-01-06T10:00:00Z')).toHaveLength(2);
    const statuses = (await store.listForReview('r-plan')).map((n) => n.status);
    expect(statuses.filter((s) => s === 'pending')).toHaveLength(2);
  });

  it('finds an item due exactly at the sweep tick, whatever the instant format', async () => {
    const [notice] = plan('r-tick');
    if (!notice) throw new Error('no notice');
    await store.addPlanned([{ ...notice, dueAt: '2027-01-11T07:00:00Z' }], '2027-01-04T10:00:00Z');
    expect((await store.listDue('2027-01-11T06:59:59.999Z', 10)).map((n) => n.id)).not.toContain(notice.id);
    expect((await store.listDue('2027-01-11T07:00:00.000Z', 10)).map((n) => n.id)).toContain(notice.id);
  });

  it('reads only due pending items from the sparse index, across shards', async () => {
    const items = plan('r-due');
    await store.addPlanned(items, '2027-01-04T10:00:00Z');
    const now = '2027-07-07T10:00:00.000Z';
    const due = (await store.listDue(now, 100)).filter((n) => n.reviewId === 'r-due');
    expect(due.map((n) => n.id).sort()).toEqual(
      items
        .filter((n) => n.dueAt <= now)
        .map((n) => n.id)
        .sort(),
    );
    const first = due[0];
    if (!first) throw new Error('nothing due');
    expect(await store.markQueued(ref(first), now)).toBe(true);
    expect((await store.listDue(now, 100)).map((n) => n.id)).not.toContain(first.id);
  });

  it('lets one of many concurrent sweeps mark an item queued, and one sender claim it', async () => {
    const [notice] = plan('r-race');
    if (!notice) throw new Error('no notice');
    await store.addPlanned([notice], '2027-01-04T10:00:00Z');
    const marks = await Promise.all(
      Array.from({ length: 6 }, () => store.markQueued(ref(notice), '2027-01-04T10:01:00Z')),
    );
    expect(marks.filter(Boolean)).toHaveLength(1);
    const claims = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        store.claim(ref(notice), '2027-01-04T10:02:00Z', '2027-01-04T09:59:00Z', `sender-${i}`),
      ),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    // The winner's own claim again (its answer lost, the SDK retrying) is still its own; another's is not.
    const winner = `sender-${claims.indexOf(true)}`;
    expect(await store.claim(ref(notice), '2027-01-04T10:02:01Z', '2027-01-04T09:59:00Z', winner)).toBe(true);
    expect(await store.claim(ref(notice), '2027-01-04T10:02:01Z', '2027-01-04T09:59:00Z', 'other')).toBe(
      false,
    );
    // A dead sender's claim (older than the visibility timeout) can be taken over.
    expect(await store.claim(ref(notice), '2027-01-04T10:06:00Z', '2027-01-04T10:03:00Z', 'next')).toBe(true);
    // A delivery appended twice (a retried append that had landed) is kept once.
    await store.recordDelivery(ref(notice), { recipient: 'GRC', status: 'sent', messageId: 'm1' }, 0);
    await store.recordDelivery(ref(notice), { recipient: 'GRC', status: 'sent', messageId: 'm1' }, 0);
    await store.finish(ref(notice), 'sent', '2027-01-04T10:06:01Z');
    expect(await store.claim(ref(notice), '2027-01-04T10:20:00Z', '2027-01-04T10:17:00Z', 'late')).toBe(
      false,
    );
    expect(await store.get(ref(notice))).toMatchObject({
      status: 'sent',
      deliveries: [{ recipient: 'GRC', messageId: 'm1' }],
    });
  });
});

describe('DynamoDbNotificationStore escalation tallies', () => {
  it("counts each sent escalation once in its stage epoch's tally, in the write that marks it sent", async () => {
    // Arrange: two escalations of epoch 2, one skipped instead, a reminder sent.
    const items = plan('r-tally');
    const [first, second, third] = items.filter((n) => n.kind === 'escalation');
    const reminder = items.find((n) => n.kind === 'reminder');
    if (!first || !second || !third || !reminder) throw new Error('plan');
    await store.addPlanned([first, second, third, reminder], '2027-01-04T10:00:00Z');
    const at = '2027-07-06T08:00:00Z';
    for (const n of [first, second, third, reminder]) {
      await store.markQueued(ref(n), at);
      await store.claim(ref(n), at, at, `t-${n.id}`);
    }

    // Act
    await store.finish({ ...ref(first), kind: 'escalation' }, 'sent', at);
    // A finish retried after it landed (its answer lost) meets its condition and counts nothing.
    await store.finish({ ...ref(first), kind: 'escalation' }, 'sent', at);
    await store.finish({ ...ref(second), kind: 'escalation' }, 'sent', at);
    await store.finish({ ...ref(third), kind: 'escalation' }, 'skipped', at, 'no recipients');
    await store.finish({ ...ref(reminder), kind: 'reminder' }, 'sent', at);

    // Assert
    const counts = await store.escalationsSent([
      { reviewId: 'r-tally', stageEpoch: 2 },
      { reviewId: 'r-untallied', stageEpoch: 2 },
    ]);
    expect(counts).toEqual(
      new Map([
        ['r-tally', 2],
        ['r-untallied', 0],
      ]),
    );
    await expect(store.escalationsSent([{ reviewId: 'r-tally', stageEpoch: 3 }])).resolves.toEqual(
      new Map([['r-tally', 0]]),
    );
    expect(await store.get(ref(first))).toMatchObject({ status: 'sent', sentAt: at });
    // The tally is not a notification.
    expect((await store.listForReview('r-tally')).map((n) => n.id).sort()).toEqual(
      [first, second, third, reminder].map((n) => n.id).sort(),
    );
  });
});

describe('DynamoDbNotificationStore stage changes', () => {
  const leaving = (reviewId: string, items: PlannedNotification[]) => ({
    reviewId,
    stageEpoch: 2,
    reason: 'stage moved on',
    expected: items.map(ref),
  });
  const next = (reviewId: string) => plan(reviewId).map((n) => ({ ...n, stageEpoch: 3, id: `${n.id}#next` }));

  it('cancels what the old stage left and stores the new plan in one write', async () => {
    // Arrange
    const old = plan('r-replace');
    await store.addPlanned(old, '2027-01-04T10:00:00Z');
    const timed = old.filter((n) => n.kind !== 'stage_notice');

    // Act
    const outcome = await store.replacePlan(
      leaving('r-replace', timed),
      next('r-replace'),
      '2027-02-01T10:00:00Z',
    );

    // Assert
    expect(outcome).toEqual({ written: next('r-replace'), cancelled: timed.length });
    const all = await store.listForReview('r-replace');
    expect(all.filter((n) => n.stageEpoch === 2 && n.kind !== 'stage_notice').map((n) => n.status)).toEqual(
      timed.map(() => 'cancelled'),
    );
    expect(all.filter((n) => n.stageEpoch === 3).every((n) => n.status === 'pending')).toBe(true);
  });

  it('finds what is still pending when one derived item was queued, and a replay changes nothing', async () => {
    // Arrange: a sweep queued the first reminder before the planner got to the transition.
    const old = plan('r-replace-race');
    await store.addPlanned(old, '2027-01-04T10:00:00Z');
    const [reminder] = old.filter((n) => n.kind === 'reminder');
    if (!reminder) throw new Error('plan');
    await store.markQueued(ref(reminder), '2027-01-04T10:00:00Z');

    // Act
    const first = await store.replacePlan(
      leaving('r-replace-race', old),
      next('r-replace-race'),
      '2027-02-01T10:00:00Z',
    );
    const replay = await store.replacePlan(
      leaving('r-replace-race', old),
      next('r-replace-race'),
      '2027-02-01T10:00:00Z',
    );

    // Assert
    expect(first).toEqual({ written: next('r-replace-race'), cancelled: old.length - 1 });
    expect(replay).toEqual({ written: [], cancelled: 0 });
    expect((await store.get(ref(reminder)))?.status).toBe('queued');
  });
});

describe('local mode after a restart', () => {
  it('puts the notifications left queued or mid-send back on their queues, with stale claims given back', async () => {
    // Arrange: one queued, one claimed by a sender of the last run, one sent.
    const [notice, reminder, escalation] = plan('r-restart');
    if (!notice || !reminder || !escalation) throw new Error('plan');
    await store.addPlanned([notice, reminder, escalation], '2027-01-04T10:00:00Z');
    for (const n of [notice, reminder, escalation]) await store.markQueued(ref(n), '2027-01-04T10:00:00Z');
    await store.claim(ref(reminder), '2027-01-04T10:00:01Z', '2027-01-04T09:00:00Z', 'gone');
    await store.claim(ref(escalation), '2027-01-04T10:00:01Z', '2027-01-04T09:00:00Z', 'gone');
    await store.finish(ref(escalation), 'sent', '2027-01-04T10:00:02Z');
    const sqs = new SQSClient(clientConfig(emulators, 'sqs'));
    const focalPoint = (await sqs.send(new CreateQueueCommand({ QueueName: 'restart-fp' }))).QueueUrl ?? '';
    const escalationQueue =
      (await sqs.send(new CreateQueueCommand({ QueueName: 'restart-esc' }))).QueueUrl ?? '';
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const dynamodb = new DynamoDBClient(clientConfig(emulators, 'dynamodb'));

    // Act
    const requeued = await requeueInFlight(dynamodb, sqs, tables.notifications, {
      focalPoint,
      escalation: escalationQueue,
    });

    // Assert
    // Other tests of this file left items in flight too: only this review's are looked at.
    expect(requeued).toBeGreaterThanOrEqual(2);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const received = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: focalPoint, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      ids.push(
        ...(received.Messages ?? [])
          .map((m) => JSON.parse(m.Body ?? '{}'))
          .filter((b) => b.reviewId === 'r-restart')
          .map((b) => b.id),
      );
    }
    expect(ids.sort()).toEqual([notice.id, reminder.id].sort());
    expect((await store.get(ref(reminder)))?.status).toBe('queued');
    expect((await store.get(ref(escalation)))?.status).toBe('sent');
    sqs.destroy();
    dynamodb.destroy();
  });
});
