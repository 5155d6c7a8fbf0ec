import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { IsoDate, IsoInstant, type Review, type ReviewEvent } from '#shared/domain/review.ts';
import * as z from '#shared/domain/zod.ts';
import type { SigningKey } from '#shared/ports/signing-key.ts';
import type {
  ReviewRecord,
  TimelinessPage,
  TimelinessQuery,
  TimelinessSource,
} from '#shared/ports/timeliness-source.ts';
import {
  ALL_REVIEWS_GSI1PK,
  EVENT_SK_PREFIX,
  fitsPartitionKey,
  REVIEW_SK,
  REVIEWS_INDEXES,
  REVIEWS_ITEM_TYPES,
  reviewPk,
} from './dynamodb-keys.ts';
import { reviewFromItem } from './dynamodb-review-repository.ts';
import { decodeCursor, encodeCursor, type ListingKey, listingKey } from './listing-cursor.ts';

type Item = Record<string, unknown>;

/** Options of {@link DynamoDbTimelinessSource}. */
export interface TimelinessSourceOptions {
  /** Signs the cursors it hands out, so a cursor it did not issue (for these filters) is refused. */
  cursorKey: SigningKey;
  /**
   * Told about a review whose item or history does not read as one: the report leaves that review
   * out rather than fail for everyone, or count it wrongly.
   * @default - skipped silently
   */
  onUnreadableItem?: (key: { pk: string; sk: string }, error: Error) => void;
  /**
   * How many reviews' histories are read at once.
   * @default 8
   */
  concurrency?: number;
}

/** Items read per index page while filters apply: they apply after the read, so read generously. */
const FILTERED_PAGE_SIZE = 100;

/**
 * The {@link TimelinessSource} on the Reviews table. The listing index `gsi1` (`REVIEWS`, newest
 * first) gives the page, its filters as a `FilterExpression`; then one `Query` per review of its own
 * partition, from its first history event to the review item (`EVENT#…` ≤ sk ≤ `REVIEW`, which leaves
 * the participant items `STATE#…` out), strongly consistent, so each review and its history are read
 * together and fresher than the index. Only `Query`: the cost is the page's, never the table's.
 */
export class DynamoDbTimelinessSource implements TimelinessSource {
  /**
   * @param client a document client
   * @param tableName the Reviews table
   */
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: TimelinessSourceOptions,
  ) {}

  async page(query: TimelinessQuery): Promise<TimelinessPage> {
    const { limit } = query;
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
    const key = await this.options.cursorKey.get();
    // A cursor belongs to this report and its filters: one of GET /reviews is refused here.
    const scope = JSON.stringify([
      'timeliness',
      query.cluster ?? null,
      query.group ?? null,
      query.processId?.toLowerCase() ?? null,
    ]);
    let startKey: Item | undefined =
      query.cursor === undefined ? undefined : decodeCursor(query.cursor, ALL_REVIEWS_GSI1PK, key, scope);
    const filter = filterOf(query);

    const found: Review[] = [];
    let lastKey: ListingKey | undefined;
    let more = false;
    for (;;) {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: REVIEWS_INDEXES.list,
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': ALL_REVIEWS_GSI1PK, ...filter?.values },
          ...(filter ? { FilterExpression: filter.expression, ExpressionAttributeNames: filter.names } : {}),
          ScanIndexForward: false,
          // Unfiltered, one item more than needed tells whether there is a next page.
          Limit: filter ? FILTERED_PAGE_SIZE : limit - found.length + 1,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of result.Items ?? []) {
        const review = this.readable(item);
        if (review === undefined) continue;
        // A match beyond the limit: there is a next page, starting after the last item kept.
        if (found.length === limit) {
          more = true;
          break;
        }
        found.push(review);
        lastKey = listingKey(item);
      }
      if (more || result.LastEvaluatedKey === undefined) break;
      // Full while the index goes on: a cursor, though the next page may turn out empty.
      if (found.length === limit) {
        more = true;
        break;
      }
      startKey = result.LastEvaluatedKey;
    }
    const records = await mapConcurrently(found, this.options.concurrency ?? 8, (review) =>
      this.record(review),
    );
    return {
      items: records.filter((record): record is ReviewRecord => record !== undefined),
      nextCursor: more && lastKey !== undefined ? encodeCursor(lastKey, key, scope) : null,
    };
  }

  /** The review as its partition holds it now, with its history; the listed copy if the item is gone. */
  private async record(listed: Review): Promise<ReviewRecord | undefined> {
    const pk = reviewPk(listed.id);
    if (!fitsPartitionKey(pk)) return undefined;
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :review',
      ExpressionAttributeValues: { ':pk': pk, ':first': EVENT_SK_PREFIX, ':review': REVIEW_SK },
      ConsistentRead: true,
    });
    let review = listed;
    const history: ReviewEvent[] = [];
    for (const item of items) {
      if (item.type === REVIEWS_ITEM_TYPES.review) {
        const fresh = this.readable(item);
        if (fresh === undefined) return undefined;
        review = fresh;
      } else if (item.type === REVIEWS_ITEM_TYPES.event) {
        const parsed = EventItem.safeParse(item);
        if (!parsed.success) {
          this.report(item, new Error(`corrupt event item: ${z.prettifyError(parsed.error)}`));
          return undefined;
        }
        if (parsed.data !== undefined) history.push(parsed.data);
      }
    }
    history.sort((a, b) => a.version - b.version);
    return { review, history };
  }

  private readable(item: Item): Review | undefined {
    try {
      return reviewFromItem(item);
    } catch (error) {
      this.report(item, error as Error);
      return undefined;
    }
  }

  private report(item: Item, error: Error): void {
    this.options.onUnreadableItem?.({ pk: String(item.pk), sk: String(item.sk) }, error);
  }

  private async queryAll(input: QueryCommandInput): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return items;
  }
}

/**
 * The filters as a `FilterExpression`, or undefined for none. A process id matches as written and in
 * either case: ids compare case-insensitively (process-registry.ts), and reviews keep the id their
 * process had when they were created (older ones `UNTOC`).
 */
function filterOf(
  query: TimelinessQuery,
): { expression: string; names: Record<string, string>; values: Record<string, unknown> } | undefined {
  const parts: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (query.cluster !== undefined) {
    parts.push('#cluster = :cluster');
    names['#cluster'] = 'cluster';
    values[':cluster'] = query.cluster;
  }
  if (query.group !== undefined) {
    // GROUP is a reserved word: always through a name.
    parts.push('#group = :group');
    names['#group'] = 'group';
    values[':group'] = query.group;
  }
  if (query.processId !== undefined) {
    const spellings = [
      ...new Set([query.processId, query.processId.toLowerCase(), query.processId.toUpperCase()]),
    ];
    parts.push(`#process IN (${spellings.map((_, i) => `:process${i}`).join(', ')})`);
    names['#process'] = 'processId';
    spellings.forEach((spelling, i) => {
      values[`:process${i}`] = spelling;
    });
  }
  return parts.length === 0 ? undefined : { expression: parts.join(' AND '), names, values };
}

const EVENT_TYPES = new Set<string>([
  'created',
  'imported',
  'transitioned',
  'focal_point_set',
  'experts_set',
  'submission_recorded',
  'submission_withdrawn',
  'paused',
  'resumed',
  'deadline_changed',
]);
const isEventType = (type: string): type is ReviewEvent['type'] => EVENT_TYPES.has(type);

/** A history event item; one of a kind this version does not know reads as undefined (it is no stage entry). */
const EventFields = z.object({
  eventType: z.string(),
  at: IsoInstant,
  by: z.string(),
  version: z.number().check(z.int(), z.minimum(1)),
  stage: z.string(),
  fromStage: z.optional(z.string()),
  deadline: z.nullable(IsoDate),
  oldDeadline: z.optional(z.nullable(IsoDate)),
  reason: z.optional(z.string()),
  /** imported: when the review entered the stage it was brought in at. */
  enteredAt: z.optional(IsoInstant),
});
const EventItem = z.pipe(
  EventFields,
  z.transform(({ eventType, ...fields }: z.infer<typeof EventFields>): ReviewEvent | undefined =>
    isEventType(eventType) ? { type: eventType, ...fields } : undefined,
  ),
);

/** `fn` over the items, at most `concurrency` at a time, results in the items' order. */
async function mapConcurrently<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}
