import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { NotificationKind } from '#shared/domain/notification-plan.ts';
import type {
  Delivery,
  NewNotification,
  NotificationRecord,
  NotificationRef,
  NotificationStore,
  RecordedDeliveries,
} from '#shared/ports/notification-store.ts';
import { CLAIMABLE, claimValues, deliveriesAt } from './dynamodb-deliveries.ts';
import {
  DUE_SHARDS,
  dueShardKey,
  NOTIFICATION_SK_PREFIX,
  NOTIFICATIONS_DUE_INDEX,
  notificationEpochPrefix,
  notificationSk,
  reviewPk,
  sentTallySk,
} from './dynamodb-keys.ts';
import { DynamoDbNotificationReader, recordFromItem } from './dynamodb-notification-reader.ts';

/** The sparse `due` index: only pending items carry `duePk`. */
const DUE_INDEX = NOTIFICATIONS_DUE_INDEX;
/** DynamoDB's limit of items per transaction. */
const MAX_TRANSACTION_ITEMS = 100;

/**
 * Instants are compared as strings inside DynamoDB (the due index's sort key, claim ages), so
 * they are stored and queried in one fixed-width form: `2027-01-11T07:00:00.000Z`. Mixed forms
 * (`…:00Z` against `…:00.000Z`) sort wrongly at equal seconds.
 */
function sortable(instant: string): string {
  return new Date(instant).toISOString();
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException;
}

/**
 * The Notifications table for the planner, the sweep and the senders. Every state change is
 * one conditional write on the state it leaves (pending → queued → sending → sent/skipped),
 * so replays, overlapping sweeps and duplicate deliveries change nothing.
 */
export class DynamoDbNotificationStore extends DynamoDbNotificationReader implements NotificationStore {
  private key(ref: NotificationRef) {
    return { pk: reviewPk(ref.reviewId), sk: notificationSk(ref.stageEpoch, ref.id) };
  }

  private item(n: NewNotification, now: string) {
    return {
      ...this.key(n),
      ...n,
      status: 'pending',
      deliveries: [],
      dueAt: sortable(n.dueAt),
      plannedAt: now,
      duePk: dueShardKey(n.id),
    };
  }

  async addPlanned(items: NewNotification[], now: string): Promise<NewNotification[]> {
    if (items.length === 0) return [];
    if (items.length <= MAX_TRANSACTION_ITEMS) {
      try {
        // Fast path, one call: nothing of this plan exists yet.
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: items.map((n) => ({
              Put: {
                TableName: this.tableName,
                Item: this.item(n, now),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            })),
          }),
        );
        return items;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        if (!reasons.some((r) => r.Code === 'ConditionalCheckFailed')) throw error;
      }
    }
    // Some exist (a replay, or a deadline moved back): write each one that is missing or cancelled.
    const written: NewNotification[] = [];
    for (const n of items) {
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: this.item(n, now),
            ConditionExpression: 'attribute_not_exists(pk) OR #status = :cancelled',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':cancelled': 'cancelled' },
          }),
        );
        written.push(n);
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    return written;
  }

  async replacePlan(
    left: { reviewId: string; stageEpoch: number; reason: string; expected: NotificationRef[] },
    items: NewNotification[],
    now: string,
  ): Promise<{ written: NewNotification[]; cancelled: number }> {
    const cancels = left.expected.map((ref) => ({
      Update: this.cancelUpdate(this.key(ref), left.reason, now),
    }));
    if (cancels.length + items.length <= MAX_TRANSACTION_ITEMS) {
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              ...cancels,
              ...items.map((n) => ({
                Put: {
                  TableName: this.tableName,
                  Item: this.item(n, now),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              })),
            ],
          }),
        );
        return { written: items, cancelled: cancels.length };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        if (!reasons.some((r) => r.Code === 'ConditionalCheckFailed')) throw error;
      }
    }
    // Not as derived (or too many for one transaction): what is still pending is found, then the plan stored.
    const cancelled = await this.cancelPending(left.reviewId, left.reason, now, left.stageEpoch);
    return { written: await this.addPlanned(items, now), cancelled };
  }

  /** pending → cancelled, for a transaction or on its own. */
  private cancelUpdate(key: Record<string, unknown>, reason: string, now: string) {
    return {
      TableName: this.tableName,
      Key: key,
      UpdateExpression: 'SET #status = :cancelled, reason = :reason, cancelledAt = :now REMOVE duePk',
      ConditionExpression: '#status = :pending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':cancelled': 'cancelled',
        ':pending': 'pending',
        ':reason': reason,
        ':now': now,
      },
    };
  }

  async cancelPending(
    reviewId: string,
    reason: string,
    now: string,
    stageEpoch?: number,
    kinds?: NotificationKind[],
  ): Promise<number> {
    const prefix = stageEpoch === undefined ? NOTIFICATION_SK_PREFIX : notificationEpochPrefix(stageEpoch);
    const kindValues = Object.fromEntries((kinds ?? []).map((kind, i) => [`:kind${i}`, kind]));
    const kindFilter = kinds ? ` AND #kind IN (${Object.keys(kindValues).join(', ')})` : '';
    const keys: { pk: unknown; sk: unknown }[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          FilterExpression: `#status = :pending${kindFilter}`,
          ExpressionAttributeNames: { '#status': 'status', ...(kinds ? { '#kind': 'kind' } : {}) },
          ExpressionAttributeValues: {
            ':pk': reviewPk(reviewId),
            ':prefix': prefix,
            ':pending': 'pending',
            ...kindValues,
          },
          ProjectionExpression: 'pk, sk',
          ExclusiveStartKey: startKey,
        }),
      );
      keys.push(...(page.Items ?? []).map((item) => ({ pk: item.pk, sk: item.sk })));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    let cancelled = 0;
    for (let start = 0; start < keys.length; start += MAX_TRANSACTION_ITEMS) {
      cancelled += await this.cancelAll(keys.slice(start, start + MAX_TRANSACTION_ITEMS), reason, now);
    }
    return cancelled;
  }

  /**
   * Cancels still-pending items in one transaction (a stage change cancels about ten); if a
   * sweep queued one of them in the meantime, the transaction is refused and each is
   * cancelled on its own, leaving the queued one alone.
   */
  private async cancelAll(
    keys: { pk: unknown; sk: unknown }[],
    reason: string,
    now: string,
  ): Promise<number> {
    const update = (key: { pk: unknown; sk: unknown }) => this.cancelUpdate(key, reason, now);
    if (keys.length === 0) return 0;
    try {
      await this.client.send(
        new TransactWriteCommand({ TransactItems: keys.map((key) => ({ Update: update(key) })) }),
      );
      return keys.length;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
    }
    let cancelled = 0;
    for (const key of keys) {
      try {
        await this.client.send(new UpdateCommand(update(key)));
        cancelled++;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    return cancelled;
  }

  async listDue(now: string, limit: number): Promise<NotificationRecord[]> {
    const due: NotificationRecord[] = [];
    for (let shard = 0; shard < DUE_SHARDS && due.length < limit; shard++) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: DUE_INDEX,
            KeyConditionExpression: 'duePk = :shard AND dueAt <= :now',
            ExpressionAttributeValues: { ':shard': `DUE#${shard}`, ':now': sortable(now) },
            Limit: limit - due.length,
            ExclusiveStartKey: startKey,
          }),
        );
        due.push(...(page.Items ?? []).map(recordFromItem));
        startKey = page.LastEvaluatedKey;
      } while (startKey && due.length < limit);
    }
    return due;
  }

  private async transition(
    ref: NotificationRef,
    update: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName' | 'Key'>,
  ): Promise<boolean> {
    try {
      await this.client.send(new UpdateCommand({ TableName: this.tableName, Key: this.key(ref), ...update }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  markQueued(ref: NotificationRef, now: string): Promise<boolean> {
    return this.transition(ref, {
      UpdateExpression: 'SET #status = :queued, queuedAt = :now REMOVE duePk',
      ConditionExpression: '#status = :pending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':queued': 'queued', ':pending': 'pending', ':now': now },
    });
  }

  async get(ref: NotificationRef): Promise<NotificationRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: this.key(ref), ConsistentRead: true }),
    );
    return result.Item ? recordFromItem(result.Item) : undefined;
  }

  claim(ref: NotificationRef, now: string, staleBefore: string, claimToken: string): Promise<boolean> {
    return this.transition(ref, {
      UpdateExpression: 'SET #status = :sending, claimedAt = :now, claimedBy = :token REMOVE duePk',
      ConditionExpression: CLAIMABLE,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: claimValues(now, staleBefore, claimToken),
    });
  }

  async recordDelivery(ref: NotificationRef, delivery: Delivery, position: number): Promise<void> {
    await this.transition(ref, {
      UpdateExpression: 'SET deliveries = list_append(deliveries, :d)',
      // At its position only: a retried append whose first attempt landed adds nothing.
      ConditionExpression: '#status = :sending AND size(deliveries) = :position',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':d': [delivery], ':sending': 'sending', ':position': position },
    });
  }

  async finish(
    ref: NotificationRef & { kind?: NotificationKind | undefined },
    status: 'sent' | 'skipped' | 'failed',
    now: string,
    reason?: string,
    record?: RecordedDeliveries,
  ): Promise<void> {
    const stored = deliveriesAt(record);
    const update = {
      UpdateExpression: `SET #status = :status, finishedAt = :now${status === 'sent' ? ', sentAt = :now' : ''}${reason ? ', reason = :reason' : ''}${stored.set.map((s) => `, ${s}`).join('')}`,
      ConditionExpression: `#status = :sending${stored.condition ? ` AND ${stored.condition}` : ''}`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':status': status,
        ':sending': 'sending',
        ':now': now,
        ...(reason ? { ':reason': reason } : {}),
        ...stored.values,
      },
    };
    if (status !== 'sent' || ref.kind !== 'escalation') {
      await this.transition(ref, update);
      return;
    }
    // The tally moves with the status, in one transaction: conditional on `sending`, so a retried
    // finish (the first landed, its answer lost) counts nothing twice.
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Update: { TableName: this.tableName, Key: this.key(ref), ...update } },
            {
              Update: {
                TableName: this.tableName,
                Key: { pk: reviewPk(ref.reviewId), sk: sentTallySk(ref.stageEpoch) },
                UpdateExpression: 'SET #type = :tally ADD escalations :one',
                ExpressionAttributeNames: { '#type': 'type' },
                ExpressionAttributeValues: { ':tally': 'sent_tally', ':one': 1 },
              },
            },
          ],
        }),
      );
    } catch (error) {
      const first =
        error instanceof TransactionCanceledException ? error.CancellationReasons?.[0] : undefined;
      if (first?.Code !== 'ConditionalCheckFailed') throw error;
    }
  }

  async release(ref: NotificationRef, record?: RecordedDeliveries): Promise<void> {
    const stored = deliveriesAt(record);
    await this.transition(ref, {
      UpdateExpression: `SET #status = :queued${stored.set.map((s) => `, ${s}`).join('')} REMOVE claimedAt, claimedBy`,
      ConditionExpression: `#status = :sending${stored.condition ? ` AND ${stored.condition}` : ''}`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':queued': 'queued', ':sending': 'sending', ...stored.values },
    });
  }

  async skip(ref: NotificationRef, reason: string, now: string): Promise<void> {
    await this.transition(ref, {
      UpdateExpression: 'SET #status = :skipped, reason = :reason, finishedAt = :now REMOVE duePk',
      ConditionExpression: '#status IN (:pending, :queued)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':skipped': 'skipped',
        ':pending': 'pending',
        ':queued': 'queued',
        ':reason': reason,
        ':now': now,
      },
    });
  }
}
