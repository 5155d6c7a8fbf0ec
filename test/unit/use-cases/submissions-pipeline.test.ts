import { beforeEach, describe, expect, it } from 'vitest';
import { createProcessRegistry } from '#shared/domain/process-registry.ts';
import { UNTOC_PROCESS } from '#shared/domain/processes/untoc.ts';
import {
  changeDeadline,
  pause,
  type Review,
  recordSubmission,
  resume,
  setExperts,
  setFocalPoint,
  transition,
  withdrawSubmission,
} from '#shared/domain/review.ts';
import { fixedClock } from '#shared/ports/clock.ts';
import type { OutgoingMail } from '#shared/ports/mail.ts';
import { type DeliveryDeps, deliverNotification } from '#shared/use-cases/deliver-notification.ts';
import { handleMailFeedback } from '#shared/use-cases/handle-mail-feedback.ts';
import { planFromReviewChange } from '#shared/use-cases/plan-notifications.ts';
import { aReview } from '../domain/factories.ts';
import {
  InMemoryDeliveryStore,
  InMemoryNotificationStore,
  InMemoryUndeliverable,
  RecordingMailer,
  RecordingQueue,
} from '../fakes/in-memory-notifications.ts';
import { InMemoryReviewRepository } from '../fakes/in-memory-stores.ts';

/**
 * The planner and the senders with submissions, experts and change notices (DESIGN §2):
 * reminders and escalations only for the States still owing, one "all submissions received"
 * notice, experts' own copies, and the notices of a new deadline, a pause and a resume.
 */

const P = UNTOC_PROCESS;
const actor = { id: 'user-1' };
let notifications: InMemoryNotificationStore;
let queue: RecordingQueue;
let mailer: RecordingMailer;
let reviews: InMemoryReviewRepository;
let undeliverable: InMemoryUndeliverable;
let ids = 0;

beforeEach(() => {
  notifications = new InMemoryNotificationStore();
  queue = new RecordingQueue();
  mailer = new RecordingMailer();
  reviews = new InMemoryReviewRepository();
  undeliverable = new InMemoryUndeliverable();
});

const planner = () => ({ processes: createProcessRegistry([P]), notifications, queue });
function sender(now: string): DeliveryDeps {
  return {
    processes: createProcessRegistry([P]),
    notifications,
    deliveries: new InMemoryDeliveryStore(notifications, reviews, undeliverable),
    mailer,
    clock: fixedClock(now),
    senderEmail: 'no-reply@tracker.example',
    senderName: 'UNODC Review Mechanism',
    secretariatEmail: 'secretariat@un.example',
    claimTimeoutMs: 180_000,
    newToken: () => `token-${++ids}`,
  };
}

/** Applies a change, stores it and lets the planner see it, as the stream would. */
async function change(from: Review, to: Review): Promise<Review> {
  reviews.reviews.set(to.id, structuredClone(to));
  await planFromReviewChange(planner(), { oldReview: from, newReview: to });
  return to;
}
const of = (kind: string) => [...notifications.records.values()].filter((n) => n.kind === kind);
async function deliver(kind: string, at: string, pick = (n: { offsetDays: number }) => n.offsetDays !== 99) {
  const before = mailer.sent.length;
  for (const n of of(kind).filter((x) => ['pending', 'queued'].includes(x.status) && pick(x))) {
    await deliverNotification(sender(at), { reviewId: n.reviewId, stageEpoch: n.stageEpoch, id: n.id });
  }
  return mailer.sent.slice(before);
}
const to = (mails: OutgoingMail[]) => mails.map((m) => m.to).sort();
const ctx = (now: string) => ({ now, actor });

const fp = (state: string, language: 'en' | 'fr' | 'es' = 'en') => ({
  name: `Focal point ${state}`,
  email: `fp@${state.toLowerCase()}.example`,
  language,
});
const expert = (state: string, n: number) => ({
  name: `Expert ${n} of ${state}`,
  email: `expert${n}@${state.toLowerCase()}.example`,
  language: 'es' as const,
});

/** Greece reviewed by Austria and Brazil, in the desk review (deadline 1 July 2027), every State with a focal point. */
async function inDeskReview(): Promise<Review> {
  let review = aReview('2027-01-04T10:00:00Z', {
    launchedAt: '2027-01-04',
    focalPoints: { GRC: fp('GRC'), AUT: fp('AUT', 'fr'), BRA: fp('BRA') },
  });
  reviews.reviews.set(review.id, structuredClone(review));
  await planFromReviewChange(planner(), { newReview: review });
  review = await change(
    review,
    transition(P, review, { to: 'self_assessment' }, ctx('2027-01-10T10:00:00Z')).review,
  );
  review = await change(
    review,
    setExperts(P, review, 'BRA', [expert('BRA', 1)], { ...ctx('2027-01-11T10:00:00Z'), newId: () => 'e1' })
      .review,
  );
  review = await change(
    review,
    setExperts(P, review, 'AUT', [expert('AUT', 2)], { ...ctx('2027-01-11T10:00:01Z'), newId: () => 'e2' })
      .review,
  );
  return change(
    review,
    transition(P, review, { to: 'desk_review', deadline: '2027-07-01' }, ctx('2027-01-12T10:00:00Z')).review,
  );
}
const submitted = (review: Review, state: string, at: string) => {
  const done = recordSubmission(P, review, { state }, ctx(at));
  if (!done) throw new Error(`${state} had submitted already`);
  return done.review;
};

describe('reminders and escalations for the States still owing', () => {
  it('reminds only the State that has not submitted, its focal point and its expert', async () => {
    let review = await inDeskReview();
    review = await change(review, submitted(review, 'AUT', '2027-02-01T10:00:00Z'));
    const sent = await deliver('reminder', '2027-06-24T07:00:00Z', (n) => n.offsetDays === -7);
    expect(to(sent)).toEqual(['expert1@bra.example', 'fp@bra.example']);
    // The expert's own copy, in their own language.
    expect(sent.find((m) => m.to === 'expert1@bra.example')?.subject).toMatch(/GRC-C1-2027/);
  });

  it('names only the States still owing in an escalation, and escalates nothing once all have submitted', async () => {
    let review = await inDeskReview();
    review = await change(review, submitted(review, 'AUT', '2027-02-01T10:00:00Z'));
    const [escalation] = await deliver('escalation', '2027-07-02T07:00:00Z', (n) => n.offsetDays === 1);
    expect(escalation?.to).toBe('secretariat@un.example');
    expect(escalation?.text).toContain('Brazil');
    expect(escalation?.text).not.toContain('Austria');

    review = await change(review, submitted(review, 'BRA', '2027-07-03T10:00:00Z'));
    expect(await deliver('escalation', '2027-07-15T07:00:00Z', (n) => n.offsetDays === 14)).toEqual([]);
    expect(
      of('escalation').find((n) => n.stageEpoch === review.stageEpoch && n.offsetDays === 14),
    ).toMatchObject({
      status: 'skipped',
      reason: 'every responsible State has submitted',
    });
  });

  it('tells the Secretariat once when every responsible State has submitted, however often one is withdrawn', async () => {
    let review = await inDeskReview();
    review = await change(review, submitted(review, 'AUT', '2027-02-01T10:00:00Z'));
    expect(of('all_submissions_received')).toEqual([]);
    review = await change(review, submitted(review, 'BRA', '2027-02-02T10:00:00Z'));
    expect(queue.sent.filter((q) => q.target === 'escalation')).toHaveLength(1);
    const [notice] = await deliver('all_submissions_received', '2027-02-02T10:00:01Z');
    expect(notice?.to).toBe('secretariat@un.example');
    expect(notice?.subject).toBe('All submissions received: GRC-C1-2027, Desk review');

    const withdrawn = withdrawSubmission(P, review, 'BRA', ctx('2027-02-03T10:00:00Z'))?.review ?? review;
    review = await change(review, withdrawn);
    review = await change(review, submitted(review, 'BRA', '2027-02-04T10:00:00Z'));
    expect(of('all_submissions_received')).toHaveLength(1);
    expect(await planFromReviewChange(planner(), { oldReview: withdrawn, newReview: review })).toMatchObject({
      planned: 0,
    });
    // A rework edge starts the count again: a second entry into the desk review gets its own.
    review = await change(
      review,
      transition(P, review, { to: 'dialogue' }, ctx('2027-02-05T10:00:00Z')).review,
    );
    review = await change(
      review,
      transition(P, review, { to: 'desk_review' }, ctx('2027-02-06T10:00:00Z')).review,
    );
    expect(review.submissions).toEqual([]);
    review = await change(review, submitted(review, 'AUT', '2027-02-07T10:00:00Z'));
    await change(review, submitted(review, 'BRA', '2027-02-07T10:00:01Z'));
    expect(of('all_submissions_received').map((n) => n.stageEpoch)).toEqual([3, 5]);
  });
});

describe('the all-submissions notice', () => {
  it('still tells the Secretariat when a submission was withdrawn before the first notice left, and made again', async () => {
    let review = await inDeskReview();
    review = await change(review, submitted(review, 'AUT', '2027-02-01T10:00:00Z'));
    review = await change(review, submitted(review, 'BRA', '2027-02-02T10:00:00Z'));
    const withdrawn = withdrawSubmission(P, review, 'AUT', ctx('2027-02-02T10:00:01Z'))?.review ?? review;
    review = await change(review, withdrawn);
    expect(await deliver('all_submissions_received', '2027-02-02T10:00:02Z')).toEqual([]);
    review = await change(review, submitted(review, 'AUT', '2027-02-03T10:00:00Z'));
    const sent = await deliver('all_submissions_received', '2027-02-03T10:00:01Z');
    expect(sent.map((m) => m.to)).toEqual(['secretariat@un.example']);
    expect(of('all_submissions_received').map((n) => n.status)).toEqual(['skipped', 'sent']);
  });
});

describe('change notices', () => {
  it('tells the focal points of the States still owing of a new deadline, at once, with the calendar entry', async () => {
    let review = await inDeskReview();
    review = await change(review, submitted(review, 'AUT', '2027-02-01T10:00:00Z'));
    await change(
      review,
      changeDeadline(P, review, '2027-08-01', 'translation', ctx('2027-02-02T10:00:00Z')).review,
    );
    const sent = await deliver('deadline_changed', '2027-02-02T10:00:01Z');
    expect(to(sent)).toEqual(['fp@bra.example']);
    expect(sent[0]?.attachments?.map((a) => a.filename)).toEqual(['deadline.ics']);
    expect(String(sent[0]?.attachments?.[0]?.content)).toContain('DTSTART;VALUE=DATE:20270801');
  });

  it('tells every participant of a pause while it lasts and of the resume with the moved deadline', async () => {
    let review = await inDeskReview();
    review = await change(review, pause(P, review, 'elections', ctx('2027-02-01T10:00:00Z')).review);
    const paused = await deliver('paused', '2027-02-01T10:00:01Z');
    expect(to(paused)).toEqual(['fp@aut.example', 'fp@bra.example', 'fp@grc.example']);
    review = await change(review, resume(review, 'new government', ctx('2027-02-11T10:00:00Z')).review);
    const resumed = await deliver('resumed', '2027-02-11T10:00:01Z');
    expect(to(resumed)).toEqual(['fp@aut.example', 'fp@bra.example', 'fp@grc.example']);
    expect(review.deadline).toBe('2027-07-11');
    expect(resumed.find((m) => m.to === 'fp@grc.example')?.text).toContain('11 July 2027');
  });
});

describe('mail a State can answer', () => {
  it("carries Reply-To, the sender's name, the recipient's name and a Message-ID stable per notification and recipient", async () => {
    const review = await inDeskReview();
    const [notice] = (await deliver('stage_notice', '2027-01-12T10:00:01Z')).filter(
      (m) => m.to === 'fp@grc.example',
    );
    expect(notice).toMatchObject({
      fromName: 'UNODC Review Mechanism',
      toName: 'Focal point GRC',
      replyTo: 'secretariat@un.example',
    });
    expect(notice?.messageId).toMatch(/^[^<>@\s]+@tracker\.example$/);
    // A second stage notice of the same stage (a new focal point for Austria) has its own ids.
    await change(
      review,
      setFocalPoint(
        P,
        review,
        'AUT',
        { ...fp('AUT', 'es'), email: 'new-fp@aut.example' },
        ctx('2027-01-13T10:00:00Z'),
      ).review,
    );
    const again = await deliver('stage_notice', '2027-01-13T10:00:01Z');
    expect(to(again)).toEqual(['new-fp@aut.example']);
    expect(again[0]?.messageId).not.toBe(notice?.messageId);
  });

  it('sends the next stage notice with the cancellation of the stage left behind', async () => {
    await inDeskReview();
    const sent = (await deliver('stage_notice', '2027-01-12T10:00:01Z')).filter((m) =>
      m.attachments?.some((a) => a.filename === 'cancelled.ics'),
    );
    expect(sent.length).toBeGreaterThan(0);
    const cancel = String(sent[0]?.attachments?.find((a) => a.filename === 'cancelled.ics')?.content);
    expect(cancel).toContain('METHOD:CANCEL');
    expect(cancel).toContain('UID:rev-1.self_assessment@untoc-review-tracker');
  });

  it('gives a State’s expert their own stage notice, once, and a new expert theirs', async () => {
    let review = await inDeskReview();
    const first = await deliver('stage_notice', '2027-01-12T10:00:01Z');
    expect(first.filter((m) => m.to.startsWith('expert'))).toHaveLength(2);
    review = await change(
      review,
      setExperts(P, review, 'BRA', [expert('BRA', 1), expert('BRA', 3)], {
        ...ctx('2027-01-13T10:00:00Z'),
        newId: () => 'e3',
      }).review,
    );
    const second = await deliver('stage_notice', '2027-01-13T10:00:01Z');
    expect(to(second)).toEqual(['expert3@bra.example']);
  });

  it('treats a bounced expert address as a focal point’s: the Secretariat hears of it for that State, and it is skipped', async () => {
    const review = await inDeskReview();
    const outcome = await handleMailFeedback(
      { notifications, undeliverable, reviews, queue, clock: fixedClock('2027-01-12T11:00:00Z') },
      { cause: 'bounce', addresses: ['expert1@bra.example'], reviewId: review.id, mailId: 'ses-1' },
    );
    expect(outcome).toEqual({ marked: 1, noticesQueued: 1 });
    expect(of('undeliverable')[0]?.detail).toMatchObject({ state: 'BRA', cause: 'bounce' });
    const sent = await deliver('reminder', '2027-06-24T07:00:00Z', (n) => n.offsetDays === -7);
    expect(to(sent)).toEqual(['expert2@aut.example', 'fp@aut.example', 'fp@bra.example']);
    const reminder = of('reminder').find((n) => n.stageEpoch === review.stageEpoch && n.offsetDays === -7);
    expect(reminder?.deliveries).toContainEqual(
      expect.objectContaining({
        recipient: 'BRA/expert/e1',
        status: 'skipped',
        reason: 'address undeliverable',
      }),
    );
  });
});
