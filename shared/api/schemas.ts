import * as z from 'zod';
import { isCalendarDate } from '#shared/domain/calendar.ts';
import { ProcessDefinition, stageIds } from '#shared/domain/process-definition.ts';
import { BUILT_IN_PROCESSES } from '#shared/domain/processes/index.ts';
import {
  DATE_BOUNDS,
  FocalPoint,
  Instrument,
  Language,
  MAX_EXPERTS_PER_STATE,
  plainText,
  Reference,
  ReviewingState,
  StateCode,
  WITHIN_DATE_BOUNDS,
} from '#shared/domain/review.ts';
import type { NotificationRecord } from '#shared/ports/notification-store.ts';

/**
 * The API's request and response schemas (DESIGN §4). Handlers parse with them and the
 * OpenAPI document is generated from them, so the contract and the checks cannot drift.
 */

/** A date given in a request: a real calendar date within the bounds, which the document states as a pattern. */
const Date_ = z.iso
  .date()
  .regex(WITHIN_DATE_BOUNDS, `must lie in ${DATE_BOUNDS.min} … ${DATE_BOUNDS.max}`)
  .refine(isCalendarDate, 'must be a real calendar date')
  .meta({
    example: '2027-05-31',
    description: `A calendar date from ${DATE_BOUNDS.min} to ${DATE_BOUNDS.max}`,
  });
const Reason = plainText({ max: 1000, multiLine: true });
/** Any shipped process's stage; whether the review's own process has it is the domain's to say. */
const Stage = z.enum([...new Set(BUILT_IN_PROCESSES.flatMap(stageIds))] as [string, ...string[]]);
const ProcessId = z.enum(BUILT_IN_PROCESSES.map((p) => p.id) as [string, ...string[]]).meta({
  description: 'The review process (GET /processes); the deployment default (untoc) when absent',
});

export const CreateReviewBody = z
  .strictObject({
    stateUnderReview: StateCode,
    cluster: z.number().int().min(1).max(4),
    group: z.number().int().min(1).max(3).nullable().optional(),
    instruments: z.array(Instrument).min(1).max(4).meta({ uniqueItems: true }),
    reviewingStates: z.array(ReviewingState).min(2).max(20),
    language: Language,
    launchedAt: Date_,
    secretariatEmail: z.email().max(254).nullable().optional(),
    // Partial: an enum-keyed z.record would demand a focal point for every State there is.
    focalPoints: z.partialRecord(StateCode, FocalPoint).optional(),
    reference: Reference.optional().meta({
      description:
        'A human reference; by default SuR, cluster and launch year (GRC-C2-2026), suffixed -2 … when taken',
    }),
    process: ProcessId.optional(),
  })
  .meta({ id: 'CreateReview' });
export type CreateReviewBody = z.infer<typeof CreateReviewBody>;

/** One review brought in already in flight (DESIGN §4): a review as created, plus where it stands. */
export const ImportReviewRow = CreateReviewBody.extend({
  stage: Stage,
  stageEnteredAt: z.union([Date_, z.iso.datetime({ offset: true })]).meta({
    description: 'When it entered its stage: a date (start of that day, time zone of record) or an instant',
  }),
  deadline: Date_.nullable()
    .optional()
    .meta({ description: "Its current deadline; the stage's default rule when absent; null for none" }),
  submissions: z
    .array(
      z.strictObject({
        state: StateCode,
        receivedAt: z.iso.datetime({ offset: true }).optional(),
      }),
    )
    .max(20)
    .optional()
    .meta({ description: 'The responsible States that have already submitted in this stage' }),
}).meta({ id: 'ImportReview' });
export type ImportReviewRow = z.infer<typeof ImportReviewRow>;

/** At most this many rows per call. */
export const MAX_IMPORT_ROWS = 500;
export const ImportBody = z
  .strictObject({
    dryRun: z.boolean().optional().meta({ description: 'Check every row, write nothing' }),
    // Each row is checked on its own against ImportReview: one bad row does not refuse the rest.
    reviews: z
      .array(z.unknown().meta({ description: 'An ImportReview (components.schemas.ImportReview)' }))
      .min(1)
      .max(MAX_IMPORT_ROWS),
  })
  .meta({ id: 'Import' });
export const ImportQuery = z.strictObject({
  dryRun: z.enum(['true', 'false']).optional().meta({
    description: 'Check every row, write nothing (for a text/csv body; a JSON body may say so itself)',
  }),
});
export const ImportResultView = z.object({
  dryRun: z.boolean(),
  items: z.array(
    z.object({
      row: z.number().int().meta({ description: 'Counted from 1 (the first row after a CSV header)' }),
      status: z.enum(['created', 'exists', 'invalid', 'valid']).meta({
        description:
          'created; exists (a review holds its reference: re-importing is safe); invalid (see issues); valid (a dry run would create it)',
      }),
      reference: z.string().optional(),
      id: z.string().optional(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  ),
});

export const TransitionBody = z
  .strictObject({
    to: Stage,
    deadline: Date_.optional(),
    reason: Reason.optional(),
    expectedVersion: z.number().int().min(1).optional(),
  })
  .meta({ id: 'Transition' });
export const FocalPointBody = FocalPoint.meta({ id: 'FocalPoint' });
export const DeadlineBody = z
  .strictObject({ deadline: Date_, reason: Reason })
  .meta({ id: 'DeadlineChange' });
export const ReasonBody = z.strictObject({ reason: Reason }).meta({ id: 'Reason' });
export const SubmissionBody = z
  .strictObject({
    state: StateCode,
    receivedAt: z.iso
      .datetime({ offset: true })
      .optional()
      .meta({ description: 'When it arrived (an instant); now when absent; not in the future' }),
    note: plainText({ max: 1000, multiLine: true }).optional(),
  })
  .meta({ id: 'Submission' });
export const ExpertsBody = z
  .strictObject({ experts: z.array(FocalPoint).max(MAX_EXPERTS_PER_STATE) })
  .meta({ id: 'Experts' });

export const ReviewIdParams = z.object({ id: z.string() });
export const FocalPointParams = z.object({ id: z.string(), state: StateCode });
export const StateParams = FocalPointParams;

export const ListReviewsQuery = z.strictObject({
  stage: Stage.optional(),
  state: StateCode.optional(),
  overdue: z.enum(['true', 'false']).optional(),
  cluster: z.enum(['1', '2', '3', '4']).optional(),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'must be a whole number from 1 to 100')
    .transform(Number)
    .pipe(z.number().int().min(1).max(100))
    .optional(),
  cursor: z.string().max(2048).optional(),
});
export const NoQuery = z.strictObject({});
/** `GET /reports/timeliness`: filters and page, as `GET /reviews` takes them. */
export const TimelinessQuery = z.strictObject({
  cluster: ListReviewsQuery.shape.cluster,
  group: z.enum(['1', '2', '3']).optional(),
  process: ProcessId.optional().meta({ description: 'Only the reviews of this process' }),
  limit: ListReviewsQuery.shape.limit,
  cursor: ListReviewsQuery.shape.cursor,
});

const LedgerView = z.object({
  kind: z.enum(['pause', 'resume', 'extension']),
  at: z.string(),
  by: z.string(),
  reason: z.string(),
  oldDeadline: z.string().nullable(),
  newDeadline: z.string().nullable(),
  stage: z.string(),
});

const ExpertView = FocalPoint.extend({ id: z.string() });
const SubmissionView = z.object({
  state: z.string(),
  receivedAt: z.string(),
  note: z.string().optional(),
  by: z.string(),
});

export const ReviewView = z
  .object({
    id: z.string(),
    reference: z.string(),
    process: z.string(),
    stateUnderReview: z.string(),
    cluster: z.number(),
    group: z.number().nullable(),
    instruments: z.array(Instrument),
    reviewingStates: z.array(ReviewingState),
    language: Language,
    launchedAt: z.string(),
    secretariatEmail: z.string().nullable(),
    stage: z.string(),
    stageEpoch: z.number(),
    stageEnteredAt: z.string(),
    deadline: z.string().nullable().meta({ description: 'End of this day in the time zone of record' }),
    timeZone: z.string(),
    overdue: z.boolean(),
    daysOverdue: z.number(),
    paused: z.boolean(),
    pause: z.object({ since: z.string(), reason: z.string() }).nullable(),
    version: z.number(),
    focalPoints: z.record(z.string(), FocalPoint),
    experts: z.record(z.string(), z.array(ExpertView)),
    submissions: z.array(SubmissionView).meta({ description: "This stage entry's submissions" }),
    owing: z
      .array(z.string())
      .meta({ description: 'The responsible States that have not submitted in this stage' }),
    ledger: z.array(LedgerView),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Review' });
export type ReviewView = z.infer<typeof ReviewView>;

export const ReviewPageView = z.object({ items: z.array(ReviewView), nextCursor: z.string().nullable() });
export const HistoryView = z.object({
  items: z.array(
    z.object({
      type: z.string(),
      at: z.string(),
      by: z.string(),
      version: z.number(),
      stage: z.string(),
      fromStage: z.string().optional(),
      deadline: z.string().nullable(),
      oldDeadline: z.string().nullable().optional(),
      reason: z.string().optional(),
      state: z.string().optional(),
      receivedAt: z.string().optional(),
      experts: z.number().optional(),
      enteredAt: z.string().optional().meta({ description: 'imported: when the review entered its stage' }),
    }),
  ),
});
/**
 * One notification as `GET /reviews/{id}/notifications` answers it: the stored record of
 * {@link NotificationRecord}, every field documented. A field added to the record must be added
 * here too; the type checks below fail the build until it is.
 */
const DeliveryView = z.object({
  recipient: z.string().meta({
    description:
      "The participant's focal point (ISO 3166-1 alpha-3), one of its experts (GRC/expert/<expert id>), or SECRETARIAT",
  }),
  status: z
    .enum(['sent', 'skipped', 'escalated', 'failed', 'unknown'])
    .meta({ description: 'unknown: the send timed out after the request left; it may have been delivered' }),
  messageId: z.string().optional().meta({ description: 'SES message id when sent or escalated' }),
  reason: z.string().optional().meta({ description: 'Why it was skipped, escalated or failed' }),
  at: z.string().optional(),
});
export const NotificationView = z
  .object({
    id: z.string(),
    reviewId: z.string(),
    kind: z.enum([
      'stage_notice',
      'reminder',
      'overdue_notice',
      'escalation',
      'undeliverable',
      'all_submissions_received',
      'deadline_changed',
      'paused',
      'resumed',
    ]),
    stage: z.string(),
    stageEpoch: z.number(),
    deadline: z.string().nullable(),
    occurrence: z.number(),
    offsetDays: z.number().meta({ description: 'Days relative to the deadline (negative before it)' }),
    audience: z.enum(['participants', 'responsible', 'secretariat']),
    recipientState: z.string().optional(),
    dueAt: z.string(),
    status: z.enum(['pending', 'queued', 'sending', 'sent', 'skipped', 'failed', 'cancelled']),
    reason: z.string().optional(),
    queuedAt: z.string().optional(),
    sentAt: z.string().optional(),
    deliveries: z.array(DeliveryView),
    detail: z
      .object({
        state: z.string().optional(),
        cause: z.enum(['bounce', 'complaint']),
        addressHint: z.string().meta({ description: 'A masked hint, never the address' }),
      })
      .optional()
      .meta({ description: 'What an undeliverable notice is about' }),
  })
  .meta({ id: 'Notification' });
export type NotificationView = z.infer<typeof NotificationView>;
export const NotificationsView = z.object({ items: z.array(NotificationView) });

/**
 * `true` when every stored value is a valid view and the view names every stored field; else
 * what is wrong, shown in the build error {@link NotificationViewDocumentsRecord} then raises.
 */
type Documents<View, Stored> = [Stored] extends [View]
  ? [Exclude<keyof Stored, keyof View>] extends [never]
    ? true
    : { undocumented: Exclude<keyof Stored, keyof View> }
  : { doesNotFit: Stored };
type Expect<T extends true> = T;
/** Fails the build when a field or value is added to {@link NotificationRecord} but not to the view. */
export type NotificationViewDocumentsRecord = Expect<
  | Documents<NotificationView, NotificationRecord>
  | Documents<NotificationView['deliveries'][number], NotificationRecord['deliveries'][number]>
  | Documents<NonNullable<NotificationView['detail']>, NonNullable<NotificationRecord['detail']>>
>;

export const OverdueReportView = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      stateUnderReview: z.string(),
      cluster: z.number(),
      stage: z.string(),
      reference: z.string(),
      responsibleStates: z.array(z.string()),
      owing: z.array(z.string()).meta({ description: 'The responsible States that have not submitted' }),
      deadline: z.string(),
      daysOverdue: z.number(),
      escalations: z.number(),
    }),
  ),
});

/** `GET /reports/digest?for=<officer>`: one officer's digest (every officer's without it). */
export const DigestQuery = z.strictObject({
  for: z
    .email()
    .max(254)
    .optional()
    .meta({ description: "An officer's address (a review's secretariatEmail, or the deployment's)" }),
});

const DigestReviewRef = {
  reviewId: z.string(),
  reference: z.string(),
  link: z.string().meta({ description: 'The review in the API: /reviews/{id}' }),
  stage: z.string(),
  stageName: z.string(),
};
const LocalDate = z.string().meta({ description: 'A local date in the time zone of record (YYYY-MM-DD)' });

/** What the weekly Secretariat digest holds (DESIGN §2), section by section. */
export const DigestView = z
  .object({
    officer: z.string(),
    asOf: z.string().meta({ description: 'The instant the digest describes' }),
    today: LocalDate,
    week: z.string().meta({ description: 'ISO week of today (2027-W03): one digest per officer and week' }),
    timeZone: z.string(),
    openReviews: z.number().int(),
    nothingToReport: z.boolean().meta({ description: 'Every section empty: no mail goes out' }),
    overdue: z.array(
      z.object({
        ...DigestReviewRef,
        deadline: LocalDate,
        daysOverdue: z.number().int(),
        owing: z.array(z.string()),
      }),
    ),
    dueSoon: z.array(
      z.object({
        ...DigestReviewRef,
        deadline: LocalDate,
        daysLeft: z.number().int(),
        owing: z.array(z.string()),
      }),
    ),
    awaitingMove: z.array(
      z.object({
        ...DigestReviewRef,
        deadline: LocalDate.nullable(),
        submissions: z.number().int(),
        lastReceivedOn: LocalDate.nullable(),
        nextStages: z.array(z.object({ stage: z.string(), stageName: z.string() })),
      }),
    ),
    paused: z.array(
      z.object({ ...DigestReviewRef, since: LocalDate, days: z.number().int(), reason: z.string() }),
    ),
    undeliverable: z.array(
      z.object({
        ...DigestReviewRef,
        state: z.string(),
        role: z.enum(['focal_point', 'expert']),
        name: z.string(),
        address: z.string().meta({ description: 'Masked: e***@example.org' }),
      }),
    ),
    withoutFocalPoint: z.array(z.object({ ...DigestReviewRef, states: z.array(z.string()) })),
    inactive: z.array(z.object({ ...DigestReviewRef, lastActivityOn: LocalDate, days: z.number().int() })),
    subject: z.string().nullable().meta({ description: "The mail's subject; null when nothing is sent" }),
  })
  .meta({ id: 'Digest' });
export const DigestReportView = z.object({ items: z.array(DigestView) });

const TimelinessDate = z
  .string()
  .meta({ description: 'A local date in the time zone of record of the review (YYYY-MM-DD)' });
const TimelinessDayStats = z
  .object({
    median: z.number().nullable(),
    mean: z.number().nullable().meta({ description: 'To one decimal' }),
  })
  .meta({ description: 'Over the visits with a value; null when none has one' });
const TimelinessExtensions = z
  .object({
    count: z.number().int().meta({ description: 'Explicit deadline changes (extensions and shortenings)' }),
    days: z
      .number()
      .int()
      .meta({ description: 'Net days they moved the deadline (a shortening counts negative)' }),
  })
  .meta({ description: 'A resume moving the deadline by the paused time is not one: see pausedDays' });

/** One stage visit (one stage entry) of a review, measured; the terminal stage is none. */
const TimelinessVisitView = z
  .object({
    stage: z.string(),
    stageEpoch: z
      .number()
      .int()
      .meta({ description: 'The stage entry: 1 for the first stage, one more per transition' }),
    enteredAt: z.string(),
    enteredOn: TimelinessDate,
    leftAt: z.string().nullable().meta({ description: 'Null while this is the current stage' }),
    leftOn: TimelinessDate.nullable(),
    ongoing: z.boolean().meta({ description: 'The current stage: actualDays counts to today' }),
    paused: z.boolean().meta({ description: 'Paused now' }),
    plannedDeadline: TimelinessDate.nullable().meta({ description: 'The deadline set on entry' }),
    finalDeadline: TimelinessDate.nullable().meta({
      description: 'The deadline when the visit ended (or now), after extensions and resumes',
    }),
    plannedDays: z.number().int().nullable().meta({
      description:
        'plannedDeadline − enteredOn in days; negative when entered after a deadline counted from the launch',
    }),
    actualDays: z
      .number()
      .int()
      .meta({ description: '(leftOn, or today while ongoing) − enteredOn in days' }),
    extensions: TimelinessExtensions,
    pausedDays: z
      .number()
      .int()
      .meta({ description: 'Calendar days paused during the visit (to today for a running pause)' }),
    daysLate: z.number().int().nullable().meta({
      description:
        'max(0, actualDays − pausedDays − plannedDays): past the planned deadline, pauses not counted',
    }),
  })
  .meta({ id: 'TimelinessVisit' });

/** `GET /reports/timeliness` as JSON (DESIGN §2): a page of reviews with their visits, and the page per stage. */
export const TimelinessReportView = z
  .object({
    generatedAt: z.string().meta({ description: 'The instant ongoing visits are counted to' }),
    items: z.array(
      z.object({
        id: z.string(),
        reference: z.string(),
        process: z.string(),
        stateUnderReview: z.string(),
        cluster: z.number().int(),
        group: z.number().int().nullable(),
        stage: z.string().meta({ description: 'The current stage' }),
        paused: z.boolean(),
        timeZone: z
          .string()
          .meta({ description: "The review's time zone of record: every date and day count" }),
        completedOn: TimelinessDate.nullable().meta({
          description: 'When the review entered its terminal stage',
        }),
        visits: z.array(TimelinessVisitView).meta({ description: 'Oldest first' }),
      }),
    ),
    summary: z
      .array(
        z.object({
          process: z.string(),
          stage: z.string(),
          visits: z.number().int(),
          ongoing: z.number().int(),
          plannedDays: TimelinessDayStats,
          actualDays: TimelinessDayStats.meta({ description: 'Ongoing visits counted to today' }),
          daysLate: TimelinessDayStats,
          late: z.number().int().meta({ description: 'Visits with daysLate above 0' }),
          extensions: TimelinessExtensions,
          pausedDays: z.number().int(),
        }),
      )
      .meta({ description: "Per process and stage (in the process's order), over the visits of this page" }),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'TimelinessReport' });

const IssueView = z
  .object({ path: z.string(), message: z.string() })
  .meta({ id: 'Issue', description: 'Where an input is wrong (dotted path: body.x.0.y, query.x, path.x)' });

/**
 * The contract's error body (DESIGN §4). The OpenAPI document narrows `error` to the codes each
 * route can answer with each status; the optional fields are those some codes carry.
 */
/** The process definitions a deployment ships: the data every review's rules come from (DESIGN §9). */
export const ProcessesView = z.object({
  items: z.array(ProcessDefinition.meta({ id: 'Process' })),
});

export const ErrorView = z.object({
  error: z.string(),
  message: z.string(),
  issues: z.array(IssueView).optional().meta({ description: 'With 400 VALIDATION_FAILED' }),
  currentVersion: z.number().optional().meta({ description: 'With 409 VERSION_CONFLICT' }),
  from: z.string().optional().meta({ description: 'With 409 ILLEGAL_TRANSITION: the current stage' }),
  to: z.string().optional().meta({ description: 'With 409 ILLEGAL_TRANSITION: the stage asked for' }),
  allowed: z
    .array(z.string())
    .optional()
    .meta({ description: 'With 409 ILLEGAL_TRANSITION: the stages it may move to' }),
  state: z.string().optional().meta({ description: 'With 409 NOT_RESPONSIBLE: the State' }),
  stage: z.string().optional().meta({ description: 'With 409 NOT_RESPONSIBLE: the current stage' }),
  responsible: z
    .array(z.string())
    .optional()
    .meta({ description: 'With 409 NOT_RESPONSIBLE: the States that owe a submission in it' }),
  reference: z.string().optional().meta({ description: 'With 409 REFERENCE_TAKEN' }),
});

/**
 * API Gateway's own answer in AWS when it refuses a request before the function runs or when
 * the function fails (401 bad token, 413 over 10 MB, 429 throttled, 500, 503 timed out):
 * `{ message }` only. Local mode answers these with {@link ErrorView} instead.
 */
export const GatewayErrorView = z.strictObject({ message: z.string() }).meta({ id: 'GatewayError' });
