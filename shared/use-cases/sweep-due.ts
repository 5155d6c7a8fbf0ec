import type { NotificationQueue, QueuedNotification } from '#shared/ports/mail.ts';
import type { NotificationRecord, NotificationStore } from '#shared/ports/notification-store.ts';

export interface SweepDeps {
  notifications: NotificationStore;
  queue: NotificationQueue;
}

export interface SweepOutcome {
  due: number;
  queued: number;
  failed: number;
  /** Earlier reminders or escalations due together with a later one of the same stage: skipped. */
  superseded: number;
  /** Due items not started because the run's time ran low: still pending, for the next sweep. */
  left: number;
}

/** How long one sweep may work (DESIGN §6, the 09:00 burst): it hands over before its timeout. */
export interface SweepBudget {
  /** What is left of the invocation, in ms (Lambda's `context.getRemainingTimeInMillis`). */
  remainingMs: () => number;
  /**
   * No new batch starts once this little is left: what a batch already started may still take
   * (at least one SDK call's worst case), so none is cut off by the timeout between its send and
   * its marks.
   */
  reserveMs: number;
}

/** Tuning of one sweep; the defaults are the deployed ones, tests vary them. */
export interface SweepOptions {
  /** @default - no limit but the items due */
  budget?: SweepBudget;
  /** @default SWEEP_READ_LIMIT */
  readLimit?: number;
  /** @default SWEEP_CONCURRENCY */
  concurrency?: number;
}

/**
 * Several reminders (or escalations) of one stage due at once mean the sweep was held up
 * (an outage, or the local clock moved far): only the latest of each says something true
 * ("due in 5 days"), so the earlier ones are skipped rather than sent in a burst.
 */
function latestOfEachLadder(
  due: NotificationRecord[],
): { record: NotificationRecord; supersededBy?: string }[] {
  const latest = new Map<string, NotificationRecord>();
  const ladder = (n: NotificationRecord) => `${n.reviewId}#${n.stageEpoch}#${n.deadline}#${n.kind}`;
  for (const n of due) {
    if (n.kind !== 'reminder' && n.kind !== 'escalation') continue;
    const current = latest.get(ladder(n));
    if (!current || n.occurrence > current.occurrence) latest.set(ladder(n), n);
  }
  return due.map((record) => {
    const winner = latest.get(ladder(record));
    return winner && winner.id !== record.id ? { record, supersededBy: winner.id } : { record };
  });
}

/**
 * Due items one sweep reads (once, at its start): twice the design's 09:00 burst of 5,000, so a
 * burst is queued in one tick when time allows; a backlog larger than this is read by the next
 * ticks. Read once, not page after page: the due index is eventually consistent, so a re-read
 * could still show an item this run has just queued, and queue it again.
 */
export const SWEEP_READ_LIMIT = 10_000;
/** Batches in flight at once: each one `SendMessageBatch` then up to ten conditional marks. */
export const SWEEP_CONCURRENCY = 8;
/** Notifications per queue batch: SQS's limit per `SendMessageBatch`. */
const QUEUE_BATCH = 10;

/** One queue batch: up to ten notifications for one queue, sent in one call. */
interface QueueBatch {
  target: 'focal_point' | 'escalation';
  items: QueuedNotification[];
}

/** Batches of up to ten per queue, the earliest due first, so a hand-over leaves the latest. */
function queueBatches(due: NotificationRecord[]): QueueBatch[] {
  const batches: QueueBatch[] = [];
  const open = new Map<QueueBatch['target'], QueueBatch>();
  const byDueTime = [...due].sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : 0));
  for (const n of byDueTime) {
    const target = n.audience === 'secretariat' ? 'escalation' : 'focal_point';
    let batch = open.get(target);
    if (!batch) {
      batch = { target, items: [] };
      open.set(target, batch);
      batches.push(batch);
    }
    batch.items.push({ reviewId: n.reviewId, stageEpoch: n.stageEpoch, id: n.id });
    if (batch.items.length === QUEUE_BATCH) open.delete(target);
  }
  return batches;
}

/** Waits for every promise, then fails with the first failure if there was one. */
async function allSettled(work: Promise<unknown>[]): Promise<void> {
  const failure = (await Promise.allSettled(work)).find((r) => r.status === 'rejected');
  if (failure) throw failure.reason;
}

/**
 * Runs `work` over the items, at most `limit` at a time, starting each only while `mayStart()`
 * holds. A failure stops every lane from starting more, and is thrown once all have stopped: no
 * work outlives the invocation that started it.
 * @returns how many were never started
 */
async function inPool<T>(
  items: readonly T[],
  limit: number,
  mayStart: () => boolean,
  work: (item: T) => Promise<void>,
): Promise<number> {
  let next = 0;
  let stopped = false;
  const lane = async () => {
    while (next < items.length && !stopped) {
      if (!mayStart()) {
        stopped = true;
        return;
      }
      try {
        await work(items[next++] as T);
      } catch (error) {
        stopped = true;
        throw error;
      }
    }
  };
  await allSettled(Array.from({ length: Math.min(limit, items.length) }, lane));
  return items.length - next;
}

/**
 * The one-minute sweep (DESIGN §3): reads what is due from the sparse index, hands it to the
 * right queue in batches of ten, several batches at once, and marks each item queued with its
 * own conditional write (pending → queued). Sending before marking means a crash in between
 * re-sends rather than loses; the senders' claim makes a re-sent notification go out once.
 *
 * The marks stay one conditional write per item: `BatchWriteItem` takes no conditions, and a
 * `TransactWriteItems` of marks would make a mailer's claim (or the planner's cancel) of one of
 * its items fail with a transaction conflict while it runs, instead of simply coming second.
 *
 * With a {@link SweepBudget} the sweep hands over before its timeout: no batch starts once less
 * than `reserveMs` is left, so every batch it started is sent and marked, and what it did not
 * start stays pending, untouched, for the next tick (counted in {@link SweepOutcome.left}).
 */
export async function sweepDue(
  deps: SweepDeps,
  now: string,
  options: SweepOptions = {},
): Promise<SweepOutcome> {
  const { budget } = options;
  const concurrency = options.concurrency ?? SWEEP_CONCURRENCY;
  const mayStart = () => !budget || budget.remainingMs() > budget.reserveMs;
  const listed = await deps.notifications.listDue(now, options.readLimit ?? SWEEP_READ_LIMIT);
  const outcome: SweepOutcome = { due: listed.length, queued: 0, failed: 0, superseded: 0, left: 0 };
  const due: NotificationRecord[] = [];
  const superseded: { record: NotificationRecord; by: string }[] = [];
  for (const item of latestOfEachLadder(listed)) {
    if (item.supersededBy) superseded.push({ record: item.record, by: item.supersededBy });
    else due.push(item.record);
  }
  // Skipped first: an earlier reminder left pending after its winner was queued would be due
  // alone at the next sweep, and sent. If time runs out here, the winners wait too.
  const skipsNotStarted = await inPool(superseded, concurrency, mayStart, async ({ record, by }) => {
    await deps.notifications.skip(record, `superseded by ${by}`, now);
    outcome.superseded++;
  });
  const batches = skipsNotStarted > 0 ? [] : queueBatches(due);
  const notStarted = await inPool(batches, concurrency, mayStart, async ({ target, items }) => {
    const failed = new Set(await deps.queue.enqueue(target, items));
    outcome.failed += failed.size;
    await allSettled(
      items
        .filter((ref) => !failed.has(ref.id))
        .map(async (ref) => {
          if (await deps.notifications.markQueued(ref, now)) outcome.queued++;
        }),
    );
  });
  outcome.left =
    skipsNotStarted > 0
      ? skipsNotStarted + due.length
      : batches.slice(batches.length - notStarted).reduce((sum, b) => sum + b.items.length, 0);
  return outcome;
}
