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
