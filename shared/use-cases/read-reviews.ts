import { localDate } from '#shared/domain/calendar.ts';
import { ReviewNotFoundError } from '#shared/domain/errors.ts';
import { findStage, type ProcessDefinition } from '#shared/domain/process-definition.ts';
import {
  type ExtensionRequest,
  owingStates,
  type Review,
  responsibleStates,
  reviewDaysOverdue,
} from '#shared/domain/review.ts';
import type { NotificationRecord } from '#shared/ports/notification-store.ts';
import type { ReviewPage, StoredEvent } from '#shared/ports/review-repository.ts';
import type { ReviewDeps } from './deps.ts';

/** One review. */
export async function getReviewUseCase(deps: ReviewDeps, id: string): Promise<Review> {
  const review = await deps.reviews.get(id);
  if (!review) throw new ReviewNotFoundError();
  return review;
}

export interface ListReviewsInput {
  stage?: string | undefined;
  state?: string | undefined;
  cluster?: number | undefined;
  overdue?: boolean | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Reviews by filter, newest first; `overdue=false` keeps the ones that are not overdue. */
export async function listReviewsUseCase(deps: ReviewDeps, input: ListReviewsInput): Promise<ReviewPage> {
  const today = localDate(deps.clock.now(), deps.processes.defaultProcess.timeZone);
  const page = await deps.reviews.list({
    stage: input.stage,
    state: input.state,
    cluster: input.cluster,
    overdueBefore: input.overdue === true ? today : undefined,
    limit: input.limit,
    cursor: input.cursor,
  });
  if (input.overdue !== false) return page;
  const now = deps.clock.now();
  return { ...page, items: page.items.filter((r) => reviewDaysOverdue(deps.processes.of(r), r, now) === 0) };
}

/** The process definitions the deployment ships, the default first. */
export function processesUseCase(deps: Pick<ReviewDeps, 'processes'>): readonly ProcessDefinition[] {
  return deps.processes.all();
}

/** The review's audit history, oldest first. */
export async function reviewHistoryUseCase(deps: ReviewDeps, id: string): Promise<StoredEvent[]> {
  await getReviewUseCase(deps, id);
  return deps.reviews.history(id);
}

/** Planned and sent notifications with their status. */
export async function reviewNotificationsUseCase(
  deps: ReviewDeps,
  id: string,
): Promise<NotificationRecord[]> {
  await getReviewUseCase(deps, id);
  return deps.notifications.listForReview(id);
}

export interface OverdueItem {
  id: string;
  reference: string;
  stateUnderReview: string;
  cluster: number;
  stage: string;
  responsibleStates: string[];
  /** The responsible States that have not submitted (DESIGN §2: only those are late). */
  owing: string[];
  deadline: string;
  daysOverdue: number;
  escalations: number;
}

/** One page of the overdue report. */
export interface OverduePage {
  items: OverdueItem[];
  nextCursor: string | null;
}

/**
 * Overdue reviews, most overdue first (ties by id), a page at a time, with the escalations sent
 * for the current stage: one index page of open deadlines and one batched read of their
 * escalation tallies, whatever the caseload (DESIGN §6).
 */
export async function overdueReportUseCase(
  deps: ReviewDeps,
  page: { limit: number; cursor?: string | undefined },
): Promise<OverduePage> {
  const now = deps.clock.now();
  // One time zone of record per deployment: every process's deadlines use it.
  const today = localDate(now, deps.processes.defaultProcess.timeZone);
  const open = await deps.reviews.listDeadlinesBefore(today, page);
  const escalations = await deps.notifications.escalationsSent(
    open.items.map((review) => ({ reviewId: review.id, stageEpoch: review.stageEpoch })),
  );
  const items = open.items.map((review) => {
    const process = deps.processes.of(review);
    const stage = findStage(process, review.stage);
    return {
      id: review.id,
      reference: review.reference,
      stateUnderReview: review.stateUnderReview,
      cluster: review.cluster,
      stage: review.stage,
      responsibleStates: stage ? responsibleStates(review, stage) : [],
      owing: owingStates(process, review),
      deadline: review.deadline ?? '',
      daysOverdue: reviewDaysOverdue(process, review, now),
      escalations: escalations.get(review.id) ?? 0,
    };
  });
  // The index's order (oldest deadline, then id) is most overdue first; a page may come out short.
  return { items: items.filter((i) => i.daysOverdue > 0), nextCursor: open.nextCursor };
}

/** A review's extension requests, newest first. */
export async function extensionRequestsUseCase(deps: ReviewDeps, id: string): Promise<ExtensionRequest[]> {
  const review = await getReviewUseCase(deps, id);
  return [...review.extensionRequests].reverse();
}
