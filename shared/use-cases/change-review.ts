import type { CalendarDate } from '#shared/domain/calendar.ts';
import { ReviewNotFoundError, VersionConflictError } from '#shared/domain/errors.ts';
import {
  changeDeadline,
  createReview,
  type FocalPoint,
  type NewReview,
  pause,
  type Review,
  type ReviewChange,
  resume,
  setFocalPoint,
  transition,
} from '#shared/domain/review.ts';
import { StaleVersionError } from '#shared/ports/review-repository.ts';
import type { Caller, ReviewDeps } from './deps.ts';

/**
 * Optimistic attempts when no expectedVersion pins the change and other writers got there
 * first (DESIGN §4: a write without `expectedVersion` is not refused for that): enough for a
 * handful of writers on one review at once, each attempt being one read and one transaction.
 */
const MAX_ATTEMPTS = 10;

/** Creates a review in the initial stage; its stream record starts the planning. */
export async function createReviewUseCase(
  deps: ReviewDeps,
  caller: Caller,
  input: NewReview,
): Promise<Review> {
  const { review, event } = createReview(deps.process, input, {
    id: deps.newId(),
    now: deps.clock.now(),
    actor: caller,
  });
  await deps.reviews.create(review, event, deps.completion?.(review));
  return review;
}

/** A short random pause that grows with the attempt, so writers that collided do not collide again in step. */
const backoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 5 * attempt)));

/** Whether two reviews are the same stored state (the change that lost the race was this very one, landed late). */
function sameReview(a: Review | undefined, b: Review): boolean {
  return a !== undefined && a.version === b.version && JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Reads the review, applies a domain rule and saves it conditional on the version read:
 * one read and one transaction. With `expectedVersion` a lost race is a conflict for the
 * caller; without it the change is recomputed on the fresh review.
 */
async function changeReview(
  deps: ReviewDeps,
  id: string,
  expectedVersion: number | undefined,
  rule: (review: Review) => ReviewChange,
): Promise<Review> {
  for (let attempt = 1; ; attempt++) {
    const current = await deps.reviews.get(id);
    if (!current) throw new ReviewNotFoundError();
    if (expectedVersion !== undefined && current.version !== expectedVersion) {
      throw new VersionConflictError(current.version);
    }
    const { review, event } = rule(current);
    try {
      await deps.reviews.save(review, event, current.version, deps.completion?.(review));
      return review;
    } catch (error) {
      if (!(error instanceof StaleVersionError)) throw error;
      if (expectedVersion !== undefined || attempt >= MAX_ATTEMPTS) {
        const latest = await deps.reviews.get(id);
        // Our own write, answered too late and retried: it landed once, which is success.
        if (sameReview(latest, review)) return review;
        throw new VersionConflictError(latest?.version ?? current.version + 1);
      }
      await backoff(attempt);
    }
  }
}

export interface TransitionInput {
  to: string;
  deadline?: CalendarDate | undefined;
  reason?: string | undefined;
  expectedVersion?: number | undefined;
}

/** Moves a review to another stage (DESIGN §2 transitions). */
export function transitionReviewUseCase(
  deps: ReviewDeps,
  caller: Caller,
  id: string,
  input: TransitionInput,
): Promise<Review> {
  return changeReview(deps, id, input.expectedVersion, (review) =>
    transition(deps.process, review, input, { now: deps.clock.now(), actor: caller }),
  );
}

/** Registers or replaces a participant's focal point. */
export function setFocalPointUseCase(
  deps: ReviewDeps,
  caller: Caller,
  id: string,
  state: string,
  focalPoint: FocalPoint,
): Promise<Review> {
  return changeReview(deps, id, undefined, (review) =>
    setFocalPoint(deps.process, review, state, focalPoint, { now: deps.clock.now(), actor: caller }),
  );
}

/** Pauses a review with a reason. */
export function pauseReviewUseCase(
  deps: ReviewDeps,
  caller: Caller,
  id: string,
  reason: string,
): Promise<Review> {
  return changeReview(deps, id, undefined, (review) =>
    pause(deps.process, review, reason, { now: deps.clock.now(), actor: caller }),
  );
}

/** Resumes a paused review; its deadline moves by the paused time. */
export function resumeReviewUseCase(
  deps: ReviewDeps,
  caller: Caller,
  id: string,
  reason: string,
): Promise<Review> {
  return changeReview(deps, id, undefined, (review) =>
    resume(review, reason, { now: deps.clock.now(), actor: caller }),
  );
}

/** Sets a new deadline for the current stage, with a reason. */
export function changeDeadlineUseCase(
  deps: ReviewDeps,
  caller: Caller,
  id: string,
  input: { deadline: CalendarDate; reason: string },
): Promise<Review> {
  return changeReview(deps, id, undefined, (review) =>
    changeDeadline(deps.process, review, input.deadline, input.reason, {
      now: deps.clock.now(),
      actor: caller,
    }),
  );
}
