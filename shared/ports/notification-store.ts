import type { NotificationKind, PlannedNotification } from '#shared/domain/notification-plan.ts';

/** What became of a planned notification. */
export type NotificationStatus = 'pending' | 'queued' | 'sent' | 'skipped' | 'failed' | 'cancelled';

/** One delivery of a notification (one recipient). */
export interface Delivery {
  /** The participant it went to, or `SECRETARIAT`. */
  recipient: string;
  status: 'sent' | 'skipped' | 'failed';
  /** SES message id when sent. */
  messageId?: string | undefined;
  /** Why it was skipped or failed. */
  reason?: string | undefined;
}

/** A planned notification as stored, with its outcome. */
export interface NotificationRecord extends PlannedNotification {
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
