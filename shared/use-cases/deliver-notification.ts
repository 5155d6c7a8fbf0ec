import {
  addDays,
  compareInstants,
  daysBetween,
  daysOverdue,
  deadlineInstant,
  localDate,
} from '#shared/domain/calendar.ts';
import type { NotificationKind } from '#shared/domain/notification-plan.ts';
import { findStage, type ProcessDefinition } from '#shared/domain/process-definition.ts';
import type { ProcessRegistry } from '#shared/domain/process-registry.ts';
import {
  type ExtensionRequest,
  type FocalPoint,
  heldReport,
  owingStates,
  participants,
  type Review,
  reportHeldUntil,
  responsibleStates,
} from '#shared/domain/review.ts';
import {
  buildCancelIcs,
  buildDeadlineIcs,
  cancelIcsAttachment,
  deadlineIcsAttachment,
  icsUid,
} from '#shared/email/ics.ts';
import { messageIdFor } from '#shared/email/mime.ts';
import {
  calendarText,
  type FocalPointMailKind,
  type MailContact,
  renderFocalPointMail,
  renderSecretariatMail,
} from '#shared/email/templates.ts';
import type { MetricName } from '#shared/observability/metrics.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { DeliveryStore, SendGate, SendGateAnswer } from '#shared/ports/delivery-store.ts';
import { type Attachment, type Mailer, MailOutcomeUnknownError } from '#shared/ports/mail.ts';
import type {
  Delivery,
  NotificationRecord,
  NotificationRef,
  NotificationStore,
  RecordedDeliveries,
} from '#shared/ports/notification-store.ts';
import type { ResponseLinks } from '#shared/ports/response-links.ts';

/** What the mailer and the escalator need. */
export interface DeliveryDeps {
  processes: ProcessRegistry;
  notifications: NotificationStore;
  /** The notification with its review in one read, and the write before each send. */
  deliveries: DeliveryStore;
  mailer: Mailer;
  clock: Clock;
  senderEmail: string;
  /** The `From` display name. */
  senderName: string;
  /** The deployment's Secretariat address, when the review names none. */
  secretariatEmail: string;
  /** A claim older than this is a dead sender's (the queue's visibility timeout). */
  claimTimeoutMs: number;
  /** A fresh token for each delivery attempt's claim. */
  newToken: () => string;
  /**
   * The personal links of focal-point mail (DESIGN §10), under the API's public address; the
   * escalator, which mails only the Secretariat, has none.
   */
  respond?: { links: ResponseLinks; baseUrl: string } | undefined;
}

/** A personal link works until the stage deadline + this many days (DESIGN §10). */
export const LINK_DAYS_AFTER_DEADLINE = 60;

/** The deps with the process of the review being delivered for. */
type ReviewDeliveryDeps = DeliveryDeps & { process: ProcessDefinition };

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
  all_submissions_received: 'AllSubmissionsNoticeSent',
  deadline_changed: 'ChangeNoticeSent',
  paused: 'ChangeNoticeSent',
  resumed: 'ChangeNoticeSent',
  extension_decision: 'ChangeNoticeSent',
};

/** What is only for the States still owing a submission: nothing left to say once all have submitted. */
const FOR_OWING: NotificationKind[] = ['reminder', 'overdue_notice', 'escalation', 'deadline_changed'];
/** What a governmental expert gets a copy of (DESIGN §2: never overdue notices or change notices). */
const EXPERT_KINDS: NotificationKind[] = ['stage_notice', 'reminder'];
/** What is about the review's deadline as it was planned: a moved deadline makes it stale. */
const DEADLINE_BOUND: NotificationKind[] = [
  'reminder',
  'overdue_notice',
  'escalation',
  'deadline_changed',
  'resumed',
];

/**
 * The most notifications of its stage epoch an escalation reads to list what was sent: a stage's
 * plan holds about 15 (five reminders, an overdue notice, six escalations, notices), so this
 * covers several deadline changes while keeping the read to one page.
 */
export const ESCALATION_HISTORY_LIMIT = 100;

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
  if (record.kind === 'paused') return review.paused ? undefined : 'the review has resumed';
  // An answer the State is waiting for: a pause does not hold it back.
  if (record.kind === 'extension_decision') return undefined;
  if (review.paused)
    return record.kind === 'stage_notice'
      ? 'the review is paused: the stage notice goes out when it resumes'
      : 'the review is paused';
  if (record.kind !== 'stage_notice' && findStage(process, review.stage)?.terminal)
    return 'the review is completed';
  if (DEADLINE_BOUND.includes(record.kind) && review.deadline !== record.deadline)
    return 'the deadline has changed';
  const owing = owingStates(process, review);
  if (FOR_OWING.includes(record.kind) && owing.length === 0) return 'every responsible State has submitted';
  if (record.kind === 'all_submissions_received' && owing.length > 0)
    return 'a submission was withdrawn: not every responsible State has submitted';
  // A reminder held up past the deadline (an outage, a jump of the local clock) would mislead:
  // the overdue notice covers it.
  const passed =
    review.deadline && compareInstants(now, deadlineInstant(review.deadline, process.timeZone)) >= 0;
  if (record.kind === 'reminder' && passed) return 'the deadline has passed';
  return undefined;
}

/**
 * Sends one queued notification (the mailer and the escalator): reads it with its review and
 * skips what went stale, claims the record so it goes out once, resolves the focal points
 * current now, and records each delivery as it goes, so a retry after a throttled send only
 * sends to the recipients still missing. Throttling and other send failures give the claim
 * back and throw: the queue retries, nobody sleeps.
 *
 * Its writes (DESIGN §6, calls per transition): one before each send, which claims the record
 * (the first), stores what the previous send did and checks the next person (undeliverable
 * address, stage notice already theirs from another notification); and one after the last
 * send, which stores it and finishes. A crash therefore resends only a send whose write had not
 * landed, the one window DESIGN §3 accepts, never one recorded before.
 */
export async function deliverNotification(
  deps: DeliveryDeps,
  ref: NotificationRef,
): Promise<DeliveryOutcome> {
  const { record, review: found } = await deps.deliveries.read(ref);
  if (!record || !['pending', 'queued', 'sending'].includes(record.status)) return { outcome: 'duplicate' };
  const now = deps.clock.now();
  const process = found ? deps.processes.of(found) : deps.processes.defaultProcess;
  const stale = staleReason(process, record, found, now);
  if (stale || !found) {
    const reason = stale ?? 'review no longer exists';
    await deps.notifications.skip(ref, reason, now);
    return { outcome: 'skipped', reason };
  }
  const review = found;
  const staleBefore = new Date(Date.parse(now) - deps.claimTimeoutMs).toISOString();
  // A delivery whose outcome was unknown (or that failed) is tried again; the others are final.
  const done = new Set(
    record.deliveries.filter((d) => d.status !== 'unknown' && d.status !== 'failed').map((d) => d.recipient),
  );
  const deliveries = record.deliveries.filter((d) => done.has(d.recipient));
  const attempt = startAttempt(deps, ref, { now, staleBefore }, record.deliveries.length);
  try {
    for (const recipient of recipientsOf(process, record, review).filter((r) => !done.has(r.key))) {
      let delivery: Delivery | 'duplicate';
      try {
        delivery = await deliverTo({ ...deps, process }, record, review, recipient, now, attempt);
      } catch (error) {
        // Visible on the record: this recipient may get the retry's send as a second copy.
        if (error instanceof MailOutcomeUnknownError) {
          attempt.note({
            recipient: recipient.key,
            status: 'unknown',
            reason: `the send timed out after it left (${error.reason}); sent again on retry`,
            at: now,
          });
        }
        throw error;
      }
      // The claim is another sender's (it was never ours, or taken over as stale): nothing more of ours.
      if (delivery === 'duplicate') return { outcome: 'duplicate' };
      attempt.note(delivery);
      deliveries.push(delivery);
    }
    // Nothing was sent, so nothing has claimed it yet: the claim comes before the outcome.
    if (!attempt.claimed && (await attempt.gate()) === 'duplicate') return { outcome: 'duplicate' };
    const delivered = deliveries.filter((d) => d.status === 'sent' || d.status === 'escalated').length;
    if (delivered === 0) {
      const reason =
        deliveries.map((d) => `${d.recipient}: ${d.reason ?? d.status}`).join('; ') || 'no recipients';
      await deps.notifications.finish(ref, 'skipped', now, reason, attempt.unwritten());
      return { outcome: 'skipped', reason };
    }
    // The kind rides along: a sent escalation also counts in its stage epoch's tally.
    await deps.notifications.finish(
      { ...ref, kind: record.kind },
      'sent',
      now,
      undefined,
      attempt.unwritten(),
    );
    return { outcome: 'sent', kind: record.kind, deliveries: delivered };
  } catch (error) {
    // What it did is stored with the claim given back, so the queue's retry sends only the rest.
    if (attempt.claimed) await deps.notifications.release(ref, attempt.unwritten());
    throw error;
  }
}

/**
 * One delivery attempt's writes: whether it holds the claim yet, and the outcomes it has not
 * written, which its next write carries.
 */
interface Attempt {
  readonly claimed: boolean;
  /** The write before a send: claims (the first), stores what is known, checks `to`. */
  gate(to?: SendGate['to']): Promise<SendGateAnswer>;
  /** An outcome for the next write to store. */
  note(delivery: Delivery): void;
  /** What is not written yet, and where it goes. */
  unwritten(): RecordedDeliveries;
}

function startAttempt(
  deps: DeliveryDeps,
  ref: NotificationRef,
  claim: { now: string; staleBefore: string },
  position: number,
): Attempt {
  const token = deps.newToken();
  let claimed = false;
  let written = position;
  let pending: Delivery[] = [];
  return {
    get claimed() {
      return claimed;
    },
    async gate(to) {
      const answer = await deps.deliveries.gate(ref, {
        token,
        claim: claimed ? undefined : claim,
        record: pending,
        position: written,
        to,
      });
      if (answer === 'go') {
        claimed = true;
        written += pending.length;
        pending = [];
      }
      return answer;
    },
    note(delivery) {
      pending.push(delivery);
    },
    unwritten: () => ({ deliveries: pending, position: written }),
  };
}

/** Who gets a notification: the Secretariat, or a State's focal point or one of its experts. */
type Recipient =
  | { key: 'SECRETARIAT'; role: 'secretariat' }
  | { key: string; role: 'focal_point'; state: string }
  | { key: string; role: 'expert'; state: string; expertId: string };

/**
 * The recipients current now: a narrowed notice's one State, every participant, or the
 * responsible States still owing; each State's focal point, and its experts for what they get.
 * Keys name a person without their address (`GRC`, `GRC/expert/<id>`): deliveries are recorded
 * and retried by them.
 */
function recipientsOf(process: ProcessDefinition, record: NotificationRecord, review: Review): Recipient[] {
  if (record.audience === 'secretariat') return [{ key: 'SECRETARIAT', role: 'secretariat' }];
  const states = record.recipientState
    ? [record.recipientState]
    : record.audience === 'participants'
      ? participants(review)
      : owingStates(process, review);
  return states.flatMap((state): Recipient[] => [
    { key: state, role: 'focal_point', state },
    ...(EXPERT_KINDS.includes(record.kind)
      ? (review.experts[state] ?? []).map(
          (e): Recipient => ({ key: `${state}/expert/${e.id}`, role: 'expert', state, expertId: e.id }),
        )
      : []),
  ]);
}

/** The person behind a recipient as the review holds them now (undefined: none registered). */
function personOf(review: Review, recipient: Recipient): FocalPoint | undefined {
  switch (recipient.role) {
    case 'secretariat':
      return undefined;
    case 'focal_point':
      return review.focalPoints[recipient.state];
    case 'expert':
      return review.experts[recipient.state]?.find((e) => e.id === recipient.expertId);
  }
}

/** Whom a State's people may ask: the review's Secretariat officer or the deployment's address. */
function contactOf(deps: ReviewDeliveryDeps, review: Review): MailContact {
  return { email: review.secretariatEmail ?? deps.secretariatEmail };
}

/** Our Message-ID for one notification and recipient, on the sender's domain. */
function ourMessageId(deps: ReviewDeliveryDeps, record: NotificationRecord, recipientKey: string): string {
  const domain = deps.senderEmail.slice(deps.senderEmail.lastIndexOf('@') + 1) || 'untoc-review-tracker';
  return messageIdFor(record.id, recipientKey, domain);
}

async function deliverTo(
  deps: ReviewDeliveryDeps,
  record: NotificationRecord,
  review: Review,
  recipient: Recipient,
  now: string,
  attempt: Attempt,
): Promise<Delivery | 'duplicate'> {
  const tags = { reviewId: review.id, notificationKind: record.kind, stageEpoch: String(record.stageEpoch) };
  const secretariat = review.secretariatEmail ?? deps.secretariatEmail;
  const sender = { from: deps.senderEmail, fromName: deps.senderName };
  if (recipient.role === 'secretariat') {
    const mail = await secretariatMail(deps, record, review, now);
    if ((await attempt.gate()) === 'duplicate') return 'duplicate';
    const messageId = await deps.mailer.send({
      ...sender,
      to: secretariat,
      messageId: ourMessageId(deps, record, recipient.key),
      ...mail,
      tags,
    });
    return { recipient: recipient.key, status: 'sent', messageId, at: now };
  }
  const person = personOf(review, recipient);
  if (!person) {
    // An expert replaced since planning is simply no longer there; a State without a focal point
    // misses a notice, but a reminder or overdue notice nobody can receive is the Secretariat's to chase.
    if (recipient.role === 'expert' || (record.kind !== 'reminder' && record.kind !== 'overdue_notice'))
      return { recipient: recipient.key, status: 'skipped', reason: 'no focal point', at: now };
    const mail = renderSecretariatMail({
      kind: 'no_focal_point',
      reference: review.reference,
      reviewId: review.id,
      stateUnderReview: review.stateUnderReview,
      cluster: review.cluster,
      stage: review.stage,
      words: deps.process.text,
      state: recipient.state,
      notificationKind: record.kind,
      deadline: review.deadline,
      timeZone: deps.process.timeZone,
    });
    if ((await attempt.gate()) === 'duplicate') return 'duplicate';
    const messageId = await deps.mailer.send({
      ...sender,
      to: secretariat,
      messageId: ourMessageId(deps, record, `${recipient.key}.no-focal-point`),
      ...mail,
      tags,
    });
    return { recipient: recipient.key, status: 'escalated', reason: 'no focal point', messageId, at: now };
  }
  // A State that reported its submission sent hears no reminder while the report holds (DESIGN §10).
  const held =
    record.kind === 'reminder' || record.kind === 'overdue_notice'
      ? heldReport(review, recipient.state, now)
      : undefined;
  if (held) {
    const until = reportHeldUntil(held, deps.process.timeZone);
    return {
      recipient: recipient.key,
      status: 'skipped',
      reason: `submission reported as sent: held until ${until}`,
      at: now,
    };
  }
  // An approved request moves the deadline: the State that asked hears it in the decision itself.
  if (
    record.kind === 'deadline_changed' &&
    decidedBy(review, recipient.state, record.dueAt)?.status === 'approved'
  )
    return { recipient: recipient.key, status: 'skipped', reason: 'told by the extension decision', at: now };
  // No mail to an address SES reported undeliverable; each person gets one stage notice per
  // stage entry, whichever notification carries it. Both are settled by the write before the send.
  const claimant = { state: recipient.state, email: person.email };
  const stageNotice = record.kind === 'stage_notice';
  switch (await attempt.gate({ ...claimant, stageNotice, now })) {
    case 'duplicate':
      return 'duplicate';
    case 'undeliverable':
      return { recipient: recipient.key, status: 'skipped', reason: 'address undeliverable', at: now };
    case 'already_notified':
      return {
        recipient: recipient.key,
        status: 'skipped',
        reason: 'already notified of this stage',
        at: now,
      };
    case 'go':
      break;
  }
  try {
    return await sendToPerson(deps, record, review, recipient, person, now, tags);
  } catch (error) {
    // Surely not sent: another notification of the stage may send this person's notice.
    if (stageNotice && !(error instanceof MailOutcomeUnknownError)) {
      await deps.deliveries.releaseStageNotice(record, claimant);
    }
    throw error;
  }
}

async function sendToPerson(
  deps: ReviewDeliveryDeps,
  record: NotificationRecord,
  review: Review,
  recipient: Exclude<Recipient, { role: 'secretariat' }>,
  person: FocalPoint,
  now: string,
  tags: Record<string, string>,
): Promise<Delivery> {
  const { timeZone } = deps.process;
  const stage = findStage(deps.process, review.stage);
  const today = localDate(now, timeZone);
  const contact = contactOf(deps, review);
  const passed =
    review.deadline !== null && compareInstants(now, deadlineInstant(review.deadline, timeZone)) >= 0;
  const previousDeadline = lastDeadlineChange(review)?.oldDeadline;
  const decided =
    record.kind === 'extension_decision' ? decidedBy(review, recipient.state, record.dueAt) : undefined;
  if (record.kind === 'extension_decision' && !decided?.decision)
    return {
      recipient: recipient.key,
      status: 'skipped',
      reason: 'no decided request of this State',
      at: now,
    };
  const respondUrl = await respondUrlOf(deps, review, recipient, person, now);
  const mail = renderFocalPointMail({
    kind: record.kind as FocalPointMailKind,
    language: person.language,
    reference: review.reference,
    stateUnderReview: review.stateUnderReview,
    cluster: review.cluster,
    instruments: review.instruments,
    stage: review.stage,
    words: deps.process.text,
    responsibleStates: stage ? responsibleStates(review, stage) : [],
    owingStates: owingStates(deps.process, review),
    recipientState: recipient.state,
    recipientName: person.name,
    recipientRole: recipient.role,
    deadline: review.deadline,
    ...(previousDeadline !== undefined ? { previousDeadline } : {}),
    timeZone,
    ...(review.deadline ? { daysLeft: Math.max(0, daysBetween(today, review.deadline)) } : {}),
    ...(review.deadline ? { daysOverdue: daysOverdue(review.deadline, now, timeZone) } : {}),
    ...(record.kind === 'stage_notice' && passed ? { alreadyOverdue: true } : {}),
    ...(decided?.decision && (decided.status === 'approved' || decided.status === 'declined')
      ? {
          extensionDecision: {
            outcome: decided.status,
            requestedDeadline: decided.requestedDeadline,
            requestedAt: decided.requestedAt,
            reason: decided.decision.reason,
          },
          ...(decided.status === 'approved' ? { previousDeadline: decided.deadlineAtRequest } : {}),
        }
      : {}),
    ...(respondUrl ? { respondUrl } : {}),
    contact,
  });
  const attachments = calendarAttachments(deps, record, review, person.language, contact, now);
  const messageId = await deps.mailer.send({
    from: deps.senderEmail,
    fromName: deps.senderName,
    to: person.email,
    toName: person.name,
    replyTo: contact.email,
    messageId: ourMessageId(deps, record, recipient.key),
    ...mail,
    attachments,
    tags,
  });
  return { recipient: recipient.key, status: 'sent', messageId, at: now };
}

/**
 * The calendar files of a focal-point mail: the stage's deadline event (not with an overdue
 * notice), and with the next stage's own notice the cancellation of the stage left behind (not
 * with one for a person registered later, who never had that entry).
 */
function calendarAttachments(
  deps: ReviewDeliveryDeps,
  record: NotificationRecord,
  review: Review,
  language: FocalPoint['language'],
  contact: MailContact,
  now: string,
): Attachment[] {
  const event = (stage: string, deadline: string) => ({
    uid: icsUid(review.id, stage),
    deadline,
    ...calendarText({
      language,
      reference: review.reference,
      stateUnderReview: review.stateUnderReview,
      stage,
      words: deps.process.text,
      deadline,
      timeZone: deps.process.timeZone,
      contact,
    }),
    // Only grows: every transition raises the epoch and every pause, resume and extension the
    // ledger, so each version (and each cancellation) outranks the last one sent (RFC 5546).
    sequence: review.stageEpoch + review.ledger.length,
    dtstamp: now,
    organizer: { email: deps.senderEmail, name: deps.senderName },
  });
  const attachments: Attachment[] = [];
  if (review.deadline && record.kind !== 'overdue_notice')
    attachments.push(deadlineIcsAttachment(buildDeadlineIcs(event(review.stage, review.deadline))));
  const left = review.leftStage;
  if (record.kind === 'stage_notice' && !record.recipientState && left?.deadline)
    attachments.push(cancelIcsAttachment(buildCancelIcs(event(left.stage, left.deadline))));
  return attachments;
}

/**
 * The State's extension request this notification is about: the one decided by the change that
 * planned it (a change notice is due at the very instant of its change).
 */
function decidedBy(review: Review, state: string, changedAt: string): ExtensionRequest | undefined {
  return review.extensionRequests.find(
    (r) => r.state === state && r.stageEpoch === review.stageEpoch && r.decision?.at === changedAt,
  );
}

/**
 * The person's own link to the focal-point page, valid until the stage deadline + 60 days (or 60
 * days from today for a stage without one); none in a terminal stage, where nothing is left to do.
 */
async function respondUrlOf(
  deps: ReviewDeliveryDeps,
  review: Review,
  recipient: Exclude<Recipient, { role: 'secretariat' }>,
  person: FocalPoint,
  now: string,
): Promise<string | undefined> {
  if (!deps.respond || findStage(deps.process, review.stage)?.terminal !== false) return undefined;
  const from = review.deadline ?? localDate(now, deps.process.timeZone);
  const token = await deps.respond.links.tokenFor({
    reviewId: review.id,
    stageEpoch: review.stageEpoch,
    state: recipient.state,
    role: recipient.role,
    language: person.language,
    expiresOn: addDays(from, LINK_DAYS_AFTER_DEADLINE),
    email: person.email,
  });
  return `${deps.respond.baseUrl.replace(/\/+$/, '')}/respond/${token}`;
}

/** The ledger's latest entry that moved this stage's deadline (an extension, a resume). */
function lastDeadlineChange(review: Review) {
  return review.ledger
    .filter((e) => e.stage === review.stage && e.kind !== 'pause' && e.oldDeadline !== e.newDeadline)
    .at(-1);
}

async function secretariatMail(
  deps: ReviewDeliveryDeps,
  record: NotificationRecord,
  review: Review,
  now: string,
) {
  if (record.kind === 'undeliverable') {
    return renderSecretariatMail({
      kind: 'undeliverable',
      reference: review.reference,
      reviewId: review.id,
      state: record.detail?.state,
      reason: record.detail?.cause ?? 'bounce',
      addressHint: record.detail?.addressHint ?? '',
    });
  }
  if (record.kind === 'all_submissions_received') {
    return renderSecretariatMail({
      kind: 'all_submissions_received',
      reference: review.reference,
      reviewId: review.id,
      stateUnderReview: review.stateUnderReview,
      cluster: review.cluster,
      stage: review.stage,
      words: deps.process.text,
      submissions: review.submissions.map(({ state, receivedAt }) => ({ state, receivedAt })),
      deadline: review.deadline,
      timeZone: deps.process.timeZone,
      nextStages: deps.process.transitions.filter((t) => t.from === review.stage).map((t) => t.to),
    });
  }
  // A bounded slice, not the review's whole history: the stage epoch's latest reminders and notices.
  const history = await deps.notifications.latestOfStage(
    record,
    ['reminder', 'overdue_notice'],
    ESCALATION_HISTORY_LIMIT,
  );
  type Line = { kind: string; dueAt: string; recipient: string; status: string; reason?: string | undefined };
  const reminders = history.items.flatMap((n): Line[] =>
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
    reference: review.reference,
    reviewId: review.id,
    stateUnderReview: review.stateUnderReview,
    cluster: review.cluster,
    stage: review.stage,
    words: deps.process.text,
    owingStates: owingStates(deps.process, review),
    deadline: review.deadline ?? '',
    timeZone: deps.process.timeZone,
    daysOverdue: review.deadline ? daysOverdue(review.deadline, now, deps.process.timeZone) : 0,
    occurrence: record.occurrence,
    reminders,
    olderNotListed: !history.complete,
  });
}
