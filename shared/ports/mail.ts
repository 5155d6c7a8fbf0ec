/** A MIME attachment. */
export interface Attachment {
  filename: string;
  contentType: string;
  content: string | Uint8Array;
}

/** One e-mail to one recipient. */
export interface OutgoingMail {
  /** The sender's address (`a@b`, or `Name <a@b>`; `fromName` wins over a name given here). */
  from: string;
  /**
   * The sender's display name (a deployment setting, e.g. `UNODC Review Mechanism`). Written
   * quoted or as RFC 2047 words; control and bidi characters are dropped.
   */
  fromName?: string;
  /** The recipient's address (`a@b`, or `Name <a@b>`; `toName` wins over a name given here). */
  to: string;
  /** The recipient's display name (the focal point's or expert's name), cleaned like `fromName`. */
  toName?: string;
  /** Where replies go: the review's Secretariat officer or the deployment's address (`a@b` or `Name <a@b>`). */
  replyTo?: string;
  /**
   * Our Message-ID without angle brackets (`abc.def@untoc-review-tracker`), stable per notification
   * and recipient: see `messageIdFor`. Must be dot-atom-text@dot-atom-text, or the build throws.
   */
  messageId?: string;
  subject: string;
  text: string;
  html: string;
  attachments?: Attachment[];
  /** Message tags (SES), low-cardinality ids only: never an address. */
  tags?: Record<string, string>;
}

/** Thrown when the mail service asks us to slow down; the queue's retry handles it. */
export class MailThrottledError extends Error {
  constructor(message = 'mail service throttled') {
    super(message);
    this.name = 'MailThrottledError';
  }
}

/**
 * Thrown when a send failed after the request may have reached the mail service (a timeout,
 * a connection dropped mid-answer): it may have been delivered. The queue retries it, which
 * may duplicate; DESIGN §3 accepts that one window and asks that it be counted.
 */
export class MailOutcomeUnknownError extends Error {
  constructor(
    /** The transport error's name and code. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`mail send outcome unknown (${reason})`, options);
    this.name = 'MailOutcomeUnknownError';
  }
}

/** Sends e-mail. */
export interface Mailer {
  /** @returns the provider's message id */
  send(mail: OutgoingMail): Promise<string>;
}

/** A notification handed to a queue. */
export interface QueuedNotification {
  reviewId: string;
  stageEpoch: number;
  id: string;
}

/** Puts notifications on the focal-point or escalation queue. */
export interface NotificationQueue {
  /** Sends in batches of 10; returns the ids that failed. */
  enqueue(target: 'focal_point' | 'escalation', items: QueuedNotification[]): Promise<string[]>;
}

/** Addresses SES reported as permanently undeliverable (bounce or complaint). */
export interface UndeliverableAddresses {
  /** Which of these addresses are undeliverable (lower-cased), in one look-up. */
  undeliverableAmong(emails: string[]): Promise<Set<string>>;
  /** @returns true when it was newly marked */
  mark(email: string, reason: string, now: string): Promise<boolean>;
}
