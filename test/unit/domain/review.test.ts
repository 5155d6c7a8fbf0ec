import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  IllegalTransitionError,
  InvalidInputError,
  ReviewCompletedError,
  ReviewNotPausedError,
  ReviewPausedError,
  VersionConflictError,
} from '#shared/domain/errors.ts';
import { UNTOC_PROCESS } from '#shared/domain/processes/untoc.ts';
import {
  changeDeadline,
  createReview,
  isOverdue,
  participants,
  pause,
  type Review,
  resume,
  reviewDaysOverdue,
  setFocalPoint,
  transition,
} from '#shared/domain/review.ts';
import { aNewReview, aReview, secretariat } from './factories.ts';

const ctx = (now: string) => ({ now, actor: secretariat });

describe('createReview', () => {
  it('starts in the launched stage with a deadline fourteen days after launch', () => {
    const { review, event } = createReview(UNTOC_PROCESS, aNewReview(), {
      id: 'r1',
      ...ctx('2027-01-12T10:00:00Z'),
    });
    expect(review).toMatchObject({
      stage: 'launched',
      stageEpoch: 1,
      version: 1,
      deadline: '2027-01-25',
      paused: null,
    });
    expect(event).toMatchObject({ type: 'created', version: 1, stage: 'launched', by: 'user-123' });
    expect(participants(review)).toEqual(['GRC', 'AUT', 'BRA']);
  });

  it('refuses a State reviewing itself, duplicates and too few reviewers per instrument', () => {
    const act = () =>
      createReview(
        UNTOC_PROCESS,
        aNewReview({
          reviewingStates: [
            { state: 'GRC', instruments: ['UNTOC'] },
            { state: 'AUT', instruments: ['UNTOC', 'TIP'] },
            { state: 'AUT', instruments: ['UNTOC'] },
          ],
          focalPoints: { FRA: { name: 'X', email: 'x@fra.example', language: 'fr' } },
        }),
        { id: 'r1', ...ctx('2027-01-12T10:00:00Z') },
      );
    expect(act).toThrow(InvalidInputError);
    try {
      act();
    } catch (e) {
      const paths = (e as InvalidInputError).issues.map((i) => i.path);
      expect(paths).toEqual(
        expect.arrayContaining([
          'reviewingStates.0.state',
          'reviewingStates.2.state',
          'reviewingStates',
          'focalPoints.FRA',
        ]),
      );
    }
  });
});

describe('transition', () => {
  it('moves to the next stage with the rule deadline and bumps version and epoch', () => {
    const review = aReview();
    const { review: next, event } = transition(
      UNTOC_PROCESS,
      review,
      { to: 'self_assessment' },
      ctx('2027-01-20T10:00:00Z'),
    );
    expect(next).toMatchObject({
      stage: 'self_assessment',
      stageEpoch: 2,
      version: 2,
      deadline: '2027-07-11',
    });
    expect(next.stageEnteredAt).toBe('2027-01-20T10:00:00Z');
    expect(event).toMatchObject({
      type: 'transitioned',
      fromStage: 'launched',
      stage: 'self_assessment',
      version: 2,
    });
  });

  it('counts a stage-entry deadline from the entry date in Vienna, not in UTC', () => {
    let review = transition(
      UNTOC_PROCESS,
      aReview(),
      { to: 'self_assessment' },
      ctx('2027-01-20T10:00:00Z'),
    ).review;
    // 23:30 UTC on 31 Aug is already 1 Sep in Vienna.
    review = transition(UNTOC_PROCESS, review, { to: 'desk_review' }, ctx('2027-08-31T22:30:00Z')).review;
    expect(review.deadline).toBe('2028-03-01');
    review = transition(
      UNTOC_PROCESS,
      aReview(),
      { to: 'self_assessment' },
      ctx('2027-01-20T10:00:00Z'),
    ).review;
    review = transition(UNTOC_PROCESS, review, { to: 'desk_review' }, ctx('2027-08-31T10:00:00Z')).review;
    expect(review.deadline).toBe('2028-02-29');
  });

  it('uses an explicit deadline instead of the rule', () => {
    const { review } = transition(
      UNTOC_PROCESS,
      aReview(),
      { to: 'self_assessment', deadline: '2027-09-30' },
      ctx('2027-01-20T10:00:00Z'),
    );
    expect(review.deadline).toBe('2027-09-30');
  });

  it('refuses an explicit deadline before today in Vienna', () => {
    expect(() =>
      transition(
        UNTOC_PROCESS,
        aReview(),
        { to: 'self_assessment', deadline: '2027-01-19' },
        ctx('2027-01-20T10:00:00Z'),
      ),
    ).toThrow(InvalidInputError);
  });

  it('refuses an edge the process does not allow, naming the allowed ones', () => {
    const act = () => transition(UNTOC_PROCESS, aReview(), { to: 'summary' }, ctx('2027-01-20T10:00:00Z'));
    expect(act).toThrow(IllegalTransitionError);
    expect(act).toThrow(/launched cannot move to summary/);
  });

  it('refuses a stale expectedVersion and reports the current one', () => {
    try {
      transition(
        UNTOC_PROCESS,
        aReview(),
        { to: 'self_assessment', expectedVersion: 7 },
        ctx('2027-01-20T10:00:00Z'),
      );
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(VersionConflictError);
      expect((e as VersionConflictError).currentVersion).toBe(1);
    }
  });

  it('refuses to move a paused review', () => {
    const paused = pause(UNTOC_PROCESS, aReview(), 'elections', ctx('2027-01-15T10:00:00Z')).review;
    expect(() =>
      transition(UNTOC_PROCESS, paused, { to: 'self_assessment' }, ctx('2027-01-20T10:00:00Z')),
    ).toThrow(ReviewPausedError);
  });

  it('lets nothing leave the completed stage', () => {
    let review: Review = aReview();
    let now = Date.parse('2027-01-20T10:00:00Z');
    for (const to of ['self_assessment', 'desk_review', 'dialogue', 'observations', 'summary', 'completed']) {
      review = transition(UNTOC_PROCESS, review, { to }, ctx(new Date(now).toISOString())).review;
      now += 86_400_000;
    }
    expect(review.deadline).toBeNull();
    for (const to of UNTOC_PROCESS.stages.map((s) => s.id)) {
      expect(() => transition(UNTOC_PROCESS, review, { to }, ctx('2028-01-01T00:00:00Z'))).toThrow(
        IllegalTransitionError,
      );
    }
    expect(() => pause(UNTOC_PROCESS, review, 'x', ctx('2028-01-01T00:00:00Z'))).toThrow(
      ReviewCompletedError,
    );
  });

  it('accepts exactly the allowed edges, for any pair of stages', () => {
    const ids = UNTOC_PROCESS.stages.map((s) => s.id);
    fc.assert(
      fc.property(fc.constantFrom(...ids), fc.constantFrom(...ids), (from, to) => {
        const review: Review = { ...aReview(), stage: from };
        const allowed = UNTOC_PROCESS.transitions.some((t) => t.from === from && t.to === to);
        const attempt = () => transition(UNTOC_PROCESS, review, { to }, ctx('2027-02-01T10:00:00Z'));
        if (allowed) expect(attempt().review.stage).toBe(to);
        else expect(attempt).toThrow(IllegalTransitionError);
      }),
      { numRuns: 200 },
    );
  });
});

describe('pause, resume and deadline changes', () => {
  it('moves the deadline by the paused time rounded up to whole days and records the ledger', () => {
    const review = aReview('2027-01-11T09:00:00Z');
    const paused = pause(UNTOC_PROCESS, review, 'national elections', ctx('2027-01-15T10:00:00Z')).review;
    expect(isOverdue(UNTOC_PROCESS, paused, '2027-03-01T00:00:00Z')).toBe(false);
    const { review: resumed, event } = resume(paused, 'government formed', ctx('2027-01-25T10:00:01Z'));
    expect(resumed.deadline).toBe('2027-02-05'); // 25 Jan + 11 days (10 days and a second)
    expect(resumed.paused).toBeNull();
    expect(event).toMatchObject({ type: 'resumed', oldDeadline: '2027-01-25', deadline: '2027-02-05' });
    expect(resumed.ledger).toEqual([
      expect.objectContaining({
        kind: 'pause',
        by: 'user-123',
        reason: 'national elections',
        oldDeadline: '2027-01-25',
      }),
      expect.objectContaining({
        kind: 'resume',
        reason: 'government formed',
        oldDeadline: '2027-01-25',
        newDeadline: '2027-02-05',
      }),
    ]);
  });

  it('refuses to pause twice or resume a running review', () => {
    const paused = pause(UNTOC_PROCESS, aReview(), 'x', ctx('2027-01-15T10:00:00Z')).review;
    expect(() => pause(UNTOC_PROCESS, paused, 'y', ctx('2027-01-16T10:00:00Z'))).toThrow(ReviewPausedError);
    expect(() => resume(aReview(), 'y', ctx('2027-01-16T10:00:00Z'))).toThrow(ReviewNotPausedError);
  });

  it('always moves the deadline forward by at least the whole paused days', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * 86_400 }), (pausedSeconds) => {
        const pausedAt = Date.parse('2027-01-15T10:00:00Z');
        const paused = pause(UNTOC_PROCESS, aReview(), 'x', ctx(new Date(pausedAt).toISOString())).review;
        const resumed = resume(
          paused,
          'y',
          ctx(new Date(pausedAt + pausedSeconds * 1000).toISOString()),
        ).review;
        const moved =
          (Date.parse(`${resumed.deadline}T00:00:00Z`) - Date.parse('2027-01-25T00:00:00Z')) / 86_400_000;
        expect(moved).toBe(Math.ceil(pausedSeconds / 86_400));
      }),
      { numRuns: 200 },
    );
  });

  it('records an extension with the old and new deadline', () => {
    const { review, event } = changeDeadline(
      UNTOC_PROCESS,
      aReview(),
      '2027-03-01',
      'translation delays',
      ctx('2027-01-20T10:00:00Z'),
    );
    expect(review.deadline).toBe('2027-03-01');
    expect(review.version).toBe(2);
    expect(event).toMatchObject({
      type: 'deadline_changed',
      oldDeadline: '2027-01-25',
      deadline: '2027-03-01',
    });
    expect(review.ledger.at(-1)).toMatchObject({ kind: 'extension', reason: 'translation delays' });
  });

  it('replaces a focal point only for a participant', () => {
    const fp = { name: 'Anna Huber', email: 'fp@aut.example', language: 'en' as const };
    const { review } = setFocalPoint(UNTOC_PROCESS, aReview(), 'AUT', fp, ctx('2027-01-12T10:00:00Z'));
    expect(review.focalPoints.AUT).toEqual(fp);
    expect(() => setFocalPoint(UNTOC_PROCESS, aReview(), 'FRA', fp, ctx('2027-01-12T10:00:00Z'))).toThrow(
      InvalidInputError,
    );
  });
});

describe('overdue', () => {
  it('is overdue from the end of the deadline day in Vienna', () => {
    const review = aReview(); // deadline 2027-01-25, winter (UTC+1)
    expect(isOverdue(UNTOC_PROCESS, review, '2027-01-25T22:59:59Z')).toBe(false);
    expect(isOverdue(UNTOC_PROCESS, review, '2027-01-25T23:00:00Z')).toBe(true);
    expect(reviewDaysOverdue(UNTOC_PROCESS, review, '2027-02-08T09:00:00Z')).toBe(14);
  });
});

describe('date bounds (DESIGN §4: 2000-01-01 … 2100-12-31)', () => {
  const pathsOf = (act: () => unknown): string[] => {
    try {
      act();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      return (e as InvalidInputError).issues.map((i) => i.path);
    }
    return expect.unreachable('no InvalidInputError');
  };

  it('refuses a launch date outside the bounds and accepts the first and last possible ones', () => {
    for (const launchedAt of ['1999-12-31', '2101-01-01', '0000-01-01', '9999-12-31']) {
      expect(pathsOf(() => aReview('2027-01-11T09:00:00Z', { launchedAt }))).toEqual(['launchedAt']);
    }
    expect(aReview('2027-01-11T09:00:00Z', { launchedAt: '2000-01-01' }).deadline).toBe('2000-01-15');
    expect(aReview('2027-01-11T09:00:00Z', { launchedAt: '2100-12-17' }).deadline).toBe('2100-12-31');
  });

  it('refuses a launch date whose default deadline would fall after 2100-12-31', () => {
    expect(pathsOf(() => aReview('2027-01-11T09:00:00Z', { launchedAt: '2100-12-18' }))).toEqual([
      'launchedAt',
    ]);
  });

  it('refuses an explicit transition deadline outside the bounds', () => {
    expect(
      pathsOf(() =>
        transition(
          UNTOC_PROCESS,
          aReview(),
          { to: 'self_assessment', deadline: '2101-01-01' },
          ctx('2027-01-20T10:00:00Z'),
        ),
      ),
    ).toEqual(['deadline']);
  });

  it('refuses a transition whose default deadline would fall after 2100-12-31, naming the remedy', () => {
    let review = aReview('2100-01-10T09:00:00Z', { launchedAt: '2100-01-10' });
    review = transition(UNTOC_PROCESS, review, { to: 'self_assessment' }, ctx('2100-01-20T10:00:00Z')).review;
    const act = () => transition(UNTOC_PROCESS, review, { to: 'desk_review' }, ctx('2100-08-01T10:00:00Z'));
    expect(pathsOf(act)).toEqual(['deadline']);
    try {
      act();
    } catch (e) {
      expect((e as InvalidInputError).issues[0]?.message).toMatch(/2101-02-01.*give an explicit deadline/);
    }
    const explicit = transition(
      UNTOC_PROCESS,
      review,
      { to: 'desk_review', deadline: '2100-12-31' },
      ctx('2100-08-01T10:00:00Z'),
    ).review;
    expect(explicit.deadline).toBe('2100-12-31');
  });

  it('refuses a changed deadline outside the bounds', () => {
    expect(
      pathsOf(() => changeDeadline(UNTOC_PROCESS, aReview(), '2101-01-01', 'x', ctx('2027-01-20T10:00:00Z'))),
    ).toEqual(['deadline']);
  });

  it('refuses a resume whose moved deadline would fall after 2100-12-31', () => {
    const review = changeDeadline(
      UNTOC_PROCESS,
      aReview(),
      '2100-12-30',
      'x',
      ctx('2027-01-20T10:00:00Z'),
    ).review;
    const paused = pause(UNTOC_PROCESS, review, 'x', ctx('2027-01-21T10:00:00Z')).review;
    expect(pathsOf(() => resume(paused, 'y', ctx('2027-01-24T10:00:00Z')))).toEqual(['deadline']);
    expect(resume(paused, 'y', ctx('2027-01-21T10:00:01Z')).review.deadline).toBe('2100-12-31');
  });
});

describe('reviewing States and instruments', () => {
  it('refuses an instrument listed twice by one reviewing State, at its position', () => {
    try {
      aReview('2027-01-11T09:00:00Z', {
        reviewingStates: [
          { state: 'AUT', instruments: ['UNTOC', 'TIP', 'UNTOC'] },
          { state: 'BRA', instruments: ['UNTOC', 'TIP'] },
        ],
      });
      expect.unreachable();
    } catch (e) {
      expect((e as InvalidInputError).issues).toEqual([
        { path: 'reviewingStates.0.instruments.2', message: 'UNTOC is listed twice' },
      ]);
    }
  });
});

describe('completed reviews', () => {
  const completed = (): Review => {
    let review: Review = aReview();
    let now = Date.parse('2027-01-20T10:00:00Z');
    for (const to of ['self_assessment', 'desk_review', 'dialogue', 'observations', 'summary', 'completed']) {
      review = transition(UNTOC_PROCESS, review, { to }, ctx(new Date(now).toISOString())).review;
      now += 86_400_000;
    }
    return review;
  };

  it('refuses a focal point for a completed review', () => {
    const fp = { name: 'Anna Huber', email: 'fp@aut.example', language: 'en' as const };
    expect(() => setFocalPoint(UNTOC_PROCESS, completed(), 'AUT', fp, ctx('2028-01-01T00:00:00Z'))).toThrow(
      ReviewCompletedError,
    );
  });

  it('refuses a deadline change on a completed review', () => {
    expect(() =>
      changeDeadline(UNTOC_PROCESS, completed(), '2028-06-01', 'x', ctx('2028-01-01T00:00:00Z')),
    ).toThrow(ReviewCompletedError);
  });
});

describe('resume after a deadline set during the pause', () => {
  it('keeps the deadline the Secretariat set during the pause and records it as old and new', () => {
    const paused = pause(UNTOC_PROCESS, aReview(), 'elections', ctx('2027-01-15T10:00:00Z')).review;
    const extended = changeDeadline(
      UNTOC_PROCESS,
      paused,
      '2027-04-30',
      'new government',
      ctx('2027-01-20T10:00:00Z'),
    ).review;
    const { review, event } = resume(extended, 'resumed', ctx('2027-02-10T10:00:00Z'));
    expect(review.deadline).toBe('2027-04-30');
    expect(event).toMatchObject({ type: 'resumed', oldDeadline: '2027-04-30', deadline: '2027-04-30' });
    expect(review.ledger.at(-1)).toMatchObject({
      kind: 'resume',
      oldDeadline: '2027-04-30',
      newDeadline: '2027-04-30',
    });
  });

  it('still moves the deadline when the only extension came before the pause', () => {
    const extended = changeDeadline(
      UNTOC_PROCESS,
      aReview(),
      '2027-04-30',
      'x',
      ctx('2027-01-14T10:00:00Z'),
    ).review;
    const paused = pause(UNTOC_PROCESS, extended, 'elections', ctx('2027-01-15T10:00:00Z')).review;
    expect(resume(paused, 'resumed', ctx('2027-01-25T10:00:00Z')).review.deadline).toBe('2027-05-10');
  });

  it('moves the deadline when an extension came before the pause in the same instant', () => {
    // Two concurrent requests: the extension commits first, the pause reads the same clock.
    const at = '2027-01-15T10:00:00Z';
    const extended = changeDeadline(UNTOC_PROCESS, aReview(), '2027-04-30', 'x', ctx(at)).review;
    const paused = pause(UNTOC_PROCESS, extended, 'elections', ctx(at)).review;
    expect(resume(paused, 'resumed', ctx('2027-01-25T10:00:00Z')).review.deadline).toBe('2027-05-10');
  });

  it('moves the deadline again after a second pause without an extension', () => {
    let review = pause(UNTOC_PROCESS, aReview(), 'a', ctx('2027-01-15T10:00:00Z')).review;
    review = changeDeadline(UNTOC_PROCESS, review, '2027-04-30', 'x', ctx('2027-01-16T10:00:00Z')).review;
    review = resume(review, 'b', ctx('2027-01-20T10:00:00Z')).review;
    review = pause(UNTOC_PROCESS, review, 'c', ctx('2027-02-01T10:00:00Z')).review;
    expect(resume(review, 'd', ctx('2027-02-03T10:00:00Z')).review.deadline).toBe('2027-05-02');
  });
});
