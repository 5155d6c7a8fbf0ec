import { describe, expect, it } from 'vitest';
import { createProcessRegistry } from '#shared/domain/process-registry.ts';
import { BUILT_IN_PROCESSES } from '#shared/domain/processes/index.ts';
import { Review } from '#shared/domain/review.ts';
import type { DigestClaimOutcome, DigestClaims } from '#shared/ports/digest-claims.ts';
import type { DigestSource } from '#shared/ports/digest-source.ts';
import type { Mailer, OutgoingMail } from '#shared/ports/mail.ts';
import { digestReportUseCase, isoWeek, secretariatDigests } from '#shared/use-cases/secretariat-digest.ts';
import {
  type DigestMailDeps,
  DigestRunIncompleteError,
  sendWeeklyDigests,
} from '#shared/use-cases/send-weekly-digests.ts';

/** Monday 11 January 2027, 08:00 in Vienna (CET, UTC+1). */
const MONDAY = '2027-01-11T07:00:00Z';
const OFFICER = 'officer@un.example';
const DEFAULT_OFFICER = 'untoc.review@un.example';
const processes = createProcessRegistry(BUILT_IN_PROCESSES, { timeZone: 'Europe/Vienna' });

const focalPoint = (state: string) => ({
  name: `Focal point ${state}`,
  email: `fp@${state.toLowerCase()}.example`,
  language: 'en' as const,
});

let n = 0;
/** A UNTOC review of Greece by Austria and Brazil, every focal point registered, in self-assessment, due in a month. */
function aReview(overrides: Partial<Review> = {}): Review {
  n++;
  // Parsed, so fields with a default (added later) need not be spelled out here.
  return Review.parse({
    id: `rev-${String(n).padStart(3, '0')}`,
    reference: `GRC-C1-2026${n > 1 ? `-${n}` : ''}`,
    processId: 'untoc',
    stateUnderReview: 'GRC',
    cluster: 1,
    group: 2,
    instruments: ['UNTOC'],
    reviewingStates: [
      { state: 'AUT', instruments: ['UNTOC'] },
      { state: 'BRA', instruments: ['UNTOC'] },
    ],
    language: 'en',
    launchedAt: '2026-08-10',
    secretariatEmail: OFFICER,
    stage: 'self_assessment',
    stageEpoch: 2,
    stageEnteredAt: '2026-08-25T08:00:00Z',
    deadline: '2027-02-10',
    leftStage: null,
    paused: null,
    version: 3,
    focalPoints: { GRC: focalPoint('GRC'), AUT: focalPoint('AUT'), BRA: focalPoint('BRA') },
    experts: {},
    submissions: [],
    ledger: [],
    createdAt: '2026-08-10T08:00:00Z',
    updatedAt: '2027-01-05T10:00:00Z',
    ...overrides,
  });
}

/** The ports, in memory, counting their calls. */
function fakes(reviews: Review[], undeliverable: string[] = []) {
  const calls = { source: 0, undeliverable: 0 };
  const source: DigestSource = {
    openReviews: async (closed) => {
      calls.source++;
      return reviews.filter((r) => !closed.includes(r.stage));
    },
  };
  return {
    calls,
    deps: {
      processes,
      source,
      undeliverable: {
        undeliverableAmong: async (emails: string[]) => {
          calls.undeliverable++;
          return new Set(emails.map((e) => e.toLowerCase()).filter((e) => undeliverable.includes(e)));
        },
      },
      secretariatEmail: DEFAULT_OFFICER,
    },
  };
}

async function digestOf(reviews: Review[], options: { now?: string; undeliverable?: string[] } = {}) {
  const { deps } = fakes(reviews, options.undeliverable);
  const [digest] = await secretariatDigests(deps, options.now ?? MONDAY, { officer: OFFICER });
  if (!digest) throw new Error('no digest');
  return digest;
}

/** Claims kept in a map, as the table keeps them (one per officer and week). */
class InMemoryDigestClaims implements DigestClaims {
  readonly items = new Map<string, { phase: 'claimed' | 'sent'; token: string; at: string }>();
  async claim(officer: string, week: string, at: string, staleBefore: string, token: string) {
    const key = `${officer}|${week}`;
    const item = this.items.get(key);
    if (item?.phase === 'sent') return 'sent' as DigestClaimOutcome;
    if (item && item.at >= staleBefore && item.token !== token) return 'busy' as DigestClaimOutcome;
    this.items.set(key, { phase: 'claimed', token, at });
    return 'claimed' as DigestClaimOutcome;
  }
  async markSent(officer: string, week: string, token: string) {
    const item = this.items.get(`${officer}|${week}`);
    if (item?.token === token) item.phase = 'sent';
  }
  async release(officer: string, week: string, token: string) {
    const key = `${officer}|${week}`;
    if (this.items.get(key)?.token === token && this.items.get(key)?.phase === 'claimed')
      this.items.delete(key);
  }
}

class RecordingMailer implements Mailer {
  readonly sent: OutgoingMail[] = [];
  failFor = new Set<string>();
  async send(mail: OutgoingMail) {
    if (this.failFor.has(mail.to)) throw new Error('SES refused');
    this.sent.push(mail);
    return `ses-${this.sent.length}`;
  }
}

function mailDeps(
  reviews: Review[],
): DigestMailDeps & { mailer: RecordingMailer; claims: InMemoryDigestClaims } {
  let token = 0;
  return {
    ...fakes(reviews).deps,
    mailer: new RecordingMailer(),
    claims: new InMemoryDigestClaims(),
    senderEmail: 'no-reply@un.example',
    senderName: 'UNODC Review Mechanism',
    claimTimeoutMs: 120_000,
    newToken: () => `token-${++token}`,
  };
}

describe('secretariat digest', () => {
  describe('sections', () => {
    it('lists a stage past its deadline as overdue, with the days in Vienna and only the States still owing', async () => {
      const review = aReview({ stage: 'desk_review', deadline: '2027-01-05' });
      const late = aReview({
        stage: 'desk_review',
        deadline: '2026-12-01',
        submissions: [{ state: 'AUT', receivedAt: '2026-11-20T10:00:00Z', by: 'u1' }],
      });

      const digest = await digestOf([review, late]);

      expect(digest.overdue).toEqual([
        expect.objectContaining({
          reviewId: late.id,
          reference: late.reference,
          link: `/reviews/${late.id}`,
          stage: 'desk_review',
          stageName: 'Desk review',
          deadline: '2026-12-01',
          daysOverdue: 41,
          owing: ['BRA'],
        }),
        expect.objectContaining({ reviewId: review.id, daysOverdue: 6, owing: ['AUT', 'BRA'] }),
      ]);
      expect(digest.nothingToReport).toBe(false);
    });

    it('lists a deadline within 14 days as due, and not one 15 days away or one due today as overdue', async () => {
      const due14 = aReview({ deadline: '2027-01-25' });
      const due15 = aReview({ deadline: '2027-01-26' });
      const today = aReview({ deadline: '2027-01-11' });

      const digest = await digestOf([due14, due15, today]);

      expect(digest.dueSoon.map((d) => [d.reviewId, d.daysLeft, d.owing])).toEqual([
        [today.id, 0, ['GRC']],
        [due14.id, 14, ['GRC']],
      ]);
      expect(digest.overdue).toEqual([]);
    });

    it('lists a stage every responsible State has submitted for as awaiting the move, not as overdue', async () => {
      const review = aReview({
        deadline: '2027-01-08',
        submissions: [{ state: 'GRC', receivedAt: '2027-01-06T23:30:00Z', by: 'u1' }],
      });

      const digest = await digestOf([review]);

      expect(digest.overdue).toEqual([]);
      expect(digest.awaitingMove).toEqual([
        expect.objectContaining({
          reviewId: review.id,
          submissions: 1,
          // 00:30 on 7 January in Vienna.
          lastReceivedOn: '2027-01-07',
          nextStages: [{ stage: 'desk_review', stageName: 'Desk review' }],
        }),
      ]);
    });

    it('lists a paused review with the local date it was paused and why, and nothing due for it', async () => {
      const review = aReview({
        deadline: '2027-01-05',
        paused: { since: '2027-01-03T23:30:00Z', reason: 'national elections', by: 'u1' },
      });

      const digest = await digestOf([review]);

      expect(digest.paused).toEqual([
        expect.objectContaining({
          reviewId: review.id,
          since: '2027-01-04',
          days: 7,
          reason: 'national elections',
        }),
      ]);
      expect([digest.overdue, digest.dueSoon, digest.awaitingMove]).toEqual([[], [], []]);
    });

    it('lists focal points and experts whose address is undeliverable, masked', async () => {
      const review = aReview({
        experts: {
          BRA: [{ id: 'e1', name: 'Maria Souza', email: 'Maria.Souza@bra.example', language: 'ru' }],
        },
      });

      const digest = await digestOf([review], {
        undeliverable: ['fp@grc.example', 'maria.souza@bra.example'],
      });

      expect(digest.undeliverable).toEqual([
        expect.objectContaining({
          reviewId: review.id,
          state: 'GRC',
          role: 'focal_point',
          name: 'Focal point GRC',
          address: 'f***@grc.example',
        }),
        expect.objectContaining({
          state: 'BRA',
          role: 'expert',
          name: 'Maria Souza',
          address: 'M***@bra.example',
        }),
      ]);
    });

    it('lists the participants without a focal point', async () => {
      const review = aReview({ focalPoints: { GRC: focalPoint('GRC') } });

      const digest = await digestOf([review]);

      expect(digest.withoutFocalPoint).toEqual([
        expect.objectContaining({ reviewId: review.id, states: ['AUT', 'BRA'] }),
      ]);
    });

    it('lists a review unchanged for 90 days by the local date of its last change, not one unchanged for 89', async () => {
      // 00:30 on 13 October 2026 in Vienna (CEST): 90 days before 11 January.
      const idle = aReview({ updatedAt: '2026-10-12T22:30:00Z' });
      const recent = aReview({ updatedAt: '2026-10-13T22:30:00Z' });

      const digest = await digestOf([idle, recent]);

      expect(digest.inactive).toEqual([
        expect.objectContaining({ reviewId: idle.id, lastActivityOn: '2026-10-13', days: 90 }),
      ]);
    });
  });

  describe('officers and open reviews', () => {
    it("groups reviews by officer, whatever the address's case, and reviews without one under the deployment's address", async () => {
      const mine = aReview({ deadline: '2027-01-20' });
      const mineToo = aReview({ deadline: '2027-01-21', secretariatEmail: ' Officer@UN.example ' });
      const unassigned = aReview({ deadline: '2027-01-22', secretariatEmail: null });
      const { deps } = fakes([mine, mineToo, unassigned]);

      const digests = await secretariatDigests(deps, MONDAY);

      expect(digests.map((d) => [d.officer, d.openReviews, d.dueSoon.map((x) => x.reviewId)])).toEqual([
        [OFFICER, 2, [mine.id, mineToo.id]],
        [DEFAULT_OFFICER, 1, [unassigned.id]],
      ]);
    });

    it('leaves completed reviews out', async () => {
      const completed = aReview({ stage: 'completed', deadline: null, updatedAt: '2025-01-01T00:00:00Z' });

      const digest = await digestOf([completed]);

      expect(digest.openReviews).toBe(0);
      expect(digest.nothingToReport).toBe(true);
    });

    it('answers for an officer with no open review with an empty digest, nothing to report', async () => {
      const { deps } = fakes([aReview({ deadline: '2027-01-12' })]);

      const [digest, ...more] = await digestReportUseCase(deps, MONDAY, 'nobody@un.example');

      expect(more).toEqual([]);
      expect(digest).toMatchObject({
        officer: 'nobody@un.example',
        openReviews: 0,
        nothingToReport: true,
        subject: null,
        today: '2027-01-11',
        week: '2027-W02',
      });
    });

    it('reads the reviews once and looks every address up in one call, however many reviews there are', async () => {
      const reviews = Array.from({ length: 40 }, () => aReview({ deadline: '2027-01-20' }));
      const { deps, calls } = fakes(reviews);

      await secretariatDigests(deps, MONDAY);

      expect(calls).toEqual({ source: 1, undeliverable: 1 });
    });

    it('takes "today" in Vienna: late on Sunday evening in UTC is already Monday there', async () => {
      const review = aReview({ deadline: '2027-01-10' });

      const digest = await digestOf([review], { now: '2027-01-10T23:30:00Z' });

      expect([digest.today, digest.week]).toEqual(['2027-01-11', '2027-W02']);
      expect(digest.overdue.map((o) => o.daysOverdue)).toEqual([1]);
    });
  });

  describe('the weekly run', () => {
    it('sends each officer with something to report one digest, tagged as a digest, and nothing to the others', async () => {
      const deps = mailDeps([
        aReview({ deadline: '2027-01-05' }),
        aReview({ deadline: '2027-06-30', secretariatEmail: 'quiet@un.example' }),
      ]);

      const outcome = await sendWeeklyDigests(deps, MONDAY);

      expect(outcome).toEqual({
        week: '2027-W02',
        officers: 2,
        sent: 1,
        nothingToReport: 1,
        alreadySent: 0,
        failed: 0,
        unrecorded: 0,
      });
      expect(deps.mailer.sent.map((m) => [m.to, m.subject, m.tags])).toEqual([
        [
          OFFICER,
          'Weekly digest, 11 January 2027: 1 overdue',
          { notificationKind: 'digest', week: '2027-W02' },
        ],
      ]);
      expect(deps.mailer.sent[0]?.messageId).toMatch(/^untoc\.[A-Za-z0-9]+@un\.example$/);
    });

    it('sends nothing when nothing is to report', async () => {
      const deps = mailDeps([aReview({ deadline: '2027-06-30' })]);

      const outcome = await sendWeeklyDigests(deps, MONDAY);

      expect(deps.mailer.sent).toEqual([]);
      expect(outcome).toMatchObject({ sent: 0, nothingToReport: 1 });
    });

    it('sends nothing twice when the run is retried in the same week', async () => {
      const deps = mailDeps([aReview({ deadline: '2027-01-05' })]);
      await sendWeeklyDigests(deps, MONDAY);

      const again = await sendWeeklyDigests(deps, '2027-01-11T07:03:00Z');

      expect(deps.mailer.sent).toHaveLength(1);
      expect(again).toMatchObject({ sent: 0, alreadySent: 1 });
    });

    it('sends the others when one send fails, throws so the run is retried, and the retry sends only the missing one', async () => {
      const deps = mailDeps([
        aReview({ deadline: '2027-01-05' }),
        aReview({ deadline: '2027-01-05', secretariatEmail: 'other@un.example' }),
      ]);
      deps.mailer.failFor.add('other@un.example');

      const failed = await sendWeeklyDigests(deps, MONDAY).catch((error: unknown) => error);

      expect(failed).toBeInstanceOf(DigestRunIncompleteError);
      expect((failed as DigestRunIncompleteError).outcome).toMatchObject({ sent: 1, failed: 1 });
      deps.mailer.failFor.clear();
      const retry = await sendWeeklyDigests(deps, MONDAY);
      expect(retry).toMatchObject({ sent: 1, alreadySent: 1, failed: 0 });
      expect(deps.mailer.sent.map((m) => m.to)).toEqual([OFFICER, 'other@un.example']);
    });

    it('fails, rather than sends, a digest another run holds a fresh claim on', async () => {
      const deps = mailDeps([aReview({ deadline: '2027-01-05' })]);
      await deps.claims.claim(OFFICER, '2027-W02', MONDAY, '2027-01-11T06:58:00Z', 'another-run');

      const failed = await sendWeeklyDigests(deps, '2027-01-11T07:01:00Z').catch((error: unknown) => error);

      expect(failed).toBeInstanceOf(DigestRunIncompleteError);
      expect(deps.mailer.sent).toEqual([]);
    });

    it('keeps Monday 08:00 in Vienna across the change to summer time (06:00 UTC)', async () => {
      const deps = mailDeps([aReview({ deadline: '2027-03-20' })]);

      const outcome = await sendWeeklyDigests(deps, '2027-03-29T06:00:00Z');

      expect(outcome.week).toBe('2027-W13');
      expect(deps.mailer.sent[0]?.subject).toBe('Weekly digest, 29 March 2027: 1 overdue');
      expect(deps.mailer.sent[0]?.text).toContain('as of 29 Mar 2027, 08:00 Vienna time');
    });
  });

  describe('isoWeek', () => {
    it.each([
      ['2027-01-04', '2027-W01'],
      ['2027-01-03', '2026-W53'],
      ['2026-12-31', '2026-W53'],
      ['2019-12-30', '2020-W01'],
      ['2021-01-03', '2020-W53'],
      ['2027-03-29', '2027-W13'],
    ])('puts %s in %s', (date, week) => {
      expect(isoWeek(date)).toBe(week);
    });
  });
});
