import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NotResponsibleError, ReviewCompletedError } from '#shared/domain/errors.ts';
import { UNTOC_PROCESS } from '#shared/domain/processes/untoc.ts';
import {
  owingStates,
  type Review,
  recordSubmission,
  referenceCandidate,
  setExperts,
  transition,
  withdrawSubmission,
} from '#shared/domain/review.ts';
import { aNewReview, aReview, secretariat } from './factories.ts';

const P = UNTOC_PROCESS;
const at = (day: number) => `2027-02-${String(day).padStart(2, '0')}T09:00:00Z`;
const ctx = (day: number) => ({ now: at(day), actor: secretariat });

/** A review moved along the given stages (each change one day later). */
function movedTo(...stages: string[]): Review {
  let review = aReview('2027-01-11T09:00:00Z');
  stages.forEach((to, i) => {
    review = transition(P, review, { to }, ctx(i + 1)).review;
  });
  return review;
}
function submit(review: Review, state: string, day = 10): Review {
  const change = recordSubmission(P, review, { state }, ctx(day));
  return change ? change.review : review;
}

describe('submissions, State by State (DESIGN §2)', () => {
  it('owes what the stage makes each responsible State owe, and nothing once it has submitted', () => {
    const desk = movedTo('self_assessment', 'desk_review');
    expect(owingStates(P, desk)).toEqual(['AUT', 'BRA']);
    const one = submit(desk, 'AUT');
    expect(owingStates(P, one)).toEqual(['BRA']);
    expect(owingStates(P, submit(one, 'BRA'))).toEqual([]);
  });

  it('refuses a State that owes nothing now with NOT_RESPONSIBLE, naming the responsible ones', () => {
    const selfAssessment = movedTo('self_assessment');
    const refused = () => recordSubmission(P, selfAssessment, { state: 'AUT' }, ctx(5));
    expect(refused).toThrow(NotResponsibleError);
    try {
      refused();
    } catch (error) {
      expect((error as NotResponsibleError).details).toMatchObject({ responsible: ['GRC'] });
    }
  });

  it('changes nothing on a repeat: the first receipt stands', () => {
    const once = submit(movedTo('self_assessment'), 'GRC', 5);
    expect(recordSubmission(P, once, { state: 'GRC' }, ctx(6))).toBeUndefined();
    expect(once.submissions.map((s) => s.receivedAt)).toEqual([at(5)]);
  });

  it('records a given receipt time, refusing one in the future, and history records it', () => {
    const review = movedTo('self_assessment');
    const change = recordSubmission(
      P,
      review,
      { state: 'GRC', receivedAt: at(3), note: 'by diplomatic pouch' },
      ctx(5),
    );
    expect(change?.event).toMatchObject({ type: 'submission_recorded', state: 'GRC', receivedAt: at(3) });
    expect(() => recordSubmission(P, review, { state: 'GRC', receivedAt: at(9) }, ctx(5))).toThrow(/future/);
    // Any offset is read as the instant it names: stored in UTC, bounded as that instant.
    const offset = recordSubmission(
      P,
      review,
      { state: 'GRC', receivedAt: '2027-02-03T01:30:00+02:00' },
      ctx(5),
    );
    expect(offset?.review.submissions[0]?.receivedAt).toBe('2027-02-02T23:30:00Z');
    expect(() =>
      recordSubmission(P, review, { state: 'GRC', receivedAt: '2000-01-01T00:30:00+02:00' }, ctx(5)),
    ).toThrow(/out of range/);
  });

  it('withdraws one recorded by mistake, and a rework edge starts the count again', () => {
    const dialogue = movedTo('self_assessment', 'desk_review', 'dialogue');
    const all = ['GRC', 'AUT', 'BRA'].reduce((r, state) => submit(r, state), dialogue);
    expect(owingStates(P, all)).toEqual([]);
    const withdrawn = withdrawSubmission(P, all, 'AUT', ctx(11));
    expect(withdrawn?.event.type).toBe('submission_withdrawn');
    expect(owingStates(P, withdrawn?.review ?? all)).toEqual(['AUT']);
    expect(withdrawSubmission(P, dialogue, 'AUT', ctx(11))).toBeUndefined();

    const rework = transition(P, all, { to: 'desk_review' }, ctx(12)).review;
    expect(rework.submissions).toEqual([]);
    expect(owingStates(P, rework)).toEqual(['AUT', 'BRA']);
    expect(rework.leftStage).toEqual({ stage: 'dialogue', deadline: all.deadline });
  });

  it('owes nothing in the completed stage and refuses submissions there', () => {
    const completed = movedTo(
      'self_assessment',
      'desk_review',
      'dialogue',
      'observations',
      'summary',
      'completed',
    );
    expect(owingStates(P, completed)).toEqual([]);
    expect(() => recordSubmission(P, completed, { state: 'AUT' }, ctx(20))).toThrow(ReviewCompletedError);
  });

  it('never owes a State that submitted, whatever the order of submissions and withdrawals', () => {
    const desk = movedTo('self_assessment', 'desk_review');
    const step = fc.record({ state: fc.constantFrom('AUT', 'BRA'), withdraw: fc.boolean() });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 12 }), (steps) => {
        let review = desk;
        const submitted = new Set<string>();
        for (const { state, withdraw } of steps) {
          const change = withdraw
            ? withdrawSubmission(P, review, state, ctx(10))
            : recordSubmission(P, review, { state }, ctx(10));
          if (change) review = change.review;
          if (withdraw) submitted.delete(state);
          else submitted.add(state);
        }
        expect(new Set(review.submissions.map((s) => s.state))).toEqual(submitted);
        expect(owingStates(P, review)).toEqual(['AUT', 'BRA'].filter((s) => !submitted.has(s)));
      }),
    );
  });
});

describe('governmental experts', () => {
  const person = (n: number) => ({
    name: `Expert ${n}`,
    email: `expert${n}@grc.example`,
    language: 'fr' as const,
  });
  let ids = 0;
  const withIds = { ...ctx(3), newId: () => `x${++ids}` };

  it('replaces a State’s experts, keeping the id of an address that stays', () => {
    const review = aReview();
    const first = setExperts(P, review, 'GRC', [person(1), person(2)], withIds).review;
    const second = setExperts(P, first, 'GRC', [person(2), person(3)], withIds).review;
    const idOf = (r: Review, n: number) => r.experts.GRC?.find((e) => e.email === person(n).email)?.id;
    expect(idOf(second, 2)).toBe(idOf(first, 2));
    expect(idOf(second, 3)).not.toBe(idOf(first, 1));
    expect(second.experts.GRC?.map((e) => e.name)).toEqual(['Expert 2', 'Expert 3']);
    expect(setExperts(P, second, 'GRC', [], withIds).review.experts).toEqual({});
  });

  it('refuses more than 20, an address twice, or a State not taking part', () => {
    const review = aReview();
    const many = Array.from({ length: 21 }, (_, i) => person(i));
    expect(() => setExperts(P, review, 'GRC', many, withIds)).toThrow(/not valid/);
    expect(() =>
      setExperts(P, review, 'GRC', [person(1), { ...person(1), email: 'EXPERT1@grc.example' }], withIds),
    ).toThrow(/not valid/);
    expect(() => setExperts(P, review, 'FRA', [person(1)], withIds)).toThrow(/Not a participant/);
  });
});

describe('the review reference', () => {
  it('reads SuR, cluster and launch year, suffixed from the second candidate on', () => {
    const input = aNewReview({ cluster: 2, launchedAt: '2026-03-01' });
    expect(referenceCandidate(input)).toBe('GRC-C2-2026');
    expect(referenceCandidate(input, 2)).toBe('GRC-C2-2026-2');
    expect(aReview('2027-01-11T09:00:00Z', { reference: 'UNTOC/GRC/1' }).reference).toBe('UNTOC/GRC/1');
  });
});
