import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ExtensionRequestClosedError,
  ExtensionRequestNotFoundError,
  InvalidInputError,
  NotResponsibleError,
  VersionConflictError,
} from '#shared/domain/errors.ts';
import { UNTOC_PROCESS } from '#shared/domain/processes/untoc.ts';
import {
  acknowledge,
  decideExtension,
  heldReport,
  owingStates,
  REPORT_HOLD_DAYS,
  type Review,
  recordSubmission,
  reportSubmission,
  requestExtension,
  transition,
  withdrawSubmission,
} from '#shared/domain/review.ts';
import { aReview, secretariat } from './factories.ts';

const P = UNTOC_PROCESS;
const NOW = '2027-02-01T09:00:00Z';
/** In self-assessment (only GRC, the State under review, owes), deadline T0 + 6 months. */
function inSelfAssessment(): Review {
  return transition(
    P,
    aReview('2027-01-11T09:00:00Z'),
    { to: 'self_assessment' },
    {
      now: '2027-01-20T09:00:00Z',
      actor: secretariat,
    },
  ).review;
}
const ask = (review: Review, requestedDeadline: string, id = 'req-1', state = 'GRC') =>
  requestExtension(P, review, { state, requestedDeadline, reason: 'translation' }, { now: NOW, id });

/** The change a rule made (the test fails if it made none). */
function must<T>(change: T | undefined): T {
  if (change === undefined) throw new Error('the rule changed nothing');
  return change;
}

describe('what focal points answer from their page (DESIGN §10)', () => {
  it('records an acknowledgement once per person and stage, naming nobody', () => {
    const review = inSelfAssessment();
    const first = acknowledge(P, review, { state: 'AUT', role: 'focal_point' }, { now: NOW });
    expect(first?.event).toMatchObject({
      type: 'acknowledged',
      state: 'AUT',
      who: 'focal_point',
      by: 'AUT/focal_point',
    });
    expect(first?.review.version).toBe(review.version + 1);
    expect(
      acknowledge(P, must(first).review, { state: 'AUT', role: 'focal_point' }, { now: NOW }),
    ).toBeUndefined();
    const expert = acknowledge(
      P,
      must(first).review,
      { state: 'AUT', role: 'expert', expertId: 'e1' },
      { now: NOW },
    );
    expect(expert?.review.acknowledgements.map((a) => a.who)).toEqual(['focal_point', 'expert/e1']);
    // A new stage entry asks again.
    const moved = transition(
      P,
      must(expert).review,
      { to: 'desk_review' },
      { now: NOW, actor: secretariat },
    ).review;
    expect(moved.acknowledgements).toEqual([]);
  });

  it('holds a reported submission for 14 days, as reported and not as received', () => {
    const review = inSelfAssessment();
    expect(() => reportSubmission(P, review, 'AUT', { now: NOW })).toThrow(NotResponsibleError);
    const reported = must(reportSubmission(P, review, 'GRC', { now: NOW }));
    expect(reported.event.type).toBe('submission_reported');
    expect(owingStates(P, reported.review)).toEqual(['GRC']);
    expect(reportSubmission(P, reported.review, 'GRC', { now: NOW })).toBeUndefined();
    expect(heldReport(reported.review, 'GRC', NOW)).toBeDefined();
    expect(heldReport(reported.review, 'GRC', '2027-02-15T08:59:59Z')).toBeDefined();
    expect(heldReport(reported.review, 'GRC', '2027-02-15T09:00:00Z')).toBeUndefined();
    expect(REPORT_HOLD_DAYS).toBe(14);
    // Recorded: received, the report settled.
    const recorded = must(
      recordSubmission(P, reported.review, { state: 'GRC' }, { now: NOW, actor: secretariat }),
    );
    expect(recorded.review.reports).toEqual([]);
    expect(reportSubmission(P, recorded.review, 'GRC', { now: NOW })).toBeUndefined();
    // Rejected: the reminders resume.
    const rejected = must(withdrawSubmission(P, reported.review, 'GRC', { now: NOW, actor: secretariat }));
    expect(rejected.event.type).toBe('submission_report_rejected');
    expect(rejected.review.reports).toEqual([]);
    expect(heldReport(rejected.review, 'GRC', NOW)).toBeUndefined();
  });

  it('takes one open extension request per State, for a later date within a year', () => {
    const review = inSelfAssessment();
    expect(review.deadline).toBe('2027-07-11');
    const asked = must(ask(review, '2027-08-31'));
    expect(asked.review.extensionRequests[0]).toMatchObject({
      id: 'req-1',
      state: 'GRC',
      status: 'open',
      deadlineAtRequest: '2027-07-11',
      stageEpoch: review.stageEpoch,
    });
    expect(asked.event).toMatchObject({
      type: 'extension_requested',
      requestId: 'req-1',
      requestedDeadline: '2027-08-31',
    });
    expect(asked.review.deadline).toBe('2027-07-11');
    // A double click (or a second try) records one request.
    expect(ask(asked.review, '2027-09-30', 'req-2')).toBeUndefined();
    for (const bad of ['2027-07-11', '2027-07-01', '2028-07-12', '2101-01-01', '2027-02-30'])
      expect(() => ask(review, bad), bad).toThrow(InvalidInputError);
    expect(() => ask(review, '2027-08-31', 'r', 'AUT')).toThrow(NotResponsibleError);
    const submitted = must(
      recordSubmission(P, review, { state: 'GRC' }, { now: NOW, actor: secretariat }),
    ).review;
    expect(() => ask(submitted, '2027-08-31')).toThrow(NotResponsibleError);
  });

  it('approves: the deadline moves, the ledger says why; declines: it stays', () => {
    const asked = must(ask(inSelfAssessment(), '2027-08-31')).review;
    const ctx = { now: '2027-02-02T10:00:00Z', actor: secretariat };
    const approved = decideExtension(P, asked, 'req-1', { decision: 'approve', reason: 'fine' }, ctx);
    expect(approved.review.deadline).toBe('2027-08-31');
    expect(approved.review.extensionRequests[0]?.status).toBe('approved');
    expect(approved.review.ledger.at(-1)).toMatchObject({
      kind: 'extension',
      oldDeadline: '2027-07-11',
      newDeadline: '2027-08-31',
      reason: 'extension requested by GRC: fine',
    });
    expect(approved.event).toMatchObject({
      type: 'extension_decided',
      decision: 'approved',
      oldDeadline: '2027-07-11',
    });
    const other = decideExtension(
      P,
      asked,
      'req-1',
      { decision: 'approve', reason: 'a month', deadline: '2027-08-11' },
      ctx,
    );
    expect(other.review.deadline).toBe('2027-08-11');
    const declined = decideExtension(P, asked, 'req-1', { decision: 'decline', reason: 'not now' }, ctx);
    expect(declined.review.deadline).toBe('2027-07-11');
    expect(declined.review.ledger).toEqual(asked.ledger);
    expect(declined.review.extensionRequests[0]?.decision).toMatchObject({
      reason: 'not now',
      newDeadline: null,
    });
    expect(() =>
      decideExtension(P, approved.review, 'req-1', { decision: 'decline', reason: 'x' }, ctx),
    ).toThrow(ExtensionRequestClosedError);
    expect(() => decideExtension(P, asked, 'nope', { decision: 'approve', reason: 'x' }, ctx)).toThrow(
      ExtensionRequestNotFoundError,
    );
    expect(() =>
      decideExtension(P, asked, 'req-1', { decision: 'decline', reason: 'x', deadline: '2027-09-01' }, ctx),
    ).toThrow(InvalidInputError);
    expect(() =>
      decideExtension(P, asked, 'req-1', { decision: 'approve', reason: 'x', expectedVersion: 1 }, ctx),
    ).toThrow(VersionConflictError);
    // Asking again after a decision is a new request.
    expect(ask(declined.review, '2027-08-31', 'req-2')?.review.extensionRequests).toHaveLength(2);
  });

  it('lapses a request the Secretariat did not decide before the stage moved on', () => {
    const asked = must(ask(inSelfAssessment(), '2027-08-31')).review;
    const moved = transition(P, asked, { to: 'desk_review' }, { now: NOW, actor: secretariat }).review;
    expect(moved.extensionRequests[0]?.status).toBe('lapsed');
    expect(() =>
      decideExtension(
        P,
        moved,
        'req-1',
        { decision: 'approve', reason: 'x' },
        { now: NOW, actor: secretariat },
      ),
    ).toThrow(ExtensionRequestClosedError);
  });

  it('accepts every date after the deadline within a year, and no other', () => {
    const review = inSelfAssessment();
    fc.assert(
      fc.property(fc.integer({ min: -400, max: 800 }), (offset) => {
        const date = new Date(Date.parse('2027-07-11T00:00:00Z') + offset * 86_400_000)
          .toISOString()
          .slice(0, 10);
        const ok = offset >= 1 && offset <= 365;
        if (ok) expect(ask(review, date)?.review.extensionRequests[0]?.requestedDeadline).toBe(date);
        else expect(() => ask(review, date)).toThrow(InvalidInputError);
      }),
    );
  });
});
