import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, type Instant, localDate } from '#shared/domain/calendar.ts';
import { DomainError } from '#shared/domain/errors.ts';
import type { ProcessDefinition } from '#shared/domain/process-definition.ts';
import { UNCAC_PROCESS } from '#shared/domain/processes/uncac.ts';
import { UNTOC_PROCESS } from '#shared/domain/processes/untoc.ts';
import {
  changeDeadline,
  createReview,
  importReview,
  type NewReview,
  pause,
  type Review,
  type ReviewChange,
  type ReviewEvent,
  resume,
  transition,
} from '#shared/domain/review.ts';
import {
  dayStats,
  reviewTimeliness,
  type StageVisit,
  summarizeTimeliness,
} from '#shared/domain/timeliness.ts';

const actor = { id: 'user-123' };

function aNewReview(overrides: Partial<NewReview> = {}): NewReview {
  return {
    stateUnderReview: 'GRC',
    cluster: 1,
    group: 2,
    instruments: ['UNTOC'],
    reviewingStates: [
      { state: 'AUT', instruments: ['UNTOC'] },
      { state: 'BRA', instruments: ['UNTOC'] },
    ],
    language: 'en',
    launchedAt: '2027-01-11',
    ...overrides,
  };
}

/** A review's life told through the real rules of review.ts, each change at its own instant. */
class Story {
  review: Review;
  readonly history: ReviewEvent[] = [];

  constructor(
    readonly process: ProcessDefinition,
    at: Instant,
    overrides: Partial<NewReview> = {},
  ) {
    const created = createReview(process, aNewReview(overrides), { id: 'rev-1', now: at, actor });
    this.review = created.review;
    this.history.push(created.event);
  }

  private apply(change: ReviewChange): this {
    this.review = change.review;
    this.history.push(change.event);
    return this;
  }

  transition(at: Instant, to: string, deadline?: string): this {
    return this.apply(transition(this.process, this.review, { to, deadline }, { now: at, actor }));
  }
  pause(at: Instant): this {
    return this.apply(pause(this.process, this.review, 'elections', { now: at, actor }));
  }
  resume(at: Instant): this {
    return this.apply(resume(this.review, 'government formed', { now: at, actor }));
  }
  deadline(at: Instant, deadline: string): this {
    return this.apply(changeDeadline(this.process, this.review, deadline, 'asked for', { now: at, actor }));
  }

  timeliness(now: Instant) {
    return reviewTimeliness({ process: this.process, review: this.review, history: this.history, now });
  }
}

const untoc = (at = '2027-01-11T09:00:00Z', overrides: Partial<NewReview> = {}) =>
  new Story(UNTOC_PROCESS, at, overrides);

describe('reviewTimeliness', () => {
  it('measures each stage visit: planned days from the entry deadline, actual days to the exit or today', () => {
    const story = untoc().transition('2027-01-20T14:00:00Z', 'self_assessment');
    const { visits, completedOn } = story.timeliness('2027-02-01T10:00:00Z');
    expect(completedOn).toBeNull();
    expect(visits).toEqual([
      {
        stage: 'launched',
        stageEpoch: 1,
        enteredAt: '2027-01-11T09:00:00Z',
        enteredOn: '2027-01-11',
        leftAt: '2027-01-20T14:00:00Z',
        leftOn: '2027-01-20',
        ongoing: false,
        paused: false,
        plannedDeadline: '2027-01-25',
        finalDeadline: '2027-01-25',
        plannedDays: 14,
        actualDays: 9,
        extensions: { count: 0, days: 0 },
        pausedDays: 0,
        daysLate: 0,
      },
      {
        stage: 'self_assessment',
        stageEpoch: 2,
        enteredAt: '2027-01-20T14:00:00Z',
        enteredOn: '2027-01-20',
        leftAt: null,
        leftOn: null,
        ongoing: true,
        paused: false,
        // T0 + 6 months, counted from the launch date.
        plannedDeadline: '2027-07-11',
        finalDeadline: '2027-07-11',
        plannedDays: 172,
        actualDays: 12,
        extensions: { count: 0, days: 0 },
        pausedDays: 0,
        daysLate: 0,
      },
    ]);
  });

  it('counts days late beyond the planned deadline; an extension moves the deadline, not the plan', () => {
    const story = untoc()
      .deadline('2027-01-20T09:00:00Z', '2027-02-04')
      .transition('2027-02-03T09:00:00Z', 'self_assessment');
    const [launched] = story.timeliness('2027-02-03T09:00:00Z').visits;
    expect(launched).toMatchObject({
      plannedDeadline: '2027-01-25',
      finalDeadline: '2027-02-04',
      plannedDays: 14,
      actualDays: 23,
      extensions: { count: 1, days: 10 },
      daysLate: 9,
    });
  });

  it('nets an extension and a shortening out, counting both', () => {
    const story = untoc()
      .deadline('2027-01-12T09:00:00Z', '2027-02-25')
      .deadline('2027-01-13T09:00:00Z', '2027-01-25');
    const [launched] = story.timeliness('2027-01-14T09:00:00Z').visits;
    expect(launched).toMatchObject({ extensions: { count: 2, days: 0 }, finalDeadline: '2027-01-25' });
  });

  it('counts paused days as calendar days, and does not count them late', () => {
    // Paused three days; the resume moves the deadline by three, and the stage ends on it.
    const story = untoc()
      .pause('2027-01-13T10:00:00Z')
      .resume('2027-01-16T10:00:00Z')
      .transition('2027-01-28T10:00:00Z', 'self_assessment');
    const [launched] = story.timeliness('2027-02-01T10:00:00Z').visits;
    expect(launched).toMatchObject({
      finalDeadline: '2027-01-28',
      plannedDays: 14,
      actualDays: 17,
      pausedDays: 3,
      extensions: { count: 0, days: 0 },
      daysLate: 0,
    });
  });

  it('counts a pause still running to today and marks the visit paused', () => {
    const story = untoc().pause('2027-01-13T10:00:00Z');
    const [launched] = story.timeliness('2027-01-30T08:00:00Z').visits;
    expect(launched).toMatchObject({
      ongoing: true,
      paused: true,
      actualDays: 19,
      pausedDays: 17,
      daysLate: 0,
    });
  });

  it('keeps the visits of a rework apart, each with its own epoch and ledger entries', () => {
    const story = untoc()
      .transition('2027-01-20T09:00:00Z', 'self_assessment')
      .transition('2027-03-01T09:00:00Z', 'desk_review')
      .transition('2027-06-01T09:00:00Z', 'dialogue')
      .transition('2027-07-01T09:00:00Z', 'desk_review')
      .deadline('2027-07-02T09:00:00Z', '2028-01-15');
    const visits = story.timeliness('2027-07-10T09:00:00Z').visits;
    const desk = visits.filter((v) => v.stage === 'desk_review');
    expect(desk.map((v) => [v.stageEpoch, v.enteredOn, v.leftOn, v.extensions.count])).toEqual([
      [3, '2027-03-01', '2027-06-01', 0],
      [5, '2027-07-01', null, 1],
    ]);
    expect(desk[1]).toMatchObject({ plannedDeadline: '2028-01-01', extensions: { days: 14 } });
    expect(visits.map((v) => v.stageEpoch)).toEqual([1, 2, 3, 4, 5]);
  });

  it('places an entry made in the instant of a transition in the stage it names', () => {
    const at = '2027-01-20T09:00:00Z';
    const story = untoc()
      .deadline(at, '2027-02-01')
      .transition(at, 'self_assessment')
      .deadline(at, '2027-08-01');
    const [launched, selfAssessment] = story.timeliness('2027-01-21T09:00:00Z').visits;
    expect(launched?.extensions).toEqual({ count: 1, days: 7 });
    expect(selfAssessment?.extensions).toEqual({ count: 1, days: 21 });
  });

  it('leaves the terminal stage out and gives the date the review was completed', () => {
    const story = untoc()
      .transition('2027-01-20T09:00:00Z', 'self_assessment')
      .transition('2027-03-01T09:00:00Z', 'desk_review')
      .transition('2027-06-01T09:00:00Z', 'dialogue')
      .transition('2027-07-01T09:00:00Z', 'observations')
      .transition('2027-08-01T09:00:00Z', 'summary')
      .transition('2027-09-01T09:00:00Z', 'completed');
    const { visits, completedOn } = story.timeliness('2028-01-01T09:00:00Z');
    expect(visits.map((v) => v.stage)).toEqual([
      'launched',
      'self_assessment',
      'desk_review',
      'dialogue',
      'observations',
      'summary',
    ]);
    expect(visits.every((v) => !v.ongoing)).toBe(true);
    expect(completedOn).toBe('2027-09-01');
  });

  it('counts calendar days in the time zone of record across a DST switch', () => {
    // 23:30 on 27 March (CET) to 00:30 on 29 March (CEST): 24 hours, two Vienna dates apart.
    const story = untoc('2027-03-27T22:30:00Z', { launchedAt: '2027-03-27' });
    const [vienna] = story.timeliness('2027-03-28T22:30:00Z').visits;
    expect(vienna).toMatchObject({ enteredOn: '2027-03-27', actualDays: 2 });
    // The same instants in New York are on the same side of midnight: one day.
    const newYork = { ...UNTOC_PROCESS, timeZone: 'America/New_York' };
    const [there] = reviewTimeliness({
      process: newYork,
      review: story.review,
      history: story.history,
      now: '2027-03-28T22:30:00Z',
    }).visits;
    expect(there).toMatchObject({ enteredOn: '2027-03-27', actualDays: 1 });
  });

  it('counts across month ends by the calendar (28 days in February 2027)', () => {
    const story = untoc('2027-01-31T09:00:00Z', { launchedAt: '2027-01-31' }).transition(
      '2027-03-01T09:00:00Z',
      'self_assessment',
    );
    const [launched, selfAssessment] = story.timeliness('2027-03-01T10:00:00Z').visits;
    expect(launched).toMatchObject({ actualDays: 29, plannedDeadline: '2027-02-14', daysLate: 15 });
    // 31 Jan + 6 months is 31 July.
    expect(selfAssessment).toMatchObject({ plannedDeadline: '2027-07-31', plannedDays: 152 });
  });

  it('gives a stage entered after its launch-based deadline negative planned days, late from the start', () => {
    const story = untoc().transition('2027-08-01T09:00:00Z', 'self_assessment');
    const selfAssessment = story.timeliness('2027-08-11T09:00:00Z').visits[1];
    expect(selfAssessment).toMatchObject({ plannedDeadline: '2027-07-11', plannedDays: -21, daysLate: 31 });
  });
});

describe('reviewTimeliness of a review brought in already in flight', () => {
  it('starts its first visit when it entered that stage, not when it was imported', () => {
    const imported = importReview(
      UNTOC_PROCESS,
      {
        ...aNewReview({ launchedAt: '2027-01-04' }),
        stage: 'desk_review',
        stageEnteredAt: '2027-02-01',
        deadline: '2027-08-01',
      },
      { id: 'rev-1', now: '2027-03-01T09:00:00Z', actor },
    );
    const { visits } = reviewTimeliness({
      process: UNTOC_PROCESS,
      review: imported.review,
      history: [imported.event],
      now: '2027-03-11T09:00:00Z',
    });
    expect(visits).toEqual([
      expect.objectContaining({
        stage: 'desk_review',
        stageEpoch: 1,
        // The start of that day in Vienna.
        enteredAt: '2027-01-31T23:00:00Z',
        enteredOn: '2027-02-01',
        plannedDeadline: '2027-08-01',
        plannedDays: 181,
        actualDays: 38,
        ongoing: true,
      }),
    ]);
  });

  it('gives one imported as completed its completion date and no visit', () => {
    const imported = importReview(
      UNTOC_PROCESS,
      { ...aNewReview(), stage: 'completed', stageEnteredAt: '2027-02-01T10:00:00Z' },
      { id: 'rev-1', now: '2027-03-01T09:00:00Z', actor },
    );
    expect(
      reviewTimeliness({
        process: UNTOC_PROCESS,
        review: imported.review,
        history: [imported.event],
        now: '2027-03-11T09:00:00Z',
      }),
    ).toEqual({ visits: [], completedOn: '2027-02-01' });
  });
});

describe('summarizeTimeliness', () => {
  const visit = (overrides: Partial<StageVisit>): StageVisit => ({
    stage: 'launched',
    stageEpoch: 1,
    enteredAt: '2027-01-11T09:00:00Z',
    enteredOn: '2027-01-11',
    leftAt: null,
    leftOn: null,
    ongoing: true,
    paused: false,
    plannedDeadline: '2027-01-25',
    finalDeadline: '2027-01-25',
    plannedDays: 14,
    actualDays: 10,
    extensions: { count: 0, days: 0 },
    pausedDays: 0,
    daysLate: 0,
    ...overrides,
  });

  it('sums each stage of each process: medians, means, late visits, extensions and paused days', () => {
    const summary = summarizeTimeliness([
      {
        process: UNTOC_PROCESS,
        visits: [
          visit({
            stage: 'self_assessment',
            plannedDays: 180,
            actualDays: 200,
            daysLate: 20,
            ongoing: false,
          }),
          visit({ actualDays: 20, daysLate: 6, extensions: { count: 1, days: 10 }, ongoing: false }),
        ],
      },
      { process: UNCAC_PROCESS, visits: [visit({ actualDays: 3 })] },
      {
        process: UNTOC_PROCESS,
        visits: [
          visit({ actualDays: 11, pausedDays: 4 }),
          visit({ plannedDays: null, daysLate: null, actualDays: 1, extensions: { count: 2, days: -3 } }),
        ],
      },
    ]);
    expect(summary.map((s) => [s.process, s.stage])).toEqual([
      ['uncac', 'launched'],
      ['untoc', 'launched'],
      ['untoc', 'self_assessment'],
    ]);
    expect(summary[1]).toEqual({
      process: 'untoc',
      stage: 'launched',
      visits: 3,
      ongoing: 2,
      plannedDays: { median: 14, mean: 14 },
      actualDays: { median: 11, mean: 10.7 },
      daysLate: { median: 3, mean: 3 },
      late: 1,
      extensions: { count: 3, days: 7 },
      pausedDays: 4,
    });
  });

  it('takes the mean of the two middle values as the median of an even count, null for none', () => {
    expect(dayStats([4, 1, 3, 10])).toEqual({ median: 3.5, mean: 4.5 });
    expect(dayStats([])).toEqual({ median: null, mean: null });
    expect(dayStats([-2])).toEqual({ median: -2, mean: -2 });
  });
});

/** One step of a random review life: a change the rules may refuse (then it is skipped) after some time. */
type Step =
  | { kind: 'wait'; minutes: number }
  | { kind: 'transition'; pick: number; explicit: number | null }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'deadline'; days: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('wait' as const),
      minutes: fc.integer({ min: 1, max: 60 * 24 * 45 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('transition' as const),
      pick: fc.nat(),
      explicit: fc.option(fc.integer({ min: 0, max: 300 })),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('pause' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('resume' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('deadline' as const), days: fc.integer({ min: 0, max: 200 }) }),
  },
);

/** Any instant of 2026–2028, DST switches and month ends included. */
const start = fc
  .integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2028-12-31T00:00:00Z') })
  .map((ms) => new Date(ms).toISOString());

/** A review lived through the steps, with `now` after the last. */
function live(process: ProcessDefinition, from: Instant, steps: Step[]): { story: Story; now: Instant } {
  let now = from;
  const story = new Story(process, now, {
    launchedAt: localDate(now, process.timeZone),
    instruments: [process.instruments[0] ?? 'UNTOC'],
    reviewingStates: [
      { state: 'AUT', instruments: [process.instruments[0] ?? 'UNTOC'] },
      { state: 'BRA', instruments: [process.instruments[0] ?? 'UNTOC'] },
    ],
  });
  const today = () => localDate(now, process.timeZone);
  for (const s of steps) {
    try {
      if (s.kind === 'wait') now = new Date(Date.parse(now) + s.minutes * 60_000).toISOString();
      else if (s.kind === 'pause') story.pause(now);
      else if (s.kind === 'resume') story.resume(now);
      else if (s.kind === 'deadline') story.deadline(now, addDays(today(), s.days));
      else {
        const next = process.transitions.filter((t) => t.from === story.review.stage);
        const to = next[s.pick % Math.max(1, next.length)]?.to;
        if (to === undefined) continue;
        const terminal = process.stages.find((st) => st.id === to)?.terminal === true;
        story.transition(now, to, s.explicit === null || terminal ? undefined : addDays(today(), s.explicit));
      }
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  }
  return { story, now };
}

const processes = fc.constantFrom(UNTOC_PROCESS, UNCAC_PROCESS);
const lives = fc.record({ process: processes, from: start, steps: fc.array(step, { maxLength: 40 }) });

describe('reviewTimeliness (properties)', () => {
  it('adds the visits up: actual days sum to the days from the first entry to the exit or today', () => {
    fc.assert(
      fc.property(lives, ({ process, from, steps }) => {
        const { story, now } = live(process, from, steps);
        const { visits, completedOn } = story.timeliness(now);
        const first = visits[0];
        if (!first) return;
        const end = completedOn ?? localDate(now, process.timeZone);
        expect(visits.reduce((sum, v) => sum + v.actualDays, 0)).toBe(daysBetween(first.enteredOn, end));
        visits.slice(1).forEach((v, i) => {
          expect(v.enteredOn).toBe(visits[i]?.leftOn);
        });
      }),
    );
  });

  it('never counts more paused days than actual ones, nor late days below 0', () => {
    fc.assert(
      fc.property(lives, ({ process, from, steps }) => {
        const { story, now } = live(process, from, steps);
        for (const v of story.timeliness(now).visits) {
          expect(v.pausedDays).toBeGreaterThanOrEqual(0);
          expect(v.pausedDays).toBeLessThanOrEqual(v.actualDays);
          if (v.plannedDays === null) expect(v.daysLate).toBeNull();
          else expect(v.daysLate).toBe(Math.max(0, v.actualDays - v.pausedDays - v.plannedDays));
        }
      }),
    );
  });

  it('has one visit per stage entry but the terminal one, consecutive epochs, only the last ongoing', () => {
    fc.assert(
      fc.property(lives, ({ process, from, steps }) => {
        const { story, now } = live(process, from, steps);
        const { visits, completedOn } = story.timeliness(now);
        const entries = story.history.filter((e) => e.type === 'created' || e.type === 'transitioned').length;
        expect(visits).toHaveLength(completedOn === null ? entries : entries - 1);
        expect(visits.map((v) => v.stageEpoch)).toEqual(visits.map((_, i) => i + 1));
        expect(visits.map((v) => v.ongoing)).toEqual(
          visits.map((_, i) => completedOn === null && i === visits.length - 1),
        );
        const last = visits.at(-1);
        if (completedOn === null && last) {
          expect(last.stageEpoch).toBe(story.review.stageEpoch);
          expect(last.finalDeadline).toBe(story.review.deadline);
          expect(last.paused).toBe(story.review.paused !== null);
        }
      }),
    );
  });

  it('counts every explicit deadline change once, in its own visit; without pauses they explain the final deadline', () => {
    fc.assert(
      fc.property(lives, ({ process, from, steps }) => {
        const { story, now } = live(process, from, steps);
        const { visits } = story.timeliness(now);
        const changes = story.history.filter((e) => e.type === 'deadline_changed').length;
        expect(visits.reduce((sum, v) => sum + v.extensions.count, 0)).toBe(changes);
        for (const v of visits) {
          if (v.pausedDays > 0 || v.paused || v.plannedDeadline === null || v.finalDeadline === null)
            continue;
          const resumed = story.review.ledger.some(
            (e) =>
              e.kind === 'resume' &&
              e.stage === v.stage &&
              e.at >= v.enteredAt &&
              (v.leftAt === null || e.at <= v.leftAt),
          );
          if (resumed) continue;
          expect(daysBetween(v.plannedDeadline, v.finalDeadline)).toBe(v.extensions.days);
        }
      }),
    );
  });

  it('nets an extension and the shortening back out, whenever they happen', () => {
    fc.assert(
      fc.property(lives, fc.integer({ min: 1, max: 120 }), ({ process, from, steps }, by) => {
        const { story, now } = live(process, from, steps);
        const { deadline } = story.review;
        if (deadline === null || story.review.stage === 'completed') return;
        const today = localDate(now, process.timeZone);
        if (deadline < today) return;
        const before = story.timeliness(now).visits.at(-1);
        story.deadline(now, addDays(deadline, by)).deadline(now, deadline);
        const after = story.timeliness(now).visits.at(-1);
        expect(after?.extensions).toEqual({
          count: (before?.extensions.count ?? 0) + 2,
          days: before?.extensions.days ?? 0,
        });
        expect(after?.finalDeadline).toBe(before?.finalDeadline);
      }),
    );
  });

  it('summarizes exactly the visits it is given', () => {
    fc.assert(
      fc.property(fc.array(lives, { maxLength: 5 }), (all) => {
        const measured = all.map(({ process, from, steps }) => {
          const { story, now } = live(process, from, steps);
          return { process, visits: story.timeliness(now).visits };
        });
        const summary = summarizeTimeliness(measured);
        const visits = measured.flatMap((m) => m.visits);
        expect(summary.reduce((sum, s) => sum + s.visits, 0)).toBe(visits.length);
        expect(summary.reduce((sum, s) => sum + s.pausedDays, 0)).toBe(
          visits.reduce((sum, v) => sum + v.pausedDays, 0),
        );
        expect(summary.reduce((sum, s) => sum + s.extensions.days, 0)).toBe(
          visits.reduce((sum, v) => sum + v.extensions.days, 0),
        );
        for (const s of summary) {
          if (s.actualDays.median === null) continue;
          expect(s.actualDays.mean).not.toBeNull();
        }
      }),
    );
  });
});
