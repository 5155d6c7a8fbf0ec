import type { Review, ReviewEvent } from '#shared/domain/review.ts';

/** Filters of the timeliness report; every one optional. */
export interface TimelinessQuery {
  cluster?: number | undefined;
  group?: number | undefined;
  /** A process id as reviews keep it (`untoc`). */
  processId?: string | undefined;
  limit: number;
  /** Opaque cursor from a previous page of the same filters. */
  cursor?: string | undefined;
}

/** A review with its whole history, read together. */
export interface ReviewRecord {
  review: Review;
  /** Oldest first. */
  history: ReviewEvent[];
}

export interface TimelinessPage {
  items: ReviewRecord[];
  nextCursor: string | null;
}

/**
 * Where the timeliness report reads reviews with their history and ledger (DESIGN §2): a page of
 * reviews at a time, newest first, each with its history, at a cost proportional to the page (no
 * scan of the table).
 */
export interface TimelinessSource {
  /**
   * One page of the reviews matching the filters, each with its history.
   * @throws InvalidCursorError (from review-repository.ts) for a cursor it did not issue for these filters
   */
  page(query: TimelinessQuery): Promise<TimelinessPage>;
}
