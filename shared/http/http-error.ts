import type { InputIssue } from '#shared/domain/errors.ts';

/**
 * A transport-level refusal (no token, wrong role, body too large, not JSON …), decided by
 * the HTTP chain before any use case runs. Domain refusals are `DomainError`s instead.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly issues?: InputIssue[],
    /** Extra response headers (`Retry-After`). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
