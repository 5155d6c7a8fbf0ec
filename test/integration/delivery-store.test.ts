import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalEmulators, startEmulators } from '#infra/local/emulators.ts';
import { DynamoDbDeliveryStore } from '#shared/adapters/dynamodb-delivery-store.ts';
import { stageNoticeRecipientsSk } from '#shared/adapters/dynamodb-keys.ts';
import { DynamoDbNotificationStore } from '#shared/adapters/dynamodb-notification-store.ts';
import { DynamoDbReviewRepository } from '#shared/adapters/dynamodb-review-repository.ts';
import { DynamoDbUndeliverableAddresses } from '#shared/adapters/dynamodb-undeliverable-addresses.ts';
import type { PlannedNotification } from '#shared/domain/notification-plan.ts';
import { UNTOC_PROCESS } from '#shared/domain/processes/untoc.ts';
import { createReview } from '#shared/domain/review.ts';
import type { SendGate } from '#shared/ports/delivery-store.ts';
import type { Delivery } from '#shared/ports/notification-store.ts';
import { createTemplateTables } from './support/template-tables.ts';

/**
 * The senders' delivery store against DynamoDB Local (tables as the template declares them): one
 * read of a notification with its review, and the all-or-nothing write before each send.
 */
let emulators: LocalEmulators;
let tables: Awaited<ReturnType<typeof createTemplateTables>>;
let deliveries: DynamoDbDeliveryStore;
let notifications: DynamoDbNotificationStore;

beforeAll(async () => {
  emulators = await startEmulators();
  tables = await createTemplateTables(emulators);
  deliveries = new DynamoDbDeliveryStore(tables.documents, {
    notifications: tables.notifications,
    reviews: tables.reviews,
  });
  notifications = new DynamoDbNotificationStore(tables.documents, tables.notifications);
});
afterAll(async () => {
  await emulators?.stop();
});

const NOW = '2027-01-04T10:00:00Z';
const STALE_BEFORE = '2027-01-04T09:54:00Z';
/** A stage notice of `reviewId`'s epoch 3, stored pending as the planner leaves it. */
async function aNotice(reviewId: string, id = `${reviewId}#3#none#stage_notice#1`) {
  const notice: PlannedNotification = {
    id,
    reviewId,
    stage: 'desk_review',
    stageEpoch: 3,
    deadline: null,
    kind: 'stage_notice',
    occurrence: 1,
    offsetDays: 0,
    audience: 'participants',
    dueAt: NOW,
  };
  await notifications.addPlanned([notice], NOW);
  return { reviewId, stageEpoch: 3, id };
}
const anna = { state: 'AUT', email: 'Anna@aut.example' };
const sent = (recipient: string): Delivery => ({
  recipient,
  status: 'sent',
  messageId: `m-${recipient}`,
  at: NOW,
});
const firstGate = (token: string, to = anna): SendGate => ({
  token,
  claim: { now: NOW, staleBefore: STALE_BEFORE },
  record: [],
  position: 0,
  to: { ...to, stageNotice: true, now: NOW },
});

describe('DynamoDbDeliveryStore', () => {
  it('reads a notification together with its review, and nothing for a reference no item can have', async () => {
    // Arrange
    const { review, event } = createReview(
      UNTOC_PROCESS,
      {
        stateUnderReview: 'GRC',
        cluster: 1,
        instruments: ['UNTOC'],
        reviewingStates: [
          { state: 'AUT', instruments: ['UNTOC'] },
          { state: 'BRA', instruments: ['UNTOC'] },
        ],
        language: 'en',
        launchedAt: '2027-01-04',
      },
      { id: 'r-read', now: NOW, actor: { id: 'u' } },
    );
    await new DynamoDbReviewRepository(tables.documents, tables.reviews).create(review, event);
    const ref = await aNotice('r-read');

    // Act
    const both = await deliveries.read(ref);
    const none = await deliveries.read({ ...ref, id: 'x'.repeat(2000) });

    // Assert
    expect(both.record).toMatchObject({ id: ref.id, status: 'pending', deliveries: [] });
    expect(both.review).toMatchObject({ id: 'r-read', stage: 'launched', version: 1 });
    expect(none).toEqual({ record: undefined, review: undefined });
  });

  it("claims the notification and the person's stage notice in one write, which a retry repeats harmlessly", async () => {
    const ref = await aNotice('r-gate');

    expect(await deliveries.gate(ref, firstGate('t1'))).toBe('go');
    // The same write again (its answer lost, sent again by the SDK): still this attempt's.
    expect(await deliveries.gate(ref, firstGate('t1'))).toBe('go');
    // The next gate stores the send just made, at its position; repeated, it adds nothing.
    const next: SendGate = { token: 't1', record: [sent('AUT')], position: 0 };
    expect(await deliveries.gate(ref, next)).toBe('go');
    expect(await deliveries.gate(ref, next)).toBe('go');

    const record = (await deliveries.read(ref)).record;
    expect(record).toMatchObject({ status: 'sending', deliveries: [sent('AUT')] });
    // Another attempt's write while this one holds a live claim: refused.
    expect(await deliveries.gate(ref, firstGate('t2'))).toBe('duplicate');
    expect(await deliveries.gate(ref, { ...next, token: 't2', position: 1 })).toBe('duplicate');
  });

  it('refuses a person whose stage notice another notification has, and writes nothing of the gate', async () => {
    // Arrange: the first notification of the epoch sends Anna's notice.
    const first = await aNotice('r-taken', 'r-taken#3#none#stage_notice#1');
    const second = await aNotice('r-taken', 'r-taken#3#none#stage_notice#5');
    expect(await deliveries.gate(first, firstGate('t1'))).toBe('go');

    // Act: the second one, for the same person (the address in another case).
    const answer = await deliveries.gate(second, firstGate('t2', { ...anna, email: 'anna@AUT.example' }));
    const other = await deliveries.gate(second, firstGate('t2', { state: 'BRA', email: 'b@bra.example' }));

    // Assert: refused without claiming the notification; the next person is its to send.
    expect(answer).toBe('already_notified');
    expect(other).toBe('go');
    // Only the holder gives a claim back; then it is free.
    await deliveries.releaseStageNotice(second, anna);
    expect(
      await deliveries.gate(second, { ...firstGate('t2'), claim: undefined, record: [sent('BRA')] }),
    ).toBe('already_notified');
    await deliveries.releaseStageNotice(first, anna);
    expect(
      await deliveries.gate(second, { ...firstGate('t2'), claim: undefined, record: [sent('BRA')] }),
    ).toBe('go');
  });

  it('honours a claim stored the earlier way, in the recipients map', async () => {
    await tables.documents.send(
      new PutCommand({
        TableName: tables.notifications,
        Item: {
          pk: 'REVIEW#r-legacy',
          sk: stageNoticeRecipientsSk(3),
          type: 'stage_notice_recipients',
          recipients: { 'AUT anna@aut.example': { notification: 'r-legacy#3#none#stage_notice#1', at: NOW } },
        },
      }),
    );
    const holder = await aNotice('r-legacy', 'r-legacy#3#none#stage_notice#1');
    const other = await aNotice('r-legacy', 'r-legacy#3#none#stage_notice#7');

    expect(await deliveries.gate(other, firstGate('t1'))).toBe('already_notified');
    expect(await deliveries.gate(holder, firstGate('t2'))).toBe('go');
  });

  it('refuses an undeliverable address and writes nothing of the gate', async () => {
    const ref = await aNotice('r-bounced');
    await new DynamoDbUndeliverableAddresses(tables.documents, tables.reviews).mark(
      'bounced@aut.example',
      'bounce',
      NOW,
    );

    expect(await deliveries.gate(ref, firstGate('t1', { state: 'AUT', email: 'Bounced@aut.example' }))).toBe(
      'undeliverable',
    );
    expect((await deliveries.read(ref)).record?.status).toBe('pending');
    // The person's stage notice was not claimed either: another address of the State goes through.
    expect(await deliveries.gate(ref, firstGate('t1', { state: 'AUT', email: 'fp@aut.example' }))).toBe('go');
  });

  it('lets exactly one of many concurrent first gates of one notification go', async () => {
    const ref = await aNotice('r-race');
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => deliveries.gate(ref, firstGate(`t${i}`))),
    );
    expect(answers.filter((a) => a === 'go')).toHaveLength(1);
    expect(answers.filter((a) => a === 'duplicate')).toHaveLength(5);
  });

  it('finishes with the last deliveries in the same write, and gives a claim back with what it did', async () => {
    // Arrange: one sent and recorded, the second sent and not yet written.
    const ref = await aNotice('r-finish');
    await deliveries.gate(ref, firstGate('t1'));
    await deliveries.gate(ref, { token: 't1', record: [sent('AUT')], position: 0 });
    const released = await aNotice('r-release');
    await deliveries.gate(released, firstGate('t1'));

    // Act
    await notifications.finish(ref, 'sent', NOW, undefined, { deliveries: [sent('BRA')], position: 1 });
    const unknown: Delivery = { recipient: 'AUT', status: 'unknown', reason: 'timed out', at: NOW };
    await notifications.release(released, { deliveries: [unknown], position: 0 });
    await notifications.release(released, { deliveries: [unknown], position: 0 });

    // Assert
    expect((await deliveries.read(ref)).record).toMatchObject({
      status: 'sent',
      deliveries: [sent('AUT'), sent('BRA')],
    });
    expect((await deliveries.read(released)).record).toMatchObject({
      status: 'queued',
      deliveries: [unknown],
    });
    // Given back: the queue's retry claims it with a new token.
    expect(await deliveries.gate(released, { ...firstGate('t9'), position: 1 })).toBe('go');
  });
});
