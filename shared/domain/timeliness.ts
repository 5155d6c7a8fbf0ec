import { type CalendarDate, compareInstants, daysBetween, type Instant, localDate } from './calendar.ts';
import { findStage, type ProcessDefinition } from './process-definition.ts';
import type { LedgerEntry, Review, ReviewEvent } from './review.ts';

/**
 * Stage timeliness (DESIGN §2 "Secretariat digest and timeliness"): how long each stage visit of a
 * review was planned to take against how long it took, with the extensions and pauses in it.
 *
 * A **visit** is one stage entry (one stage epoch): it begins with the review's `created` (or
 * `imported`: then at the instant the review entered the stage it was brought in at) or a
 * `transitioned` event of the history and ends with the next `transitioned` event (or runs on,
 * `ongoing`, until now). The pauses and explicit deadline changes come from the review's ledger,
 * each placed in the visit of its stage whose span holds its instant. Every count of days is a
 * count of calendar days in the process's time zone of record, between the local dates of two
 * instants, so a DST switch or a month end changes nothing and the visits of a review add up:
 * their actual days sum to the days from the first entry to the last exit (or today).
 *
 * The terminal stage is no visit: it has no deadline and never ends. A completed review carries the
 * date it was completed instead.
 */

/** One stage visit of a review, measured. */
export interface StageVisit {
  stage: string;
  /** The review's stage epoch of this entry (1 for the stage it was created in). */
  stageEpoch: number;
  enteredAt: Instant;
  /** The local date of `enteredAt`. */
  enteredOn: CalendarDate;
  /** When the review left the stage; null while it is the current stage. */
  leftAt: Instant | null;
  leftOn: CalendarDate | null;
  /** Still the current stage: `actualDays` counts to today. */
  ongoing: boolean;
  /** Paused now (only ever on the ongoing visit). */
  paused: boolean;
  /** The deadline set on entry (the stage's rule or the one given with the transition). */
  plannedDeadline: CalendarDate | null;
  /** The deadline in force when the visit ended, or now: after every extension, shortening and resume. */
  finalDeadline: CalendarDate | null;
  /**
   * Days from the entry date to the planned deadline; null for a stage without one. Negative when the
   * stage was entered after a deadline counted from the launch date had passed.
   */
  plannedDays: number | null;
  /** Days from the entry date to the exit date, or to today while ongoing. */
  actualDays: number;
  /** Explicit deadline changes during the visit: how many, and the days they moved it in all (net). */
  extensions: { count: number; days: number };
  /** Days paused during the visit (to today for a pause still running); never more than `actualDays`. */
  pausedDays: number;
  /** Actual days beyond the planned ones, paused days not counted; 0 when on time, null without a plan. */
  daysLate: number | null;
}

/** A review's visits, oldest first. */
export interface ReviewTimeliness {
  visits: StageVisit[];
  /** The local date the review entered its terminal stage, while it is there. */
  completedOn: CalendarDate | null;
}

/** One stage entry as the history records it. */
interface Span {
  /** The history version of the entry; 0 when the history has none. */
  version: number;
  stage: string;
  enteredAt: Instant;
  leftAt: Instant | null;
  plannedDeadline: CalendarDate | null;
  entries: LedgerEntry[];
}

/** The history events that write a ledger entry, one each. */
const LEDGER_EVENTS: ReadonlySet<string> = new Set(['paused', 'resumed', 'deadline_changed']);
/** The history events that begin a stage visit. */
const STAGE_ENTRIES: ReadonlySet<string> = new Set(['created', 'imported', 'transitioned']);
const startsVisit = (event: ReviewEvent) => STAGE_ENTRIES.has(event.type);
/** When a stage entry began: an import's when the review entered the stage it was brought in at. */
const enteredAt = (event: ReviewEvent & { enteredAt?: Instant | undefined }): Instant =>
  event.enteredAt ?? event.at;

/** The stage entries of the history (by version, the order they committed in). */
function spansOf(review: Review, history: readonly ReviewEvent[]): Span[] {
  const starts = [...history].sort((a, b) => a.version - b.version).filter(startsVisit);
  if (starts.length === 0) {
    // A history without its `created` event (none is written that way): the current entry alone.
    const first = review.ledger.find((entry) => entry.stage === review.stage);
    return [
      {
        version: 0,
        stage: review.stage,
        enteredAt: review.stageEnteredAt,
        leftAt: null,
        plannedDeadline: first ? first.oldDeadline : review.deadline,
        entries: [],
      },
    ];
  }
  return starts.map((event, i) => ({
    version: event.version,
    stage: event.stage,
    enteredAt: enteredAt(event),
    leftAt: starts[i + 1]?.at ?? null,
    plannedDeadline: event.deadline,
    entries: [],
  }));
}

const within = (span: Span, at: Instant) =>
  compareInstants(span.enteredAt, at) <= 0 && (span.leftAt === null || compareInstants(at, span.leftAt) <= 0);

/**
 * The span a ledger entry belongs to: the last one of its stage whose span holds its instant (an entry
 * made in the very instant of a transition belongs to the stage it names). An entry no span of its stage
 * holds (not written by the rules of review.ts) goes to the span its instant falls in, or nowhere.
 */
function spanOf(spans: Span[], entry: LedgerEntry): Span | undefined {
  return (
    spans.findLast((span) => span.stage === entry.stage && within(span, entry.at)) ??
    spans.findLast((span) => within(span, entry.at))
  );
}

/** The later of two instants. */
const later = (a: Instant, b: Instant) => (compareInstants(a, b) >= 0 ? a : b);
const earlier = (a: Instant, b: Instant) => (compareInstants(a, b) <= 0 ? a : b);

/** Calendar days from the local date of `from` to that of `to` (0 when `to` is not later). */
function localDays(from: Instant, to: Instant, timeZone: string): number {
  return Math.max(0, daysBetween(localDate(from, timeZone), localDate(to, timeZone)));
}

function measure(span: Span, epoch: number, now: Instant, timeZone: string): StageVisit {
  const end = span.leftAt ?? later(now, span.enteredAt);
  const enteredOn = localDate(span.enteredAt, timeZone);
  const actualDays = localDays(span.enteredAt, end, timeZone);
  const extensions = { count: 0, days: 0 };
  let pausedDays = 0;
  let pausedSince: Instant | null = null;
  let finalDeadline = span.plannedDeadline;
  const closePause = (at: Instant) => {
    if (pausedSince === null) return;
    // Clipped to the visit, so a pause never counts days outside it.
    const from = later(pausedSince, span.enteredAt);
    pausedDays += localDays(from, later(earlier(at, end), from), timeZone);
    pausedSince = null;
  };
  for (const entry of span.entries) {
    if (entry.kind === 'pause') pausedSince ??= entry.at;
    else if (entry.kind === 'resume') closePause(entry.at);
    else {
      extensions.count += 1;
      if (entry.oldDeadline !== null && entry.newDeadline !== null)
        extensions.days += daysBetween(entry.oldDeadline, entry.newDeadline);
    }
    finalDeadline = entry.newDeadline;
  }
  const paused = pausedSince !== null && span.leftAt === null;
  closePause(end);
  const plannedDays = span.plannedDeadline === null ? null : daysBetween(enteredOn, span.plannedDeadline);
  return {
    stage: span.stage,
    stageEpoch: epoch,
    enteredAt: span.enteredAt,
    enteredOn,
    leftAt: span.leftAt,
    leftOn: span.leftAt === null ? null : localDate(span.leftAt, timeZone),
    ongoing: span.leftAt === null,
    paused,
    plannedDeadline: span.plannedDeadline,
    finalDeadline,
    plannedDays,
    actualDays,
    extensions,
    pausedDays,
    daysLate: plannedDays === null ? null : Math.max(0, actualDays - pausedDays - plannedDays),
  };
}

/**
 * A review's stage visits at `now`, from its history (the stage entries) and its ledger (pauses,
 * resumes and explicit deadline changes), in the time zone of its process.
 */
export function reviewTimeliness(input: {
  process: ProcessDefinition;
  review: Review;
  history: readonly ReviewEvent[];
  now: Instant;
}): ReviewTimeliness {
  const { process, review, now } = input;
  const spans = spansOf(review, input.history);
  // Each ledger entry has its history event, in the same order: the event's version places the
  // entry in its visit even when a transition came in the same instant. Only a history that does
  // not match the ledger (none is written that way) falls back to the instants.
  const events = [...input.history]
    .sort((a, b) => a.version - b.version)
    .filter((e) => LEDGER_EVENTS.has(e.type));
  const byVersion = events.length === review.ledger.length;
  review.ledger.forEach((entry, k) => {
    const version = events[k]?.version;
    const span =
      byVersion && version !== undefined ? spans.findLast((s) => s.version < version) : spanOf(spans, entry);
    span?.entries.push(entry);
  });
  // Each entry is one epoch; the last is the review's own (older reviews may have started higher).
  const firstEpoch = Math.max(1, review.stageEpoch - spans.length + 1);
  const last = spans.at(-1);
  const completed =
    last !== undefined && last.leftAt === null && findStage(process, last.stage)?.terminal === true;
  return {
    visits: spans.flatMap((span, i) =>
      findStage(process, span.stage)?.terminal === true
        ? []
        : [measure(span, firstEpoch + i, now, process.timeZone)],
    ),
    completedOn: completed ? localDate(last.enteredAt, process.timeZone) : null,
  };
}

/** The middle and the average of some day counts (the mean to one decimal); null for none. */
export interface DayStats {
  median: number | null;
  mean: number | null;
}

/** The visits of one stage of one process, summed up. */
export interface StageSummary {
  process: string;
  stage: string;
  /** Visits counted (rows of the report). */
  visits: number;
  /** Of which still ongoing (their actual days count to today). */
  ongoing: number;
  plannedDays: DayStats;
  actualDays: DayStats;
  daysLate: DayStats;
  /** Visits with `daysLate` above 0. */
  late: number;
  extensions: { count: number; days: number };
  pausedDays: number;
}

/** Median and mean (one decimal) of the values; null for none. */
export function dayStats(values: readonly number[]): DayStats {
  if (values.length === 0) return { median: null, mean: null };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  const mean = Math.round((sorted.reduce((sum, v) => sum + v, 0) / sorted.length) * 10) / 10;
  return { median, mean };
}

const present = (value: number | null): value is number => value !== null;

/**
 * One summary per (process, stage) over the given reviews' visits, ongoing ones included as they
 * stand: by process id, then in the order of the process's stages.
 */
export function summarizeTimeliness(
  reviews: readonly { process: ProcessDefinition; visits: readonly StageVisit[] }[],
): StageSummary[] {
  const groups = new Map<string, { process: ProcessDefinition; stage: string; visits: StageVisit[] }>();
  for (const { process, visits } of reviews) {
    for (const visit of visits) {
      const key = JSON.stringify([process.id, visit.stage]);
      const group = groups.get(key) ?? { process, stage: visit.stage, visits: [] };
      group.visits.push(visit);
      groups.set(key, group);
    }
  }
  const position = (process: ProcessDefinition, stage: string) => {
    const i = process.stages.findIndex((s) => s.id === stage);
    return i < 0 ? process.stages.length : i;
  };
  return [...groups.values()]
    .sort(
      (a, b) =>
        a.process.id.localeCompare(b.process.id) ||
        position(a.process, a.stage) - position(b.process, b.stage) ||
        a.stage.localeCompare(b.stage),
    )
    .map(({ process, stage, visits }) => ({
      process: process.id,
      stage,
      visits: visits.length,
      ongoing: visits.filter((v) => v.ongoing).length,
      plannedDays: dayStats(visits.map((v) => v.plannedDays).filter(present)),
      actualDays: dayStats(visits.map((v) => v.actualDays)),
      daysLate: dayStats(visits.map((v) => v.daysLate).filter(present)),
      late: visits.filter((v) => (v.daysLate ?? 0) > 0).length,
      extensions: {
        count: visits.reduce((sum, v) => sum + v.extensions.count, 0),
        days: visits.reduce((sum, v) => sum + v.extensions.days, 0),
      },
      pausedDays: visits.reduce((sum, v) => sum + v.pausedDays, 0),
    }));
}
