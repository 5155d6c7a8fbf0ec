import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, compareInstants, deadlineInstant, localDate } from '#shared/domain/calendar.ts';
import { escalationOffsets, type PlanInput, planNotifications } from '#shared/domain/notification-plan.ts';
import { findStage, type Stage } from '#shared/domain/process-definition.ts';
import { UNTOC_PROCESS } from '#shared/domain/processes/untoc.ts';

const TZ = UNTOC_PROCESS.timeZone;
const stage = (id: string): Stage => {
  const s = findStage(UNTOC_PROCESS, id);
  if (!s) throw new Error(id);
  return s;
};

function input(overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    process: UNTOC_PROCESS,
    reviewId: 'rev-1',
    stage: stage('desk_review'),
    stageEpoch: 3,
    stageEnteredAt: '2027-01-04T10:00:00Z',
    deadline: '2027-07-05', // a Monday
    now: '2027-01-04T10:00:00Z',
    includeStageNotice: true,
    ...overrides,
  };
}

const byKind = (plan: ReturnType<typeof planNotifications>, kind: string) =>
  plan.filter((n) => n.kind === kind);
const viennaDay = (instant: string) => new Date(`${localDate(instant, TZ)}T12:00:00Z`).getUTCDay();

describe('planNotifications', () => {
  it('plans the stage notice at once to every participant', () => {
    const [notice] = byKind(planNotifications(input()), 'stage_notice');
    expect(notice).toMatchObject({ audience: 'participants', dueAt: '2027-01-04T10:00:00Z', occurrence: 1 });
    expect(byKind(planNotifications(input({ includeStageNotice: false })), 'stage_notice')).toEqual([]);
  });

  it('plans reminders 30, 14, 7 and 1 days before at 09:00 Vienna, weekends moved to Friday', () => {
    // A stage of 90 days: no long-stage reminder.
    const reminders = byKind(
      planNotifications(input({ stageEnteredAt: '2027-04-06T10:00:00Z', now: '2027-04-06T10:00:00Z' })),
      'reminder',
    );
    // Deadline Mon 5 Jul 2027: -30 = Sat 5 Jun -> Fri 4 Jun; -14 = Mon 21 Jun; -7 = Mon 28 Jun; -1 = Sun 4 Jul -> Fri 2 Jul.
    expect(reminders.map((r) => [r.offsetDays, r.dueAt, r.audience])).toEqual([
      [-30, '2027-06-04T07:00:00Z', 'responsible'],
      [-14, '2027-06-21T07:00:00Z', 'responsible'],
      [-7, '2027-06-28T07:00:00Z', 'responsible'],
      [-1, '2027-07-02T07:00:00Z', 'responsible'],
    ]);
  });

  it('adds a reminder 90 days before the deadline to a stage of 120 days or more', () => {
    // Entered 4 Jan, deadline 5 Jul 2027: 182 days. -90 = Tue 6 Apr.
    const long = byKind(planNotifications(input()), 'reminder');
    expect(long.map((r) => [r.occurrence, r.offsetDays, r.dueAt])).toEqual([
      [1, -90, '2027-04-06T07:00:00Z'],
      [2, -30, '2027-06-04T07:00:00Z'],
      [3, -14, '2027-06-21T07:00:00Z'],
      [4, -7, '2027-06-28T07:00:00Z'],
      [5, -1, '2027-07-02T07:00:00Z'],
    ]);
    // 119 days is not long; 120 is.
    const entered = (date: string) => ({ stageEnteredAt: `${date}T06:00:00Z`, now: `${date}T06:00:00Z` });
    expect(byKind(planNotifications(input(entered('2027-03-08'))), 'reminder')[0]?.offsetDays).toBe(-30);
    expect(byKind(planNotifications(input(entered('2027-03-07'))), 'reminder')[0]?.offsetDays).toBe(-90);
  });

  it('plans the overdue notice and six escalations, weekends moved to Monday', () => {
    const plan = planNotifications(input({ deadline: '2027-07-02' })); // a Friday
    expect(byKind(plan, 'overdue_notice').map((n) => [n.offsetDays, n.dueAt, n.audience])).toEqual([
      [1, '2027-07-05T07:00:00Z', 'responsible'], // Sat 3 Jul -> Mon 5 Jul
    ]);
    expect(byKind(plan, 'escalation').map((n) => [n.offsetDays, localDate(n.dueAt, TZ), n.audience])).toEqual(
      [
        [1, '2027-07-05', 'secretariat'],
        [14, '2027-07-16', 'secretariat'],
        [44, '2027-08-16', 'secretariat'], // Sun 15 Aug -> Mon 16 Aug
        [74, '2027-09-14', 'secretariat'],
        [104, '2027-10-14', 'secretariat'],
        [134, '2027-11-15', 'secretariat'], // Sat 13 Nov -> Mon 15 Nov
      ],
    );
  });

  it('keeps 09:00 Vienna across the DST switches (UTC+2 in summer, UTC+1 in winter)', () => {
    const plan = planNotifications(
      input({ deadline: '2027-11-03', stageEnteredAt: '2027-05-03T10:00:00Z', now: '2027-05-03T10:00:00Z' }),
    );
    const reminders = byKind(plan, 'reminder').filter((r) => r.offsetDays !== -90);
    expect(reminders[0]?.dueAt).toBe('2027-10-04T07:00:00Z'); // before the 31 Oct switch: UTC+2
    expect(reminders[2]?.dueAt).toBe('2027-10-27T07:00:00Z');
    expect(reminders[3]?.dueAt).toBe('2027-11-02T08:00:00Z'); // after it: UTC+1
  });

  it('skips reminders before the stage entry or already past', () => {
    const reminders = byKind(
      planNotifications(input({ stageEnteredAt: '2027-06-25T10:00:00Z', now: '2027-06-25T10:00:00Z' })),
      'reminder',
    );
    expect(reminders.map((r) => r.offsetDays)).toEqual([-7, -1]);
    const later = byKind(planNotifications(input({ now: '2027-06-28T07:00:00Z' })), 'reminder');
    expect(later.map((r) => r.offsetDays)).toEqual([-1]);
  });

  it('sends only the latest overdue escalation at once when the stage is entered late', () => {
    const now = '2027-07-25T12:00:00Z'; // 20 days after a 5 Jul deadline
    const plan = planNotifications(input({ stageEnteredAt: now, now }));
    expect(byKind(plan, 'reminder')).toEqual([]);
    expect(byKind(plan, 'overdue_notice').map((n) => [n.occurrence, n.dueAt])).toEqual([[1, now]]);
    const escalations = byKind(plan, 'escalation');
    expect(escalations.map((n) => [n.occurrence, n.offsetDays])).toEqual([
      [2, 14],
      [3, 44],
      [4, 74],
      [5, 104],
      [6, 134],
    ]);
    expect(escalations[0]?.dueAt).toBe(now);
  });

  it('plans only the notice for the terminal stage', () => {
    const plan = planNotifications(input({ stage: stage('completed'), deadline: null }));
    expect(plan.map((n) => n.kind)).toEqual(['stage_notice']);
  });

  it('builds ids from review, stage epoch, deadline, kind and occurrence', () => {
    const [first] = byKind(planNotifications(input()), 'reminder');
    expect(first?.id).toBe('rev-1#3#2027-07-05#reminder#1');
  });

  it('caps the escalation ladder', () => {
    expect(escalationOffsets([1, 14], 30, 6)).toEqual([1, 14, 44, 74, 104, 134]);
    expect(escalationOffsets([14, 1], 30, 1)).toEqual([1]);
    expect(escalationOffsets([1, 14], 30, 0)).toEqual([]);
  });
});

const instantArb = fc
  .integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2035-12-31T00:00:00Z') })
  .map((ms) => new Date(ms).toISOString().replace('.000Z', 'Z'));
type Scenario = { enteredAt: string; deadlineDays: number; nowDays: number; stageId: string };
const scenario: fc.Arbitrary<Scenario> = fc.record({
  enteredAt: instantArb,
  deadlineDays: fc.integer({ min: 0, max: 400 }),
  nowDays: fc.integer({ min: 0, max: 600 }),
  stageId: fc.constantFrom(
    'launched',
    'self_assessment',
    'desk_review',
    'dialogue',
    'observations',
    'summary',
  ),
});
function scenarioInput(s: Scenario): PlanInput {
  const deadline = addDays(localDate(s.enteredAt, TZ), s.deadlineDays);
  const now = new Date(Date.parse(s.enteredAt) + s.nowDays * 86_400_000 * 0.5).toISOString();
  return input({ stage: stage(s.stageId), stageEnteredAt: s.enteredAt, now, deadline });
}

describe('planNotifications properties', () => {
  it('puts every reminder after stage entry, after now, and before the deadline instant', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const i = scenarioInput(s);
        for (const r of byKind(planNotifications(i), 'reminder')) {
          expect(compareInstants(r.dueAt, i.stageEnteredAt)).toBeGreaterThanOrEqual(0);
          expect(compareInstants(r.dueAt, i.now)).toBeGreaterThan(0);
          expect(compareInstants(r.dueAt, deadlineInstant(i.deadline ?? '', TZ))).toBeLessThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never schedules a reminder, overdue notice or escalation on a Saturday or Sunday (unless sent at once)', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const i = scenarioInput(s);
        for (const n of planNotifications(i)) {
          if (n.kind === 'stage_notice' || n.dueAt === i.now) continue;
          expect([0, 6]).not.toContain(viennaDay(n.dueAt));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('puts every overdue notice and escalation strictly after the deadline instant', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const i = scenarioInput(s);
        const late = planNotifications(i).filter(
          (n) => n.kind === 'escalation' || n.kind === 'overdue_notice',
        );
        for (const n of late)
          expect(compareInstants(n.dueAt, deadlineInstant(i.deadline ?? '', TZ))).toBeGreaterThan(0);
        expect(byKind(planNotifications(i), 'escalation').length).toBeLessThanOrEqual(6);
      }),
      { numRuns: 300 },
    );
  });

  it('gives unique ids, stable when the same input is planned twice', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const i = scenarioInput(s);
        const a = planNotifications(i);
        const b = planNotifications(i);
        expect(new Set(a.map((n) => n.id)).size).toBe(a.length);
        expect(b).toEqual(a);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps nothing of the old deadline when re-planned after an extension', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 1, max: 200 }), (s, extraDays) => {
        const i = scenarioInput(s);
        const before = planNotifications(i);
        const extended = { ...i, deadline: addDays(i.deadline ?? '', extraDays), includeStageNotice: false };
        const after = planNotifications(extended);
        const oldIds = new Set(before.map((n) => n.id));
        for (const n of after) {
          expect(oldIds.has(n.id)).toBe(false);
          expect(n.deadline).toBe(extended.deadline);
        }
      }),
      { numRuns: 300 },
    );
  });
});
