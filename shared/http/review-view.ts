import type { ReviewView } from '#shared/api/schemas.ts';
import type { Instant } from '#shared/domain/calendar.ts';
import type { ProcessDefinition } from '#shared/domain/process-definition.ts';
import {
  isOverdue,
  owingStates,
  type Review,
  reportHeldUntil,
  reviewDaysOverdue,
} from '#shared/domain/review.ts';

/** The API's view of a review at `now`: stored fields plus what is derived from time. */
export function toReviewView(process: ProcessDefinition, review: Review, now: Instant): ReviewView {
  return {
    id: review.id,
    reference: review.reference,
    process: process.id,
    stateUnderReview: review.stateUnderReview,
    cluster: review.cluster,
    group: review.group,
    instruments: review.instruments,
    reviewingStates: review.reviewingStates,
    language: review.language,
    launchedAt: review.launchedAt,
    secretariatEmail: review.secretariatEmail,
    stage: review.stage,
    stageEpoch: review.stageEpoch,
    stageEnteredAt: review.stageEnteredAt,
    deadline: review.deadline,
    timeZone: process.timeZone,
    overdue: isOverdue(process, review, now),
    daysOverdue: reviewDaysOverdue(process, review, now),
    paused: review.paused !== null,
    pause: review.paused && { since: review.paused.since, reason: review.paused.reason },
    version: review.version,
    focalPoints: review.focalPoints,
    experts: review.experts,
    submissions: review.submissions,
    owing: owingStates(process, review),
    ledger: review.ledger,
    acknowledgements: review.acknowledgements,
    reports: review.reports.map((r) => ({
      ...r,
      holdUntil: reportHeldUntil(r, process.timeZone),
    })),
    openExtensionRequests: review.extensionRequests.filter((r) => r.status === 'open').length,
    createdAt: review.createdAt,
    updatedAt: review.updatedAt,
  };
}
