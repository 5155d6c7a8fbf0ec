import type { NotificationQueue } from '#shared/ports/mail.ts';
import type { NotificationStore } from '#shared/ports/notification-store.ts';

export interface SweepDeps {
  notifications: NotificationStore;
  queue: NotificationQueue;
}

export interface SweepOutcome {
  due: number;
  queued: number;
  failed: number;
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
  const due = await deps.notifications.listDue(now, SWEEP_LIMIT);
  const outcome: SweepOutcome = { due: due.length, queued: 0, failed: 0 };
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
