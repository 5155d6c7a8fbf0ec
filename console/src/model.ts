import type {
  DigestReportView,
  ExtensionRequestView,
  HistoryView,
  ImportResultView,
  NotificationView,
  ReviewView,
  TimelinessReportView,
} from '#shared/api/schemas.ts';
import { addDuration, daysBetween } from '#shared/domain/calendar.ts';
import type { ProcessDefinition } from '#shared/domain/process-definition.ts';
import type * as z from '#shared/domain/zod.ts';

/** What the API answers, by the API's own types (type-only imports: nothing of the server is bundled). */
export type Review = ReviewView;
export type Notification = NotificationView;
export type Process = ProcessDefinition;

export type HistoryEvent = z.infer<typeof HistoryView>['items'][number];
export type ImportResult = z.infer<typeof ImportResultView>;
export type TimelinessReport = z.infer<typeof TimelinessReportView>;
export type Digest = z.infer<typeof DigestReportView>['items'][number];
export type ExtensionRequest = ExtensionRequestView;

export type Processes = ReadonlyMap<string, Process>;

export function processOf(processes: Processes, review: Pick<Review, 'process'>): Process | undefined {
  return processes.get(review.process.toLowerCase());
}

export function stageName(process: Process | undefined, stage: string): string {
  return process?.text.en.stages[stage] ?? stage;
}

export function isTerminal(process: Process | undefined, stage: string): boolean {
  return process?.stages.find((s) => s.id === stage)?.terminal ?? false;
}

/** The stages a review may move to now, forward moves first. */
export function allowedMoves(process: Process | undefined, stage: string) {
  const moves = (process?.transitions ?? []).filter((t) => t.from === stage);
  return [...moves.filter((t) => t.kind === 'advance'), ...moves.filter((t) => t.kind === 'rework')];
}

/** Every State that takes part: the State under review and its reviewing States. */
export function participants(review: Review): string[] {
  return [review.stateUnderReview, ...review.reviewingStates.map((r) => r.state)];
}

/** The States responsible in the current stage (those owing plus those that submitted). */
export function responsibleStates(review: Review): string[] {
  const submitted = review.submissions.map((s) => s.state);
  return [...new Set([...review.owing, ...submitted])];
}

export type Attention = 'overdue' | 'dueSoon' | 'awaitingSecretariat' | 'paused' | 'other' | 'completed';

/**
 * Where the overview lists a review (DESIGN §10): overdue first, then due within 14 days, then
 * those waiting for the Secretariat's move (nothing owed in a stage that is not the last), then
 * paused ones.
 */
export function attentionOf(process: Process | undefined, review: Review, today: string): Attention {
  if (isTerminal(process, review.stage)) return 'completed';
  if (review.paused) return 'paused';
  if (review.overdue) return 'overdue';
  if (review.owing.length === 0) return 'awaitingSecretariat';
  if (review.deadline !== null) {
    const days = daysBetween(today, review.deadline);
    if (days >= 0 && days <= 14) return 'dueSoon';
  }
  return 'other';
}

/**
 * The deadline a move to `stage` would get by the stage's rule (as the API computes it:
 * `shared/domain/review.ts` defaultDeadline), today being `today`; null for a stage without one.
 */
export function ruleDeadline(
  process: Process | undefined,
  stage: string,
  review: Review,
  today: string,
): string | null {
  const rule = process?.stages.find((s) => s.id === stage)?.deadline;
  if (!rule) return null;
  return addDuration(rule.from === 'launch' ? review.launchedAt : today, rule.after);
}

/** Open requests first (they wait for a decision), each group newest first as the API lists them. */
export function requestsInOrder(requests: readonly ExtensionRequest[]): ExtensionRequest[] {
  const open = requests.filter((r) => r.status === 'open');
  return [...open, ...requests.filter((r) => r.status !== 'open')];
}
