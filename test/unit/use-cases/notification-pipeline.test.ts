import { beforeEach, describe, expect, it } from 'vitest';
import { SesFeedbackMessage } from '#shared/adapters/ses-feedback.ts';
import { createProcessRegistry } from '#shared/domain/process-registry.ts';
import { UNTOC_PROCESS } from '#shared/domain/processes/untoc.ts';
import {
  changeDeadline,
  pause,
  type Review,
  resume,
  setFocalPoint,
  transition,
} from '#shared/domain/review.ts';
import { fixedClock } from '#shared/ports/clock.ts';
import { MailOutcomeUnknownError, MailThrottledError } from '#shared/ports/mail.ts';
import {
  type DeliveryDeps,
  deliverNotification,
  ESCALATION_HISTORY_LIMIT,
  outcomeMetric,
} from '#shared/use-cases/deliver-notification.ts';
import { handleMailFeedback } from '#shared/use-cases/handle-mail-feedback.ts';
import { planFromReviewChange } from '#shared/use-cases/plan-notifications.ts';
import { sweepDue } from '#shared/use-cases/sweep-due.ts';
import { aReview } from '../domain/factories.ts';
import {
  InMemoryDeliveryStore,
  InMemoryNotificationStore,
  InMemoryUndeliverable,
  RecordingMailer,
  RecordingQueue,
} from '../fakes/in-memory-notifications.ts';
import { InMemoryReviewRepository } from '../fakes/in-memory-stores.ts';

const actor = { actor: { id: 'user-1' } };
let notifications: InMemoryNotificationStore;
let queue: RecordingQueue;
let mailer: RecordingMailer;
let reviews: InMemoryReviewRepository;
let undeliverable: InMemoryUndeliverable;

beforeEach(() => {
  notifications = new InMemoryNotificationStore();
  queue = new RecordingQueue();
  mailer = new RecordingMailer();
  reviews = new InMemoryReviewRepository();
  undeliverable = new InMemoryUndeliverable();
});

const planner = () => ({ processes: createProcessRegistry([UNTOC_PROCESS]), notifications, queue });
let tokens = 0;
function sender(now: string): DeliveryDeps {
  return {
    processes: createProcessRegistry([UNTOC_PROCESS]),
    notifications,
    deliveries: new InMemoryDeliveryStore(notifications, reviews, undeliverable),
    mailer,
    clock: fixedClock(now),
    senderEmail: 'no-reply@tracker.example',
    senderName: 'UNODC Review Mechanism',
    secretariatEmail: 'secretariat@un.example',
    claimTimeoutMs: 180_000,
    newToken: () => `token-${++tokens}`,
  };
}
async function store(review: Review) {
  reviews.reviews.set(review.id, structuredClone(review));
}
const byKind = (kind: string) => [...notifications.records.values()].filter((r) => r.kind === kind);

describe('planFromReviewChange', () => {
  it('plans a new review and queues its stage notice at once', async () => {
    const review = aReview('2027-01-04T10:00:00Z', { launchedAt: '2027-01-04' });
    const outcome = await planFromReviewChange(planner(), { newReview: review });
    expect(outcome.queued).toBe(1);
    expect(queue.sent).toEqual([
      { target: 'focal_point', item: expect.objectContaining({ reviewId: 'rev-1', stageEpoch: 1 }) },
    ]);
    // No separate "queued" write: it stays pending (the sweep's safety net) until a sender claims it.
    expect(byKind('stage_notice')[0]?.status).toBe('pending');
    expect(byKind('reminder').map((r) => r.offsetDays)).toEqual([-7, -1]); // deadline 18 Jan: -30 and -14 are before entry
    expect(byKind('escalation')).toHaveLength(6);
  });

  it('changes nothing when the same stream record is replayed', async () => {
    const review = aReview('2027-01-04T10:00:00Z', { launchedAt: '2027-01-04' });
    await planFromReviewChange(planner(), { newReview: review });
    const before = structuredClone([...notifications.records.values()]);
    const replay = await planFromReviewChange(planner(), { newReview: review });
    expect(replay).toEqual({ cancelled: 0, planned: 0, queued: 0 });
    expect([...notifications.records.values()]).toEqual(before);
    expect(queue.sent).toHaveLength(1);
  });

  it('cancels the old stage and plans the new one on a transition', async () => {
    const review = aReview('2027-01-04T10:00:00Z', { launchedAt: '2027-01-04' });
    await planFromReviewChange(planner(), { newReview: review });
    const next = transition(
      UNTOC_PROCESS,
      review,
      { to: 'self_assessment' },
      { now: '2027-01-10T10:00:00Z', ...actor },
    ).review;
    const outcome = await planFromReviewChange(planner(), { oldReview: review, newReview: next });
    expect(outcome.cancelled).toBeGreaterThan(0);
    const old = [...notifications.records.values()].filter(
      (r) => r.stageEpoch === 1 && r.kind !== 'stage_notice',
    );
    expect(old.every((r) => r.status === 'cancelled')).toBe(true);
    // What the old stage left was derived from the review as it was: one write, no query.
    expect(notifications.replaced).toEqual(['one write']);
    // Self-assessment: six months from launch, a long stage: -90, -30, -14, -7 and -1.
    expect(
      [...notifications.records.values()].filter((r) => r.stageEpoch === 2 && r.kind === 'reminder'),
    ).toHaveLength(5);
  });

  it('finds what is still pending when an item the old stage left was already taken by a sweep', async () => {
    // Arrange: the -7 reminder was queued by a sweep with a clock ahead of the transition's.
    const review = aReview('2027-01-04T10:00:00Z', { launchedAt: '2027-01-04' });
    await planFromReviewChange(planner(), { newReview: review });
    const reminder = byKind('reminder').find((r) => r.offsetDays === -7);
    await notifications.markQueued(
      reminder ?? { reviewId: '', stageEpoch: 0, id: '' },
      '2027-01-11T08:00:00Z',
    );
    const next = transition(
      UNTOC_PROCESS,
      review,
      { to: 'self_assessment' },
      { now: '2027-01-10T10:00:00Z', ...actor },
    ).review;

    // Act
    const outcome = await planFromReviewChange(planner(), { oldReview: review, newReview: next });

    // Assert: the queued one is left to the fire-time guard, everything else of epoch 1 cancelled
    // (the stage notice too: no sender had claimed it).
    expect(notifications.replaced).toEqual(['apart']);
    const old = [...notifications.records.values()].filter((r) => r.stageEpoch === 1);
    expect(old.map((r) => r.status).sort()).toEqual([...Array(old.length - 1).fill('cancelled'), 'queued']);
    expect(outcome.cancelled).toBe(old.length - 1);
    expect(byKind('reminder').filter((r) => r.stageEpoch === 2)).toHaveLength(5);
  });

  it('cancels on pause and re-plans the moved deadline on resume, noticing everyone again', async () => {
    const review = aReview('2027-01-04T10:00:00Z', { launchedAt: '2027-01-04' });
    await planFromReviewChange(planner(), { newReview: review });
    const paused = pause(UNTOC_PROCESS, review, 'x', { now: '2027-01-05T10:00:00Z', ...actor }).review;
    await planFromReviewChange(planner(), { oldReview: review, newReview: paused });
    // Nothing left pending but the notice of the pause itself, on its way to everyone.
    expect(
      [...notifications.records.values()].filter((r) => r.status === 'pending').map((r) => r.kind),
    ).toEqual(['paused']);
    const resumed = resume(paused, 'y', { now: '2027-01-08T10:00:00Z', ...actor }).review;
    await planFromReviewChange(planner(), { oldReview: paused, newReview: resumed });
    // Pending: the re-planned deadline's, and the notice of the pause still on its way.
    const pending = [...notifications.records.values()].filter(
      (r) => r.status === 'pending' && r.kind !== 'paused',
    );
    expect(new Set(pending.map((r) => r.deadline))).toEqual(new Set(['2027-01-21']));
    // The resume's own stage notice: the senders give it only to those who have not had this stage's.
    // The first one, handed to the queue but not claimed by a sender yet, was held back by the pause.
    expect(byKind('stage_notice').map((n) => [n.id, n.status])).toEqual([
      ['rev-1#1#2027-01-18#stage_notice#1', 'cancelled'],
      [`rev-1#1#2027-01-21#stage_notice#${resumed.version}`, 'pending'],
    ]);
  });

  it('never cancels a stage notice when the deadline moves', async () => {
    const review = aReview('2027-01-04T10:00:00Z', { launchedAt: '2027-01-04' });
    queue.failNext = true; // the stage notice stays pending, for the sweep
    await planFromReviewChange(planner(), { newReview: review });
    const moved = changeDeadline(UNTOC_PROCESS, review, '2027-02-01', 'x', {
      now: '2027-01-04T10:00:01Z',
      ...actor,
    }).review;
    await planFromReviewChange(planner(), { oldReview: review, newReview: moved });
    expect(byKind('stage_notice').map((n) => n.status)).toEqual(['pending']);
    expect(
      byKind('reminder')
        .filter((r) => r.deadline === '2027-01-18')
        .every((r) => r.status === 'cancelled'),
    ).toBe(true);
  });

  it('plans nothing for a focal point registered while paused; resuming notices it', async () => {
    const review = aReview('2027-01-04T10:00:00Z', { launchedAt: '2027-01-04' });
    await planFromReviewChange(planner(), { newReview: review });
    const paused = pause(UNTOC_PROCESS, review, 'x', { now: '2027-01-05T10:00:00Z', ...actor }).review;
    await planFromReviewChange(planner(), { oldReview: review, newReview: paused });
    const fp = { name: 'Anna', email: 'anna@aut.example', language: 'fr' as const };
    const registered = setFocalPoint(UNTOC_PROCESS, paused, 'AUT', fp, {
      now: '2027-01-06T10:00:00Z',
      ...actor,
    }).review;
    expect(
      (await planFromReviewChange(planner(), { oldReview: paused, newReview: registered })).planned,
    ).toBe(0);
    const resumed = resume(registered, 'y', { now: '2027-01-08T10:00:00Z', ...actor }).review;
    await planFromReviewChange(planner(), { oldReview: registered, newReview: resumed });
    expect(byKind('stage_notice').filter((n) => n.recipientState === undefined)).toHaveLength(2);
  });

  it('sends the current stage notice to a newly registered focal point only, once', async () => {
    const review = aReview('2027-01-04T10:00:00Z', { launchedAt: '2027-01-04' });
    await planFromReviewChange(planner(), { newReview: review });
    const fp = { name: 'Anna', email: 'anna@aut.example', language: 'fr' as const };
    const changed = setFocalPoint(UNTOC_PROCESS, review, 'AUT', fp, {
      now: '2027-01-05T10:00:00Z',
      ...actor,
    }).review;
    expect(await planFromReviewChange(planner(), { oldReview: review, newReview: changed })).toEqual({
      cancelled: 0,
      planned: 1,
      queued: 1,
    });
    const notice = byKind('stage_notice').find((n) => n.recipientState === 'AUT');
    expect(notice).toMatchObject({ status: 'pending', audience: 'participants', stageEpoch: 1 });
    // The same focal point again (a replayed record, or a repeated PUT): nothing more.
    const again = setFocalPoint(UNTOC_PROCESS, changed, 'AUT', fp, {
      now: '2027-01-06T10:00:00Z',
      ...actor,
    }).review;
    expect((await planFromReviewChange(planner(), { oldReview: changed, newReview: again })).queued).toBe(0);
    expect((await planFromReviewChange(planner(), { oldReview: review, newReview: changed })).queued).toBe(0);
  });

  it('delivers such a notice to that participant alone', async () => {
    const review = aReview('2027-01-04T10:00:00Z', { launchedAt: '2027-01-04' });
    await planFromReviewChange(planner(), { newReview: review });
    const changed = setFocalPoint(
      UNTOC_PROCESS,
      review,
      'AUT',
      { name: 'Anna', email: 'anna@aut.example', language: 'fr' },
      {
        now: '2027-01-05T10:00:00Z',
        ...actor,
      },
    ).review;
    await store(changed);
    await planFromReviewChange(planner(), { oldReview: review, newReview: changed });
    const notice = byKind('stage_notice').find((n) => n.recipientState === 'AUT');
    await deliverNotification(sender('2027-01-05T10:00:01Z'), {
      reviewId: 'rev-1',
      stageEpoch: 1,
      id: notice?.id ?? '',
    });
    expect(mailer.sent.map((m) => m.to)).toEqual(['anna@aut.example']);
    expect(mailer.sent[0]?.subject).toMatch(/^Examen GRC-C1-2027 \(Grèce\)/);
  });
});

describe('stage notices, exactly once per person', () => {
  const fp = { name: 'Anna', email: 'anna@aut.example', language: 'fr' as const };
  const deliverAll = async (at: string) => {
    for (const n of byKind('stage_notice')) {
      await deliverNotification(sender(at), { reviewId: n.reviewId, stageEpoch: n.stageEpoch, id: n.id });
    }
  };

  it('sends one notice to a focal point registered just after a transition, whichever notification goes first', async () => {
    // Arrange: the stage's notice is still queued when the focal point is registered.
    const review = aReview('2027-01-04T10:00:00Z', { launchedAt: '2027-01-04' });
    await planFromReviewChange(planner(), { newReview: review });
    const registered = setFocalPoint(UNTOC_PROCESS, review, 'AUT', fp, {
      now: '2027-01-04T10:00:00.030Z',
      ...actor,
    }).review;
    await store(registered);
    await planFromReviewChange(planner(), { oldReview: review, newReview: registered });

    // Act: the stage's notice (which now sees Anna) and her own notice are both delivered.
    await deliverAll('2027-01-04T10:00:01Z');

    // Assert
    expect(mailer.sent.map((m) => m.to).sort()).toEqual(['anna@aut.example', 'fp@grc.example']);
    const skipped = byKind('stage_notice')
      .flatMap((n) => n.deliveries)
      .filter((d) => d.reason === 'already notified of this stage');
    expect(skipped).toHaveLength(1);
  });

  it('holds the notices of a review paused right after creation and sends them on resume, once', async () => {
    // Arrange
    const review = aReview('2027-01-04T10:00:00Z', { launchedAt: '2027-01-04' });
    await planFromReviewChange(planner(), { newReview: review });
    const paused = pause(UNTOC_PROCESS, review, 'x', { now: '2027-01-04T10:00:00.010Z', ...actor }).review;
    await store(paused);
    await planFromReviewChange(planner(), { oldReview: review, newReview: paused });
    await deliverAll('2027-01-04T10:00:01Z');
    expect(mailer.sent).toEqual([]);

    // Act
    const resumed = resume(paused, 'y', { now: '2027-01-06T10:00:00Z', ...actor }).review;
    await store(resumed);
    await planFromReviewChange(planner(), { oldReview: paused, newReview: resumed });
    await deliverAll('2027-01-06T10:00:01Z');
    await deliverAll('2027-01-06T10:00:02Z');

    // Assert
    expect(mailer.sent.map((m) => m.to)).toEqual(['fp@grc.example']);
  });

  it('gives a replaced focal point put back no second notice of the same stage', async () => {
    const review = aReview('2027-01-04T10:00:00Z', { launchedAt: '2027-01-04' });
    await store(review);
    await planFromReviewChange(planner(), { newReview: review });
    await deliverAll('2027-01-04T10:00:01Z');
    const other = { ...fp, email: 'other@grc.example' };
    const replaced = setFocalPoint(UNTOC_PROCESS, review, 'GRC', other, {
      now: '2027-01-05T10:00:00Z',
      ...actor,
    }).review;
    await planFromReviewChange(planner(), { oldReview: review, newReview: replaced });
    const back = setFocalPoint(
      UNTOC_PROCESS,
      replaced,
      'GRC',
      { name: 'Eleni', email: 'FP@grc.example', language: 'en' },
      { now: '2027-01-06T10:00:00Z', ...actor },
    ).review;
    await store(back);
    await planFromReviewChange(planner(), { oldReview: replaced, newReview: back });
    await deliverAll('2027-01-06T10:00:01Z');
    // The one in between was already replaced when its notice went out: it went to the current one.
    expect(mailer.sent.map((m) => m.to)).toEqual(['fp@grc.example']);
  });

  it('gives a person claim back when the send surely failed, so the retry sends it', async () => {
    const review = aReview('2027-01-04T10:00:00Z', { launchedAt: '2027-01-04' });
    await store(review);
    await planFromReviewChange(planner(), { newReview: review });
    mailer.failOn = 1;
    mailer.failWith = new MailThrottledError();
    const [notice] = byKind('stage_notice');
    const ref = { reviewId: 'rev-1', stageEpoch: 1, id: notice?.id ?? '' };
    await expect(deliverNotification(sender('2027-01-04T10:00:01Z'), ref)).rejects.toThrow(
      MailThrottledError,
    );
    expect(notifications.stageNoticeClaims.size).toBe(0);
    await deliverNotification(sender('2027-01-04T10:00:02Z'), ref);
    expect(mailer.sent.map((m) => m.to)).toEqual(['fp@grc.example']);
  });

  it('marks a send whose outcome is unknown on the record, and sends it again on retry', async () => {
    const review = aReview('2027-01-04T10:00:00Z', { launchedAt: '2027-01-04' });
    await store(review);
    await planFromReviewChange(planner(), { newReview: review });
    mailer.failOn = 1;
    mailer.failWith = new MailOutcomeUnknownError('TimeoutError/ETIMEDOUT');
    const [notice] = byKind('stage_notice');
    const ref = { reviewId: 'rev-1', stageEpoch: 1, id: notice?.id ?? '' };
    await expect(deliverNotification(sender('2027-01-04T10:00:01Z'), ref)).rejects.toThrow(
      MailOutcomeUnknownError,
    );
    expect(notifications.records.get(ref.id)?.deliveries).toEqual([
      expect.objectContaining({ recipient: 'GRC', status: 'unknown' }),
    ]);
    await deliverNotification(sender('2027-01-04T10:00:02Z'), ref);
    expect(mailer.sent.map((m) => m.to)).toEqual(['fp@grc.example']);
    expect(notifications.records.get(ref.id)?.deliveries.map((d) => d.status)).toEqual([
      'unknown',
      'sent',
      'skipped',
      'skipped',
    ]);
  });
});

describe('sweepDue', () => {
  /** Plans a new review and lets the mailer take its stage notice off the queue, as it does at once. */
  async function plannedAndNoticed(review: Review) {
    await store(review);
    await planFromReviewChange(planner(), { newReview: review });
    for (const { item } of queue.sent) await deliverNotification(sender('2027-01-04T10:00:01Z'), item);
    queue.sent.length = 0;
  }

  it('queues what is due to the right queue once, even when two sweeps overlap', async () => {
    const review = aReview('2027-01-04T10:00:00Z', { launchedAt: '2027-01-04' });
    await plannedAndNoticed(review);
    const [first, second] = await Promise.all([
      sweepDue({ notifications, queue }, '2027-01-20T09:00:00Z'),
      sweepDue({ notifications, queue }, '2027-01-20T09:00:00Z'),
    ]);
    // Reminders -7 and -1, the overdue notice and escalation #1 are due; the -7 reminder is
    // superseded by the -1 one.
    expect((first?.queued ?? 0) + (second?.queued ?? 0)).toBe(3);
    expect(byKind('reminder').find((r) => r.occurrence === 3)).toMatchObject({
      status: 'skipped',
      reason: expect.stringMatching(/^superseded by .*reminder#4$/),
    });
    expect(queue.sent.filter((s) => s.target === 'escalation').map((s) => s.item.id)).toContain(
      'rev-1#1#2027-01-18#escalation#1',
    );
    expect(byKind('escalation').filter((r) => r.status === 'queued')).toHaveLength(1);
  });

  it('leaves items pending when the queue refuses them, for the next sweep', async () => {
    const review = aReview('2027-01-04T10:00:00Z', { launchedAt: '2027-01-04' });
    await plannedAndNoticed(review);
    queue.failNext = true;
    const outcome = await sweepDue({ notifications, queue }, '2027-01-12T09:00:00Z');
    expect(outcome).toMatchObject({ due: 1, queued: 0, failed: 1 });
    expect((await sweepDue({ notifications, queue }, '2027-01-12T09:00:00Z')).queued).toBe(1);
  });

  it('queues a stage notice again when no sender has claimed it yet, and the second delivery sends nothing', async () => {
    // Arrange: the planner queued it; the sweep runs before the mailer took it off the queue.
    const review = aReview('2027-01-04T10:00:00Z', { launchedAt: '2027-01-04' });
    await store(review);
    await planFromReviewChange(planner(), { newReview: review });

    // Act
    const swept = await sweepDue({ notifications, queue }, '2027-01-04T10:00:30Z');
    const deliveries = [];
    for (const { item } of queue.sent)
      deliveries.push(await deliverNotification(sender('2027-01-04T10:00:31Z'), item));

    // Assert
    expect(swept).toMatchObject({ due: 1, queued: 1 });
    expect(queue.sent.map((s) => s.item.id)).toEqual([
      'rev-1#1#2027-01-18#stage_notice#1',
      'rev-1#1#2027-01-18#stage_notice#1',
    ]);
    expect(deliveries.map((d) => d.outcome)).toEqual(['sent', 'duplicate']);
    expect(mailer.sent.map((m) => m.to)).toEqual(['fp@grc.example']);
  });
});

describe('deliverNotification', () => {
  async function planned(review: Review) {
    await store(review);
    await planFromReviewChange(planner(), { newReview: review });
  }
  const ref = (id: string) => ({ reviewId: 'rev-1', stageEpoch: 1, id });

  it('sends a stage notice to every participant with a focal point and skips the others', async () => {
    const review = aReview('2027-01-04T10:00:00Z', { launchedAt: '2027-01-04' });
    await planned(review);
    const result = await deliverNotification(
      sender('2027-01-04T10:00:05Z'),
      ref('rev-1#1#2027-01-18#stage_notice#1'),
    );
    expect(result).toEqual({ outcome: 'sent', kind: 'stage_notice', deliveries: 1 });
    expect(mailer.sent.map((m) => m.to)).toEqual(['fp@grc.example']);
    expect(mailer.sent[0]?.attachments?.[0]?.filename).toBe('deadline.ics');
    const record = notifications.records.get('rev-1#1#2027-01-18#stage_notice#1');
    expect(record?.deliveries.map((d) => [d.recipient, d.status])).toEqual([
      ['GRC', 'sent'],
      ['AUT', 'skipped'],
      ['BRA', 'skipped'],
    ]);
  });

  it('skips a reminder held up past the deadline', async () => {
    await planned(aReview('2027-01-04T10:00:00Z', { launchedAt: '2027-01-04' }));
    expect(
      await deliverNotification(sender('2027-01-18T23:00:00Z'), ref('rev-1#1#2027-01-18#reminder#4')),
    ).toEqual({
      outcome: 'skipped',
      reason: 'the deadline has passed',
    });
    expect(mailer.sent).toEqual([]);
  });

  it('sends once when the same message is delivered twice', async () => {
    await planned(aReview('2027-01-04T10:00:00Z', { launchedAt: '2027-01-04' }));
    const deps = sender('2027-01-04T10:00:05Z');
    await deliverNotification(deps, ref('rev-1#1#2027-01-18#stage_notice#1'));
    expect(await deliverNotification(deps, ref('rev-1#1#2027-01-18#stage_notice#1'))).toEqual({
      outcome: 'duplicate',
    });
    expect(mailer.sent).toHaveLength(1);
  });

  it('escalates a reminder for a participant without a focal point to the Secretariat', async () => {
    await planned(aReview('2027-01-04T10:00:00Z', { launchedAt: '2027-01-04' }));
    await deliverNotification(sender('2027-01-11T08:00:00Z'), ref('rev-1#1#2027-01-18#reminder#3'));
    expect(mailer.sent.map((m) => m.to)).toEqual([
      'fp@grc.example',
      'secretariat@un.example',
      'secretariat@un.example',
    ]);
    expect(
      notifications.records.get('rev-1#1#2027-01-18#reminder#3')?.deliveries.map((d) => d.status),
    ).toEqual(['sent', 'escalated', 'escalated']);
  });

  it('skips a notification whose stage moved on, whose deadline changed or whose review is paused', async () => {
    const review = aReview('2027-01-04T10:00:00Z', { launchedAt: '2027-01-04' });
    await planned(review);
    await store(
      changeDeadline(UNTOC_PROCESS, review, '2027-02-01', 'x', { now: '2027-01-06T10:00:00Z', ...actor })
        .review,
    );
    expect(
      await deliverNotification(sender('2027-01-11T08:00:00Z'), ref('rev-1#1#2027-01-18#reminder#3')),
    ).toEqual({
      outcome: 'skipped',
      reason: 'the deadline has changed',
    });
    await store(pause(UNTOC_PROCESS, review, 'x', { now: '2027-01-06T10:00:00Z', ...actor }).review);
    expect(
      await deliverNotification(sender('2027-01-11T08:00:00Z'), ref('rev-1#1#2027-01-18#reminder#4')),
    ).toMatchObject({
      reason: 'the review is paused',
    });
    await store(
      transition(UNTOC_PROCESS, review, { to: 'self_assessment' }, { now: '2027-01-06T10:00:00Z', ...actor })
        .review,
    );
    expect(
      await deliverNotification(sender('2027-01-20T08:00:00Z'), ref('rev-1#1#2027-01-18#escalation#1')),
    ).toMatchObject({
      reason: 'the review has moved to another stage',
    });
    expect(mailer.sent).toEqual([]);
  });

  /** Greece's review with focal points for Austria and Brazil too: a stage notice for three. */
  function withThreeFocalPoints() {
    let review = aReview('2027-01-04T10:00:00Z', { launchedAt: '2027-01-04' });
    for (const [state, email] of [
      ['AUT', 'anna@aut.example'],
      ['BRA', 'bruno@bra.example'],
    ] as const) {
      review = setFocalPoint(
        UNTOC_PROCESS,
        review,
        state,
        { name: state, email, language: 'en' },
        { now: '2027-01-04T10:00:00Z', ...actor },
      ).review;
    }
    return review;
  }

  it('writes once before each send and once after the last, the first write claiming the notification', async () => {
    // Arrange
    await planned(withThreeFocalPoints());
    const deps = sender('2027-01-04T10:00:05Z');
    const finished: unknown[] = [];
    const finish = notifications.finish.bind(notifications);
    notifications.finish = async (...args) => {
      finished.push(args[4]);
      return finish(...args);
    };

    // Act
    await deliverNotification(deps, ref('rev-1#1#2027-01-18#stage_notice#1'));

    // Assert: each gate stores the send before it and claims the next person's stage notice.
    const gates = (deps.deliveries as InMemoryDeliveryStore).gates;
    expect(gates.map((g) => [Boolean(g.claim), g.record.map((d) => d.recipient), g.to?.state])).toEqual([
      [true, [], 'GRC'],
      [false, ['GRC'], 'AUT'],
      [false, ['AUT'], 'BRA'],
    ]);
    expect(finished).toEqual([
      { deliveries: [expect.objectContaining({ recipient: 'BRA', status: 'sent' })], position: 2 },
    ]);
    expect(mailer.sent.map((m) => m.to)).toEqual(['fp@grc.example', 'anna@aut.example', 'bruno@bra.example']);
  });

  it('after a crash between a send and its write, sends again only that one: what was written is not resent', async () => {
    // Arrange: the sender dies once SES has taken the second mail, before its write lands.
    await planned(withThreeFocalPoints());
    const id = ref('rev-1#1#2027-01-18#stage_notice#1');
    const dying = sender('2027-01-04T10:00:05Z');
    const store = dying.deliveries;
    let gates = 0;
    const dead = () => Promise.reject(new Error('the process died'));
    dying.deliveries = {
      read: (r) => store.read(r),
      gate: (r, g) => (++gates === 3 ? dead() : store.gate(r, g)),
      releaseStageNotice: dead,
    };
    dying.notifications = { ...notifications, release: dead, finish: dead } as never;
    await expect(deliverNotification(dying, id)).rejects.toThrow('the process died');
    expect(notifications.records.get(id.id)).toMatchObject({
      status: 'sending',
      deliveries: [{ recipient: 'GRC' }],
    });

    // Act: the message comes back once the dead sender's claim is stale.
    const retry = await deliverNotification(sender('2027-01-04T10:10:00Z'), id);

    // Assert: the one send whose write was lost goes again (SES takes no idempotency key, DESIGN §3);
    // the one written before it does not.
    expect(retry).toEqual({ outcome: 'sent', kind: 'stage_notice', deliveries: 3 });
    expect(mailer.sent.map((m) => m.to)).toEqual([
      'fp@grc.example',
      'anna@aut.example',
      'anna@aut.example',
      'bruno@bra.example',
    ]);
    expect(notifications.records.get(id.id)?.deliveries.map((d) => d.recipient)).toEqual([
      'GRC',
      'AUT',
      'BRA',
    ]);
  });

  it('gives the claim back on throttling and, on retry, sends only to recipients still missing', async () => {
    let review = aReview('2027-01-04T10:00:00Z', { launchedAt: '2027-01-04' });
    review = setFocalPoint(
      UNTOC_PROCESS,
      review,
      'AUT',
      { name: 'Anna', email: 'anna@aut.example', language: 'fr' },
      { now: '2027-01-04T10:00:00Z', ...actor },
    ).review;
    await planned(review);
    mailer.failOn = 2;
    mailer.failWith = new MailThrottledError();
    const id = ref('rev-1#1#2027-01-18#stage_notice#1');
    await expect(deliverNotification(sender('2027-01-04T10:00:05Z'), id)).rejects.toThrow(MailThrottledError);
    expect(notifications.records.get(id.id)?.status).toBe('queued');
    await deliverNotification(sender('2027-01-04T10:01:00Z'), id);
    expect(mailer.sent.map((m) => m.to)).toEqual(['fp@grc.example', 'anna@aut.example']);
  });

  it('skips an undeliverable address, and an escalation lists the reminders sent', async () => {
    await planned(aReview('2027-01-04T10:00:00Z', { launchedAt: '2027-01-04' }));
    undeliverable.marked.add('fp@grc.example');
    await deliverNotification(sender('2027-01-11T08:00:00Z'), ref('rev-1#1#2027-01-18#reminder#3'));
    expect(notifications.records.get('rev-1#1#2027-01-18#reminder#3')?.deliveries[0]).toMatchObject({
      recipient: 'GRC',
      status: 'skipped',
      reason: 'address undeliverable',
    });
    mailer.sent.length = 0;
    await deliverNotification(sender('2027-01-20T08:00:00Z'), ref('rev-1#1#2027-01-18#escalation#1'));
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]?.to).toBe('secretariat@un.example');
    expect(mailer.sent[0]?.text).toContain('address undeliverable');
  });

  it("writes an escalation from a bounded slice of its stage's history and counts it in the tally", async () => {
    // Arrange
    await planned(aReview('2027-01-04T10:00:00Z', { launchedAt: '2027-01-04' }));
    await deliverNotification(sender('2027-01-11T08:00:00Z'), ref('rev-1#1#2027-01-18#reminder#3'));
    const slices: { limit: number; kinds: readonly string[] }[] = [];
    const latestOfStage = notifications.latestOfStage.bind(notifications);
    notifications.latestOfStage = async (stage, kinds, limit) => {
      slices.push({ limit, kinds });
      // As if the epoch held more than the slice: the older ones are left out.
      return { ...(await latestOfStage(stage, kinds, limit)), complete: false };
    };
    notifications.listForReview = async () => {
      throw new Error('an escalation must not read the whole history');
    };
    mailer.sent.length = 0;

    // Act
    await deliverNotification(sender('2027-01-20T08:00:00Z'), ref('rev-1#1#2027-01-18#escalation#1'));

    // Assert
    expect(slices).toEqual([{ limit: ESCALATION_HISTORY_LIMIT, kinds: ['reminder', 'overdue_notice'] }]);
    expect(mailer.sent[0]?.text).toContain(
      'Kind: reminder; Due: 11 Jan 2027, 09:00 Vienna time; Recipient: Greece; Status: sent',
    );
    expect(mailer.sent[0]?.text).toContain('Older notifications of this stage are not listed');
    await expect(notifications.escalationsSent([{ reviewId: 'rev-1', stageEpoch: 1 }])).resolves.toEqual(
      new Map([['rev-1', 1]]),
    );
  });
});

describe('handleMailFeedback', () => {
  it('marks a permanently bounced address and queues one Secretariat notice', async () => {
    const review = aReview('2027-01-04T10:00:00Z', { launchedAt: '2027-01-04' });
    await store(review);
    const bounce = {
      cause: 'bounce' as const,
      addresses: ['FP@grc.example'],
      reviewId: 'rev-1',
      mailId: 'ses-1',
    };
    const deps = { notifications, undeliverable, reviews, queue, clock: fixedClock('2027-01-05T10:00:00Z') };
    expect(await handleMailFeedback(deps, bounce)).toEqual({ marked: 1, noticesQueued: 1 });
    expect(await handleMailFeedback(deps, bounce)).toEqual({ marked: 0, noticesQueued: 0 });
    expect(await undeliverable.undeliverableAmong(['fp@grc.example'])).toEqual(new Set(['fp@grc.example']));
    const [notice] = byKind('undeliverable');
    expect(notice?.detail).toEqual({ state: 'GRC', cause: 'bounce', addressHint: 'F***@grc.example' });
    // Named by the bounced mail, never by the address.
    expect(notice?.id).toBe('rev-1#1#undeliverable#ses-1#1');
    expect(queue.sent).toEqual([{ target: 'escalation', item: expect.objectContaining({ id: notice?.id }) }]);
  });
});

describe('SesFeedbackMessage (the SES adapter)', () => {
  it('reads a permanent bounce and a complaint, and nothing else', () => {
    const mail = { messageId: 'ses-1', tags: { reviewId: ['rev-1'] } };
    expect(
      SesFeedbackMessage.parse({
        eventType: 'Bounce',
        bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'a@b.example' }] },
        mail,
      }),
    ).toEqual({ cause: 'bounce', addresses: ['a@b.example'], reviewId: 'rev-1', mailId: 'ses-1' });
    expect(
      SesFeedbackMessage.parse({
        notificationType: 'Complaint',
        complaint: { complainedRecipients: [{ emailAddress: 'c@d.example' }] },
      }),
    ).toMatchObject({ cause: 'complaint', addresses: ['c@d.example'] });
    expect(
      SesFeedbackMessage.parse({
        eventType: 'Bounce',
        bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: 'x@y.example' }] },
      }),
    ).toBeUndefined();
    expect(SesFeedbackMessage.parse({ eventType: 'Delivery' })).toBeUndefined();
  });
});

describe('outcomeMetric', () => {
  it('names past-tense business events', () => {
    expect(outcomeMetric({ outcome: 'sent', kind: 'reminder', deliveries: 1 })).toBe('ReminderSent');
    expect(outcomeMetric({ outcome: 'sent', kind: 'escalation', deliveries: 1 })).toBe('EscalationSent');
    expect(outcomeMetric({ outcome: 'skipped', reason: 'x' })).toBe('NotificationSkipped');
    expect(outcomeMetric({ outcome: 'duplicate' })).toBe('DuplicateDeliveryIgnored');
  });
});
