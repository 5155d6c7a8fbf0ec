import type { CalendarDate, Instant } from '#shared/domain/calendar.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import type { ProcessDefinition } from '#shared/domain/process-definition.ts';
import type { ProcessRegistry } from '#shared/domain/process-registry.ts';
import {
  reviewTimeliness,
  type StageSummary,
  type StageVisit,
  summarizeTimeliness,
} from '#shared/domain/timeliness.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { TimelinessSource } from '#shared/ports/timeliness-source.ts';

/** What the timeliness report needs. */
export interface TimelinessDeps {
  /** Each review's process, for its stages and its time zone of record. */
  processes: ProcessRegistry;
  timeliness: TimelinessSource;
  clock: Clock;
}

/** Filters and page of `GET /reports/timeliness`. */
export interface TimelinessReportInput {
  cluster?: number | undefined;
  group?: number | undefined;
  /** A process id this deployment ships (any case). */
  process?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** One review of the report, with its stage visits oldest first. */
export interface TimelinessRow {
  id: string;
  reference: string;
  process: string;
  stateUnderReview: string;
  cluster: number;
  group: number | null;
  /** The current stage. */
  stage: string;
  paused: boolean;
  /** The time zone every date and day count of the row is in. */
  timeZone: string;
  completedOn: CalendarDate | null;
  visits: StageVisit[];
}

export interface TimelinessReport {
  /** The instant the ongoing visits are counted to. */
  generatedAt: Instant;
  items: TimelinessRow[];
  /** Per process and stage, over the visits of `items` (this page). */
  summary: StageSummary[];
  nextCursor: string | null;
}

/**
 * The timeliness report (DESIGN §2): one page of reviews, newest first, each with its stage visits
 * (planned against actual days, extensions, paused days, days late), and a summary per stage of the
 * page's visits. Each review is measured in its own process's time zone of record.
 * @throws InvalidInputError for a process this deployment does not ship
 * @throws InvalidCursorError for a cursor not issued for these filters
 */
export async function timelinessReportUseCase(
  deps: TimelinessDeps,
  input: TimelinessReportInput,
): Promise<TimelinessReport> {
  let processId: string | undefined;
  if (input.process !== undefined) {
    const found = deps.processes.find(input.process);
    if (!found) {
      const shipped = deps.processes.all().map((p) => p.id);
      throw new InvalidInputError('Unknown process.', [
        { path: 'process', message: `not a process of this deployment (${shipped.join(', ')})` },
      ]);
    }
    processId = found.id;
  }
  const now = deps.clock.now();
  const page = await deps.timeliness.page({
    cluster: input.cluster,
    group: input.group,
    processId,
    limit: input.limit,
    cursor: input.cursor,
  });
  const measured: { process: ProcessDefinition; row: TimelinessRow }[] = page.items.map(
    ({ review, history }) => {
      const process = deps.processes.of(review);
      const { visits, completedOn } = reviewTimeliness({ process, review, history, now });
      return {
        process,
        row: {
          id: review.id,
          reference: review.reference,
          process: process.id,
          stateUnderReview: review.stateUnderReview,
          cluster: review.cluster,
          group: review.group,
          stage: review.stage,
          paused: review.paused !== null,
          timeZone: process.timeZone,
          completedOn,
          visits,
        },
      };
    },
  );
  return {
    generatedAt: now,
    items: measured.map((m) => m.row),
    summary: summarizeTimeliness(measured.map((m) => ({ process: m.process, visits: m.row.visits }))),
    nextCursor: page.nextCursor,
  };
}
