import type { NotificationKind, PlannedNotification } from '#shared/domain/notification-plan.ts';

/** What became of a planned notification. */
export type NotificationStatus =
  | 'pending'
  | 'queued'
  | 'sending'
  | 'sent'
  | 'skipped'
  | 'failed'
  | 'cancelled';

/** One delivery of a notification (one recipient). */
export interface Delivery {
  /** The participant it went to (ISO3), or `SECRETARIAT`. */
  recipient: string;
  /**
   * `sent`; `skipped` (undeliverable address, no focal point for a stage notice, already
   * notified of this stage); `escalated` (no focal point: the Secretariat was told instead);
   * `failed`; `unknown` (the send timed out after the request left: it may have been
   * delivered, and the retry sends again, the one window for a duplicate, DESIGN §3).
   */
  status: 'sent' | 'skipped' | 'escalated' | 'failed' | 'unknown';
  /** SES message id when sent or escalated. */
  messageId?: string | undefined;
  /** Why it was skipped, escalated or failed. */
  reason?: string | undefined;
  at?: string | undefined;
}

/** What an `undeliverable` notice is about (no full address: a masked hint only). */
export interface UndeliverableDetail {
  state?: string | undefined;
  cause: 'bounce' | 'complaint';
  addressHint: string;
}

/** A notification to store: a planned one, or an undeliverable notice with its detail. */
export type NewNotification = PlannedNotification & { detail?: UndeliverableDetail | undefined };

/** A planned notification as stored, with its outcome. */
export interface NotificationRecord extends PlannedNotification {
  detail?: UndeliverableDetail | undefined;
  status: NotificationStatus;
  /** Why it was skipped, cancelled or failed. */
  reason?: string | undefined;
  queuedAt?: string | undefined;
  sentAt?: string | undefined;
  deliveries: Delivery[];
}

/** Read side of the Notifications table, as the API needs it. */
export interface NotificationReader {
  /** Every planned and sent notification of a review, in due order. */
  listForReview(reviewId: string): Promise<NotificationRecord[]>;
  /** How many notifications of a kind were sent for a review's stage epoch. */
  countSent(reviewId: string, stageEpoch: number, kind: NotificationKind): Promise<number>;
}

/** Where a queued notification sits: enough to find its record again. */
export interface NotificationRef {
  reviewId: string;
  stageEpoch: number;
  id: string;
}

/**
 * Write side of the Notifications table, for the planner, the sweep and the senders. Every
 * state change is conditional on the state it leaves, so replays and races change nothing.
 */
export interface NotificationStore extends NotificationReader {
  /**
   * Stores planned notifications as pending (in the sparse due index) unless they are there
   * already: ids are deterministic, so a replay finds them present and writes nothing. A
   * cancelled one planned again (a deadline moved back) is revived.
   * @returns the ones actually written
   */
  addPlanned(items: NewNotification[], now: string): Promise<NewNotification[]>;
  /** Cancels a review's still-pending notifications, optionally only for one stage epoch and of some kinds. */
  cancelPending(
    reviewId: string,
    reason: string,
    now: string,
    stageEpoch?: number,
    kinds?: NotificationKind[],
  ): Promise<number>;
  /**
   * Pending notifications due at or before `now`, read from the sparse due index only (no
   * Scan): items read ÷ items due stays ≈ 1.
   */
  listDue(now: string, limit: number): Promise<NotificationRecord[]>;
  /** pending → queued; false when another sweep got there first. */
  markQueued(ref: NotificationRef, now: string): Promise<boolean>;
  /** The record, or undefined. */
  get(ref: NotificationRef): Promise<NotificationRecord | undefined>;
  /**
   * queued → sending, or a `sending` claim older than `staleBefore` (its sender died) → ours.
   * False when the record is in any other state (already sent, skipped, claimed by a live sender).
   * @param claimToken unique to this delivery attempt: a claim that landed but whose answer was
   *   lost (and was retried) is recognised as this attempt's own
   */
  claim(ref: NotificationRef, now: string, staleBefore: string, claimToken: string): Promise<boolean>;
  /**
   * Appends one delivery to a claimed record (so a retry does not send to the same recipient
   * twice), as its `position`-th (0-based): a retried append that had landed adds nothing.
   */
  recordDelivery(ref: NotificationRef, delivery: Delivery, position: number): Promise<void>;
  /** sending → sent / skipped / failed, with the reason. */
  finish(
    ref: NotificationRef,
    status: 'sent' | 'skipped' | 'failed',
    now: string,
    reason?: string,
  ): Promise<void>;
  /** sending → queued: give the claim back so the queue's retry can claim it again. */
  release(ref: NotificationRef): Promise<void>;
  /** queued (not yet claimed) → skipped, for the fire-time guard. */
  skip(ref: NotificationRef, reason: string, now: string): Promise<void>;
  /**
   * Claims one person's stage notice of a stage epoch for a notification: true when it is
   * this notification's to send (first to claim, or its own claim again on a retry), false
   * when another notification of the epoch has it. Several notifications may carry the same
   * stage notice (on entry, for a new focal point, on resume); this makes each person get
   * it once (DESIGN §2).
   * @param person the participant and the address, as the notice would go
   */
  claimStageNotice(
    ref: NotificationRef,
    person: { state: string; email: string },
    now: string,
  ): Promise<boolean>;
  /** Gives a person's claim back after a send that surely failed, so another notification may send it. */
  releaseStageNotice(ref: NotificationRef, person: { state: string; email: string }): Promise<void>;
}
