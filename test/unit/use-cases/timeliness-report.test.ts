import { beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from '#shared/domain/errors.ts';
import type { ProcessDefinition } from '#shared/domain/process-definition.ts';
import { createProcessRegistry } from '#shared/domain/process-registry.ts';
import { UNCAC_PROCESS } from '#shared/domain/processes/uncac.ts';
import { UNTOC_PROCESS } from '#shared/domain/processes/untoc.ts';
import {
  changeDeadline,
  createReview,
  type NewReview,
  pause,
  type Review,
  type ReviewChange,
  type ReviewEvent,
  transition,
} from '#shared/domain/review.ts';
import { fixedClock } from '#shared/ports/clock.ts';
import { InvalidCursorError } from '#shared/ports/review-repository.ts';
import { type TimelinessDeps, timelinessReportUseCase } from '#shared/use-cases/timeliness-report.ts';
import { InMemoryTimelinessSource } from '../fakes/in-memory-timeliness-source.ts';

const actor = { id: 'user-123' };
const NOW = '2027-03-01T10:00:00Z';
let source: InMemoryTimelinessSource;
let deps: TimelinessDeps;

beforeEach(() => {
  source = new InMemoryTimelinessSource();
  deps = {
    processes: createProcessRegistry([UNTOC_PROCESS, UNCAC_PROCESS]),
    timeliness: source,
    clock: fixedClock(NOW),
  };
});

function aNewReview(process: ProcessDefinition, overrides: Partial<NewReview>): NewReview {
  const instrument = process.instruments[0] ?? 'UNTOC';
  return {
    stateUnderReview: 'GRC',
    cluster: 1,
    group: 2,
    instruments: [instrument],
    reviewingStates: [
      { state: 'AUT', instruments: [instrument] },
      { state: 'BRA', instruments: [instrument] },
    ],
    language: 'en',
    launchedAt: '2027-01-11',
    ...overrides,
  };
}

/** Stores a review created at `at` and then changed by `then`, with its history. */
function stored(
  id: string,
  at: string,
  options: {
    process?: ProcessDefinition;
    review?: Partial<NewReview>;
    changes?: ((review: Review) => ReviewChange)[];
  } = {},
): Review {
  const process = options.process ?? UNTOC_PROCESS;
  const created = createReview(process, aNewReview(process, options.review ?? {}), { id, now: at, actor });
  let review = created.review;
  const history: ReviewEvent[] = [created.event];
  for (const change of options.changes ?? []) {
    const next = change(review);
    review = next.review;
    history.push(next.event);
  }
  source.records.push({ review, history });
  return review;
}

describe('timelinessReportUseCase', () => {
  it('measures every review of the page in its own process and sums the page up per stage', async () => {
    // Arrange
    stored('rev-a', '2027-01-11T09:00:00Z', {
      changes: [
        (r) =>
          changeDeadline(UNTOC_PROCESS, r, '2027-02-01', 'asked', { now: '2027-01-20T09:00:00Z', actor }),
        (r) =>
          transition(UNTOC_PROCESS, r, { to: 'self_assessment' }, { now: '2027-01-30T09:00:00Z', actor }),
      ],
    });
    stored('rev-b', '2027-01-12T09:00:00Z', {
      process: UNCAC_PROCESS,
      review: { cluster: 2, group: null },
      changes: [(r) => pause(UNCAC_PROCESS, r, 'elections', { now: '2027-02-01T09:00:00Z', actor })],
    });

    // Act
    const report = await timelinessReportUseCase(deps, { limit: 10 });

    // Assert
    expect(report.generatedAt).toBe(NOW);
    expect(report.nextCursor).toBeNull();
    expect(report.items.map((r) => [r.id, r.process, r.stage, r.paused, r.cluster, r.group])).toEqual([
      ['rev-b', 'uncac', 'launched', true, 2, null],
      ['rev-a', 'untoc', 'self_assessment', false, 1, 2],
    ]);
    const [uncac, untoc] = report.items;
    expect(uncac).toMatchObject({ timeZone: 'Europe/Vienna', completedOn: null, reference: 'GRC-C2-2027' });
    // UNCAC's launch stage is planned at T0 + 21 days.
    expect(uncac?.visits).toEqual([
      expect.objectContaining({
        stage: 'launched',
        plannedDays: 20,
        actualDays: 48,
        pausedDays: 28,
        daysLate: 0,
      }),
    ]);
    expect(
      untoc?.visits.map((v) => [v.stage, v.plannedDays, v.actualDays, v.extensions, v.daysLate]),
    ).toEqual([
      ['launched', 14, 19, { count: 1, days: 7 }, 5],
      ['self_assessment', 162, 30, { count: 0, days: 0 }, 0],
    ]);
    expect(report.summary.map((s) => [s.process, s.stage, s.visits, s.late])).toEqual([
      ['uncac', 'launched', 1, 0],
      ['untoc', 'launched', 1, 1],
      ['untoc', 'self_assessment', 1, 0],
    ]);
  });

  it('asks the source for the filters and the page, the process by its own id whatever the case given', async () => {
    // Arrange
    stored('rev-a', '2027-01-11T09:00:00Z', { review: { cluster: 1, group: 1 }, process: UNCAC_PROCESS });

    // Act
    const report = await timelinessReportUseCase(deps, {
      cluster: 2,
      group: 1,
      process: 'UNCAC',
      limit: 5,
      cursor: 'at-0',
    });

    // Assert
    expect(source.queries).toEqual([{ cluster: 2, group: 1, processId: 'uncac', limit: 5, cursor: 'at-0' }]);
    expect(report.items).toEqual([]);
    expect(report.summary).toEqual([]);
  });

  it('pages on with the cursor the source hands out', async () => {
    // Arrange
    for (const day of ['11', '12', '13']) stored(`rev-${day}`, `2027-01-${day}T09:00:00Z`);

    // Act
    const first = await timelinessReportUseCase(deps, { limit: 2 });
    const second = await timelinessReportUseCase(deps, { limit: 2, cursor: first.nextCursor ?? undefined });

    // Assert
    expect(first.items.map((r) => r.id)).toEqual(['rev-13', 'rev-12']);
    expect(second.items.map((r) => r.id)).toEqual(['rev-11']);
    expect(second.nextCursor).toBeNull();
    await expect(timelinessReportUseCase(deps, { limit: 2, cursor: 'forged' })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
  });

  it('refuses a process the deployment does not ship, naming the ones it does', async () => {
    // Act
    const refused = timelinessReportUseCase(deps, { process: 'unicef', limit: 5 });

    // Assert
    await expect(refused).rejects.toBeInstanceOf(InvalidInputError);
    await expect(refused).rejects.toMatchObject({
      issues: [{ path: 'process', message: expect.stringContaining('untoc, uncac') }],
    });
    expect(source.queries).toEqual([]);
  });

  it("counts each review's days in its process's time zone of record", async () => {
    // Arrange: entered 23:30 in Vienna on 11 January, already 12 January in Tokyo.
    const tokyo = { ...UNCAC_PROCESS, timeZone: 'Asia/Tokyo' };
    deps.processes = createProcessRegistry([UNTOC_PROCESS, tokyo]);
    stored('rev-v', '2027-01-11T22:30:00Z');
    stored('rev-t', '2027-01-11T22:30:00Z', { process: tokyo });

    // Act
    const report = await timelinessReportUseCase(deps, { limit: 5 });

    // Assert
    const entered = Object.fromEntries(report.items.map((r) => [r.id, [r.timeZone, r.visits[0]?.enteredOn]]));
    expect(entered).toEqual({
      'rev-v': ['Europe/Vienna', '2027-01-11'],
      'rev-t': ['Asia/Tokyo', '2027-01-12'],
    });
  });
});
