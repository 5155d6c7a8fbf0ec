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
  /**
   * How many escalations were sent in each of these stage epochs, by review id (0 when none), in
   * one batched read of their tallies, not a read per review: the overdue report asks for a page.
   */
  escalationsSent(stages: readonly StageEpochRef[]): Promise<Map<string, number>>;
  /**
   * A stage epoch's latest notifications of some kinds (at most `limit`, of the epoch's latest
   * `limit`), in due order: an escalation lists them without reading the review's whole history.
   * `complete` is false when older ones were left out.
   */
  latestOfStage(
    stage: StageEpochRef,
    kinds: readonly NotificationKind[],
    limit: number,
  ): Promise<{ items: NotificationRecord[]; complete: boolean }>;
}

/** One stage epoch of a review. */
export interface StageEpochRef {
  reviewId: string;
  stageEpoch: number;
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
  /**
   * A stage change in one write (DESIGN §6, calls per transition): cancels `left.expected`, the
   * pending items the caller derived from the review as it was (no query), and stores `items` as
   * {@link addPlanned} does. When one of `expected` is not pending (a sweep queued it, a replay
   * cancelled it, its plan was never written) the write is refused and the two happen apart:
   * everything still pending of `left.stageEpoch` is found and cancelled ({@link cancelPending}),
   * then the plan is stored. A pending item the caller did not derive (one already due, waiting
   * for the sweep) is left to the senders' fire-time guard, which skips it.
   * @returns the items actually written and how many were cancelled
   */
  replacePlan(
    left: { reviewId: string; stageEpoch: number; reason: string; expected: NotificationRef[] },
    items: NewNotification[],
    now: string,
  ): Promise<{ written: NewNotification[]; cancelled: number }>;
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
  /**
   * sending → sent / skipped / failed, with the reason. A sent escalation (`ref.kind`) also adds
   * one to its stage epoch's tally in the same write, so {@link NotificationReader.escalationsSent}
   * counts each exactly once, however often the finish is retried. `record`: the deliveries
   * made since the sender's last write, stored in the same write.
   */
  finish(
    ref: NotificationRef & { kind?: NotificationKind | undefined },
    status: 'sent' | 'skipped' | 'failed',
    now: string,
    reason?: string,
    record?: RecordedDeliveries,
  ): Promise<void>;
  /**
   * sending → queued: give the claim back so the queue's retry can claim it again, storing the
   * deliveries the attempt made since its last write (so the retry sends only what is missing).
   */
  release(ref: NotificationRef, record?: RecordedDeliveries): Promise<void>;
  /** pending or queued (not yet claimed) → skipped, for the fire-time guard. */
  skip(ref: NotificationRef, reason: string, now: string): Promise<void>;
}

/**
 * Deliveries a sender stores with its last write, as the record's deliveries from `position` on:
 * written again (a retry of a write that landed), they change nothing.
 */
export interface RecordedDeliveries {
  deliveries: Delivery[];
  position: number;
}
