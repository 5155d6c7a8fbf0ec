/** A response kept for replay. */
export interface StoredResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** What `begin` found. */
export type IdempotencyBegin =
  | { outcome: 'started' }
  | { outcome: 'replay'; response: StoredResponse }
  | { outcome: 'in_progress' }
  | { outcome: 'mismatch' };

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
  /** Stores the response for replay. */
  complete(key: string, response: StoredResponse, nowEpochSeconds: number): Promise<void>;
  /** Forgets a claim whose request failed, so a retry acts. */
  release(key: string): Promise<void>;
}
