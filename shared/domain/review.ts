import {
  addDays,
  addDuration,
  atLocalTime,
  type CalendarDate,
  compareInstants,
  daysOverdue,
  deadlineInstant,
  elapsedDaysRoundedUp,
  type Instant,
  isCalendarDate,
  isInstant,
  localDate,
  utcInstant,
} from './calendar.ts';
import { ISO_3166_ALPHA3 } from './countries.ts';
import {
  ExtensionRequestClosedError,
  ExtensionRequestNotFoundError,
  IllegalTransitionError,
  type InputIssue,
  InvalidInputError,
  NotResponsibleError,
  ReviewCompletedError,
  ReviewNotPausedError,
  ReviewPausedError,
  VersionConflictError,
} from './errors.ts';
import {
  findStage,
  InstrumentCode,
  isAllowedTransition,
  type ProcessDefinition,
  type Stage,
} from './process-definition.ts';
import * as z from './zod.ts';

/** The review model and its rules: creation, transitions, pause, resume and deadline changes. */

/** The first and last date the system accepts or computes (DESIGN §4 "Input bounds"). */
export const DATE_BOUNDS = { min: '2000-01-01', max: '2100-12-31' } as const;
/**
 * A four-digit year from 2000 to 2100: for a real calendar date exactly {@link DATE_BOUNDS}. A regex
 * rather than a comparison so the OpenAPI document can say it too (as a `pattern`), and so the
 * six-digit years Temporal writes past 9999 (`+010000-01-14`) fall outside.
 */
export const WITHIN_DATE_BOUNDS = /^(?:20\d\d|2100)-\d\d-\d\d$/;
const DATE_BOUNDS_MESSAGE = `must lie in ${DATE_BOUNDS.min} … ${DATE_BOUNDS.max}`;

/** True when `date` lies in {@link DATE_BOUNDS}. */
export function isWithinDateBounds(date: CalendarDate): boolean {
  return WITHIN_DATE_BOUNDS.test(date);
}

export const IsoDate = z
  .string()
  .check(
    z.refine(isCalendarDate, 'must be a calendar date YYYY-MM-DD'),
    z.refine(isWithinDateBounds, DATE_BOUNDS_MESSAGE),
  );
export const IsoInstant = z.string().check(z.refine(isInstant, 'must be an ISO 8601 instant'));
/** An existing, officially assigned ISO 3166-1 alpha-3 code; an enum, so the OpenAPI document lists them. */
export const StateCode = z.withMeta(
  z.enum([...ISO_3166_ALPHA3] as [string, ...string[]], {
    error: 'must be an existing ISO 3166-1 alpha-3 code, in upper case',
  }),
  { id: 'StateCode' },
);

/**
 * C0 controls (NUL included), DEL, C1 controls, and the bidi embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069) that make a name render as something else in a mail or a log.
 * Written as `\u` escapes in a string so the pattern reads the same in the OpenAPI document.
 */
const CONTROL_OR_BIDI = '\\u0000-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069';
/** The same without tab, line feed and carriage return, which a multi-line reason may hold. */
const CONTROL_OR_BIDI_EXCEPT_LINE_BREAKS =
  '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069';
const SINGLE_LINE = new RegExp(`^[^${CONTROL_OR_BIDI}]*$`);
const MULTI_LINE = new RegExp(`^[^${CONTROL_OR_BIDI_EXCEPT_LINE_BREAKS}]*$`);

/**
 * Free text a person typed (a name, a reason): trimmed, not blank, without control or bidi
 * characters; `multiLine` lets tabs and line breaks through. Blank is a `\S` regex after the trim
 * rather than `min(1)`, so the generated JSON Schema refuses a whitespace-only value too.
 */
export function plainText(options: { max: number; multiLine?: boolean }) {
  return z
    .string()
    .check(
      z.trim(),
      z.maxLength(options.max),
      z.regex(/\S/, 'must not be blank'),
      z.regex(
        options.multiLine ? MULTI_LINE : SINGLE_LINE,
        options.multiLine
          ? 'must not contain control characters (other than tab and line breaks) or bidi overrides'
          : 'must not contain control characters or bidi overrides',
      ),
    );
}
/** An instrument's code; which ones a review may cover is its process's to say. */
export const Instrument = InstrumentCode;
export type Instrument = z.infer<typeof Instrument>;
export const Language = z.enum(['ar', 'en', 'es', 'fr', 'ru', 'zh']);
export type Language = z.infer<typeof Language>;

export const FocalPoint = z.object({
  name: plainText({ max: 200 }),
  email: z.email().check(z.maxLength(254)),
  language: Language,
});
export type FocalPoint = z.infer<typeof FocalPoint>;

/** At most this many governmental experts per participant (DESIGN §2). */
export const MAX_EXPERTS_PER_STATE = 20;

/**
 * A governmental expert: a person like a focal point, with an id of ours that stays while the
 * same address stays registered, so a delivery names the expert without deriving anything
 * from the address.
 */
export const Expert = z.extend(FocalPoint, { id: z.string() });
export type Expert = z.infer<typeof Expert>;

/** A responsible State's submission for the current stage epoch. */
export const Submission = z.object({
  state: z.string(),
  receivedAt: IsoInstant,
  note: z.optional(z.string()),
  by: z.string(),
});
export type Submission = z.infer<typeof Submission>;

/**
 * The review's human reference (DESIGN §2): SuR, cluster and launch year, `GRC-C2-2026`; the
 * `n`th candidate (n ≥ 2) carries the suffix `-n` for when the plain one is taken.
 */
export function referenceCandidate(
  input: Pick<NewReview, 'stateUnderReview' | 'cluster' | 'launchedAt'>,
  n = 1,
): string {
  const base = `${input.stateUnderReview}-C${input.cluster}-${input.launchedAt.slice(0, 4)}`;
  return n <= 1 ? base : `${base}-${n}`;
}

/** A reference the Secretariat gives: letters, digits and `-./_`, up to 40 characters. */
export const Reference = z
  .string()
  .check(
    z.trim(),
    z.regex(
      /^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$/,
      'must be 1–40 letters, digits or - . / _, starting with a letter or digit',
    ),
  );

export const ReviewingState = z.object({
  state: StateCode,
  /** Each instrument once (checked with its position by {@link checkNewReview}). */
  instruments: z.withMeta(z.array(Instrument).check(z.minLength(1)), { uniqueItems: true }),
});
export type ReviewingState = z.infer<typeof ReviewingState>;

/** Who did something and when. */
export interface Actor {
  /** The caller's subject (JWT `sub`), never an address. */
  id: string;
}

export const LedgerEntry = z.object({
  kind: z.enum(['pause', 'resume', 'extension']),
  at: IsoInstant,
  by: z.string(),
  reason: z.string(),
  oldDeadline: z.nullable(IsoDate),
  newDeadline: z.nullable(IsoDate),
  stage: z.string(),
});
export type LedgerEntry = z.infer<typeof LedgerEntry>;

/**
 * One person's acknowledgement of the current stage from their personal page (DESIGN §10):
 * `who` is `focal_point` or `expert/<id>`, never a name or an address.
 */
export const Acknowledgement = z.object({
  state: z.string(),
  who: z.string(),
  at: IsoInstant,
});
export type Acknowledgement = z.infer<typeof Acknowledgement>;

/**
 * A submission a focal point reported as sent (DESIGN §10): not received until the Secretariat
 * records it; reminders to that State hold for {@link REPORT_HOLD_DAYS} days meanwhile.
 */
export const SubmissionReport = z.object({
  state: z.string(),
  at: IsoInstant,
});
export type SubmissionReport = z.infer<typeof SubmissionReport>;

/** How long a reported submission holds the reminders to its State. */
export const REPORT_HOLD_DAYS = 14;
/** The longest reason a change or a focal point's request may give. */
export const MAX_REASON_LENGTH = 1000;

/** A focal point's request for a later deadline, and the Secretariat's decision on it. */
export const ExtensionRequest = z.object({
  id: z.string(),
  stage: z.string(),
  stageEpoch: z.number().check(z.int(), z.minimum(1)),
  state: z.string(),
  requestedDeadline: IsoDate,
  reason: z.string(),
  requestedAt: IsoInstant,
  /** The deadline when it was asked. */
  deadlineAtRequest: z.nullable(IsoDate),
  /** `lapsed`: the stage moved on before the Secretariat decided. */
  status: z.enum(['open', 'approved', 'declined', 'lapsed']),
  decision: z.optional(
    z.object({ at: IsoInstant, by: z.string(), reason: z.string(), newDeadline: z.nullable(IsoDate) }),
  ),
});
export type ExtensionRequest = z.infer<typeof ExtensionRequest>;

export const Review = z.object({
  id: z.string(),
  reference: z.string(),
  processId: z.string(),
  stateUnderReview: StateCode,
  cluster: z.number().check(z.int(), z.minimum(1), z.maximum(4)),
  group: z.nullable(z.number().check(z.int(), z.minimum(1), z.maximum(3))),
  instruments: z.array(Instrument),
  reviewingStates: z.array(ReviewingState),
  language: Language,
  launchedAt: IsoDate,
  secretariatEmail: z.nullable(z.string()),
  stage: z.string(),
  /** Increments on every stage entry; notification keys carry it so old plans go stale. */
  stageEpoch: z.number().check(z.int(), z.minimum(1)),
  stageEnteredAt: IsoInstant,
  deadline: z.nullable(IsoDate),
  /** The stage the last transition left and its deadline then: its calendar entry is cancelled. */
  leftStage: z.nullable(z.object({ stage: z.string(), deadline: z.nullable(IsoDate) })),
  paused: z.nullable(z.object({ since: IsoInstant, reason: z.string(), by: z.string() })),
  version: z.number().check(z.int(), z.minimum(1)),
  focalPoints: z.record(z.string(), FocalPoint),
  experts: z.record(z.string(), z.array(Expert)),
  /** The current stage epoch's submissions; a stage entry starts them again. */
  submissions: z.array(Submission),
  ledger: z.array(LedgerEntry),
  /**
   * Set when the review was brought in already in flight (`POST /reviews/import`): its first
   * plan starts quiet, from the next rung still ahead (DESIGN §4).
   */
  imported: z._default(z.nullable(z.object({ at: IsoInstant, by: z.string() })), null),
  /** The current stage epoch's acknowledgements; a stage entry starts them again. */
  acknowledgements: z._default(z.array(Acknowledgement), []),
  /** The current stage epoch's reported submissions not yet recorded or rejected. */
  reports: z._default(z.array(SubmissionReport), []),
  /** Every extension request of the review, oldest first. */
  extensionRequests: z._default(z.array(ExtensionRequest), []),
  createdAt: IsoInstant,
  updatedAt: IsoInstant,
});
export type Review = z.infer<typeof Review>;

/** What a change did, for the audit history. */
export interface ReviewEvent {
  type:
    | 'created'
    | 'imported'
    | 'transitioned'
    | 'focal_point_set'
    | 'experts_set'
    | 'submission_recorded'
    | 'submission_withdrawn'
    | 'paused'
    | 'resumed'
    | 'deadline_changed'
    | 'acknowledged'
    | 'submission_reported'
    | 'submission_report_rejected'
    | 'extension_requested'
    | 'extension_decided';
  at: Instant;
  by: string;
  version: number;
  stage: string;
  fromStage?: string;
  deadline: CalendarDate | null;
  oldDeadline?: CalendarDate | null;
  reason?: string;
  state?: string;
  /** submission_recorded: when the Secretariat says it arrived. */
  receivedAt?: Instant;
  /** experts_set: how many experts the State now has. */
  experts?: number;
  /** imported: when the review entered the stage it was brought in at. */
  enteredAt?: Instant;
  /** acknowledged: `focal_point` or `expert/<id>`. */
  who?: string;
  /** extension_requested, extension_decided: the request. */
  requestId?: string;
  requestedDeadline?: CalendarDate;
  /** extension_decided. */
  decision?: 'approved' | 'declined';
}

/** The result of every rule: the new review and the event that records it. */
export interface ReviewChange {
  review: Review;
  event: ReviewEvent;
}

export interface NewReview {
  stateUnderReview: string;
  cluster: number;
  group?: number | null | undefined;
  instruments: Instrument[];
  reviewingStates: ReviewingState[];
  language: Language;
  launchedAt: CalendarDate;
  secretariatEmail?: string | null | undefined;
  /** Some participants' focal points (a partial record: the API's is keyed by every State code). */
  focalPoints?: Partial<Record<string, FocalPoint>> | undefined;
  /** Given by the Secretariat; else made from SuR, cluster and launch year. */
  reference?: string | undefined;
  /** The process's id; the deployment's default when absent. */
  process?: string | undefined;
}

/** Every participant: the State under review first, then each reviewing State. */
export function participants(review: Pick<Review, 'stateUnderReview' | 'reviewingStates'>): string[] {
  return [review.stateUnderReview, ...review.reviewingStates.map((r) => r.state)];
}

/** The participants who must act in the stage. */
export function responsibleStates(
  review: Pick<Review, 'stateUnderReview' | 'reviewingStates'>,
  stage: Stage,
): string[] {
  switch (stage.responsible) {
    case 'all':
      return participants(review);
    case 'stateUnderReview':
      return [review.stateUnderReview];
    case 'reviewingStates':
      return review.reviewingStates.map((r) => r.state);
    case 'none':
      return [];
  }
}

/** The responsible States of the current stage that have not submitted yet. */
export function owingStates(process: ProcessDefinition, review: Review): string[] {
  const stage = findStage(process, review.stage);
  if (!stage || stage.terminal) return [];
  const submitted = new Set(review.submissions.map((s) => s.state));
  return responsibleStates(review, stage).filter((state) => !submitted.has(state));
}

/**
 * Rules the schema cannot express: the process's instruments and clusters, participants,
 * reviewers per instrument, focal-point keys.
 */
export function checkNewReview(process: ProcessDefinition, input: NewReview): void {
  const issues: { path: string; message: string }[] = [];
  const known = process.instruments.join(', ');
  input.instruments.forEach((inst, i) => {
    if (!process.instruments.includes(inst))
      issues.push({
        path: `instruments.${i}`,
        message: `${inst} is not an instrument of ${process.id} (${known})`,
      });
  });
  if (input.cluster > process.clusters) {
    issues.push({
      path: 'cluster',
      message: `${process.id} numbers its ${process.text.en.cluster.toLowerCase()}s 1–${process.clusters}`,
    });
  }
  const seen = new Set<string>([input.stateUnderReview]);
  input.reviewingStates.forEach((rs, i) => {
    if (seen.has(rs.state)) {
      issues.push({
        path: `reviewingStates.${i}.state`,
        message:
          rs.state === input.stateUnderReview ? 'the State under review cannot review itself' : 'duplicate',
      });
    }
    seen.add(rs.state);
    rs.instruments.forEach((inst, j) => {
      if (rs.instruments.indexOf(inst) < j) {
        issues.push({ path: `reviewingStates.${i}.instruments.${j}`, message: `${inst} is listed twice` });
      }
      if (!input.instruments.includes(inst)) {
        issues.push({
          path: `reviewingStates.${i}.instruments.${j}`,
          message: `${inst} is not under review`,
        });
      }
    });
  });
  for (const inst of input.instruments) {
    const reviewers = input.reviewingStates.filter((rs) => rs.instruments.includes(inst)).length;
    if (reviewers < 2) {
      issues.push({ path: 'reviewingStates', message: `${inst} needs at least two reviewing States` });
    }
  }
  if (new Set(input.instruments).size !== input.instruments.length) {
    issues.push({ path: 'instruments', message: 'duplicate instrument' });
  }
  for (const state of Object.keys(input.focalPoints ?? {})) {
    if (!seen.has(state))
      issues.push({ path: `focalPoints.${state}`, message: 'not a participant of this review' });
  }
  if (!isWithinDateBounds(input.launchedAt)) {
    issues.push({ path: 'launchedAt', message: DATE_BOUNDS_MESSAGE });
  }
  if (issues.length > 0) throw new InvalidInputError('The review is not valid.', issues);
}

/** Refuses a date given at `path` outside {@link DATE_BOUNDS}. */
function checkDateBounds(date: CalendarDate, path: string): void {
  if (!isWithinDateBounds(date)) {
    throw new InvalidInputError('A date is out of range.', [{ path, message: DATE_BOUNDS_MESSAGE }]);
  }
}

/**
 * Refuses a deadline the system computed (a stage rule, a resume) outside {@link DATE_BOUNDS}:
 * stored, it would break every list and report that reads it. `path` names the input that led
 * to it, `remedy` what the caller can do instead.
 */
function checkComputedDeadline(
  deadline: CalendarDate | null,
  path: string,
  what: string,
  remedy: string,
): void {
  if (deadline !== null && !isWithinDateBounds(deadline)) {
    throw new InvalidInputError('A computed deadline is out of range.', [
      {
        path,
        message: `${what} (${deadline}) would fall outside ${DATE_BOUNDS.min} … ${DATE_BOUNDS.max}: ${remedy}`,
      },
    ]);
  }
}

/** The default deadline of a stage entered at `enteredAt`. */
export function defaultDeadline(
  process: ProcessDefinition,
  stage: Stage,
  launchedAt: CalendarDate,
  enteredAt: Instant,
): CalendarDate | null {
  if (!stage.deadline) return null;
  const base = stage.deadline.from === 'launch' ? launchedAt : localDate(enteredAt, process.timeZone);
  return addDuration(base, stage.deadline.after);
}

function requireStage(process: ProcessDefinition, id: string): Stage {
  const stage = findStage(process, id);
  if (!stage)
    throw new InvalidInputError('Unknown stage.', [{ path: 'stage', message: `unknown stage ${id}` }]);
  return stage;
}

/** A new review in the process's initial stage. */
export function createReview(
  process: ProcessDefinition,
  input: NewReview,
  ctx: { id: string; now: Instant; actor: Actor; reference?: string },
): ReviewChange {
  checkNewReview(process, input);
  const stage = requireStage(process, process.initialStage);
  const deadline = defaultDeadline(process, stage, input.launchedAt, ctx.now);
  checkComputedDeadline(deadline, 'launchedAt', `the ${stage.id} deadline`, 'give an earlier launch date');
  const review: Review = {
    id: ctx.id,
    reference: ctx.reference ?? input.reference ?? referenceCandidate(input),
    processId: process.id,
    stateUnderReview: input.stateUnderReview,
    cluster: input.cluster,
    group: input.group ?? null,
    instruments: input.instruments,
    reviewingStates: input.reviewingStates,
    language: input.language,
    launchedAt: input.launchedAt,
    secretariatEmail: input.secretariatEmail ?? null,
    stage: stage.id,
    stageEpoch: 1,
    stageEnteredAt: ctx.now,
    deadline,
    leftStage: null,
    paused: null,
    version: 1,
    focalPoints: Object.fromEntries(
      Object.entries(input.focalPoints ?? {}).filter((entry): entry is [string, FocalPoint] => !!entry[1]),
    ),
    experts: {},
    submissions: [],
    ledger: [],
    imported: null,
    acknowledgements: [],
    reports: [],
    extensionRequests: [],
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  return {
    review,
    event: { type: 'created', at: ctx.now, by: ctx.actor.id, version: 1, stage: stage.id, deadline },
  };
}

/** A review already in flight, as the Secretariat brings it in (DESIGN §4, import). */
export interface ImportedReview extends NewReview {
  /** The stage it is in now. */
  stage: string;
  /** When it entered that stage: a date (the start of that day in the time zone of record) or an instant. */
  stageEnteredAt: string;
  /** Its current deadline; the stage's default rule when absent; null for none. */
  deadline?: CalendarDate | null | undefined;
  /** The responsible States that have already submitted in this stage. */
  submissions?: { state: string; receivedAt?: Instant | undefined }[] | undefined;
}

/**
 * A review brought in already in flight: in its current stage since `stageEnteredAt`, with its
 * deadline and the submissions already in. It starts at stage epoch 1 with its history opened by
 * an `imported` event, and is marked imported so its first plan starts quiet.
 */
export function importReview(
  process: ProcessDefinition,
  input: ImportedReview,
  ctx: { id: string; now: Instant; actor: Actor; reference?: string },
): ReviewChange {
  checkNewReview(process, input);
  const stage = requireStage(process, input.stage);
  const enteredAt = isCalendarDate(input.stageEnteredAt)
    ? atLocalTime(input.stageEnteredAt, '00:00', process.timeZone)
    : utcInstant(input.stageEnteredAt);
  const issues: InputIssue[] = [];
  const enteredOn = localDate(enteredAt, process.timeZone);
  if (!isWithinDateBounds(enteredOn)) issues.push({ path: 'stageEnteredAt', message: DATE_BOUNDS_MESSAGE });
  else if (compareInstants(enteredAt, ctx.now) > 0)
    issues.push({ path: 'stageEnteredAt', message: 'must not be after now' });
  else if (enteredOn < input.launchedAt)
    issues.push({ path: 'stageEnteredAt', message: 'must not be before launchedAt' });
  if (issues.length > 0) throw new InvalidInputError('The review is not valid.', issues);

  const deadline =
    input.deadline === undefined
      ? defaultDeadline(process, stage, input.launchedAt, enteredAt)
      : stage.terminal
        ? null
        : input.deadline;
  if (input.deadline !== undefined && input.deadline !== null && stage.terminal) {
    throw new InvalidInputError('A completed review has no deadline.', [
      { path: 'deadline', message: `${stage.id} is terminal: leave the deadline out` },
    ]);
  }
  if (deadline !== null && input.deadline !== undefined) checkDateBounds(deadline, 'deadline');
  checkComputedDeadline(deadline, 'stageEnteredAt', `the ${stage.id} deadline`, 'give the deadline');

  const responsible = responsibleStates(input, stage);
  const submissions: Submission[] = [];
  (input.submissions ?? []).forEach((given, i) => {
    const path = `submissions.${i}`;
    if (!responsible.includes(given.state))
      issues.push({ path: `${path}.state`, message: `${given.state} owes nothing in ${stage.id}` });
    else if (submissions.some((s) => s.state === given.state))
      issues.push({ path: `${path}.state`, message: 'duplicate' });
    const receivedAt = given.receivedAt === undefined ? enteredAt : utcInstant(given.receivedAt);
    if (compareInstants(receivedAt, ctx.now) > 0)
      issues.push({ path: `${path}.receivedAt`, message: 'must not be after now' });
    else if (!isWithinDateBounds(receivedAt.slice(0, 10)))
      issues.push({ path: `${path}.receivedAt`, message: DATE_BOUNDS_MESSAGE });
    submissions.push({ state: given.state, receivedAt, by: ctx.actor.id });
  });
  if (issues.length > 0) throw new InvalidInputError('The review is not valid.', issues);

  const created = createReview(process, input, ctx).review;
  const review: Review = {
    ...created,
    stage: stage.id,
    stageEnteredAt: enteredAt,
    deadline,
    submissions,
    imported: { at: ctx.now, by: ctx.actor.id },
    acknowledgements: [],
    reports: [],
    extensionRequests: [],
  };
  return {
    review,
    event: {
      type: 'imported',
      at: ctx.now,
      by: ctx.actor.id,
      version: 1,
      stage: stage.id,
      deadline,
      enteredAt,
    },
  };
}

export interface TransitionRequest {
  to: string;
  deadline?: CalendarDate | undefined;
  reason?: string | undefined;
  expectedVersion?: number | undefined;
}

function checkVersion(review: Review, expectedVersion: number | undefined): void {
  if (expectedVersion !== undefined && expectedVersion !== review.version) {
    throw new VersionConflictError(review.version);
  }
}

function isTerminal(process: ProcessDefinition, review: Review): boolean {
  return findStage(process, review.stage)?.terminal === true;
}

/**
 * Moves a review to another stage: the edge must be allowed, the review not paused, the
 * version as expected. The new stage's deadline is the explicit one or the stage's rule.
 */
export function transition(
  process: ProcessDefinition,
  review: Review,
  request: TransitionRequest,
  ctx: { now: Instant; actor: Actor },
): ReviewChange {
  checkVersion(review, request.expectedVersion);
  if (review.paused) throw new ReviewPausedError();
  const target = findStage(process, request.to);
  if (!target || !isAllowedTransition(process, review.stage, request.to)) {
    const allowed = process.transitions.filter((t) => t.from === review.stage).map((t) => t.to);
    throw new IllegalTransitionError(review.stage, request.to, allowed);
  }
  let deadline: CalendarDate | null;
  if (request.deadline !== undefined) {
    if (target.terminal) {
      throw new InvalidInputError('A terminal stage has no deadline.', [
        { path: 'deadline', message: `${target.id} has no deadline` },
      ]);
    }
    checkDateBounds(request.deadline, 'deadline');
    checkNotBeforeToday(process, request.deadline, ctx.now);
    deadline = request.deadline;
  } else {
    deadline = defaultDeadline(process, target, review.launchedAt, ctx.now);
    checkComputedDeadline(
      deadline,
      'deadline',
      `the default deadline of ${target.id}`,
      'give an explicit deadline',
    );
  }
  const version = review.version + 1;
  return {
    review: {
      ...review,
      stage: target.id,
      stageEpoch: review.stageEpoch + 1,
      stageEnteredAt: ctx.now,
      deadline,
      leftStage: { stage: review.stage, deadline: review.deadline },
      // Submissions belong to the stage epoch: a new entry (a rework edge too) counts again, and
      // so do what focal points answered; a request not decided in time lapses with its stage.
      submissions: [],
      acknowledgements: [],
      reports: [],
      extensionRequests: review.extensionRequests.map((r) =>
        r.status === 'open' ? { ...r, status: 'lapsed' as const } : r,
      ),
      version,
      updatedAt: ctx.now,
    },
    event: {
      type: 'transitioned',
      at: ctx.now,
      by: ctx.actor.id,
      version,
      stage: target.id,
      fromStage: review.stage,
      deadline,
      ...(request.reason ? { reason: request.reason } : {}),
    },
  };
}

function checkNotBeforeToday(process: ProcessDefinition, deadline: CalendarDate, now: Instant): void {
  if (deadline < localDate(now, process.timeZone)) {
    throw new InvalidInputError('The deadline is in the past.', [
      {
        path: 'deadline',
        message: `must not be before today (${localDate(now, process.timeZone)}, ${process.timeZone})`,
      },
    ]);
  }
}

/**
 * Registers or replaces a participant's focal point; reminders follow the current one. A
 * completed review takes none: nothing more is sent for it, so the focal point would only get
 * a stage notice for the terminal stage.
 */
export function setFocalPoint(
  process: ProcessDefinition,
  review: Review,
  state: string,
  focalPoint: FocalPoint,
  ctx: { now: Instant; actor: Actor },
): ReviewChange {
  if (isTerminal(process, review)) throw new ReviewCompletedError();
  requireParticipant(review, state);
  const version = review.version + 1;
  return {
    review: {
      ...review,
      focalPoints: { ...review.focalPoints, [state]: focalPoint },
      version,
      updatedAt: ctx.now,
    },
    event: {
      type: 'focal_point_set',
      at: ctx.now,
      by: ctx.actor.id,
      version,
      stage: review.stage,
      deadline: review.deadline,
      state,
    },
  };
}

function requireParticipant(review: Review, state: string): void {
  if (!participants(review).includes(state)) {
    throw new InvalidInputError('Not a participant.', [
      { path: 'state', message: `${state} does not take part in this review` },
    ]);
  }
}

/**
 * Replaces a participant's governmental experts (at most {@link MAX_EXPERTS_PER_STATE}, each
 * address once). An expert whose address stays keeps their id; `newId` makes the others'.
 */
export function setExperts(
  process: ProcessDefinition,
  review: Review,
  state: string,
  experts: FocalPoint[],
  ctx: { now: Instant; actor: Actor; newId: () => string },
): ReviewChange {
  if (isTerminal(process, review)) throw new ReviewCompletedError();
  requireParticipant(review, state);
  const issues: { path: string; message: string }[] = [];
  if (experts.length > MAX_EXPERTS_PER_STATE)
    issues.push({ path: 'experts', message: `at most ${MAX_EXPERTS_PER_STATE} experts per State` });
  const seen = new Set<string>();
  experts.forEach((expert, i) => {
    const key = expert.email.trim().toLowerCase();
    if (seen.has(key)) issues.push({ path: `experts.${i}.email`, message: 'listed twice' });
    seen.add(key);
  });
  if (issues.length > 0) throw new InvalidInputError('The experts are not valid.', issues);
  const before = new Map(
    (review.experts[state] ?? []).map((e) => [e.email.trim().toLowerCase(), e.id] as const),
  );
  const next: Expert[] = experts.map((expert) => ({
    ...expert,
    id: before.get(expert.email.trim().toLowerCase()) ?? ctx.newId(),
  }));
  const { [state]: _replaced, ...others } = review.experts;
  const version = review.version + 1;
  return {
    review: {
      ...review,
      experts: next.length > 0 ? { ...others, [state]: next } : others,
      version,
      updatedAt: ctx.now,
    },
    event: {
      type: 'experts_set',
      at: ctx.now,
      by: ctx.actor.id,
      version,
      stage: review.stage,
      deadline: review.deadline,
      state,
      experts: next.length,
    },
  };
}

/**
 * Records a responsible State's submission for the current stage (DESIGN §2). The same State
 * again changes nothing (`undefined`): the first receipt stands.
 * @throws NotResponsibleError when the State owes nothing in this stage
 */
export function recordSubmission(
  process: ProcessDefinition,
  review: Review,
  input: { state: string; receivedAt?: Instant | undefined; note?: string | undefined },
  ctx: { now: Instant; actor: Actor },
): ReviewChange | undefined {
  if (isTerminal(process, review)) throw new ReviewCompletedError();
  const stage = requireStage(process, review.stage);
  const responsible = responsibleStates(review, stage);
  if (!responsible.includes(input.state)) {
    throw new NotResponsibleError(input.state, review.stage, responsible);
  }
  if (review.submissions.some((s) => s.state === input.state)) return undefined;
  // Stored in UTC like every instant here, so the bounds and the order read the same instant.
  const receivedAt = input.receivedAt === undefined ? ctx.now : utcInstant(input.receivedAt);
  if (compareInstants(receivedAt, ctx.now) > 0) {
    throw new InvalidInputError('The submission is dated in the future.', [
      { path: 'receivedAt', message: 'must not be after now' },
    ]);
  }
  if (!isWithinDateBounds(receivedAt.slice(0, 10))) {
    throw new InvalidInputError('A date is out of range.', [
      { path: 'receivedAt', message: DATE_BOUNDS_MESSAGE },
    ]);
  }
  const submission: Submission = {
    state: input.state,
    receivedAt,
    ...(input.note ? { note: input.note } : {}),
    by: ctx.actor.id,
  };
  const version = review.version + 1;
  return {
    review: {
      ...review,
      submissions: [...review.submissions, submission],
      // Received: the report it confirms is settled.
      reports: review.reports.filter((r) => r.state !== input.state),
      version,
      updatedAt: ctx.now,
    },
    event: {
      type: 'submission_recorded',
      at: ctx.now,
      by: ctx.actor.id,
      version,
      stage: review.stage,
      deadline: review.deadline,
      state: input.state,
      receivedAt,
      ...(input.note ? { reason: input.note } : {}),
    },
  };
}

/**
 * Withdraws a submission recorded by mistake, or rejects one a focal point reported as sent but
 * the Secretariat has not received (its reminders resume); neither changes nothing (`undefined`).
 */
export function withdrawSubmission(
  process: ProcessDefinition,
  review: Review,
  state: string,
  ctx: { now: Instant; actor: Actor },
): ReviewChange | undefined {
  if (isTerminal(process, review)) throw new ReviewCompletedError();
  if (!review.submissions.some((s) => s.state === state)) {
    if (!review.reports.some((r) => r.state === state)) return undefined;
    const version = review.version + 1;
    return {
      review: {
        ...review,
        reports: review.reports.filter((r) => r.state !== state),
        version,
        updatedAt: ctx.now,
      },
      event: {
        type: 'submission_report_rejected',
        at: ctx.now,
        by: ctx.actor.id,
        version,
        stage: review.stage,
        deadline: review.deadline,
        state,
      },
    };
  }
  const version = review.version + 1;
  return {
    review: {
      ...review,
      submissions: review.submissions.filter((s) => s.state !== state),
      version,
      updatedAt: ctx.now,
    },
    event: {
      type: 'submission_withdrawn',
      at: ctx.now,
      by: ctx.actor.id,
      version,
      stage: review.stage,
      deadline: review.deadline,
      state,
    },
  };
}

/** Pauses a review: nothing is sent and it is not overdue until resumed. */
export function pause(
  process: ProcessDefinition,
  review: Review,
  reason: string,
  ctx: { now: Instant; actor: Actor },
): ReviewChange {
  if (isTerminal(process, review)) throw new ReviewCompletedError();
  if (review.paused) throw new ReviewPausedError();
  const version = review.version + 1;
  const entry: LedgerEntry = {
    kind: 'pause',
    at: ctx.now,
    by: ctx.actor.id,
    reason,
    oldDeadline: review.deadline,
    newDeadline: review.deadline,
    stage: review.stage,
  };
  return {
    review: {
      ...review,
      paused: { since: ctx.now, reason, by: ctx.actor.id },
      ledger: [...review.ledger, entry],
      version,
      updatedAt: ctx.now,
    },
    event: {
      type: 'paused',
      at: ctx.now,
      by: ctx.actor.id,
      version,
      stage: review.stage,
      deadline: review.deadline,
      reason,
    },
  };
}

/**
 * Resumes a paused review. The deadline moves forward by the paused time, rounded up to whole
 * days, unless the Secretariat set one during the pause (an `extension` in the ledger after the
 * pause's own entry): that one already accounts for the pause and stands (DESIGN §2).
 */
export function resume(review: Review, reason: string, ctx: { now: Instant; actor: Actor }): ReviewChange {
  const paused = review.paused;
  if (!paused) throw new ReviewNotPausedError();
  // By ledger order, not by time: an extension and a pause made in the same instant (two
  // concurrent requests) are ordered by which committed first.
  const pausedAt = review.ledger.findLastIndex((entry) => entry.kind === 'pause');
  const setDuringPause = review.ledger.some((entry, i) => entry.kind === 'extension' && i > pausedAt);
  const days = elapsedDaysRoundedUp(paused.since, ctx.now);
  const newDeadline =
    review.deadline === null || setDuringPause ? review.deadline : addDays(review.deadline, days);
  checkComputedDeadline(
    newDeadline,
    'deadline',
    `the deadline moved by ${days} paused days`,
    'set the deadline explicitly, then resume',
  );
  const version = review.version + 1;
  const entry: LedgerEntry = {
    kind: 'resume',
    at: ctx.now,
    by: ctx.actor.id,
    reason,
    oldDeadline: review.deadline,
    newDeadline,
    stage: review.stage,
  };
  return {
    review: {
      ...review,
      paused: null,
      deadline: newDeadline,
      ledger: [...review.ledger, entry],
      version,
      updatedAt: ctx.now,
    },
    event: {
      type: 'resumed',
      at: ctx.now,
      by: ctx.actor.id,
      version,
      stage: review.stage,
      deadline: newDeadline,
      oldDeadline: review.deadline,
      reason,
    },
  };
}

/** Sets an explicit new deadline (extension or shortening) for the current stage, with a reason. */
export function changeDeadline(
  process: ProcessDefinition,
  review: Review,
  deadline: CalendarDate,
  reason: string,
  ctx: { now: Instant; actor: Actor },
): ReviewChange {
  if (isTerminal(process, review)) throw new ReviewCompletedError();
  checkDateBounds(deadline, 'deadline');
  checkNotBeforeToday(process, deadline, ctx.now);
  const version = review.version + 1;
  const entry: LedgerEntry = {
    kind: 'extension',
    at: ctx.now,
    by: ctx.actor.id,
    reason,
    oldDeadline: review.deadline,
    newDeadline: deadline,
    stage: review.stage,
  };
  return {
    review: { ...review, deadline, ledger: [...review.ledger, entry], version, updatedAt: ctx.now },
    event: {
      type: 'deadline_changed',
      at: ctx.now,
      by: ctx.actor.id,
      version,
      stage: review.stage,
      deadline,
      oldDeadline: review.deadline,
      reason,
    },
  };
}

/** Who answered from a personal page: a State's focal point, or one of its experts by id. */
export interface Respondent {
  state: string;
  role: 'focal_point' | 'expert';
  /** experts: their id. */
  expertId?: string | undefined;
}

/** A respondent as the history and the acknowledgements name them: never by name or address. */
export function respondentId(respondent: Respondent): { who: string; actor: Actor } {
  const who = respondent.role === 'expert' ? `expert/${respondent.expertId ?? ''}` : 'focal_point';
  return { who, actor: { id: `${respondent.state}/${who}` } };
}

/**
 * Records that a focal point or expert acknowledged the current stage from their page (DESIGN
 * §10). The same person again changes nothing (`undefined`): the first acknowledgement stands.
 */
export function acknowledge(
  process: ProcessDefinition,
  review: Review,
  respondent: Respondent,
  ctx: { now: Instant },
): ReviewChange | undefined {
  if (isTerminal(process, review)) throw new ReviewCompletedError();
  requireParticipant(review, respondent.state);
  const { who, actor } = respondentId(respondent);
  if (review.acknowledgements.some((a) => a.state === respondent.state && a.who === who)) return undefined;
  const version = review.version + 1;
  return {
    review: {
      ...review,
      acknowledgements: [...review.acknowledgements, { state: respondent.state, who, at: ctx.now }],
      version,
      updatedAt: ctx.now,
    },
    event: {
      type: 'acknowledged',
      at: ctx.now,
      by: actor.id,
      version,
      stage: review.stage,
      deadline: review.deadline,
      state: respondent.state,
      who,
    },
  };
}

/** When a report stops holding the reminders: {@link REPORT_HOLD_DAYS} days after it was made. */
export function reportHoldEnds(report: SubmissionReport): Instant {
  return `${addDays(report.at.slice(0, 10), REPORT_HOLD_DAYS)}T${report.at.slice(11)}`;
}

/** The last day (in `timeZone`) a report holds the reminders, as pages and mail name it. */
export function reportHeldUntil(report: SubmissionReport, timeZone: string): CalendarDate {
  return localDate(reportHoldEnds(report), timeZone);
}

/** The State's report of a submission sent, while it holds the reminders to that State. */
export function heldReport(review: Review, state: string, now: Instant): SubmissionReport | undefined {
  const report = review.reports.find((r) => r.state === state);
  return report && compareInstants(now, reportHoldEnds(report)) < 0 ? report : undefined;
}

/**
 * Records a focal point's "we have sent our submission" (DESIGN §10): reported, not received.
 * The State must owe a submission in this stage; one already reported, or already received,
 * changes nothing (`undefined`).
 * @throws NotResponsibleError when the State owes nothing in this stage
 */
export function reportSubmission(
  process: ProcessDefinition,
  review: Review,
  state: string,
  ctx: { now: Instant },
): ReviewChange | undefined {
  if (isTerminal(process, review)) throw new ReviewCompletedError();
  const stage = requireStage(process, review.stage);
  const responsible = responsibleStates(review, stage);
  if (!responsible.includes(state)) throw new NotResponsibleError(state, review.stage, responsible);
  if (review.submissions.some((s) => s.state === state) || review.reports.some((r) => r.state === state))
    return undefined;
  const { actor } = respondentId({ state, role: 'focal_point' });
  const version = review.version + 1;
  return {
    review: {
      ...review,
      reports: [...review.reports, { state, at: ctx.now }],
      version,
      updatedAt: ctx.now,
    },
    event: {
      type: 'submission_reported',
      at: ctx.now,
      by: actor.id,
      version,
      stage: review.stage,
      deadline: review.deadline,
      state,
    },
  };
}

/** The furthest an extension may be asked for: a year after the deadline in force. */
export const MAX_EXTENSION_DAYS = 365;

/**
 * A focal point asks for a later deadline (DESIGN §10). The State must still owe its submission;
 * while one of its requests waits for a decision, asking again changes nothing (`undefined`),
 * so a double click records one request.
 * @throws NotResponsibleError when the State owes nothing in this stage
 * @throws InvalidInputError for a date not after the deadline, before today, or too far
 */
export function requestExtension(
  process: ProcessDefinition,
  review: Review,
  input: { state: string; requestedDeadline: CalendarDate; reason: string },
  ctx: { now: Instant; id: string },
): ReviewChange | undefined {
  if (isTerminal(process, review)) throw new ReviewCompletedError();
  const stage = requireStage(process, review.stage);
  const responsible = responsibleStates(review, stage);
  if (!responsible.includes(input.state) || review.submissions.some((s) => s.state === input.state))
    throw new NotResponsibleError(input.state, review.stage, responsible);
  if (
    review.extensionRequests.some(
      (r) => r.state === input.state && r.stageEpoch === review.stageEpoch && r.status === 'open',
    )
  )
    return undefined;
  checkRequestedDeadline(process, review, input.requestedDeadline, ctx.now);
  const { actor } = respondentId({ state: input.state, role: 'focal_point' });
  const request: ExtensionRequest = {
    id: ctx.id,
    stage: review.stage,
    stageEpoch: review.stageEpoch,
    state: input.state,
    requestedDeadline: input.requestedDeadline,
    reason: input.reason,
    requestedAt: ctx.now,
    deadlineAtRequest: review.deadline,
    status: 'open',
  };
  const version = review.version + 1;
  return {
    review: {
      ...review,
      extensionRequests: [...review.extensionRequests, request],
      version,
      updatedAt: ctx.now,
    },
    event: {
      type: 'extension_requested',
      at: ctx.now,
      by: actor.id,
      version,
      stage: review.stage,
      deadline: review.deadline,
      state: input.state,
      requestId: request.id,
      requestedDeadline: input.requestedDeadline,
      reason: input.reason,
    },
  };
}

/** Why a requested date cannot be asked for, as an input issue on `deadline`. */
export type RequestedDeadlineProblem = 'invalid' | 'not_after_deadline' | 'too_far';

/** The problem with a requested date, or undefined when it may be asked for. */
export function requestedDeadlineProblem(
  process: ProcessDefinition,
  review: Pick<Review, 'deadline'>,
  date: CalendarDate,
  now: Instant,
): RequestedDeadlineProblem | undefined {
  if (!isCalendarDate(date) || !isWithinDateBounds(date)) return 'invalid';
  if (date < localDate(now, process.timeZone)) return 'not_after_deadline';
  if (review.deadline !== null && date <= review.deadline) return 'not_after_deadline';
  const from = review.deadline ?? localDate(now, process.timeZone);
  if (date > addDays(from, MAX_EXTENSION_DAYS)) return 'too_far';
  return undefined;
}

function checkRequestedDeadline(
  process: ProcessDefinition,
  review: Review,
  date: CalendarDate,
  now: Instant,
): void {
  const problem = requestedDeadlineProblem(process, review, date, now);
  if (!problem) return;
  const message = {
    invalid: DATE_BOUNDS_MESSAGE,
    not_after_deadline: `must be after the deadline (${review.deadline ?? 'none'}) and not before today`,
    too_far: `must be at most ${MAX_EXTENSION_DAYS} days after the deadline`,
  }[problem];
  throw new InvalidInputError('The requested deadline is not valid.', [{ path: 'deadline', message }]);
}

/**
 * The Secretariat decides an open extension request (DESIGN §10). Approving sets the deadline
 * (the one asked for, or `deadline` if given) as an extension in the ledger, with the reason;
 * declining keeps it. Either way the request records the decision and the planner mails it to
 * the State's focal point.
 * @throws ExtensionRequestNotFoundError for an id the review does not hold
 * @throws ExtensionRequestClosedError for a request decided already or lapsed
 */
export function decideExtension(
  process: ProcessDefinition,
  review: Review,
  requestId: string,
  input: {
    decision: 'approve' | 'decline';
    reason: string;
    deadline?: CalendarDate | undefined;
    expectedVersion?: number | undefined;
  },
  ctx: { now: Instant; actor: Actor },
): ReviewChange {
  const index = review.extensionRequests.findIndex((r) => r.id === requestId);
  const request = review.extensionRequests[index];
  if (!request) throw new ExtensionRequestNotFoundError();
  checkVersion(review, input.expectedVersion);
  if (request.status !== 'open') throw new ExtensionRequestClosedError(request.status);
  if (isTerminal(process, review)) throw new ReviewCompletedError();
  const approved = input.decision === 'approve';
  if (!approved && input.deadline !== undefined) {
    throw new InvalidInputError('A declined request sets no deadline.', [
      { path: 'deadline', message: 'only with decision approve' },
    ]);
  }
  const newDeadline = approved ? (input.deadline ?? request.requestedDeadline) : review.deadline;
  if (approved && newDeadline !== null) {
    checkDateBounds(newDeadline, 'deadline');
    checkNotBeforeToday(process, newDeadline, ctx.now);
  }
  const decided: ExtensionRequest = {
    ...request,
    status: approved ? 'approved' : 'declined',
    decision: {
      at: ctx.now,
      by: ctx.actor.id,
      reason: input.reason,
      newDeadline: approved ? newDeadline : null,
    },
  };
  const extensionRequests = review.extensionRequests.map((r, i) => (i === index ? decided : r));
  const version = review.version + 1;
  const ledger: LedgerEntry[] = approved
    ? [
        ...review.ledger,
        {
          kind: 'extension',
          at: ctx.now,
          by: ctx.actor.id,
          reason: `extension requested by ${request.state}: ${input.reason}`,
          oldDeadline: review.deadline,
          newDeadline,
          stage: review.stage,
        },
      ]
    : review.ledger;
  return {
    review: { ...review, deadline: newDeadline, extensionRequests, ledger, version, updatedAt: ctx.now },
    event: {
      type: 'extension_decided',
      at: ctx.now,
      by: ctx.actor.id,
      version,
      stage: review.stage,
      deadline: newDeadline,
      ...(approved ? { oldDeadline: review.deadline } : {}),
      state: request.state,
      requestId,
      requestedDeadline: request.requestedDeadline,
      decision: approved ? 'approved' : 'declined',
      reason: input.reason,
    },
  };
}

/** Overdue: past the end of the deadline day, not paused, not in a terminal stage. */
export function isOverdue(process: ProcessDefinition, review: Review, now: Instant): boolean {
  if (review.paused || review.deadline === null || isTerminal(process, review)) return false;
  return compareInstants(now, deadlineInstant(review.deadline, process.timeZone)) >= 0;
}

/** Whole days overdue at `now` (0 when not overdue). */
export function reviewDaysOverdue(process: ProcessDefinition, review: Review, now: Instant): number {
  if (!isOverdue(process, review, now) || review.deadline === null) return 0;
  return daysOverdue(review.deadline, now, process.timeZone);
}
