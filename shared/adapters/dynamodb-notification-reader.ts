import { setTimeout as sleep } from 'node:timers/promises';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { compareInstants } from '#shared/domain/calendar.ts';
import type { Audience, NotificationKind } from '#shared/domain/notification-plan.ts';
import { IsoDate, IsoInstant } from '#shared/domain/review.ts';
import * as z from '#shared/domain/zod.ts';
import type {
  Delivery,
  NotificationReader,
  NotificationRecord,
  NotificationStatus,
  StageEpochRef,
} from '#shared/ports/notification-store.ts';
import {
  fitsPartitionKey,
  NOTIFICATION_SK_PREFIX,
  notificationEpochPrefix,
  reviewPk,
  sentTallySk,
} from './dynamodb-keys.ts';

type Item = Record<string, unknown>;

/** DynamoDB's limit of keys per `BatchGetItem`. */
const BATCH_GET_MAX_KEYS = 100;
const BATCH_GET_ATTEMPTS = 8;

/** A stage epoch's tally of what it has had sent (written by `finish` of the store). */
const TallyItem = z.object({
  pk: z.string(),
  sk: z.string(),
  escalations: z._default(z.number().check(z.int(), z.minimum(0)), 0),
});

/** Optional in the port: absent or null both read as undefined. */
const optionalText = z.pipe(
  z.optional(z.nullable(z.string())),
  z.transform((value: string | null | undefined) => value ?? undefined),
);

/** Each enum written as an object typed by the port, so a value added there fails the build here. */
const NotificationKindSchema = z.enum({
  stage_notice: 'stage_notice',
  reminder: 'reminder',
  overdue_notice: 'overdue_notice',
  escalation: 'escalation',
  undeliverable: 'undeliverable',
  all_submissions_received: 'all_submissions_received',
  extension_decision: 'extension_decision',
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
  stageEpoch: z.number().check(z.int(), z.minimum(1)),
  deadline: z.nullable(IsoDate),
  kind: NotificationKindSchema,
  occurrence: z.number().check(z.int(), z.minimum(1)),
  offsetDays: z.number().check(z.int()),
  audience: AudienceSchema,
  recipientState: optionalText,
  dueAt: IsoInstant,
  status: NotificationStatusSchema,
  reason: optionalText,
  queuedAt: optionalText,
  sentAt: optionalText,
  deliveries: z.array(DeliverySchema),
  detail: z.pipe(
    z.optional(
      z.nullable(
        z.object({ state: optionalText, cause: z.enum(['bounce', 'complaint']), addressHint: z.string() }),
      ),
    ),
    z.transform(<T>(value: T | null | undefined) => value ?? undefined),
  ),
});

/**
 * The {@link NotificationReader} on the Notifications table: one item per planned notification under
 * `REVIEW#<reviewId>` / `NOTIF#<stage epoch, 6 digits>#<id>`, so a review's notifications, and one stage
 * epoch's, are a single-partition Query; beside them one tally per stage epoch (`TALLY#<epoch>`), so a
 * page of reviews' escalation counts is one `BatchGetItem`.
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

  async escalationsSent(stages: readonly StageEpochRef[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>(stages.map((s) => [s.reviewId, 0]));
    /** `<pk>\n<sk>` of each tally → the review it counts for. */
    const wanted = new Map<string, string>();
    const keys: Item[] = [];
    for (const { reviewId, stageEpoch } of stages) {
      const key = { pk: reviewPk(reviewId), sk: sentTallySk(stageEpoch) };
      const id = `${key.pk}\n${key.sk}`;
      if (!fitsPartitionKey(key.pk) || wanted.has(id)) continue;
      wanted.set(id, reviewId);
      keys.push(key);
    }
    for (let start = 0; start < keys.length; start += BATCH_GET_MAX_KEYS) {
      let pending: Item[] = keys.slice(start, start + BATCH_GET_MAX_KEYS);
      for (let attempt = 1; pending.length > 0; attempt += 1) {
        if (attempt > BATCH_GET_ATTEMPTS)
          throw new Error(`BatchGetItem left ${pending.length} keys unprocessed`);
        // Unprocessed keys mean throttling: back off before asking again.
        if (attempt > 1) await sleep(Math.min(25 * 2 ** attempt, 1000));
        const result = await this.client.send(
          new BatchGetCommand({
            RequestItems: {
              [this.tableName]: { Keys: pending, ProjectionExpression: 'pk, sk, escalations' },
            },
          }),
        );
        for (const item of result.Responses?.[this.tableName] ?? []) {
          const tally = TallyItem.safeParse(item);
          if (!tally.success) throw new Error(`corrupt tally item ${String(item.pk)} ${String(item.sk)}`);
          const reviewId = wanted.get(`${tally.data.pk}\n${tally.data.sk}`);
          if (reviewId !== undefined) counts.set(reviewId, tally.data.escalations);
        }
        pending = result.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      }
    }
    return counts;
  }

  async latestOfStage(
    stage: StageEpochRef,
    kinds: readonly NotificationKind[],
    limit: number,
  ): Promise<{ items: NotificationRecord[]; complete: boolean }> {
    const pk = reviewPk(stage.reviewId);
    if (!fitsPartitionKey(pk) || kinds.length === 0) return { items: [], complete: true };
    const kindValues = Object.fromEntries(kinds.map((kind, i) => [`:kind${i}`, kind]));
    // One page, newest deadline first (ids start with the deadline): `Limit` bounds what is read,
    // the filter only what comes back.
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: `#kind IN (${Object.keys(kindValues).join(', ')})`,
        ExpressionAttributeNames: { '#kind': 'kind' },
        ExpressionAttributeValues: {
          ':pk': pk,
          ':prefix': notificationEpochPrefix(stage.stageEpoch),
          ...kindValues,
        },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    const items = (page.Items ?? [])
      .map(recordFromItem)
      .sort((a, b) => compareInstants(a.dueAt, b.dueAt) || compareText(a.id, b.id));
    return { items, complete: page.LastEvaluatedKey === undefined };
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
