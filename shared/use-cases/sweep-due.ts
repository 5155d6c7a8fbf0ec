import type { NotificationQueue } from '#shared/ports/mail.ts';
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

/** At most this many items per run; the next minute's run takes the rest. */
export const SWEEP_LIMIT = 1000;

/**
 * The one-minute sweep (DESIGN §3): reads what is due from the sparse index, hands it to
 * the right queue, then marks each item queued conditionally. Sending before marking means
 * a crash in between re-sends rather than loses; the senders' claim makes a re-sent
 * notification go out once.
 */
export async function sweepDue(deps: SweepDeps, now: string): Promise<SweepOutcome> {
  const listed = await deps.notifications.listDue(now, SWEEP_LIMIT);
  const outcome: SweepOutcome = { due: listed.length, queued: 0, failed: 0, superseded: 0 };
  const due: NotificationRecord[] = [];
  for (const item of latestOfEachLadder(listed)) {
    if (item.supersededBy) {
      await deps.notifications.skip(item.record, `superseded by ${item.supersededBy}`, now);
      outcome.superseded++;
    } else {
      due.push(item.record);
    }
  }
  for (const target of ['focal_point', 'escalation'] as const) {
    const items = due
      .filter((n) => (n.audience === 'secretariat') === (target === 'escalation'))
      .map((n) => ({ reviewId: n.reviewId, stageEpoch: n.stageEpoch, id: n.id }));
    if (items.length === 0) continue;
    const failed = new Set(await deps.queue.enqueue(target, items));
    outcome.failed += failed.size;
    for (const ref of items) {
      if (!failed.has(ref.id) && (await deps.notifications.markQueued(ref, now))) outcome.queued++;
    }
  }
  return outcome;
}
