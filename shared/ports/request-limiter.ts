import type { Instant } from '#shared/domain/calendar.ts';

/** What a counted request may do: go on, or wait this many seconds. */
export type LimitAnswer = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts requests per key in fixed windows (DESIGN §10: the personal page is rate-limited per
 * token). The key is a keyed digest, never the token itself.
 */
export interface RequestLimiter {
  take(key: string, now: Instant): Promise<LimitAnswer>;
}
