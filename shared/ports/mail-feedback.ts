/**
 * What the mail service reported about a sent mail, in the app's own terms: which addresses
 * must not be mailed again and why. Only permanent problems are reported (a transient bounce
 * the mail service retries itself is not).
 */
export interface MailFeedback {
  cause: 'bounce' | 'complaint';
  /** The addresses concerned (never logged). */
  addresses: string[];
  /** The review the mail was about, from its message tags. */
  reviewId?: string | undefined;
  /** The mail service's id of the mail, which names the notice (no identifier is derived from an address). */
  mailId?: string | undefined;
}
