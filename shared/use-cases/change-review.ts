import type { CalendarDate } from '#shared/domain/calendar.ts';
import {
  InvalidInputError,
  ReferenceTakenError,
  ReviewNotFoundError,
  VersionConflictError,
} from '#shared/domain/errors.ts';
import {
  changeDeadline,
  createReview,
  decideExtension,
  type FocalPoint,
  type NewReview,
  pause,
  type Review,
  type ReviewChange,
  recordSubmission,
  referenceCandidate,
  resume,
  setExperts,
  setFocalPoint,
  transition,
  withdrawSubmission,
} from '#shared/domain/review.ts';
import { StaleVersionError } from '#shared/ports/review-repository.ts';
import type { Caller, ReviewDeps } from './deps.ts';

/**
 * Optimistic attempts when no expectedVersion pins the change and other writers got there
 * first (DESIGN §4: a write without `expectedVersion` is not refused for that): enough for a
 * handful of writers on one review at once, each attempt being one read and one transaction.
 */
const MAX_ATTEMPTS = 10;

/** How many suffixed references (`-2` …) a creation tries before it gives up. */
const MAX_REFERENCE_CANDIDATES = 50;

/**
 * Creates a review in the initial stage; its stream record starts the planning. A reference
 * the Secretariat gives must be free (409 `REFERENCE_TAKEN`); a made one takes the next free
 * suffix, each try being one transaction that writes nothing when the reference is taken.
 */
export async function createReviewUseCase(
  deps: ReviewDeps,
  caller: Caller,
  input: NewReview,
): Promise<Review> {
  const process = processOfNewReview(deps, input.process);
  const id = deps.newId();
  const now = deps.clock.now();
  for (let n = 1; ; n++) {
    const reference = input.reference ?? referenceCandidate(input, n);
    const { review, event } = createReview(process, input, { id, now, actor: caller, reference });
    try {
      await deps.reviews.create(review, event, deps.completion?.(review));
      return review;
    } catch (error) {
      if (!(error instanceof ReferenceTakenError) || input.reference || n >= MAX_REFERENCE_CANDIDATES)
        throw error;
    }
  }
}

/** The process a new review names (the deployment's default when it names none); 400 for one not shipped. */
export function processOfNewReview(deps: Pick<ReviewDeps, 'processes'>, id: string | undefined) {
  if (id === undefined) return deps.processes.defaultProcess;
  const process = deps.processes.find(id);
  if (!process) {
    const shipped = deps.processes
      .all()
      .map((p) => p.id)
      .join(', ');
    throw new InvalidInputError('Unknown process.', [
      { path: 'process', message: `unknown process ${id}; this deployment ships ${shipped}` },
    ]);
  }
  return process;
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
export async function changeReview(
  deps: Pick<ReviewDeps, 'reviews' | 'completion'>,
  id: string,
  expectedVersion: number | undefined,
  /** The change, or undefined when the rule says there is nothing to change (the review as it is). */
  rule: (review: Review) => ReviewChange | undefined,
): Promise<Review> {
  for (let attempt = 1; ; attempt++) {
    const current = await deps.reviews.get(id);
    if (!current) throw new ReviewNotFoundError();
    if (expectedVersion !== undefined && current.version !== expectedVersion) {
      throw new VersionConflictError(current.version);
    }
    const change = rule(current);
    // Nothing to write: the review as it is (an Idempotency-Key is then completed on its own).
    if (change === undefined) return current;
    const { review, event } = change;
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
    transition(deps.processes.of(review), review, input, { now: deps.clock.now(), actor: caller }),
  );
}

/**
 * Registers or replaces a participant's focal point. `expectedVersion`, as on every change
 * below, is the client's opt-in guard (see {@link changeReview}); it is no part of what is stored.
 */
export function setFocalPointUseCase(
  deps: ReviewDeps,
  caller: Caller,
  id: string,
  state: string,
  focalPoint: FocalPoint,
  expectedVersion?: number | undefined,
): Promise<Review> {
  return changeReview(deps, id, expectedVersion, (review) =>
    setFocalPoint(deps.processes.of(review), review, state, focalPoint, {
      now: deps.clock.now(),
      actor: caller,
    }),
  );
}

/** Replaces a participant's governmental experts. */
export function setExpertsUseCase(
  deps: ReviewDeps,
  caller: Caller,
  id: string,
  state: string,
  experts: FocalPoint[],
  expectedVersion?: number | undefined,
): Promise<Review> {
  return changeReview(deps, id, expectedVersion, (review) =>
    setExperts(deps.processes.of(review), review, state, experts, {
      now: deps.clock.now(),
      actor: caller,
      newId: deps.newId,
    }),
  );
}

/** Records a responsible State's submission for the current stage; a repeat changes nothing. */
export function recordSubmissionUseCase(
  deps: ReviewDeps,
  caller: Caller,
  id: string,
  input: {
    state: string;
    receivedAt?: string | undefined;
    note?: string | undefined;
    expectedVersion?: number | undefined;
  },
): Promise<Review> {
  return changeReview(deps, id, input.expectedVersion, (review) =>
    recordSubmission(deps.processes.of(review), review, input, { now: deps.clock.now(), actor: caller }),
  );
}

/** Withdraws a submission recorded by mistake; one not recorded changes nothing. */
export function withdrawSubmissionUseCase(
  deps: ReviewDeps,
  caller: Caller,
  id: string,
  state: string,
  expectedVersion?: number | undefined,
): Promise<Review> {
  return changeReview(deps, id, expectedVersion, (review) =>
    withdrawSubmission(deps.processes.of(review), review, state, { now: deps.clock.now(), actor: caller }),
  );
}

/** Pauses a review with a reason. */
export function pauseReviewUseCase(
  deps: ReviewDeps,
  caller: Caller,
  id: string,
  reason: string,
  expectedVersion?: number | undefined,
): Promise<Review> {
  return changeReview(deps, id, expectedVersion, (review) =>
    pause(deps.processes.of(review), review, reason, { now: deps.clock.now(), actor: caller }),
  );
}

/** Resumes a paused review; its deadline moves by the paused time. */
export function resumeReviewUseCase(
  deps: ReviewDeps,
  caller: Caller,
  id: string,
  reason: string,
  expectedVersion?: number | undefined,
): Promise<Review> {
  return changeReview(deps, id, expectedVersion, (review) =>
    resume(review, reason, { now: deps.clock.now(), actor: caller }),
  );
}

/** Sets a new deadline for the current stage, with a reason. */
export function changeDeadlineUseCase(
  deps: ReviewDeps,
  caller: Caller,
  id: string,
  input: { deadline: CalendarDate; reason: string; expectedVersion?: number | undefined },
): Promise<Review> {
  return changeReview(deps, id, input.expectedVersion, (review) =>
    changeDeadline(deps.processes.of(review), review, input.deadline, input.reason, {
      now: deps.clock.now(),
      actor: caller,
    }),
  );
}

/** Decides a focal point's extension request: approve (the deadline moves) or decline. */
export function decideExtensionUseCase(
  deps: ReviewDeps,
  caller: Caller,
  id: string,
  requestId: string,
  input: {
    decision: 'approve' | 'decline';
    reason: string;
    deadline?: CalendarDate | undefined;
    expectedVersion?: number | undefined;
  },
): Promise<Review> {
  return changeReview(deps, id, input.expectedVersion, (review) =>
    decideExtension(deps.processes.of(review), review, requestId, input, {
      now: deps.clock.now(),
      actor: caller,
    }),
  );
}
