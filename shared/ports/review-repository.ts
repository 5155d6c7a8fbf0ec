import type { CalendarDate } from '#shared/domain/calendar.ts';
import type { Review, ReviewEvent } from '#shared/domain/review.ts';
import type { IdempotencyCompletion } from './idempotency-store.ts';

/** A stored history event: the domain event plus its review. */
export interface StoredEvent extends ReviewEvent {
  reviewId: string;
}

/** Filters of `GET /reviews`; every one optional. */
export interface ReviewQuery {
  stage?: string | undefined;
  /** A participant: the State under review or a reviewing State. */
  state?: string | undefined;
  cluster?: number | undefined;
  /** Only reviews whose deadline day ended before `overdueBefore` (a date in the zone of record). */
  overdueBefore?: CalendarDate | undefined;
  limit: number;
  /** Opaque cursor from a previous page. */
  cursor?: string | undefined;
}

/** A page of a listing: at most `limit` items, after the position `cursor` names. */
export interface PageRequest {
  limit: number;
  /** Opaque cursor from a previous page. */
  cursor?: string | undefined;
}

export interface ReviewPage {
  items: Review[];
  nextCursor: string | null;
}

/** Thrown by `save` when the stored version is not the one the change was based on. */
export class StaleVersionError extends Error {
  constructor() {
    super('stale version');
    this.name = 'StaleVersionError';
  }
}

/** Thrown by `list` for a cursor it did not issue (the caller maps it to 400). */
export class InvalidCursorError extends Error {
  constructor() {
    super('invalid cursor');
    this.name = 'InvalidCursorError';
  }
}

/**
 * Where reviews, their history and their ledger live. Every change is the review plus its
 * history event, written atomically (one transaction) and conditional on the version the
 * change was computed from.
 */
export interface ReviewRepository {
  /** The review, or undefined. */
  get(id: string): Promise<Review | undefined>;
  /** The id of the review holding this reference (compared case-insensitively), or undefined. */
  idForReference(reference: string): Promise<string | undefined>;
  /**
   * Stores a new review and its `created` event; fails if the id exists.
   * @param completion the request's idempotency completion, written in the same transaction
   * @throws IdempotencyClaimLostError when the completion's claim is no longer the request's
   */
  create(review: Review, event: ReviewEvent, completion?: IdempotencyCompletion): Promise<void>;
  /**
   * Stores a changed review and its event, only if the stored version is `basedOnVersion`.
   * @param completion the request's idempotency completion, written in the same transaction
   * @throws StaleVersionError when it is not (nothing is written).
   * @throws IdempotencyClaimLostError when the completion's claim is no longer the request's
   */
  save(
    review: Review,
    event: ReviewEvent,
    basedOnVersion: number,
    completion?: IdempotencyCompletion,
  ): Promise<void>;
  /** Reviews matching the filters, newest first, one page at a time. */
  list(query: ReviewQuery): Promise<ReviewPage>;
  /**
   * Open (not paused, not completed) reviews whose deadline is before `date`, oldest deadline
   * first (ties by id), one page at a time: the overdue report reads one index page per page.
   * @throws InvalidCursorError for a cursor it did not issue
   */
  listDeadlinesBefore(date: CalendarDate, page: PageRequest): Promise<ReviewPage>;
  /** The review's history, oldest first. */
  history(id: string): Promise<StoredEvent[]>;
}
