import { isCalendarDate } from '#shared/domain/calendar.ts';
import { ProcessDefinition, stageIds } from '#shared/domain/process-definition.ts';
import { BUILT_IN_PROCESSES } from '#shared/domain/processes/index.ts';
import {
  DATE_BOUNDS,
  FocalPoint,
  Instrument,
  Language,
  MAX_EXPERTS_PER_STATE,
  MAX_REASON_LENGTH,
  plainText,
  Reference,
  ReviewingState,
  StateCode,
  WITHIN_DATE_BOUNDS,
} from '#shared/domain/review.ts';
import * as z from '#shared/domain/zod.ts';
import type { NotificationRecord } from '#shared/ports/notification-store.ts';

/**
 * The API's request and response schemas (DESIGN §4). Handlers parse with them and the
 * OpenAPI document is generated from them, so the contract and the checks cannot drift.
 */

/** A date given in a request: a real calendar date within the bounds, which the document states as a pattern. */
const Date_ = z.withMeta(
  z.iso
    .date()
    .check(
      z.regex(WITHIN_DATE_BOUNDS, `must lie in ${DATE_BOUNDS.min} … ${DATE_BOUNDS.max}`),
      z.refine(isCalendarDate, 'must be a real calendar date'),
    ),
  {
    example: '2027-05-31',
    description: `A calendar date from ${DATE_BOUNDS.min} to ${DATE_BOUNDS.max}`,
  },
);
const Reason = plainText({ max: MAX_REASON_LENGTH, multiLine: true });
/** Any shipped process's stage; whether the review's own process has it is the domain's to say. */
const Stage = z.enum([...new Set(BUILT_IN_PROCESSES.flatMap(stageIds))] as [string, ...string[]]);
const ProcessId = z.withMeta(z.enum(BUILT_IN_PROCESSES.map((p) => p.id) as [string, ...string[]]), {
  description: 'The review process (GET /processes); the deployment default (untoc) when absent',
});
/** A whole number, built as classic zod's `z.number().int()` was: the same checks and JSON Schema. */
const int = () => z.number().check(z.int());
/** A copy of `schema` that the OpenAPI document describes. */
const described = <T extends z.ZodMiniType>(schema: T, description: string) =>
  z.withMeta(schema, { description });

export const CreateReviewBody = z.withMeta(
  z.strictObject({
    stateUnderReview: StateCode,
    cluster: int().check(z.minimum(1), z.maximum(4)),
    group: z.optional(z.nullable(int().check(z.minimum(1), z.maximum(3)))),
    instruments: z.withMeta(z.array(Instrument).check(z.minLength(1), z.maxLength(4)), { uniqueItems: true }),
    reviewingStates: z.array(ReviewingState).check(z.minLength(2), z.maxLength(20)),
    language: Language,
    launchedAt: Date_,
    secretariatEmail: z.optional(z.nullable(z.email().check(z.maxLength(254)))),
    // Partial: an enum-keyed z.record would demand a focal point for every State there is.
    focalPoints: z.optional(z.partialRecord(StateCode, FocalPoint)),
    reference: described(
      z.optional(Reference),
      'A human reference; by default SuR, cluster and launch year (GRC-C2-2026), suffixed -2 … when taken',
    ),
    process: z.optional(ProcessId),
  }),
  { id: 'CreateReview' },
);
export type CreateReviewBody = z.infer<typeof CreateReviewBody>;

/** One review brought in already in flight (DESIGN §4): a review as created, plus where it stands. */
export const ImportReviewRow = z.withMeta(
  z.extend(CreateReviewBody, {
    stage: Stage,
    stageEnteredAt: described(
      z.union([Date_, z.iso.datetime({ offset: true })]),
      'When it entered its stage: a date (start of that day, time zone of record) or an instant',
    ),
    deadline: described(
      z.optional(z.nullable(Date_)),
      "Its current deadline; the stage's default rule when absent; null for none",
    ),
    submissions: described(
      z.optional(
        z
          .array(
            z.strictObject({
              state: StateCode,
              receivedAt: z.optional(z.iso.datetime({ offset: true })),
            }),
          )
          .check(z.maxLength(20)),
      ),
      'The responsible States that have already submitted in this stage',
    ),
  }),
  { id: 'ImportReview' },
);
export type ImportReviewRow = z.infer<typeof ImportReviewRow>;

/** At most this many rows per call. */
export const MAX_IMPORT_ROWS = 500;
export const ImportBody = z.withMeta(
  z.strictObject({
    dryRun: described(z.optional(z.boolean()), 'Check every row, write nothing'),
    // Each row is checked on its own against ImportReview: one bad row does not refuse the rest.
    reviews: z
      .array(described(z.unknown(), 'An ImportReview (components.schemas.ImportReview)'))
      .check(z.minLength(1), z.maxLength(MAX_IMPORT_ROWS)),
  }),
  { id: 'Import' },
);
export const ImportQuery = z.strictObject({
  dryRun: described(
    z.optional(z.enum(['true', 'false'])),
    'Check every row, write nothing (for a text/csv body; a JSON body may say so itself)',
  ),
});
export const ImportResultView = z.object({
  dryRun: z.boolean(),
  items: z.array(
    z.object({
      row: described(int(), 'Counted from 1 (the first row after a CSV header)'),
      status: described(
        z.enum(['created', 'exists', 'invalid', 'valid']),
        'created; exists (a review holds its reference: re-importing is safe); invalid (see issues); valid (a dry run would create it)',
      ),
      reference: z.optional(z.string()),
      id: z.optional(z.string()),
      issues: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
    }),
  ),
});

const EXPECTED_VERSION_DESCRIPTION =
  'The version of the review the change was decided on (its ETag, unquoted); 409 VERSION_CONFLICT when the review is at another by now. Without it the change applies to the review as it is';
/** The client's opt-in guard on a change (DESIGN §4 "Concurrency and failure"). */
const ExpectedVersion = described(z.optional(int().check(z.minimum(1))), EXPECTED_VERSION_DESCRIPTION);

export const TransitionBody = z.withMeta(
  z.strictObject({
    to: Stage,
    deadline: z.optional(Date_),
    reason: z.optional(Reason),
    expectedVersion: ExpectedVersion,
  }),
  { id: 'Transition' },
);
/** A focal point as stored, plus the guard, which the route takes off before it is stored. */
export const FocalPointBody = z.withMeta(z.extend(FocalPoint, { expectedVersion: ExpectedVersion }), {
  id: 'FocalPoint',
});
export const DeadlineBody = z.withMeta(
  z.strictObject({ deadline: Date_, reason: Reason, expectedVersion: ExpectedVersion }),
  { id: 'DeadlineChange' },
);
export const ReasonBody = z.withMeta(z.strictObject({ reason: Reason, expectedVersion: ExpectedVersion }), {
  id: 'Reason',
});
export const SubmissionBody = z.withMeta(
  z.strictObject({
    state: StateCode,
    receivedAt: described(
      z.optional(z.iso.datetime({ offset: true })),
      'When it arrived (an instant); now when absent; not in the future',
    ),
    note: z.optional(plainText({ max: 1000, multiLine: true })),
    expectedVersion: ExpectedVersion,
  }),
  { id: 'Submission' },
);
export const ExpertsBody = z.withMeta(
  z.strictObject({
    experts: z.array(FocalPoint).check(z.maxLength(MAX_EXPERTS_PER_STATE)),
    expectedVersion: ExpectedVersion,
  }),
  { id: 'Experts' },
);

export const ReviewIdParams = z.object({ id: z.string() });
export const FocalPointParams = z.object({ id: z.string(), state: StateCode });
export const StateParams = FocalPointParams;

export const ListReviewsQuery = z.strictObject({
  stage: z.optional(Stage),
  state: z.optional(StateCode),
  overdue: z.optional(z.enum(['true', 'false'])),
  cluster: z.optional(z.enum(['1', '2', '3', '4'])),
  limit: z.optional(
    z.pipe(
      z.pipe(
        z.string().check(z.regex(/^\d{1,3}$/, 'must be a whole number from 1 to 100')),
        z.transform(Number),
      ),
      int().check(z.minimum(1), z.maximum(100)),
    ),
  ),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});
export const NoQuery = z.strictObject({});
/** `DELETE /reviews/{id}/submissions/{state}` has no body: its guard comes as a query parameter. */
export const WithdrawSubmissionQuery = z.strictObject({
  expectedVersion: described(
    z.optional(
      z.pipe(
        // Up to 15 digits: every such number is exact as a JavaScript number.
        z.pipe(z.string().check(z.regex(/^\d{1,15}$/, 'must be a whole number from 1')), z.transform(Number)),
        int().check(z.minimum(1)),
      ),
    ),
    EXPECTED_VERSION_DESCRIPTION,
  ),
});
/** `GET /reports/overdue`: a page, as `GET /reviews` takes it. */
export const OverdueQuery = z.strictObject({
  limit: ListReviewsQuery.shape.limit,
  cursor: ListReviewsQuery.shape.cursor,
});
/** `GET /reports/timeliness`: filters and page, as `GET /reviews` takes them. */
export const TimelinessQuery = z.strictObject({
  cluster: ListReviewsQuery.shape.cluster,
  group: z.optional(z.enum(['1', '2', '3'])),
  process: described(z.optional(ProcessId), 'Only the reviews of this process'),
  limit: ListReviewsQuery.shape.limit,
  cursor: ListReviewsQuery.shape.cursor,
});

const LedgerView = z.object({
  kind: z.enum(['pause', 'resume', 'extension']),
  at: z.string(),
  by: z.string(),
  reason: z.string(),
  oldDeadline: z.nullable(z.string()),
  newDeadline: z.nullable(z.string()),
  stage: z.string(),
});

const ExpertView = z.extend(FocalPoint, { id: z.string() });
const SubmissionView = z.object({
  state: z.string(),
  receivedAt: z.string(),
  note: z.optional(z.string()),
  by: z.string(),
});

export const ReviewView = z.withMeta(
  z.object({
    id: z.string(),
    reference: z.string(),
    process: z.string(),
    stateUnderReview: z.string(),
    cluster: z.number(),
    group: z.nullable(z.number()),
    instruments: z.array(Instrument),
    reviewingStates: z.array(ReviewingState),
    language: Language,
    launchedAt: z.string(),
    secretariatEmail: z.nullable(z.string()),
    stage: z.string(),
    stageEpoch: z.number(),
    stageEnteredAt: z.string(),
    deadline: described(z.nullable(z.string()), 'End of this day in the time zone of record'),
    timeZone: z.string(),
    overdue: z.boolean(),
    daysOverdue: z.number(),
    paused: z.boolean(),
    pause: z.nullable(z.object({ since: z.string(), reason: z.string() })),
    version: z.number(),
    focalPoints: z.record(z.string(), FocalPoint),
    experts: z.record(z.string(), z.array(ExpertView)),
    submissions: described(z.array(SubmissionView), "This stage entry's submissions"),
    owing: described(z.array(z.string()), 'The responsible States that have not submitted in this stage'),
    ledger: z.array(LedgerView),
    acknowledgements: described(
      z.array(z.object({ state: z.string(), who: z.string(), at: z.string() })),
      "This stage entry's acknowledgements from focal points' pages; who is focal_point or expert/<expert id>",
    ),
    reports: described(
      z.array(z.object({ state: z.string(), at: z.string(), holdUntil: z.string() })),
      'Submissions a focal point reported as sent, not yet recorded or rejected; reminders to the State hold until holdUntil (a date)',
    ),
    openExtensionRequests: described(
      int(),
      'Extension requests waiting for a decision (GET …/extension-requests)',
    ),
    createdAt: z.string(),
    updatedAt: z.string(),
  }),
  { id: 'Review' },
);
export type ReviewView = z.infer<typeof ReviewView>;

export const ReviewPageView = z.object({ items: z.array(ReviewView), nextCursor: z.nullable(z.string()) });
export const HistoryView = z.object({
  items: z.array(
    z.object({
      type: z.string(),
      at: z.string(),
      by: z.string(),
      version: z.number(),
      stage: z.string(),
      fromStage: z.optional(z.string()),
      deadline: z.nullable(z.string()),
      oldDeadline: z.optional(z.nullable(z.string())),
      reason: z.optional(z.string()),
      state: z.optional(z.string()),
      receivedAt: z.optional(z.string()),
      experts: z.optional(z.number()),
      enteredAt: described(z.optional(z.string()), 'imported: when the review entered its stage'),
      who: described(z.optional(z.string()), 'acknowledged: focal_point or expert/<expert id>'),
      requestId: described(z.optional(z.string()), 'extension_requested, extension_decided: the request'),
      requestedDeadline: z.optional(z.string()),
      decision: z.optional(z.enum(['approved', 'declined'])),
    }),
  ),
});

/** An extension request as `GET /reviews/{id}/extension-requests` lists it. */
export const ExtensionRequestView = z.withMeta(
  z.object({
    id: z.string(),
    stage: z.string(),
    stageEpoch: z.number(),
    state: described(z.string(), 'The State whose focal point asked'),
    requestedDeadline: z.string(),
    reason: z.string(),
    requestedAt: z.string(),
    deadlineAtRequest: z.nullable(z.string()),
    status: described(
      z.enum(['open', 'approved', 'declined', 'lapsed']),
      'lapsed: the stage moved on before a decision',
    ),
    decision: z.nullable(
      z.object({ at: z.string(), by: z.string(), reason: z.string(), newDeadline: z.nullable(z.string()) }),
    ),
  }),
  { id: 'ExtensionRequest' },
);
export type ExtensionRequestView = z.infer<typeof ExtensionRequestView>;
export const ExtensionRequestsView = z.object({ items: z.array(ExtensionRequestView) });
export const ExtensionRequestParams = z.object({ id: z.string(), rid: z.string() });
export const ExtensionDecisionBody = z.withMeta(
  z.strictObject({
    decision: z.enum(['approve', 'decline']),
    reason: Reason,
    deadline: described(z.optional(Date_), 'approve only: the new deadline, when not the one asked for'),
    expectedVersion: ExpectedVersion,
  }),
  { id: 'ExtensionDecision' },
);

/** The personal page's path: any string is taken, and a token that is not ours gets the 403 page. */
export const RespondParams = z.object({ token: z.string() });
/** What the page's forms send (HTML form or JSON): every field a string; the use case checks them. */
export const RespondBody = z.withMeta(z.record(z.string(), z.string().check(z.maxLength(4000))), {
  id: 'RespondForm',
  description: 'action (acknowledge, report, extension), csrf, and for extension deadline and reason',
});
/**
 * One notification as `GET /reviews/{id}/notifications` answers it: the stored record of
 * {@link NotificationRecord}, every field documented. A field added to the record must be added
 * here too; the type checks below fail the build until it is.
 */
const DeliveryView = z.object({
  recipient: described(
    z.string(),
    "The participant's focal point (ISO 3166-1 alpha-3), one of its experts (GRC/expert/<expert id>), or SECRETARIAT",
  ),
  status: described(
    z.enum(['sent', 'skipped', 'escalated', 'failed', 'unknown']),
    'unknown: the send timed out after the request left; it may have been delivered',
  ),
  messageId: described(z.optional(z.string()), 'SES message id when sent or escalated'),
  reason: described(z.optional(z.string()), 'Why it was skipped, escalated or failed'),
  at: z.optional(z.string()),
});
export const NotificationView = z.withMeta(
  z.object({
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
      'extension_decision',
    ]),
    stage: z.string(),
    stageEpoch: z.number(),
    deadline: z.nullable(z.string()),
    occurrence: z.number(),
    offsetDays: described(z.number(), 'Days relative to the deadline (negative before it)'),
    audience: z.enum(['participants', 'responsible', 'secretariat']),
    recipientState: z.optional(z.string()),
    dueAt: z.string(),
    status: z.enum(['pending', 'queued', 'sending', 'sent', 'skipped', 'failed', 'cancelled']),
    reason: z.optional(z.string()),
    queuedAt: z.optional(z.string()),
    sentAt: z.optional(z.string()),
    deliveries: z.array(DeliveryView),
    detail: described(
      z.optional(
        z.object({
          state: z.optional(z.string()),
          cause: z.enum(['bounce', 'complaint']),
          addressHint: described(z.string(), 'A masked hint, never the address'),
        }),
      ),
      'What an undeliverable notice is about',
    ),
  }),
  { id: 'Notification' },
);
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
      owing: described(z.array(z.string()), 'The responsible States that have not submitted'),
      deadline: z.string(),
      daysOverdue: z.number(),
      escalations: described(z.number(), 'Escalations sent for the current stage'),
    }),
  ),
  nextCursor: described(z.nullable(z.string()), 'The next page, or null on the last'),
});

/** `GET /reports/digest?for=<officer>`: one officer's digest (every officer's without it). */
export const DigestQuery = z.strictObject({
  for: described(
    z.optional(z.email().check(z.maxLength(254))),
    "An officer's address (a review's secretariatEmail, or the deployment's)",
  ),
});

const DigestReviewRef = {
  reviewId: z.string(),
  reference: z.string(),
  link: described(z.string(), 'The review in the API: /reviews/{id}'),
  stage: z.string(),
  stageName: z.string(),
};
const LocalDate = described(z.string(), 'A local date in the time zone of record (YYYY-MM-DD)');

/** What the weekly Secretariat digest holds (DESIGN §2), section by section. */
export const DigestView = z.withMeta(
  z.object({
    officer: z.string(),
    asOf: described(z.string(), 'The instant the digest describes'),
    today: LocalDate,
    week: described(z.string(), 'ISO week of today (2027-W03): one digest per officer and week'),
    timeZone: z.string(),
    openReviews: int(),
    nothingToReport: described(z.boolean(), 'Every section empty: no mail goes out'),
    overdue: z.array(
      z.object({
        ...DigestReviewRef,
        deadline: LocalDate,
        daysOverdue: int(),
        owing: z.array(z.string()),
      }),
    ),
    dueSoon: z.array(
      z.object({
        ...DigestReviewRef,
        deadline: LocalDate,
        daysLeft: int(),
        owing: z.array(z.string()),
      }),
    ),
    awaitingMove: z.array(
      z.object({
        ...DigestReviewRef,
        deadline: z.nullable(LocalDate),
        submissions: int(),
        lastReceivedOn: z.nullable(LocalDate),
        nextStages: z.array(z.object({ stage: z.string(), stageName: z.string() })),
      }),
    ),
    paused: z.array(z.object({ ...DigestReviewRef, since: LocalDate, days: int(), reason: z.string() })),
    undeliverable: z.array(
      z.object({
        ...DigestReviewRef,
        state: z.string(),
        role: z.enum(['focal_point', 'expert']),
        name: z.string(),
        address: described(z.string(), 'Masked: e***@example.org'),
      }),
    ),
    withoutFocalPoint: z.array(z.object({ ...DigestReviewRef, states: z.array(z.string()) })),
    inactive: z.array(z.object({ ...DigestReviewRef, lastActivityOn: LocalDate, days: int() })),
    subject: described(z.nullable(z.string()), "The mail's subject; null when nothing is sent"),
  }),
  { id: 'Digest' },
);
export const DigestReportView = z.object({ items: z.array(DigestView) });

const TimelinessDate = described(
  z.string(),
  'A local date in the time zone of record of the review (YYYY-MM-DD)',
);
const TimelinessDayStats = described(
  z.object({
    median: z.nullable(z.number()),
    mean: described(z.nullable(z.number()), 'To one decimal'),
  }),
  'Over the visits with a value; null when none has one',
);
const TimelinessExtensions = described(
  z.object({
    count: described(int(), 'Explicit deadline changes (extensions and shortenings)'),
    days: described(int(), 'Net days they moved the deadline (a shortening counts negative)'),
  }),
  'A resume moving the deadline by the paused time is not one: see pausedDays',
);

/** One stage visit (one stage entry) of a review, measured; the terminal stage is none. */
const TimelinessVisitView = z.withMeta(
  z.object({
    stage: z.string(),
    stageEpoch: described(int(), 'The stage entry: 1 for the first stage, one more per transition'),
    enteredAt: z.string(),
    enteredOn: TimelinessDate,
    leftAt: described(z.nullable(z.string()), 'Null while this is the current stage'),
    leftOn: z.nullable(TimelinessDate),
    ongoing: described(z.boolean(), 'The current stage: actualDays counts to today'),
    paused: described(z.boolean(), 'Paused now'),
    plannedDeadline: described(z.nullable(TimelinessDate), 'The deadline set on entry'),
    finalDeadline: described(
      z.nullable(TimelinessDate),
      'The deadline when the visit ended (or now), after extensions and resumes',
    ),
    plannedDays: described(
      z.nullable(int()),
      'plannedDeadline − enteredOn in days; negative when entered after a deadline counted from the launch',
    ),
    actualDays: described(int(), '(leftOn, or today while ongoing) − enteredOn in days'),
    extensions: TimelinessExtensions,
    pausedDays: described(int(), 'Calendar days paused during the visit (to today for a running pause)'),
    daysLate: described(
      z.nullable(int()),
      'max(0, actualDays − pausedDays − plannedDays): past the planned deadline, pauses not counted',
    ),
  }),
  { id: 'TimelinessVisit' },
);

/** `GET /reports/timeliness` as JSON (DESIGN §2): a page of reviews with their visits, and the page per stage. */
export const TimelinessReportView = z.withMeta(
  z.object({
    generatedAt: described(z.string(), 'The instant ongoing visits are counted to'),
    items: z.array(
      z.object({
        id: z.string(),
        reference: z.string(),
        process: z.string(),
        stateUnderReview: z.string(),
        cluster: int(),
        group: z.nullable(int()),
        stage: described(z.string(), 'The current stage'),
        paused: z.boolean(),
        timeZone: described(z.string(), "The review's time zone of record: every date and day count"),
        completedOn: described(z.nullable(TimelinessDate), 'When the review entered its terminal stage'),
        visits: described(z.array(TimelinessVisitView), 'Oldest first'),
      }),
    ),
    summary: described(
      z.array(
        z.object({
          process: z.string(),
          stage: z.string(),
          visits: int(),
          ongoing: int(),
          plannedDays: TimelinessDayStats,
          actualDays: described(TimelinessDayStats, 'Ongoing visits counted to today'),
          daysLate: TimelinessDayStats,
          late: described(int(), 'Visits with daysLate above 0'),
          extensions: TimelinessExtensions,
          pausedDays: int(),
        }),
      ),
      "Per process and stage (in the process's order), over the visits of this page",
    ),
    nextCursor: z.nullable(z.string()),
  }),
  { id: 'TimelinessReport' },
);

const IssueView = z.withMeta(z.object({ path: z.string(), message: z.string() }), {
  id: 'Issue',
  description: 'Where an input is wrong (dotted path: body.x.0.y, query.x, path.x)',
});

/**
 * The contract's error body (DESIGN §4). The OpenAPI document narrows `error` to the codes each
 * route can answer with each status; the optional fields are those some codes carry.
 */
/** The process definitions a deployment ships: the data every review's rules come from (DESIGN §9). */
export const ProcessesView = z.object({
  items: z.array(z.withMeta(ProcessDefinition, { id: 'Process' })),
});

export const ErrorView = z.object({
  error: z.string(),
  message: z.string(),
  issues: described(z.optional(z.array(IssueView)), 'With 400 VALIDATION_FAILED'),
  currentVersion: described(z.optional(z.number()), 'With 409 VERSION_CONFLICT'),
  from: described(z.optional(z.string()), 'With 409 ILLEGAL_TRANSITION: the current stage'),
  to: described(z.optional(z.string()), 'With 409 ILLEGAL_TRANSITION: the stage asked for'),
  allowed: described(
    z.optional(z.array(z.string())),
    'With 409 ILLEGAL_TRANSITION: the stages it may move to',
  ),
  state: described(z.optional(z.string()), 'With 409 NOT_RESPONSIBLE: the State'),
  stage: described(z.optional(z.string()), 'With 409 NOT_RESPONSIBLE: the current stage'),
  responsible: described(
    z.optional(z.array(z.string())),
    'With 409 NOT_RESPONSIBLE: the States that owe a submission in it',
  ),
  reference: described(z.optional(z.string()), 'With 409 REFERENCE_TAKEN'),
  status: described(
    z.optional(z.enum(['approved', 'declined', 'lapsed'])),
    'With 409 EXTENSION_REQUEST_CLOSED: what became of the request',
  ),
});

/**
 * API Gateway's own answer in AWS when it refuses a request before the function runs or when
 * the function fails (401 bad token, 413 over 10 MB, 429 throttled, 500, 503 timed out):
 * `{ message }` only. Local mode answers these with {@link ErrorView} instead.
 */
export const GatewayErrorView = z.withMeta(z.strictObject({ message: z.string() }), { id: 'GatewayError' });
