import { setTimeout as sleep } from 'node:timers/promises';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Review } from '#shared/domain/review.ts';
import type { Addressee, DeliveryStore, SendGate, SendGateAnswer } from '#shared/ports/delivery-store.ts';
import type { NotificationRecord, NotificationRef } from '#shared/ports/notification-store.ts';
import { CLAIMABLE, claimValues, deliveriesAt } from './dynamodb-deliveries.ts';
import {
  fitsPartitionKey,
  fitsSortKey,
  notificationSk,
  REVIEW_SK,
  reviewPk,
  stageNoticeRecipientsSk,
} from './dynamodb-keys.ts';
import { recordFromItem } from './dynamodb-notification-reader.ts';
import { reviewFromItem } from './dynamodb-review-repository.ts';
import { undeliverableKey } from './dynamodb-undeliverable-addresses.ts';

type Item = Record<string, unknown>;

/** Unprocessed keys (throttling) and transaction conflicts are tried again this many times. */
const ATTEMPTS = 5;

/**
 * The {@link DeliveryStore} on the Notifications and Reviews tables. A sender's read is one
 * strongly consistent `BatchGetItem` of both items; each gate is one write: an `UpdateItem` of
 * the notification, or a `TransactWriteItems` that also claims the person's stage notice (on the
 * stage epoch's `NOTICE#` item, one attribute per person) and checks that the address has no
 * undeliverable item (a `ConditionCheck` on the Reviews table's `ADDRESS#` items).
 */
export class DynamoDbDeliveryStore implements DeliveryStore {
  /**
   * @param client a document client
   * @param tables the Notifications table and the Reviews table (reviews and undeliverable addresses)
   */
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: { notifications: string; reviews: string },
  ) {}

  private notificationKey(ref: NotificationRef) {
    return { pk: reviewPk(ref.reviewId), sk: notificationSk(ref.stageEpoch, ref.id) };
  }

  async read(
    ref: NotificationRef,
  ): Promise<{ record: NotificationRecord | undefined; review: Review | undefined }> {
    const notificationKey = this.notificationKey(ref);
    // A reference no item can have (from a hand-made message) is simply not there.
    if (!fitsPartitionKey(notificationKey.pk) || !fitsSortKey(notificationKey.sk))
      return { record: undefined, review: undefined };
    const { notifications, reviews } = this.tables;
    let request: Record<string, { Keys: Item[]; ConsistentRead: true }> | undefined = {
      [notifications]: { Keys: [notificationKey], ConsistentRead: true },
      [reviews]: { Keys: [{ pk: reviewPk(ref.reviewId), sk: REVIEW_SK }], ConsistentRead: true },
    };
    const found: Item[] = [];
    for (let attempt = 1; request && Object.keys(request).length > 0; attempt++) {
      if (attempt > ATTEMPTS) throw new Error('BatchGetItem left keys unprocessed');
      if (attempt > 1) await sleep(Math.min(25 * 2 ** attempt, 500));
      const result = await this.client.send(new BatchGetCommand({ RequestItems: request }));
      found.push(...(result.Responses?.[notifications] ?? []), ...(result.Responses?.[reviews] ?? []));
      request = result.UnprocessedKeys as typeof request;
    }
    const record = found.find((item) => item.sk === notificationKey.sk);
    const review = found.find((item) => item.sk === REVIEW_SK);
    return {
      record: record ? recordFromItem(record) : undefined,
      review: review ? reviewFromItem(review) : undefined,
    };
  }

  async gate(ref: NotificationRef, gate: SendGate): Promise<SendGateAnswer> {
    const notification = this.notificationUpdate(ref, gate);
    if (!notification) return 'go';
    const { to } = gate;
    if (!to) {
      try {
        await this.client.send(new UpdateCommand(notification));
        return 'go';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'duplicate';
        throw error;
      }
    }
    const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
      { Update: notification },
      {
        ConditionCheck: {
          TableName: this.tables.reviews,
          Key: undeliverableKey(to.email),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
    if (to.stageNotice) items.push({ Update: this.stageNoticeClaim(ref, to, to.now) });
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.send(new TransactWriteCommand({ TransactItems: items }));
        return 'go';
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const [claim, address, person] = (error.CancellationReasons ?? []).map((r) => r.Code);
        if (claim === 'ConditionalCheckFailed') return 'duplicate';
        if (address === 'ConditionalCheckFailed') return 'undeliverable';
        if (person === 'ConditionalCheckFailed') return 'already_notified';
        // Another sender's write on the same items at the same moment: try again shortly.
        const conflict = [claim, address, person].includes('TransactionConflict');
        if (!conflict || attempt >= ATTEMPTS) throw error;
        await sleep(10 * attempt + Math.floor(Math.random() * 20));
      }
    }
  }

  /**
   * The gate's write on the notification: the claim (with what was learnt before the first
   * send), or the deliveries since the last write, on condition that the claim is still this
   * attempt's. Undefined when there is nothing to write and nothing to check.
   */
  private notificationUpdate(ref: NotificationRef, gate: SendGate) {
    const stored = deliveriesAt({ deliveries: gate.record, position: gate.position });
    const names = { '#status': 'status' };
    if (gate.claim) {
      return {
        TableName: this.tables.notifications,
        Key: this.notificationKey(ref),
        UpdateExpression: `SET #status = :sending, claimedAt = :now, claimedBy = :token${stored.set.map((s) => `, ${s}`).join('')} REMOVE duePk`,
        ConditionExpression: `(${CLAIMABLE})${stored.condition ? ` AND ${stored.condition}` : ''}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: {
          ...claimValues(gate.claim.now, gate.claim.staleBefore, gate.token),
          ...stored.values,
        },
      };
    }
    if (stored.set.length === 0) return undefined;
    return {
      TableName: this.tables.notifications,
      Key: this.notificationKey(ref),
      UpdateExpression: `SET ${stored.set.join(', ')}`,
      // Ours still: not given back, not taken over by another sender after a stale claim.
      ConditionExpression: `#status = :sending AND claimedBy = :token AND ${stored.condition}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ':sending': 'sending', ':token': gate.token, ...stored.values },
    };
  }

  /** The stage epoch's `NOTICE#` item: one attribute per person, naming the notification that has their notice. */
  private recipientsKey(ref: NotificationRef) {
    return { pk: reviewPk(ref.reviewId), sk: stageNoticeRecipientsSk(ref.stageEpoch) };
  }

  /**
   * Claims a person's stage notice of the epoch for this notification: theirs if nobody has it or
   * it is this notification's already (its retry). An update creates the item with the epoch's
   * first claim. Claims written before one attribute per person (in a `recipients` map) still count.
   */
  private stageNoticeClaim(ref: NotificationRef, person: Addressee, now: string) {
    return {
      TableName: this.tables.notifications,
      Key: this.recipientsKey(ref),
      UpdateExpression: 'SET #type = :type, #person = :claim',
      ConditionExpression:
        '(attribute_not_exists(#person) OR #person.#notification = :me) AND (attribute_not_exists(#recipients.#person) OR #recipients.#person.#notification = :me)',
      ExpressionAttributeNames: {
        '#type': 'type',
        '#person': personKey(person),
        '#notification': 'notification',
        '#recipients': 'recipients',
      },
      ExpressionAttributeValues: {
        ':type': 'stage_notice_recipients',
        ':claim': { notification: ref.id, at: now },
        ':me': ref.id,
      },
    };
  }

  async releaseStageNotice(ref: NotificationRef, person: Addressee): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tables.notifications,
          Key: this.recipientsKey(ref),
          UpdateExpression: 'REMOVE #person',
          ConditionExpression: '#person.#notification = :me',
          ExpressionAttributeNames: { '#person': personKey(person), '#notification': 'notification' },
          ExpressionAttributeValues: { ':me': ref.id },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

/** A person as a stage notice reaches them: the participant and the address (case-insensitive). */
function personKey(person: Addressee): string {
  return `${person.state} ${person.email.trim().toLowerCase()}`;
}
