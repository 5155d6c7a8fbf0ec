import type { Review } from '#shared/domain/review.ts';
import type { Delivery, NotificationRecord, NotificationRef } from './notification-store.ts';

/** A person as a send reaches them: the participant and the address. */
export interface Addressee {
  state: string;
  email: string;
}

/**
 * The write a sender makes before each send (DESIGN §6: one round trip per send, so a pipeline
 * transition stays within its call budget). It records what the attempt has learnt since its
 * last write, so a crash resends only what was not recorded; the first one of an attempt claims
 * the notification.
 */
export interface SendGate {
  /** Unique to this delivery attempt: a write that landed and was retried is recognised as its own. */
  token: string;
  /**
   * Claim the notification with this write: pending or queued → sending, or a `sending` claim
   * older than `staleBefore` (its sender died) → ours. Absent: the attempt holds the claim already.
   */
  claim?: { now: string; staleBefore: string } | undefined;
  /**
   * Outcomes known since the attempt's last write (recipients skipped, the send just made), stored
   * as the record's deliveries from `position` on: written again (a retry of a write that landed),
   * they change nothing.
   */
  record: Delivery[];
  position: number;
  /**
   * Whom the next send goes to: the address must not be undeliverable, and for a stage notice
   * this person's notice of the stage epoch is claimed for this notification (several
   * notifications may carry it: on entry, for a new focal point, on resume; each person gets one,
   * DESIGN §2). Absent for mail to the Secretariat.
   */
  to?: (Addressee & { stageNotice: boolean; now: string }) | undefined;
}

/**
 * What became of a {@link SendGate}: `go` (written: send now); `duplicate` (nothing written: the
 * claim is not, or no longer, this attempt's); `undeliverable` or `already_notified` (nothing
 * written: skip this person, the next write carries the skip).
 */
export type SendGateAnswer = 'go' | 'duplicate' | 'undeliverable' | 'already_notified';

/**
 * The senders' side of the Notifications and Reviews tables: one read of a notification with its
 * review, then one conditional write before each send. Finishing and giving the claim back are
 * the {@link NotificationStore}'s.
 */
export interface DeliveryStore {
  /** The notification and the review it is about, as they are now (strongly consistent), in one read. */
  read(ref: NotificationRef): Promise<{ record: NotificationRecord | undefined; review: Review | undefined }>;
  gate(ref: NotificationRef, gate: SendGate): Promise<SendGateAnswer>;
  /** Gives a person's stage notice claim back after a send that surely failed, so another notification may send it. */
  releaseStageNotice(ref: NotificationRef, person: Addressee): Promise<void>;
}
