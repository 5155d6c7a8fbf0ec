/**
 * A dependency (a table, a queue, the mail service) did not answer in time, refused for
 * throttling, or failed on its side, after the SDK's own retries. Nothing about the request
 * was wrong: the caller may try again later. Whether a write landed is unknown, so a retry
 * must be safe (conditional writes, idempotency keys, claims).
 */
export class DependencyUnavailableError extends Error {
  constructor(
    /** Which dependency: `dynamodb`, `sqs`, `ses`. */
    readonly dependency: string,
    /** The SDK error's name and code, e.g. `TimeoutError/ETIMEDOUT` (never an address). */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${dependency} is unavailable (${reason})`, options);
    this.name = 'DependencyUnavailableError';
  }
}
