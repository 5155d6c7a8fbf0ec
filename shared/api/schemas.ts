import * as z from 'zod';
import { isCalendarDate } from '#shared/domain/calendar.ts';
import { stageIds, UNTOC_PROCESS } from '#shared/domain/process-definition.ts';
import {
  DATE_BOUNDS,
  FocalPoint,
  Instrument,
  Language,
  plainText,
  ReviewingState,
  StateCode,
  WITHIN_DATE_BOUNDS,
} from '#shared/domain/review.ts';

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
const Stage = z.enum(stageIds(UNTOC_PROCESS) as [string, ...string[]]);

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

export const ReviewIdParams = z.object({ id: z.string() });
export const FocalPointParams = z.object({ id: z.string(), state: StateCode });

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

export const ReviewView = z
  .object({
    id: z.string(),
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
    }),
  ),
});
export const NotificationsView = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['stage_notice', 'reminder', 'overdue_notice', 'escalation', 'undeliverable']),
      stage: z.string(),
      stageEpoch: z.number(),
      deadline: z.string().nullable(),
      occurrence: z.number(),
      offsetDays: z.number(),
      audience: z.enum(['participants', 'responsible', 'secretariat']),
      recipientState: z.string().optional(),
      dueAt: z.string(),
      status: z.enum(['pending', 'queued', 'sending', 'sent', 'skipped', 'failed', 'cancelled']),
      reason: z.string().optional(),
      sentAt: z.string().optional(),
      deliveries: z.array(
        z.object({
          recipient: z.string(),
          status: z.string(),
          messageId: z.string().optional(),
          reason: z.string().optional(),
        }),
      ),
    }),
  ),
});
export const OverdueReportView = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      stateUnderReview: z.string(),
      cluster: z.number(),
      stage: z.string(),
      responsibleStates: z.array(z.string()),
      deadline: z.string(),
      daysOverdue: z.number(),
      escalations: z.number(),
    }),
  ),
});
export const ErrorView = z
  .object({
    error: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    currentVersion: z.number().optional(),
  })
  .meta({ id: 'Error' });
