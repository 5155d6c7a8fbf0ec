/** What became of a claim on an officer's digest of one week. */
export type DigestClaimOutcome =
  /** The claim is ours: send, then mark it sent (or release it). */
  | 'claimed'
  /** This officer's digest of this week went out already. */
  | 'sent'
  /** Another run holds a fresh claim on it: its outcome is not known yet. */
  | 'busy';

/**
 * One digest per officer per ISO week, however often the weekly run is retried: a conditional
 * claim per (officer, week), keyed without the address itself.
 */
export interface DigestClaims {
  /**
   * Claims the digest of `officer` for `week` with `token`. A claim made before `staleBefore`
   * and never marked sent is a dead run's and is taken over.
   */
  claim(
    officer: string,
    week: string,
    at: string,
    staleBefore: string,
    token: string,
  ): Promise<DigestClaimOutcome>;
  /** Marks a claimed digest sent (the SES message id kept as evidence). */
  markSent(officer: string, week: string, token: string, messageId: string, at: string): Promise<void>;
  /** Gives a claim back after a send that failed, so a retry sends it. */
  release(officer: string, week: string, token: string): Promise<void>;
}
