/** A response kept for replay. */
export interface StoredResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** A request's hold on its key: only the holder may complete or release it. */
export interface IdempotencyClaim {
  /** The caller-scoped key. */
  key: string;
  /** Unique to the request that made the claim. */
  token: string;
}

/** What `begin` found. */
export type IdempotencyBegin =
  | { outcome: 'started'; claim: IdempotencyClaim }
  | { outcome: 'replay'; response: StoredResponse }
  | { outcome: 'in_progress'; retryAfterSeconds: number }
  | { outcome: 'mismatch' };

/**
 * The response that completes a claim. A repository writes it in the same transaction as the
 * change the request makes (DESIGN §4), so a change that lands late, after its request has
 * already answered 503, still completes the key and a retry replays it instead of acting
 * twice; and a change whose claim was released or taken over cannot land at all.
 */
export interface IdempotencyCompletion {
  claim: IdempotencyClaim;
  response: StoredResponse;
  nowEpochSeconds: number;
}

/** Thrown by a write carrying a completion whose claim is no longer its request's (it expired and a retry took it). */
export class IdempotencyClaimLostError extends Error {
  constructor() {
    super('idempotency claim lost');
    this.name = 'IdempotencyClaimLostError';
  }
}

/**
 * Remembers the first response to each (caller, Idempotency-Key) so a repeat with the same
 * body replays it without acting twice. Keys expire.
 */
export interface IdempotencyStore {
  /**
   * Claims the key for this request, or reports what is already there.
   * @param key the caller-scoped key
   * @param fingerprint a hash of method, route and body
   * @param nowEpochSeconds the request's time
   */
  begin(key: string, fingerprint: string, nowEpochSeconds: number): Promise<IdempotencyBegin>;
  /** Stores the response for replay, when no write carried it; only while the claim is the request's. */
  complete(completion: IdempotencyCompletion): Promise<void>;
  /** Forgets a claim whose request failed, so a retry acts; a claim completed meanwhile stays. */
  release(claim: IdempotencyClaim): Promise<void>;
}
