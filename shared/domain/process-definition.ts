import { isCalendarDuration, isTimeZone } from './calendar.ts';
import * as z from './zod.ts';

/**
 * A review process as data (DESIGN §2, §9): stages, who must act, deadline rules, allowed
 * transitions, the notification policy, its instruments and its words in the six languages.
 * Each shipped process is one file in `processes/` (with its translations beside it),
 * registered in `processes/index.ts`. The shipped ones are typed as parsed definitions and checked
 * against this schema by the tests (`process-registry.test.ts`), not parsed at every cold start.
 */

const Duration = z
  .string()
  .check(z.refine(isCalendarDuration, 'must be a date-only ISO 8601 duration such as P6M'));
/** A whole number from `min` to `max`, both included. */
const whole = (min: number, max: number) => z.number().check(z.int(), z.minimum(min), z.maximum(max));
const nonEmpty = z.string().check(z.minLength(1));
const StageId = z.string().check(z.regex(/^[a-z][a-z0-9_]*$/, 'must be a lower-case identifier'));

/** Who must act in a stage. */
export const Responsible = z.enum(['all', 'stateUnderReview', 'reviewingStates', 'none']);
export type Responsible = z.infer<typeof Responsible>;

/** A stage's default deadline, relative to the launch date (T0) or to the stage's entry date. */
export const DeadlineRule = z.object({
  from: z.enum(['launch', 'stageEntry']),
  after: Duration,
  /** The rule is our reading of an indicative timeline, not a stated one: say so and why. */
  inferred: z.optional(z.string().check(z.minLength(1))),
});
export type DeadlineRule = z.infer<typeof DeadlineRule>;

/** When and to whom a stage's notifications go. */
export const NotificationPolicy = z.object({
  /** Local wall-clock time of reminders, overdue notices and escalations. */
  sendTime: z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM')),
  /** A stage notice to every participant's focal point on entry. */
  stageNotice: z.boolean(),
  /** Reminder offsets in days before the deadline. */
  reminderDaysBefore: z.array(whole(1, 366)).check(z.maxLength(10)),
  /** One more reminder this many days before the deadline for a long stage; null for none. */
  longStageReminderDaysBefore: z._default(z.nullable(whole(1, 366)), null),
  /** A stage is long when it lasts at least this many days, from its entry date to its deadline. */
  longStageMinDays: z._default(whole(1, 3660), 120),
  /** A reminder on a weekend moves to the Friday before. */
  reminderWeekend: z.enum(['previousFriday', 'keep']),
  /** Days after the deadline of the overdue notice to the responsible focal points; null for none. */
  overdueNoticeDaysAfter: z.nullable(whole(1, 366)),
  /** First escalations to the Secretariat, days after the deadline. */
  escalationDaysAfter: z.array(whole(1, 3660)).check(z.maxLength(10)),
  /** After the last of those, one more every N days while overdue. */
  escalationRepeatEveryDays: whole(1, 366),
  /** Escalations in all, the first ones included. */
  escalationMax: whole(0, 24),
  /** An overdue notice or escalation on a weekend moves to the Monday after. */
  lateWeekend: z.enum(['nextMonday', 'keep']),
});
export type NotificationPolicy = z.infer<typeof NotificationPolicy>;

export const Stage = z.object({
  id: StageId,
  /** Who must act. */
  responsible: Responsible,
  /** Default deadline; absent for the terminal stage. */
  deadline: z.optional(DeadlineRule),
  terminal: z._default(z.boolean(), false),
  /** Overrides of the process's notification policy for this stage. */
  notifications: z.optional(z.partial(NotificationPolicy)),
});
export type Stage = z.infer<typeof Stage>;

/** The six UN languages every process's words come in (DESIGN §2). */
export const PROCESS_LANGUAGES = ['ar', 'en', 'es', 'fr', 'ru', 'zh'] as const;

/** An instrument's code as reviews store it (`UNTOC`, `TIP`, `UNCAC`). */
export const InstrumentCode = z
  .string()
  .check(z.regex(/^[A-Z][A-Z0-9_]{1,19}$/, 'must be an instrument code'));

/** A process's words in one language; stage and instrument ids as keys. */
export const ProcessWords = z.object({
  /** The mechanism's name. */
  name: nonEmpty,
  /** What a review's `cluster` number is called (a thematic cluster, a review cycle). */
  cluster: nonEmpty,
  stages: z.record(z.string(), nonEmpty),
  /** What closes each stage. */
  closes: z.record(z.string(), nonEmpty),
  instruments: z.record(z.string(), nonEmpty),
});
export type ProcessWords = z.infer<typeof ProcessWords>;
/** A process's words in each of the six languages. */
export const ProcessText = z.object(
  Object.fromEntries(PROCESS_LANGUAGES.map((language) => [language, ProcessWords])) as Record<
    (typeof PROCESS_LANGUAGES)[number],
    typeof ProcessWords
  >,
);
export type ProcessText = z.infer<typeof ProcessText>;

export const Transition = z.object({
  from: StageId,
  to: StageId,
  kind: z.enum(['advance', 'rework']),
});
export type Transition = z.infer<typeof Transition>;

export const ProcessDefinition = z
  .object({
    /** Lower-case id a review keeps (`untoc`, `uncac`). */
    id: z.string().check(z.regex(/^[a-z][a-z0-9_]{0,19}$/, 'must be a lower-case identifier')),
    name: nonEmpty,
    /** Where the deadlines come from, for anyone checking them (inferred ones labelled). */
    source: z.optional(nonEmpty),
    /** The instruments a review of this process may cover. */
    instruments: z.array(InstrumentCode).check(z.minLength(1)),
    /** Reviews are numbered by cluster (UNTOC) or cycle (UNCAC) from 1 to this. */
    clusters: whole(1, 9),
    timeZone: z.string().check(z.refine(isTimeZone, 'must be an IANA time zone')),
    initialStage: StageId,
    stages: z.array(Stage).check(z.minLength(1)),
    transitions: z.array(Transition),
    notifications: NotificationPolicy,
    text: ProcessText,
  })
  .check(
    z.superRefine((process, ctx) => {
      for (const language of PROCESS_LANGUAGES) {
        const words = process.text[language];
        for (const stage of process.stages) {
          if (!Object.hasOwn(words.stages, stage.id))
            ctx.addIssue({
              code: 'custom',
              path: ['text', language, 'stages', stage.id],
              message: 'no name',
            });
          if (!Object.hasOwn(words.closes, stage.id))
            ctx.addIssue({
              code: 'custom',
              path: ['text', language, 'closes', stage.id],
              message: 'missing',
            });
        }
        for (const instrument of process.instruments) {
          if (!Object.hasOwn(words.instruments, instrument))
            ctx.addIssue({
              code: 'custom',
              path: ['text', language, 'instruments', instrument],
              message: 'no name',
            });
        }
      }
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
      if (terminal.size === 0)
        ctx.addIssue({ code: 'custom', path: ['stages'], message: 'no terminal stage' });
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
          ctx.addIssue({
            code: 'custom',
            path: ['transitions', i],
            message: 'a stage cannot move to itself',
          });
      });
    }),
  );
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

/** The stage's name in the language; an unknown stage id is shown as it is. */
export function stageName(process: ProcessDefinition, stageId: string, language: keyof ProcessText): string {
  const names = process.text[language].stages;
  return Object.hasOwn(names, stageId) ? (names[stageId] ?? stageId) : stageId;
}
