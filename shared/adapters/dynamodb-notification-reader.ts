import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { compareInstants } from '#shared/domain/calendar.ts';
import type { Audience, NotificationKind } from '#shared/domain/notification-plan.ts';
import { IsoDate, IsoInstant } from '#shared/domain/review.ts';
import type {
  Delivery,
  NotificationReader,
  NotificationRecord,
  NotificationStatus,
} from '#shared/ports/notification-store.ts';
import {
  fitsPartitionKey,
  NOTIFICATION_SK_PREFIX,
  notificationEpochPrefix,
  reviewPk,
} from './dynamodb-keys.ts';

type Item = Record<string, unknown>;

/** Optional in the port: absent or null both read as undefined. */
const optionalText = z
  .string()
  .nullish()
  .transform((value) => value ?? undefined);

/** Each enum written as an object typed by the port, so a value added there fails the build here. */
const NotificationKindSchema = z.enum({
  stage_notice: 'stage_notice',
  reminder: 'reminder',
  overdue_notice: 'overdue_notice',
  escalation: 'escalation',
  undeliverable: 'undeliverable',
  all_submissions_received: 'all_submissions_received',
  deadline_changed: 'deadline_changed',
  paused: 'paused',
  resumed: 'resumed',
} satisfies { [K in NotificationKind]: K });

const NotificationStatusSchema = z.enum({
  pending: 'pending',
  queued: 'queued',
  sending: 'sending',
  sent: 'sent',
  skipped: 'skipped',
  failed: 'failed',
  cancelled: 'cancelled',
} satisfies { [K in NotificationStatus]: K });

const DeliveryStatusSchema = z.enum({
  sent: 'sent',
  skipped: 'skipped',
  escalated: 'escalated',
  failed: 'failed',
  unknown: 'unknown',
} satisfies { [K in Delivery['status']]: K });

const AudienceSchema = z.enum({
  participants: 'participants',
  responsible: 'responsible',
  secretariat: 'secretariat',
} satisfies { [K in Audience]: K });

const DeliverySchema = z.object({
  recipient: z.string(),
  status: DeliveryStatusSchema,
  messageId: optionalText,
  reason: optionalText,
  at: optionalText,
});

/** A stored notification, as {@link NotificationRecord}; strict where the port's type is required. */
const NotificationRecordSchema = z.object({
  id: z.string(),
  reviewId: z.string(),
  stage: z.string(),
  stageEpoch: z.number().int().min(1),
  deadline: IsoDate.nullable(),
  kind: NotificationKindSchema,
  occurrence: z.number().int().min(1),
  offsetDays: z.number().int(),
  audience: AudienceSchema,
  recipientState: optionalText,
  dueAt: IsoInstant,
  status: NotificationStatusSchema,
  reason: optionalText,
  queuedAt: optionalText,
  sentAt: optionalText,
  deliveries: z.array(DeliverySchema),
  detail: z
    .object({ state: optionalText, cause: z.enum(['bounce', 'complaint']), addressHint: z.string() })
    .nullish()
    .transform((value) => value ?? undefined),
});

/**
 * The {@link NotificationReader} on the Notifications table: one item per planned notification under
 * `REVIEW#<reviewId>` / `NOTIF#<stage epoch, 6 digits>#<id>`, so a review's notifications, and one stage
 * epoch's, are a single-partition Query.
 */
export class DynamoDbNotificationReader implements NotificationReader {
  /**
   * @param client a document client
   * @param tableName the Notifications table
   */
  constructor(
    protected readonly client: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {}

  async listForReview(reviewId: string): Promise<NotificationRecord[]> {
    const pk = reviewPk(reviewId);
    if (!fitsPartitionKey(pk)) return [];
    const records: NotificationRecord[] = [];
    await this.queryPages(
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': NOTIFICATION_SK_PREFIX },
      },
      (page) => records.push(...(page.Items ?? []).map(recordFromItem)),
    );
    return records.sort((a, b) => compareInstants(a.dueAt, b.dueAt) || compareText(a.id, b.id));
  }

  async countSent(reviewId: string, stageEpoch: number, kind: NotificationKind): Promise<number> {
    const pk = reviewPk(reviewId);
    if (!fitsPartitionKey(pk)) return 0;
    let count = 0;
    await this.queryPages(
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: '#kind = :kind AND #status = :sent',
        ExpressionAttributeNames: { '#kind': 'kind', '#status': 'status' },
        ExpressionAttributeValues: {
          ':pk': pk,
          ':prefix': notificationEpochPrefix(stageEpoch),
          ':kind': kind,
          ':sent': 'sent',
        },
        Select: 'COUNT',
      },
      (page) => {
        count += page.Count ?? 0;
      },
    );
    return count;
  }

  private async queryPages(
    input: QueryCommandInput,
    onPage: (page: { Items?: Item[]; Count?: number }) => void,
  ): Promise<void> {
    let startKey: Item | undefined;
    do {
      const page = await this.client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
      onPage(page);
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
  }
}

/**
 * @throws Error when the item is not a well-formed notification: another writer's bug must surface, not be
 *   listed as something it is not.
 */
export function recordFromItem(item: Item): NotificationRecord {
  const parsed = NotificationRecordSchema.safeParse(item);
  if (!parsed.success) {
    throw new Error(
      `corrupt notification item ${String(item.pk)} ${String(item.sk)}: ${z.prettifyError(parsed.error)}`,
      { cause: parsed.error },
    );
  }
  return parsed.data;
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
