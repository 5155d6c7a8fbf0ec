import { compareInstants, type Instant } from '#shared/domain/calendar.ts';
import {
  type NotificationKind,
  notificationId,
  type PlannedNotification,
  planNotifications,
} from '#shared/domain/notification-plan.ts';
import { findStage, type ProcessDefinition, stagePolicy } from '#shared/domain/process-definition.ts';
import type { ProcessRegistry } from '#shared/domain/process-registry.ts';
import { owingStates, participants, type Review } from '#shared/domain/review.ts';
import type { NotificationQueue } from '#shared/ports/mail.ts';
import type {
  NewNotification,
  NotificationRef,
  NotificationStore,
} from '#shared/ports/notification-store.ts';

/** What the planner needs. */
export interface PlannerDeps {
  /** Each review is planned by its own process. */
  processes: ProcessRegistry;
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

/** The kinds tied to a deadline: re-planned when it moves. Stage notices and undeliverable notices are not. */
const TIMED_KINDS: NotificationKind[] = ['reminder', 'overdue_notice', 'escalation'];
/** What a pause holds back: everything for the focal points and the Secretariat but the undeliverable notices. */
const PAUSED_KINDS: NotificationKind[] = ['stage_notice', ...TIMED_KINDS];

/**
 * The planner (DESIGN §3): on a new stage it cancels the old stage's pending notifications,
 * plans the new stage's and queues its stage notice at once; on pause it cancels what is
 * pending; on resume it re-plans the (moved) deadline and notices every participant again,
 * and on a new deadline it re-plans. A focal point registered or replaced mid-stage gets its
 * own notice. `now` is the change's own time (the review's `updatedAt`), so replaying a
 * record plans exactly the same items, which are then already there: a replay changes nothing.
 *
 * Stage notices may be planned more than once per stage (on entry, for a new focal point, on
 * resume); the senders claim each person's notice of a stage epoch before sending, so each
 * focal point gets exactly one (DESIGN §2, "Exactly once per person").
 */
export async function planFromReviewChange(
  deps: PlannerDeps,
  change: ReviewChangeRecord,
): Promise<PlanOutcome> {
  const { oldReview, newReview } = change;
  const outcome: PlanOutcome = { cancelled: 0, planned: 0, queued: 0 };
  if (!newReview) return outcome;
  const now = newReview.updatedAt;
  const process = deps.processes.of(newReview);
  const stage = findStage(process, newReview.stage);
  if (!stage) throw new Error(`review ${newReview.id} is in unknown stage ${newReview.stage}`);

  const newStage = !oldReview || oldReview.stageEpoch !== newReview.stageEpoch;
  const importedNow = !oldReview && newReview.imported !== null;
  const cancel = async (reason: string, stageEpoch: number, kinds?: NotificationKind[]) => {
    outcome.cancelled += await deps.notifications.cancelPending(newReview.id, reason, now, stageEpoch, kinds);
  };

  // What the old stage leaves pending, derived from the review as it was: cancelled in the write
  // that stores the new stage's plan, not found by a query (DESIGN §6, calls per transition).
  const left = oldReview && newStage ? leftBehind(process, oldReview, now) : undefined;
  if (newReview.paused !== null) {
    if (left) await cancel(left.reason, left.stageEpoch);
    // Held, not dropped: resuming notices everyone who has not had the stage notice yet.
    if (newStage || oldReview?.paused === null) {
      await cancel('review paused', newReview.stageEpoch, PAUSED_KINDS);
      // Everyone hears of the pause itself, at once (DESIGN §2).
      if (!newStage) await planAndQueue(deps, [changeNotice(newReview, 'paused', now)], now, outcome);
    }
    return outcome;
  }
  const resumed = !newStage && oldReview?.paused !== null;
  const deadlineMoved = !newStage && oldReview?.deadline !== newReview.deadline;

  const plan: PlannedNotification[] = [];
  if (newStage || resumed || deadlineMoved) {
    if (!newStage)
      await cancel(resumed ? 'review resumed' : 'deadline changed', newReview.stageEpoch, TIMED_KINDS);
    plan.push(
      ...planNotifications({
        process,
        reviewId: newReview.id,
        stage,
        stageEpoch: newReview.stageEpoch,
        stageEnteredAt: newReview.stageEnteredAt,
        deadline: newReview.deadline,
        now,
        // A review brought in already in flight starts quiet: no notice of a stage it has been
        // in for a while, and nothing whose time has passed (DESIGN §4, import).
        includeStageNotice: newStage && !importedNow,
        onlyAhead: importedNow,
      }),
    );
  }
  if (resumed && stagePolicy(process, stage).stageNotice) plan.push(stageNotice(newReview, now));
  if (!newStage && !resumed && oldReview) plan.push(...newPersonNotices(oldReview, newReview, now));
  // Change notices: the owing States hear of a new deadline, everyone of the resume (with it).
  if (resumed) plan.push(changeNotice(newReview, 'resumed', now));
  else if (deadlineMoved) plan.push(changeNotice(newReview, 'deadline_changed', now));
  // The Secretariat's answer to an extension request goes to the State that asked.
  if (oldReview && !newStage) plan.push(...decisionNotices(oldReview, newReview, now));
  if (oldReview && !newStage && allSubmitted(process, oldReview, newReview)) {
    // Once per stage entry: unless an earlier one is sent or on its way. One skipped because a
    // submission was withdrawn before it left does not count, so the Secretariat still hears.
    const earlier = (await deps.notifications.listForReview(newReview.id)).filter(
      (n) =>
        n.kind === 'all_submissions_received' &&
        n.stageEpoch === newReview.stageEpoch &&
        ['pending', 'queued', 'sending', 'sent'].includes(n.status) &&
        n.occurrence !== newReview.version,
    );
    if (earlier.length === 0) plan.push(allSubmissionsNotice(newReview, now));
  }

  await planAndQueue(deps, plan, now, outcome, left);
  return outcome;
}

/** A stage left behind: its epoch and the pending notifications derived for it. */
interface LeftBehind {
  reviewId: string;
  stageEpoch: number;
  reason: string;
  expected: NotificationRef[];
}

/**
 * The notifications a stage leaves pending, derived from the review as it was: its plan for the
 * deadline in force, of what is not due yet at `now` (no sweep can have taken it). Ids are
 * deterministic, so these are the items the planner wrote (a deadline change or a pause cancelled
 * the others, a resume wrote them again). If the store finds one of them not pending, it looks the
 * pending ones up instead; one already due and not yet swept is not derived, and the senders'
 * fire-time guard skips it (the stage moved on).
 */
function leftBehind(process: ProcessDefinition, review: Review, now: Instant): LeftBehind {
  const stage = findStage(process, review.stage);
  const expected =
    stage && review.paused === null
      ? planNotifications({
          process,
          reviewId: review.id,
          stage,
          stageEpoch: review.stageEpoch,
          stageEnteredAt: review.stageEnteredAt,
          deadline: review.deadline,
          now,
          includeStageNotice: false,
        })
          .filter((n) => compareInstants(n.dueAt, now) > 0)
          .map(({ reviewId, stageEpoch, id }) => ({ reviewId, stageEpoch, id }))
      : [];
  return { reviewId: review.id, stageEpoch: review.stageEpoch, reason: 'stage moved on', expected };
}

/** Kinds sent at once rather than at a planned time: stage notices and the change notices. */
const AT_ONCE: NotificationKind[] = [
  'stage_notice',
  'deadline_changed',
  'paused',
  'resumed',
  'all_submissions_received',
  'extension_decision',
];

/**
 * Stores the plan (with the cancellation of what a stage left behind, in the same write) and
 * queues at once what is due at once (each on its audience's queue).
 */
async function planAndQueue(
  deps: PlannerDeps,
  plan: PlannedNotification[],
  now: Instant,
  outcome: PlanOutcome,
  left?: LeftBehind,
): Promise<void> {
  let written: NewNotification[];
  if (left) {
    const replaced = await deps.notifications.replacePlan(left, plan, now);
    outcome.cancelled += replaced.cancelled;
    written = replaced.written;
  } else {
    written = await deps.notifications.addPlanned(plan, now);
  }
  outcome.planned += written.length;
  const atOnce = written.filter((n) => AT_ONCE.includes(n.kind));
  outcome.queued += await queueAtOnce(
    deps,
    'focal_point',
    atOnce.filter((n) => n.audience !== 'secretariat'),
  );
  outcome.queued += await queueAtOnce(
    deps,
    'escalation',
    atOnce.filter((n) => n.audience === 'secretariat'),
  );
}

/** The change's last submission came in: every responsible State of the stage has submitted. */
function allSubmitted(process: ProcessDefinition, oldReview: Review, review: Review): boolean {
  return (
    review.submissions.length > oldReview.submissions.length &&
    review.submissions.length > 0 &&
    owingStates(process, review).length === 0
  );
}

/**
 * A change notice (paused, resumed, deadline changed), keyed by the review version that made
 * the change: a replay plans the same id. Deadline changes go to the States still owing, the
 * others to every participant.
 */
function changeNotice(
  review: Review,
  kind: 'paused' | 'resumed' | 'deadline_changed',
  now: Instant,
): PlannedNotification {
  return {
    id: notificationId(review.id, review.stageEpoch, review.deadline, kind, review.version),
    reviewId: review.id,
    stage: review.stage,
    stageEpoch: review.stageEpoch,
    deadline: review.deadline,
    kind,
    occurrence: review.version,
    offsetDays: 0,
    audience: kind === 'deadline_changed' ? 'responsible' : 'participants',
    dueAt: now,
  };
}

/**
 * One notice per extension request this change decided, to the focal point of the State that
 * asked, keyed by the version that decided it (a replay plans the same id). An approval also
 * moves the deadline, so the other States still owing get the usual deadline notice; the asking
 * State hears it in this one (deliver-notification.ts).
 */
function decisionNotices(oldReview: Review, review: Review, now: Instant): PlannedNotification[] {
  const wasOpen = new Set(oldReview.extensionRequests.filter((r) => r.status === 'open').map((r) => r.id));
  return review.extensionRequests
    .filter((r) => wasOpen.has(r.id) && (r.status === 'approved' || r.status === 'declined'))
    .map((r) => ({
      id: `${notificationId(review.id, review.stageEpoch, review.deadline, 'extension_decision', review.version)}#${r.state}`,
      reviewId: review.id,
      stage: review.stage,
      stageEpoch: review.stageEpoch,
      deadline: review.deadline,
      kind: 'extension_decision' as const,
      occurrence: review.version,
      offsetDays: 0,
      audience: 'participants' as const,
      recipientState: r.state,
      dueAt: now,
    }));
}

/**
 * The Secretariat's "all submissions received" notice, keyed by the version whose submission
 * completed the set (a replay plans the same id); the planner plans it once per stage entry.
 */
function allSubmissionsNotice(review: Review, now: Instant): PlannedNotification {
  return {
    id: notificationId(review.id, review.stageEpoch, null, 'all_submissions_received', review.version),
    reviewId: review.id,
    stage: review.stage,
    stageEpoch: review.stageEpoch,
    deadline: review.deadline,
    kind: 'all_submissions_received',
    occurrence: review.version,
    offsetDays: 0,
    audience: 'secretariat',
    dueAt: now,
  };
}

/**
 * Queues notifications at once instead of waiting for the sweep (stage notices, undeliverable
 * notices). They were stored as pending and stay so, in the due index, until a sender claims
 * them (the claim takes them out of the index): no separate "queued" write. If this send fails,
 * or its message is lost, the next sweep queues them; a sweep that runs before the sender's
 * claim queues a second message, which the claim turns into a duplicate delivery. Nothing is
 * lost and nothing is sent twice.
 * @returns how many the queue took
 */
export async function queueAtOnce(
  deps: Pick<PlannerDeps, 'queue'>,
  target: 'focal_point' | 'escalation',
  notices: PlannedNotification[],
): Promise<number> {
  if (notices.length === 0) return 0;
  const refs = notices.map((n) => ({ reviewId: n.reviewId, stageEpoch: n.stageEpoch, id: n.id }));
  const failed = new Set(await deps.queue.enqueue(target, refs));
  return refs.filter((ref) => !failed.has(ref.id)).length;
}

/**
 * A stage notice of the current stage epoch, keyed by the review version that asked for it
 * (a resume, a registration): a replay plans the same id, a later change a new one. Only
 * `recipientState` narrows it to one participant.
 */
function stageNotice(review: Review, now: Instant, recipientState?: string): PlannedNotification {
  const base = notificationId(review.id, review.stageEpoch, review.deadline, 'stage_notice', review.version);
  return {
    id: recipientState ? `${base}#${recipientState}` : base,
    reviewId: review.id,
    stage: review.stage,
    stageEpoch: review.stageEpoch,
    deadline: review.deadline,
    kind: 'stage_notice',
    occurrence: review.version,
    offsetDays: 0,
    audience: 'participants',
    ...(recipientState ? { recipientState } : {}),
    dueAt: now,
  };
}

/**
 * A focal point or an expert registered or replaced mid-stage gets the current stage notice
 * (with its calendar file), so the new person knows what is open and by when. Registering the
 * same address again plans nothing; and the senders' per-person claim keeps a person who
 * already had this stage's notice (a replaced focal point put back, a notice racing the
 * registration, the State's other experts) from getting a second one.
 */
function newPersonNotices(oldReview: Review, review: Review, now: Instant): PlannedNotification[] {
  const addresses = (r: Review, state: string) =>
    new Set(
      [r.focalPoints[state], ...(r.experts[state] ?? [])].flatMap((p) => (p ? [p.email.toLowerCase()] : [])),
    );
  return participants(review)
    .filter((state) => {
      const before = addresses(oldReview, state);
      return [...addresses(review, state)].some((email) => !before.has(email));
    })
    .map((state) => stageNotice(review, now, state));
}
