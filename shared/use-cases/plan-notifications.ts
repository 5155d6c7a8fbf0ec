import {
  notificationId,
  type PlannedNotification,
  planNotifications,
} from '#shared/domain/notification-plan.ts';
import { findStage, type ProcessDefinition } from '#shared/domain/process-definition.ts';
import type { Review } from '#shared/domain/review.ts';
import type { NotificationQueue } from '#shared/ports/mail.ts';
import type { NotificationStore } from '#shared/ports/notification-store.ts';
import { addressHash } from './address-hash.ts';

/** What the planner needs. */
export interface PlannerDeps {
  process: ProcessDefinition;
  notifications: NotificationStore;
  queue: NotificationQueue;
}

/** A review change as the Reviews table's stream reports it. */
export interface ReviewChangeRecord {
  oldReview?: Review | undefined;
  newReview?: Review | undefined;
}

/** What the planner did, for logs and tests. */
export interface PlanOutcome {
  cancelled: number;
  planned: number;
  queued: number;
}

/**
 * The planner (DESIGN §3): on a new stage it cancels the old stage's pending notifications,
 * plans the new stage's and queues the stage notices at once; on pause it cancels; on
 * resume or a new deadline it re-plans. `now` is the change's own time (the review's
 * `updatedAt`), so replaying a record plans exactly the same items, which are then already
 * there: a replay changes nothing.
 */
export async function planFromReviewChange(
  deps: PlannerDeps,
  change: ReviewChangeRecord,
): Promise<PlanOutcome> {
  const { oldReview, newReview } = change;
  const outcome: PlanOutcome = { cancelled: 0, planned: 0, queued: 0 };
  if (!newReview) return outcome;
  const now = newReview.updatedAt;
  const stage = findStage(deps.process, newReview.stage);
  if (!stage) throw new Error(`review ${newReview.id} is in unknown stage ${newReview.stage}`);

  const newStage = !oldReview || oldReview.stageEpoch !== newReview.stageEpoch;
  const paused = newReview.paused !== null && (newStage || oldReview?.paused === null);
  const replan =
    !newStage &&
    newReview.paused === null &&
    (oldReview?.paused !== null || oldReview?.deadline !== newReview.deadline);

  if (oldReview && newStage) {
    outcome.cancelled += await deps.notifications.cancelPending(
      newReview.id,
      'stage moved on',
      now,
      oldReview.stageEpoch,
    );
  }
  if (paused) {
    outcome.cancelled += await deps.notifications.cancelPending(
      newReview.id,
      'review paused',
      now,
      newReview.stageEpoch,
    );
    return outcome;
  }
  if (!newStage && !replan) {
    outcome.queued += await noticeNewFocalPoints(deps, oldReview, newReview);
    return outcome;
  }
  if (replan) {
    outcome.cancelled += await deps.notifications.cancelPending(
      newReview.id,
      'deadline changed',
      now,
      newReview.stageEpoch,
    );
  }

  const plan = planNotifications({
    process: deps.process,
    reviewId: newReview.id,
    stage,
    stageEpoch: newReview.stageEpoch,
    stageEnteredAt: newReview.stageEnteredAt,
    deadline: newReview.deadline,
    now,
    includeStageNotice: newStage,
  });
  const written = await deps.notifications.addPlanned(plan, now);
  outcome.planned = written.length;
  outcome.queued = await queueAtOnce(
    deps,
    'focal_point',
    written.filter((n) => n.kind === 'stage_notice'),
    now,
  );
  return outcome;
}

/**
 * Queues notifications at once instead of waiting for the sweep (stage notices, undeliverable
 * notices). They were stored as pending first, so if this fails the next sweep still sends
 * them: nothing is lost.
 */
export async function queueAtOnce(
  deps: Pick<PlannerDeps, 'notifications' | 'queue'>,
  target: 'focal_point' | 'escalation',
  notices: PlannedNotification[],
  now: string,
): Promise<number> {
  if (notices.length === 0) return 0;
  const refs = notices.map((n) => ({ reviewId: n.reviewId, stageEpoch: n.stageEpoch, id: n.id }));
  const failed = new Set(await deps.queue.enqueue(target, refs));
  let queued = 0;
  for (const ref of refs) {
    if (failed.has(ref.id)) continue;
    if (await deps.notifications.markQueued(ref, now)) queued++;
  }
  return queued;
}

/**
 * A focal point registered or replaced mid-stage gets the current stage notice (with its
 * calendar file), so the new person knows what is open and by when. Keyed by the address,
 * so re-registering the same focal point sends nothing.
 */
async function noticeNewFocalPoints(
  deps: PlannerDeps,
  oldReview: Review | undefined,
  review: Review,
): Promise<number> {
  if (!oldReview || review.paused) return 0;
  const changed = Object.entries(review.focalPoints).filter(
    ([state, fp]) => oldReview.focalPoints[state]?.email.toLowerCase() !== fp.email.toLowerCase(),
  );
  if (changed.length === 0) return 0;
  const notices: PlannedNotification[] = changed.map(([state, fp]) => ({
    id: `${notificationId(review.id, review.stageEpoch, review.deadline, 'stage_notice', 1)}#${state}-${addressHash(fp.email).slice(0, 12)}`,
    reviewId: review.id,
    stage: review.stage,
    stageEpoch: review.stageEpoch,
    deadline: review.deadline,
    kind: 'stage_notice',
    occurrence: 1,
    offsetDays: 0,
    audience: 'participants',
    recipientState: state,
    dueAt: review.updatedAt,
  }));
  const written = await deps.notifications.addPlanned(notices, review.updatedAt);
  return queueAtOnce(deps, 'focal_point', written, review.updatedAt);
}
