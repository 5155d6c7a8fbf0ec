import * as z from 'zod';
import { DEFAULT_TIME_ZONE, isCalendarDuration, isTimeZone } from './calendar.ts';

/**
 * A review process as data (DESIGN §2): stages, who must act, deadline rules, allowed
 * transitions and the notification policy. The UNTOC default ships below; another mechanism
 * (UNCAC, say) ships its own definition and is validated by the same schema.
 */

const Duration = z.string().refine(isCalendarDuration, 'must be a date-only ISO 8601 duration such as P6M');
const StageId = z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a lower-case identifier');

/** Who must act in a stage. */
export const Responsible = z.enum(['all', 'stateUnderReview', 'reviewingStates', 'none']);
export type Responsible = z.infer<typeof Responsible>;

/** A stage's default deadline, relative to the launch date (T0) or to the stage's entry date. */
export const DeadlineRule = z.object({
  from: z.enum(['launch', 'stageEntry']),
  after: Duration,
});
export type DeadlineRule = z.infer<typeof DeadlineRule>;

/** When and to whom a stage's notifications go. */
export const NotificationPolicy = z.object({
  /** Local wall-clock time of reminders, overdue notices and escalations. */
  sendTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM'),
  /** A stage notice to every participant's focal point on entry. */
  stageNotice: z.boolean(),
  /** Reminder offsets in days before the deadline. */
  reminderDaysBefore: z.array(z.number().int().min(1).max(366)).max(10),
  /** One more reminder this many days before the deadline for a long stage; null for none. */
  longStageReminderDaysBefore: z.number().int().min(1).max(366).nullable().default(null),
  /** A stage is long when it lasts at least this many days, from its entry date to its deadline. */
  longStageMinDays: z.number().int().min(1).max(3660).default(120),
  /** A reminder on a weekend moves to the Friday before. */
  reminderWeekend: z.enum(['previousFriday', 'keep']),
  /** Days after the deadline of the overdue notice to the responsible focal points; null for none. */
  overdueNoticeDaysAfter: z.number().int().min(1).max(366).nullable(),
  /** First escalations to the Secretariat, days after the deadline. */
  escalationDaysAfter: z.array(z.number().int().min(1).max(3660)).max(10),
  /** After the last of those, one more every N days while overdue. */
  escalationRepeatEveryDays: z.number().int().min(1).max(366),
  /** Escalations in all, the first ones included. */
  escalationMax: z.number().int().min(0).max(24),
  /** An overdue notice or escalation on a weekend moves to the Monday after. */
  lateWeekend: z.enum(['nextMonday', 'keep']),
});
export type NotificationPolicy = z.infer<typeof NotificationPolicy>;

export const Stage = z.object({
  id: StageId,
  /** Who must act. */
  responsible: Responsible,
  /** What closes the stage, in words (shown in mail). */
  closes: z.string().min(1),
  /** Default deadline; absent for the terminal stage. */
  deadline: DeadlineRule.optional(),
  terminal: z.boolean().default(false),
  /** Overrides of the process's notification policy for this stage. */
  notifications: NotificationPolicy.partial().optional(),
});
export type Stage = z.infer<typeof Stage>;

export const Transition = z.object({
  from: StageId,
  to: StageId,
  kind: z.enum(['advance', 'rework']),
});
export type Transition = z.infer<typeof Transition>;

export const ProcessDefinition = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1),
    timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone'),
    initialStage: StageId,
    stages: z.array(Stage).min(1),
    transitions: z.array(Transition),
    notifications: NotificationPolicy,
  })
  .superRefine((process, ctx) => {
    const ids = new Set<string>();
    process.stages.forEach((stage, i) => {
      if (ids.has(stage.id))
        ctx.addIssue({ code: 'custom', path: ['stages', i, 'id'], message: 'duplicate stage' });
      ids.add(stage.id);
      if (stage.terminal && stage.deadline) {
        ctx.addIssue({
          code: 'custom',
          path: ['stages', i, 'deadline'],
          message: 'a terminal stage has no deadline',
        });
      }
      if (!stage.terminal && !stage.deadline) {
        ctx.addIssue({
          code: 'custom',
          path: ['stages', i, 'deadline'],
          message: 'a stage needs a deadline rule',
        });
      }
    });
    if (!ids.has(process.initialStage)) {
      ctx.addIssue({ code: 'custom', path: ['initialStage'], message: 'unknown stage' });
    }
    const terminal = new Set(process.stages.filter((s) => s.terminal).map((s) => s.id));
    if (terminal.size === 0) ctx.addIssue({ code: 'custom', path: ['stages'], message: 'no terminal stage' });
    process.transitions.forEach((t, i) => {
      if (!ids.has(t.from))
        ctx.addIssue({ code: 'custom', path: ['transitions', i, 'from'], message: 'unknown stage' });
      if (!ids.has(t.to))
        ctx.addIssue({ code: 'custom', path: ['transitions', i, 'to'], message: 'unknown stage' });
      if (terminal.has(t.from)) {
        ctx.addIssue({
          code: 'custom',
          path: ['transitions', i, 'from'],
          message: 'nothing leaves a terminal stage',
        });
      }
      if (t.from === t.to)
        ctx.addIssue({ code: 'custom', path: ['transitions', i], message: 'a stage cannot move to itself' });
    });
  });
export type ProcessDefinition = z.infer<typeof ProcessDefinition>;

/** The default policy of DESIGN §2. */
export const DEFAULT_NOTIFICATION_POLICY: NotificationPolicy = {
  sendTime: '09:00',
  stageNotice: true,
  reminderDaysBefore: [30, 14, 7, 1],
  longStageReminderDaysBefore: 90,
  longStageMinDays: 120,
  reminderWeekend: 'previousFriday',
  overdueNoticeDaysAfter: 1,
  escalationDaysAfter: [1, 14],
  escalationRepeatEveryDays: 30,
  escalationMax: 6,
  lateWeekend: 'nextMonday',
};

/** The UNTOC Review Mechanism's country review process (DESIGN §2, DOMAIN-SOURCES §3). */
export const UNTOC_PROCESS: ProcessDefinition = ProcessDefinition.parse({
  id: 'UNTOC',
  name: 'UNTOC Review Mechanism country review',
  timeZone: DEFAULT_TIME_ZONE,
  initialStage: 'launched',
  stages: [
    {
      id: 'launched',
      responsible: 'all',
      closes: 'focal points and experts nominated',
      deadline: { from: 'launch', after: 'P14D' },
    },
    {
      id: 'self_assessment',
      responsible: 'stateUnderReview',
      closes: 'self-assessment questionnaire answered',
      deadline: { from: 'launch', after: 'P6M' },
    },
    {
      id: 'desk_review',
      responsible: 'reviewingStates',
      closes: 'written feedback sent',
      deadline: { from: 'stageEntry', after: 'P6M' },
    },
    {
      id: 'dialogue',
      responsible: 'all',
      closes: 'clarifications settled',
      deadline: { from: 'stageEntry', after: 'P3M' },
    },
    {
      id: 'observations',
      responsible: 'reviewingStates',
      closes: 'list of observations agreed',
      deadline: { from: 'stageEntry', after: 'P3M' },
    },
    {
      id: 'summary',
      responsible: 'reviewingStates',
      closes: 'summary of the list of observations agreed',
      deadline: { from: 'stageEntry', after: 'P2M' },
    },
    { id: 'completed', responsible: 'none', closes: 'list sent to the working groups', terminal: true },
  ],
  transitions: [
    { from: 'launched', to: 'self_assessment', kind: 'advance' },
    { from: 'self_assessment', to: 'desk_review', kind: 'advance' },
    { from: 'desk_review', to: 'dialogue', kind: 'advance' },
    { from: 'dialogue', to: 'observations', kind: 'advance' },
    { from: 'observations', to: 'summary', kind: 'advance' },
    { from: 'summary', to: 'completed', kind: 'advance' },
    { from: 'dialogue', to: 'desk_review', kind: 'rework' },
    { from: 'observations', to: 'dialogue', kind: 'rework' },
    { from: 'summary', to: 'observations', kind: 'rework' },
  ],
  notifications: DEFAULT_NOTIFICATION_POLICY,
});

/** The stage definition, or undefined for an unknown id. */
export function findStage(process: ProcessDefinition, stageId: string): Stage | undefined {
  return process.stages.find((s) => s.id === stageId);
}

/** The stage's effective notification policy (process default with the stage's overrides). */
export function stagePolicy(process: ProcessDefinition, stage: Stage): NotificationPolicy {
  return { ...process.notifications, ...stage.notifications };
}

/** True when the process allows moving from one stage to the other. */
export function isAllowedTransition(process: ProcessDefinition, from: string, to: string): boolean {
  return process.transitions.some((t) => t.from === from && t.to === to);
}

/** Stage ids in definition order (for schemas and docs). */
export function stageIds(process: ProcessDefinition): string[] {
  return process.stages.map((s) => s.id);
}
