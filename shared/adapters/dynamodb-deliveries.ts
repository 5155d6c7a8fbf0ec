import type { RecordedDeliveries } from '#shared/ports/notification-store.ts';

/**
 * Expression parts shared by the writes that claim a notification and record its deliveries
 * (the Notifications store and the senders' delivery store), so the two cannot drift apart.
 */

/**
 * A notification is claimable when nobody is sending it, when its sender's claim is older than
 * `:stale` (that sender died), or when the claim is this attempt's own: a claim that landed, its
 * answer lost, retried by the SDK.
 */
export const CLAIMABLE =
  '#status IN (:pending, :queued) OR (#status = :sending AND claimedAt < :stale) OR (#status = :sending AND claimedBy = :token)';

/** Instants compared inside DynamoDB are stored in one fixed-width form (`…:00.000Z`). */
export function sortable(instant: string): string {
  return new Date(instant).toISOString();
}

/** The values {@link CLAIMABLE} and the claim's own `SET` use (`#status` names `status`). */
export function claimValues(now: string, staleBefore: string, token: string): Record<string, unknown> {
  return {
    ':sending': 'sending',
    ':pending': 'pending',
    ':queued': 'queued',
    ':now': sortable(now),
    ':stale': sortable(staleBefore),
    ':token': token,
  };
}

/**
 * Deliveries written at their positions (`SET deliveries[3] = :d0, deliveries[4] = :d1`), on
 * condition that the ones before them are there: a write that landed and is sent again (its
 * answer lost) writes the same elements at the same places and adds nothing.
 * @returns the `SET` clauses, the condition (none when there is nothing to write) and the values
 */
export function deliveriesAt(record: RecordedDeliveries | undefined): {
  set: string[];
  condition: string | undefined;
  values: Record<string, unknown>;
} {
  const deliveries = record?.deliveries ?? [];
  if (!record || deliveries.length === 0) return { set: [], condition: undefined, values: {} };
  return {
    set: deliveries.map((_, i) => `deliveries[${record.position + i}] = :delivery${i}`),
    condition: 'size(deliveries) >= :position',
    values: {
      ':position': record.position,
      ...Object.fromEntries(deliveries.map((d, i) => [`:delivery${i}`, d])),
    },
  };
}
