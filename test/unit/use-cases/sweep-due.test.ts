import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NotificationKind } from '#shared/domain/notification-plan.ts';
import type { QueuedNotification } from '#shared/ports/mail.ts';
import type { NotificationRecord, NotificationRef } from '#shared/ports/notification-store.ts';
import { type SweepBudget, sweepDue } from '#shared/use-cases/sweep-due.ts';
import { InMemoryNotificationStore, RecordingQueue } from '../fakes/in-memory-notifications.ts';

/**
 * The sweep's hand-over (DESIGN §6, the 09:00 burst): batches of ten, a few in flight, and no
 * batch started once the invocation's time runs low, so a burst spread over ticks is queued
 * exactly once. Time is a fake clock that the store's and the queue's calls move on.
 */

const NINE = '2027-03-01T08:00:00.000Z';
const TIMEOUT_MS = 50_000;

/** A pending reminder (or escalation) of its own review, due at `dueAt`. */
function dueRecord(
  i: number,
  options: { kind?: NotificationKind; occurrence?: number; reviewId?: string; dueAt?: string } = {},
): NotificationRecord {
  const kind = options.kind ?? 'reminder';
  const reviewId = options.reviewId ?? `rev-${i}`;
  const occurrence = options.occurrence ?? 1;
  return {
    id: `${reviewId}#2#2027-03-31#${kind}#${occurrence}`,
    reviewId,
    stage: 'self_assessment',
    stageEpoch: 2,
    deadline: '2027-03-31',
    kind,
    occurrence,
    offsetDays: kind === 'escalation' ? 1 : -30,
    audience: kind === 'escalation' ? 'secretariat' : 'responsible',
    dueAt: options.dueAt ?? NINE,
    status: 'pending',
    deliveries: [],
  };
}

/** A fake Lambda clock: each call to the store or the queue takes its cost, one after another. */
class FakeInvocation {
  elapsedMs = 0;
  /** Remaining time seen as each call started. */
  readonly startedWith: number[] = [];
  constructor(readonly timeoutMs = TIMEOUT_MS) {}
  remainingMs = () => this.timeoutMs - this.elapsedMs;
  async call<T>(costMs: number, work: () => Promise<T>): Promise<T> {
    this.startedWith.push(this.remainingMs());
    await Promise.resolve();
    this.elapsedMs += costMs;
    return work();
  }
}

/** The in-memory store and queue, each call timed by `invocation` and the calls in flight counted. */
function timedDeps(
  store: InMemoryNotificationStore,
  queue: RecordingQueue,
  costs: { enqueueMs: number; markMs: number },
  invocation: () => FakeInvocation,
) {
  let inFlight = 0;
  const flight = { max: 0, batchSizes: [] as number[] };
  const notifications = Object.create(store) as InMemoryNotificationStore;
  notifications.markQueued = (ref: NotificationRef, now: string) =>
    invocation().call(costs.markMs, () => store.markQueued(ref, now));
  const timedQueue = {
    enqueue: async (target: 'focal_point' | 'escalation', items: QueuedNotification[]) => {
      inFlight++;
      flight.max = Math.max(flight.max, inFlight);
      flight.batchSizes.push(items.length);
      try {
        return await invocation().call(costs.enqueueMs, () => queue.enqueue(target, items));
      } finally {
        inFlight--;
      }
    },
  };
  return { deps: { notifications, queue: timedQueue }, flight };
}

const budgetOf = (invocation: FakeInvocation, reserveMs: number): SweepBudget => ({
  remainingMs: invocation.remainingMs,
  reserveMs,
});

describe('sweepDue in a burst', () => {
  it('queues a 09:00 burst in batches of ten per queue, with a bounded number in flight', async () => {
    // Arrange
    const store = new InMemoryNotificationStore();
    for (let i = 0; i < 95; i++) {
      const record = dueRecord(i, { kind: i % 10 === 9 ? 'escalation' : 'reminder' });
      store.records.set(record.id, record);
    }
    const queue = new RecordingQueue();
    const invocation = new FakeInvocation();
    const { deps, flight } = timedDeps(store, queue, { enqueueMs: 20, markMs: 5 }, () => invocation);

    // Act
    const outcome = await sweepDue(deps, NINE, { budget: budgetOf(invocation, 1_000), concurrency: 4 });

    // Assert
    expect(outcome).toMatchObject({ due: 95, queued: 95, failed: 0, left: 0 });
    expect(flight.max).toBe(4);
    expect(flight.batchSizes.every((n) => n <= 10)).toBe(true);
    expect(flight.batchSizes).toHaveLength(10);
    expect(queue.sent.filter((s) => s.target === 'escalation')).toHaveLength(9);
  });

  it('starts no batch once its time runs low, and leaves the rest pending for the next tick', async () => {
    // Arrange: 200 due; each batch costs 100 ms + 10 × 10 ms; 30 s of the 50 s are kept in reserve.
    const store = new InMemoryNotificationStore();
    for (let i = 0; i < 200; i++) store.records.set(dueRecord(i).id, dueRecord(i));
    const queue = new RecordingQueue();
    let invocation = new FakeInvocation(30_500);
    const { deps } = timedDeps(store, queue, { enqueueMs: 100, markMs: 10 }, () => invocation);

    // Act
    const first = await sweepDue(deps, NINE, { budget: budgetOf(invocation, 30_000), concurrency: 2 });
    const startedWithFirst = [...invocation.startedWith];
    invocation = new FakeInvocation();
    const second = await sweepDue(deps, '2027-03-01T08:01:00.000Z', {
      budget: budgetOf(invocation, 30_000),
      concurrency: 2,
    });

    // Assert: the first tick stopped early and cleanly; the second took exactly the rest.
    expect(first.queued).toBeGreaterThan(0);
    expect(first.queued).toBeLessThan(200);
    expect(first.left).toBe(200 - first.queued);
    expect(first.queued + first.left).toBe(200);
    expect(Math.min(...startedWithFirst)).toBeGreaterThan(0);
    expect(second).toMatchObject({ due: first.left, queued: first.left, left: 0 });
    const ids = queue.sent.map((s) => s.item.id);
    expect(new Set(ids).size).toBe(200);
    expect(ids).toHaveLength(200);
  });

  it('does nothing at all when it starts with less time than its reserve', async () => {
    const store = new InMemoryNotificationStore();
    for (let i = 0; i < 12; i++) store.records.set(dueRecord(i).id, dueRecord(i));
    const queue = new RecordingQueue();

    const outcome = await sweepDue({ notifications: store, queue }, NINE, {
      budget: { remainingMs: () => 5_000, reserveMs: 24_000 },
    });

    expect(outcome).toMatchObject({ due: 12, queued: 0, left: 12 });
    expect(queue.sent).toEqual([]);
    expect([...store.records.values()].every((r) => r.status === 'pending')).toBe(true);
  });

  it('queues the earliest due first, so a hand-over leaves the latest', async () => {
    // Arrange: eleven due, the latest inserted first; time for one batch of ten only.
    const store = new InMemoryNotificationStore();
    const latest = dueRecord(0, { dueAt: '2027-03-01T07:59:59.000Z' });
    store.records.set(latest.id, latest);
    for (let i = 1; i <= 10; i++) {
      const r = dueRecord(i, { dueAt: `2027-03-01T07:${String(40 + i).padStart(2, '0')}:00.000Z` });
      store.records.set(r.id, r);
    }
    const queue = new RecordingQueue();
    let starts = 0;
    const budget = { remainingMs: () => (starts++ === 0 ? 60_000 : 0), reserveMs: 1_000 };

    // Act
    const outcome = await sweepDue({ notifications: store, queue }, NINE, { budget, concurrency: 1 });

    // Assert
    expect(outcome).toMatchObject({ due: 11, queued: 10, left: 1 });
    expect(queue.sent.map((s) => s.item.id)).not.toContain(latest.id);
    expect(store.records.get(latest.id)?.status).toBe('pending');
  });

  it('skips superseded reminders before queueing, and queues nothing of a ladder it could not skip', async () => {
    // Arrange: review A has reminders 1 and 2 due (1 is superseded); time runs out after one start.
    const store = new InMemoryNotificationStore();
    const older = dueRecord(0, { reviewId: 'rev-a', occurrence: 1 });
    const newer = dueRecord(0, { reviewId: 'rev-a', occurrence: 2 });
    const olderB = dueRecord(0, { reviewId: 'rev-b', occurrence: 1 });
    const newerB = dueRecord(0, { reviewId: 'rev-b', occurrence: 2 });
    for (const r of [older, newer, olderB, newerB]) store.records.set(r.id, r);
    const queue = new RecordingQueue();
    let starts = 0;
    const budget = { remainingMs: () => (starts++ === 0 ? 60_000 : 0), reserveMs: 1_000 };

    // Act
    const first = await sweepDue({ notifications: store, queue }, NINE, { budget, concurrency: 1 });
    const second = await sweepDue({ notifications: store, queue }, '2027-03-01T08:01:00.000Z');

    // Assert: one skip started, then time ran out; the winners waited for the next tick.
    expect(first).toMatchObject({ superseded: 1, queued: 0, left: 3 });
    expect(second).toMatchObject({ superseded: 1, queued: 2, left: 0 });
    expect(queue.sent.map((s) => s.item.id).sort()).toEqual([newer.id, newerB.id].sort());
    expect(store.records.get(older.id)?.status).toBe('skipped');
    expect(store.records.get(olderB.id)?.status).toBe('skipped');
  });

  it('stops every lane when a mark fails, and fails the run after the batches in flight settle', async () => {
    // Arrange
    const store = new InMemoryNotificationStore();
    for (let i = 0; i < 100; i++) store.records.set(dueRecord(i).id, dueRecord(i));
    const queue = new RecordingQueue();
    const notifications = Object.create(store) as InMemoryNotificationStore;
    let marks = 0;
    notifications.markQueued = async (ref, now) => {
      if (++marks === 15) throw new Error('table gone');
      return store.markQueued(ref, now);
    };

    // Act
    const run = sweepDue({ notifications, queue }, NINE, { concurrency: 2 });

    // Assert: the two batches in flight finished; no third batch was started after the failure.
    await expect(run).rejects.toThrow('table gone');
    expect(queue.sent.length).toBeLessThanOrEqual(30);
    const pending = [...store.records.values()].filter((r) => r.status === 'pending');
    expect(pending.length).toBeGreaterThanOrEqual(70);
  });
});

describe('sweepDue over ticks (property)', () => {
  it('queues every due item exactly once across ticks, whatever the burst, page size and time budget', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          size: fc.integer({ min: 0, max: 250 }),
          readLimit: fc.integer({ min: 1, max: 300 }),
          concurrency: fc.integer({ min: 1, max: 16 }),
          enqueueMs: fc.integer({ min: 1, max: 200 }),
          markMs: fc.integer({ min: 0, max: 50 }),
          /** Time left to start batches in, beyond the reserve: from less than one batch to plenty. */
          windowMs: fc.integer({ min: 1, max: 5_000 }),
          failEvery: fc.option(fc.integer({ min: 2, max: 7 }), { nil: undefined }),
        }),
        async ({ size, readLimit, concurrency, enqueueMs, markMs, windowMs, failEvery }) => {
          // Arrange: the reserve covers every batch in flight, as the handler's covers its SDK calls.
          const store = new InMemoryNotificationStore();
          for (let i = 0; i < size; i++) {
            const r = dueRecord(i, { kind: i % 7 === 6 ? 'escalation' : 'reminder' });
            store.records.set(r.id, r);
          }
          const queue = new RecordingQueue();
          let invocation = new FakeInvocation();
          let enqueues = 0;
          const refusing = new RecordingQueue();
          refusing.enqueue = async (target, items) => {
            // Now and then the queue refuses a whole batch: left pending, taken by a later tick.
            if (failEvery !== undefined && ++enqueues % failEvery === 0) return items.map((i) => i.id);
            return queue.enqueue(target, items);
          };
          const { deps } = timedDeps(store, refusing, { enqueueMs, markMs }, () => invocation);
          const reserveMs = concurrency * (enqueueMs + 10 * markMs);

          // Act: ticks, each a fresh invocation, until nothing is due (every tick makes progress).
          let ticks = 0;
          const maxTicks = 2 * size + 5;
          for (; ticks < maxTicks; ticks++) {
            invocation = new FakeInvocation(reserveMs + windowMs);
            const now = new Date(Date.parse(NINE) + ticks * 60_000).toISOString();
            const outcome = await sweepDue(deps, now, {
              budget: budgetOf(invocation, reserveMs),
              readLimit,
              concurrency,
            });
            // No call of a tick started after its timeout.
            expect(Math.min(TIMEOUT_MS, ...invocation.startedWith)).toBeGreaterThanOrEqual(0);
            if (outcome.due === 0) break;
          }

          // Assert
          const ids = queue.sent.map((s) => s.item.id);
          expect(ticks).toBeLessThan(maxTicks);
          expect(ids).toHaveLength(size);
          expect(new Set(ids).size).toBe(size);
          expect([...store.records.values()].every((r) => r.status === 'queued')).toBe(true);
          for (const { target, item } of queue.sent) {
            expect(target).toBe(item.id.includes('#escalation#') ? 'escalation' : 'focal_point');
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
