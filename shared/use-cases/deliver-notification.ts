import {
  compareInstants,
  daysBetween,
  daysOverdue,
  deadlineInstant,
  localDate,
} from '#shared/domain/calendar.ts';
import type { NotificationKind } from '#shared/domain/notification-plan.ts';
import { findStage, type ProcessDefinition } from '#shared/domain/process-definition.ts';
import { type FocalPoint, participants, type Review, responsibleStates } from '#shared/domain/review.ts';
import { buildDeadlineIcs, icsUid } from '#shared/email/ics.ts';
import { renderFocalPointMail, renderSecretariatMail } from '#shared/email/templates.ts';
import type { MetricName } from '#shared/observability/metrics.ts';
import type { Clock } from '#shared/ports/clock.ts';
import {
  type Attachment,
  type Mailer,
  MailOutcomeUnknownError,
  type UndeliverableAddresses,
} from '#shared/ports/mail.ts';
import type {
  Delivery,
  NotificationRecord,
  NotificationRef,
  NotificationStore,
} from '#shared/ports/notification-store.ts';
import type { ReviewRepository } from '#shared/ports/review-repository.ts';

/** What the mailer and the escalator need. */
export interface DeliveryDeps {
  process: ProcessDefinition;
  notifications: NotificationStore;
  reviews: Pick<ReviewRepository, 'get'>;
  mailer: Mailer;
  undeliverable: UndeliverableAddresses;
  clock: Clock;
  senderEmail: string;
  /** The deployment's Secretariat address, when the review names none. */
  secretariatEmail: string;
  /** A claim older than this is a dead sender's (the queue's visibility timeout). */
  claimTimeoutMs: number;
  /** A fresh token for each delivery attempt's claim. */
  newToken: () => string;
}

export type DeliveryOutcome =
  | { outcome: 'sent'; kind: NotificationKind; deliveries: number }
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'duplicate' };

const SENT_METRIC: Record<NotificationKind, MetricName> = {
  stage_notice: 'StageNoticeSent',
  reminder: 'ReminderSent',
  overdue_notice: 'OverdueNoticeSent',
  escalation: 'EscalationSent',
  undeliverable: 'UndeliverableNoticeSent',
};

/** The business event a delivery outcome counts as. */
export function outcomeMetric(result: DeliveryOutcome): MetricName {
  if (result.outcome === 'sent') return SENT_METRIC[result.kind];
  return result.outcome === 'skipped' ? 'NotificationSkipped' : 'DuplicateDeliveryIgnored';
}

/** Why a queued notification must not go out any more (the fire-time guard), or undefined. */
export function staleReason(
  process: ProcessDefinition,
  record: NotificationRecord,
  review: Review | undefined,
  now: string,
): string | undefined {
  if (!review) return 'review no longer exists';
  if (record.kind === 'undeliverable') return undefined;
  if (review.stageEpoch !== record.stageEpoch) return 'the review has moved to another stage';
  if (review.paused)
    return record.kind === 'stage_notice'
      ? 'the review is paused: the stage notice goes out when it resumes'
      : 'the review is paused';
  if (record.kind !== 'stage_notice' && findStage(process, review.stage)?.terminal)
    return 'the review is completed';
  if (record.kind !== 'stage_notice' && review.deadline !== record.deadline)
    return 'the deadline has changed';
  // A reminder held up past the deadline (an outage, a jump of the local clock) would mislead:
  // the overdue notice covers it.
  const passed =
    review.deadline && compareInstants(now, deadlineInstant(review.deadline, process.timeZone)) >= 0;
  if (record.kind === 'reminder' && passed) return 'the deadline has passed';
  return undefined;
}

/**
 * Sends one queued notification (the mailer and the escalator): re-reads the review and skips
 * what went stale, claims the record so it goes out once, resolves the focal points current
 * now, and records each delivery as it goes, so a retry after a throttled send only sends to
 * the recipients still missing. Throttling and other send failures give the claim back and
 * throw: the queue retries, nobody sleeps.
 */
export async function deliverNotification(
  deps: DeliveryDeps,
  ref: NotificationRef,
): Promise<DeliveryOutcome> {
  const record = await deps.notifications.get(ref);
  if (!record || !['pending', 'queued', 'sending'].includes(record.status)) return { outcome: 'duplicate' };
  const now = deps.clock.now();
  const review = await deps.reviews.get(ref.reviewId);
  const stale = staleReason(deps.process, record, review, now);
  if (stale || !review) {
    const reason = stale ?? 'review no longer exists';
    await deps.notifications.skip(ref, reason, now);
    return { outcome: 'skipped', reason };
  }
  const staleBefore = new Date(Date.parse(now) - deps.claimTimeoutMs).toISOString();
  if (!(await deps.notifications.claim(ref, now, staleBefore, deps.newToken())))
    return { outcome: 'duplicate' };

  try {
    // A delivery whose outcome was unknown (or that failed) is tried again; the others are final.
    const done = new Set(
      record.deliveries
        .filter((d) => d.status !== 'unknown' && d.status !== 'failed')
        .map((d) => d.recipient),
    );
    const deliveries = record.deliveries.filter((d) => done.has(d.recipient));
    let recorded = record.deliveries.length;
    const recipients = recipientsOf(deps.process, record, review).filter((r) => !done.has(r));
    // One look-up for every focal point's address instead of one per recipient.
    const undeliverable = await deps.undeliverable.undeliverableAmong(
      recipients.flatMap((r) => review.focalPoints[r]?.email ?? []),
    );
    for (const recipient of recipients) {
      let delivery: Delivery;
      try {
        delivery = await deliverTo(deps, record, review, recipient, now, undeliverable);
      } catch (error) {
        // Visible on the record: this recipient may get the retry's send as a second copy.
        if (error instanceof MailOutcomeUnknownError) {
          await deps.notifications.recordDelivery(
            ref,
            {
              recipient,
              status: 'unknown',
              reason: `the send timed out after it left (${error.reason}); sent again on retry`,
              at: now,
            },
            recorded,
          );
        }
        throw error;
      }
      await deps.notifications.recordDelivery(ref, delivery, recorded++);
      deliveries.push(delivery);
    }
    const delivered = deliveries.filter((d) => d.status === 'sent' || d.status === 'escalated').length;
    if (delivered === 0) {
      const reason =
        deliveries.map((d) => `${d.recipient}: ${d.reason ?? d.status}`).join('; ') || 'no recipients';
      await deps.notifications.finish(ref, 'skipped', now, reason);
      return { outcome: 'skipped', reason };
    }
    await deps.notifications.finish(ref, 'sent', now);
    return { outcome: 'sent', kind: record.kind, deliveries: delivered };
  } catch (error) {
    await deps.notifications.release(ref);
    throw error;
  }
}

function recipientsOf(process: ProcessDefinition, record: NotificationRecord, review: Review): string[] {
  if (record.audience === 'secretariat') return ['SECRETARIAT'];
  if (record.recipientState) return [record.recipientState];
  if (record.audience === 'participants') return participants(review);
  const stage = findStage(process, review.stage);
  return stage ? responsibleStates(review, stage) : [];
}

async function deliverTo(
  deps: DeliveryDeps,
  record: NotificationRecord,
  review: Review,
  recipient: string,
  now: string,
  undeliverable: Set<string>,
): Promise<Delivery> {
  const tags = { reviewId: review.id, notificationKind: record.kind, stageEpoch: String(record.stageEpoch) };
  const secretariat = review.secretariatEmail ?? deps.secretariatEmail;
  if (recipient === 'SECRETARIAT') {
    const mail = await secretariatMail(deps, record, review, now);
    const messageId = await deps.mailer.send({ from: deps.senderEmail, to: secretariat, ...mail, tags });
    return { recipient, status: 'sent', messageId, at: now };
  }
  const focalPoint = review.focalPoints[recipient];
  if (!focalPoint) {
    if (record.kind === 'stage_notice')
      return { recipient, status: 'skipped', reason: 'no focal point', at: now };
    // A reminder nobody can receive is the Secretariat's to chase.
    const mail = renderSecretariatMail({
      kind: 'no_focal_point',
      reviewId: review.id,
      stateUnderReview: review.stateUnderReview,
      cluster: review.cluster,
      stage: review.stage,
      state: recipient,
      notificationKind: record.kind,
      deadline: review.deadline,
      timeZone: deps.process.timeZone,
    });
    const messageId = await deps.mailer.send({ from: deps.senderEmail, to: secretariat, ...mail, tags });
    return { recipient, status: 'escalated', reason: 'no focal point', messageId, at: now };
  }
  if (undeliverable.has(focalPoint.email.trim().toLowerCase())) {
    return { recipient, status: 'skipped', reason: 'address undeliverable', at: now };
  }
  // Each person gets one stage notice per stage entry, whichever notification carries it.
  const person = { state: recipient, email: focalPoint.email };
  if (record.kind === 'stage_notice' && !(await deps.notifications.claimStageNotice(record, person, now))) {
    return { recipient, status: 'skipped', reason: 'already notified of this stage', at: now };
  }
  try {
    return await sendToFocalPoint(deps, record, review, recipient, focalPoint, now, tags);
  } catch (error) {
    // Surely not sent: another notification of the stage may send this person's notice.
    if (record.kind === 'stage_notice' && !(error instanceof MailOutcomeUnknownError)) {
      await deps.notifications.releaseStageNotice(record, person);
    }
    throw error;
  }
}

async function sendToFocalPoint(
  deps: DeliveryDeps,
  record: NotificationRecord,
  review: Review,
  recipient: string,
  focalPoint: FocalPoint,
  now: string,
  tags: Record<string, string>,
): Promise<Delivery> {
  const stage = findStage(deps.process, review.stage);
  const today = localDate(now, deps.process.timeZone);
  const mail = renderFocalPointMail({
    kind: record.kind as 'stage_notice' | 'reminder' | 'overdue_notice',
    language: focalPoint.language,
    reviewId: review.id,
    stateUnderReview: review.stateUnderReview,
    cluster: review.cluster,
    instruments: review.instruments,
    stage: review.stage,
    stageCloses: stage?.closes ?? '',
    responsibleStates: stage ? responsibleStates(review, stage) : [],
    recipientState: recipient,
    recipientName: focalPoint.name,
    deadline: review.deadline,
    timeZone: deps.process.timeZone,
    ...(review.deadline ? { daysLeft: Math.max(0, daysBetween(today, review.deadline)) } : {}),
    ...(review.deadline ? { daysOverdue: daysOverdue(review.deadline, now, deps.process.timeZone) } : {}),
  });
  const attachments: Attachment[] = [];
  if (review.deadline && record.kind !== 'overdue_notice') {
    attachments.push({
      filename: 'deadline.ics',
      contentType: 'text/calendar; charset=UTF-8; method=PUBLISH',
      content: buildDeadlineIcs({
        uid: icsUid(review.id, review.stageEpoch),
        deadline: review.deadline,
        summary: `UNTOC review ${review.stateUnderReview}: ${review.stage.replaceAll('_', ' ')} deadline`,
        description: mail.text,
        // The ledger grows with every pause, resume and extension: a moved deadline updates the event.
        sequence: review.ledger.length,
        dtstamp: now,
      }),
    });
  }
  const messageId = await deps.mailer.send({
    from: deps.senderEmail,
    to: focalPoint.email,
    ...mail,
    attachments,
    tags,
  });
  return { recipient, status: 'sent', messageId, at: now };
}

async function secretariatMail(deps: DeliveryDeps, record: NotificationRecord, review: Review, now: string) {
  const stage = findStage(deps.process, review.stage);
  if (record.kind === 'undeliverable') {
    return renderSecretariatMail({
      kind: 'undeliverable',
      reviewId: review.id,
      state: record.detail?.state,
      reason: record.detail?.cause ?? 'bounce',
      addressHint: record.detail?.addressHint ?? '',
    });
  }
  const history = await deps.notifications.listForReview(review.id);
  type Line = { kind: string; dueAt: string; recipient: string; status: string; reason?: string | undefined };
  const reminders = history
    .filter(
      (n) => n.stageEpoch === record.stageEpoch && (n.kind === 'reminder' || n.kind === 'overdue_notice'),
    )
    .flatMap((n): Line[] =>
      n.deliveries.length > 0
        ? n.deliveries.map((d) => ({
            kind: n.kind,
            dueAt: n.dueAt,
            recipient: d.recipient,
            status: d.status,
            reason: d.reason,
          }))
        : [{ kind: n.kind, dueAt: n.dueAt, recipient: '-', status: n.status, reason: n.reason }],
    );
  return renderSecretariatMail({
    kind: 'escalation',
    reviewId: review.id,
    stateUnderReview: review.stateUnderReview,
    cluster: review.cluster,
    stage: review.stage,
    responsibleStates: stage ? responsibleStates(review, stage) : [],
    deadline: review.deadline ?? '',
    timeZone: deps.process.timeZone,
    daysOverdue: review.deadline ? daysOverdue(review.deadline, now, deps.process.timeZone) : 0,
    occurrence: record.occurrence,
    reminders,
  });
}
