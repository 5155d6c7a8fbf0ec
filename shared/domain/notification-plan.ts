import {
  addDays,
  atLocalTime,
  type CalendarDate,
  compareInstants,
  daysBetween,
  type Instant,
  localDate,
  nextWeekday,
  previousWeekday,
} from './calendar.ts';
import { type ProcessDefinition, type Stage, stagePolicy } from './process-definition.ts';

/**
 * Notification planning (DESIGN §2), a pure function of the process, the review's stage,
 * its entry, its deadline and `now`. Every planned item has a deterministic id built from
 * (review, stage epoch, deadline, kind, occurrence), so planning the same input twice gives
 * the same ids and a new deadline gives new ones.
 */

/**
 * `undeliverable` is not planned: it is the Secretariat's notice, raised by SES feedback, that
 * a focal point's address bounced or complained. The change notices (`deadline_changed`,
 * `paused`, `resumed`) and `all_submissions_received` are planned by the planner on the change
 * that causes them, not by {@link planNotifications}.
 */
export type NotificationKind =
  | 'stage_notice'
  | 'reminder'
  | 'overdue_notice'
  | 'escalation'
  | 'undeliverable'
  | 'all_submissions_received'
  | 'deadline_changed'
  | 'paused'
  | 'resumed'
  /** The Secretariat's answer to a focal point's extension request, to that State's focal point. */
  | 'extension_decision';
/** Who receives it: every participant's focal point, the responsible ones, or the Secretariat. */
export type Audience = 'participants' | 'responsible' | 'secretariat';

export interface PlannedNotification {
  id: string;
  reviewId: string;
  stage: string;
  stageEpoch: number;
  deadline: CalendarDate | null;
  kind: NotificationKind;
  /** 1-based position within its kind (the first reminder, the second escalation …). */
  occurrence: number;
  /** Days relative to the deadline (negative before it); 0 for the stage notice. */
  offsetDays: number;
  audience: Audience;
  /** When it becomes due to be sent. */
  dueAt: Instant;
  /** Only this participant (a stage notice for a newly registered focal point). */
  recipientState?: string | undefined;
}

export interface PlanInput {
  process: ProcessDefinition;
  reviewId: string;
  stage: Stage;
  stageEpoch: number;
  stageEnteredAt: Instant;
  deadline: CalendarDate | null;
  now: Instant;
  /** Plan the stage notice too (on stage entry; not when re-planning a moved deadline). */
  includeStageNotice: boolean;
  /**
   * Only what falls due after `now`: an overdue notice or escalation already due is dropped
   * rather than sent at once (a review brought in already late starts at its next rung).
   */
  onlyAhead?: boolean;
}

/** The deterministic key of a planned notification. */
export function notificationId(
  reviewId: string,
  stageEpoch: number,
  deadline: CalendarDate | null,
  kind: NotificationKind,
  occurrence: number,
): string {
  return `${reviewId}#${stageEpoch}#${deadline ?? 'none'}#${kind}#${occurrence}`;
}

/** Escalation offsets in days after the deadline: the first ones, then every N days, at most `max`. */
export function escalationOffsets(first: number[], every: number, max: number): number[] {
  const offsets = [...first].sort((a, b) => a - b).slice(0, max);
  let last = offsets.at(-1) ?? 0;
  while (offsets.length < max) {
    last += every;
    offsets.push(last);
  }
  return offsets;
}

/** Plans a stage's notifications. A terminal stage or a stage with no deadline gets only its notice. */
export function planNotifications(input: PlanInput): PlannedNotification[] {
  const { process, reviewId, stage, stageEpoch, stageEnteredAt, deadline, now } = input;
  const policy = stagePolicy(process, stage);
  const tz = process.timeZone;
  const base = { reviewId, stage: stage.id, stageEpoch, deadline };
  const make = (
    kind: NotificationKind,
    occurrence: number,
    offsetDays: number,
    audience: Audience,
    dueAt: Instant,
  ): PlannedNotification => ({
    ...base,
    id: notificationId(reviewId, stageEpoch, deadline, kind, occurrence),
    kind,
    occurrence,
    offsetDays,
    audience,
    dueAt,
  });

  const plan: PlannedNotification[] = [];
  if (input.includeStageNotice && policy.stageNotice) {
    plan.push(make('stage_notice', 1, 0, 'participants', now));
  }
  if (deadline === null || stage.terminal || stage.responsible === 'none') return plan;

  // Reminders: before the deadline, moved off weekends to the Friday before; none before the
  // stage was entered and none already past. A long stage gets one more, earlier.
  const long =
    policy.longStageReminderDaysBefore !== null &&
    daysBetween(localDate(stageEnteredAt, tz), deadline) >= policy.longStageMinDays;
  const reminderDays = new Set([
    ...policy.reminderDaysBefore,
    ...(long && policy.longStageReminderDaysBefore !== null ? [policy.longStageReminderDaysBefore] : []),
  ]);
  [...reminderDays]
    .sort((a, b) => b - a)
    .forEach((days, i) => {
      const raw = addDays(deadline, -days);
      const date = policy.reminderWeekend === 'previousFriday' ? previousWeekday(raw) : raw;
      const at = atLocalTime(date, policy.sendTime, tz);
      if (compareInstants(at, stageEnteredAt) < 0 || compareInstants(at, now) <= 0) return;
      plan.push(make('reminder', i + 1, -days, 'responsible', at));
    });

  // Overdue notice and escalations: after the deadline, moved off weekends to the Monday
  // after; of those already due when planning (a stage entered late), only the latest goes,
  // at once.
  const late = (kind: 'overdue_notice' | 'escalation', offsets: number[], audience: Audience): void => {
    const items = offsets.map((days, i) => {
      const raw = addDays(deadline, days);
      const date = policy.lateWeekend === 'nextMonday' ? nextWeekday(raw) : raw;
      return { days, occurrence: i + 1, at: atLocalTime(date, policy.sendTime, tz) };
    });
    const due = items.filter((it) => compareInstants(it.at, now) <= 0);
    const latestDue = input.onlyAhead ? undefined : due.at(-1);
    if (latestDue) plan.push(make(kind, latestDue.occurrence, latestDue.days, audience, now));
    for (const it of items) {
      if (compareInstants(it.at, now) > 0) plan.push(make(kind, it.occurrence, it.days, audience, it.at));
    }
  };
  if (policy.overdueNoticeDaysAfter !== null)
    late('overdue_notice', [policy.overdueNoticeDaysAfter], 'responsible');
  late(
    'escalation',
    escalationOffsets(policy.escalationDaysAfter, policy.escalationRepeatEveryDays, policy.escalationMax),
    'secretariat',
  );
  return plan;
}
