import { setTimeout as sleep } from 'node:timers/promises';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { CalendarDate } from '#shared/domain/calendar.ts';
import { ReferenceTakenError } from '#shared/domain/errors.ts';
import {
  IsoDate,
  IsoInstant,
  participants,
  Review,
  type ReviewEvent,
  referenceCandidate,
} from '#shared/domain/review.ts';
import * as z from '#shared/domain/zod.ts';
import { IdempotencyClaimLostError, type IdempotencyCompletion } from '#shared/ports/idempotency-store.ts';
import {
  type PageRequest,
  type ReviewPage,
  type ReviewQuery,
  type ReviewRepository,
  StaleVersionError,
  type StoredEvent,
} from '#shared/ports/review-repository.ts';
import type { SigningKey } from '#shared/ports/signing-key.ts';
import {
  ALL_REVIEWS_GSI1PK,
  deadlineSk,
  EVENT_SK_PREFIX,
  eventSk,
  fitsPartitionKey,
  listingSk,
  OPEN_GSI2PK,
  REFERENCE_SK,
  REVIEW_SK,
  REVIEWS_INDEXES,
  REVIEWS_ITEM_TYPES,
  REVIEWS_KEY_ATTRIBUTES,
  referencePk,
  reviewPk,
  stateKey,
} from './dynamodb-keys.ts';
import {
  type DeadlineKey,
  deadlineKey,
  decodeCursor,
  decodeDeadlineCursor,
  encodeCursor,
  type ListingKey,
  listingKey,
} from './listing-cursor.ts';

type Item = Record<string, unknown>;

/** How a change's transaction completes an idempotency claim (implemented by the idempotency store). */
export interface IdempotencyWrites {
  /** The `TransactWriteItems` entry that completes the claim. */
  completionItem(completion: IdempotencyCompletion): Record<string, unknown>;
  /** Whether the record a refused completion found is completed by this claim. */
  completedBy(item: unknown, claim: IdempotencyCompletion['claim']): boolean;
}

/** Options of {@link DynamoDbReviewRepository}. */
export interface ReviewRepositoryOptions {
  /**
   * Writes an idempotency completion into a change's transaction (the API's
   * `DynamoDbIdempotencyStore`).
   * @default - a change carrying a completion is refused
   */
  idempotency?: IdempotencyWrites;
  /**
   * Signs the listing cursors it hands out, so a cursor it did not issue is refused.
   * @default - `list` and `listDeadlinesBefore` are refused
   */
  cursorKey?: SigningKey;
  /**
   * Told about a stored item that is not a well-formed review (written by a bug, or by an
   * older version): lists skip it rather than fail for everyone.
   * @default - skipped silently
   */
  onUnreadableItem?: (key: { pk: string; sk: string }, error: Error) => void;
}

/** Up to 10 ms times the attempt, so writers that collided do not collide again in lockstep. */
function jitter(attempt: number): number {
  return Math.floor(Math.random() * 10 * attempt);
}

/** Page size of a filtered listing: filters run after the read, so read generously (and one BatchGet per page). */
const FILTERED_PAGE_SIZE = 100;
const BATCH_GET_MAX_KEYS = 100;
/** The overdue report's cursors: one listing, no filters. */
const DEADLINES_CURSOR_SCOPE = JSON.stringify(['open-deadlines']);
const BATCH_GET_ATTEMPTS = 8;
/** A change cancelled by a concurrent transaction on one of its items is tried this many times in all. */
const TRANSACTION_ATTEMPTS = 5;

/**
 * The {@link ReviewRepository} on the Reviews table (DESIGN §3). One item per review (`REVIEW#<id>` /
 * `REVIEW`), one per participant (`STATE#<iso3>`, for listing by State) and one per history event
 * (`EVENT#<version>`). `gsi1` lists newest first (`REVIEWS` or `STATE#<iso3>`); the sparse `gsi2` holds
 * only open reviews by deadline. Every change is one `TransactWriteItems`; nothing here scans.
 *
 * The `REVIEWS` and `OPEN` index partitions are single partitions: at a few hundred reviews a year they
 * stay far below a partition's throughput.
 */
export class DynamoDbReviewRepository implements ReviewRepository {
  /**
   * @param client a document client built with `marshallOptions: { removeUndefinedValues: true }`
   *   (optional event fields are left undefined)
   * @param tableName the Reviews table
   */
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: ReviewRepositoryOptions = {},
  ) {}

  private get idempotency(): IdempotencyWrites | undefined {
    return this.options.idempotency;
  }

  /** The review an item holds, or undefined (reported) when it does not read as one. */
  private readable(item: Item): Review | undefined {
    try {
      return reviewFromItem(item);
    } catch (error) {
      this.options.onUnreadableItem?.({ pk: String(item.pk), sk: String(item.sk) }, error as Error);
      return undefined;
    }
  }

  private async cursorKey(): Promise<Uint8Array> {
    if (!this.options.cursorKey) throw new Error('this repository has no key to sign listing cursors');
    return this.options.cursorKey.get();
  }

  async get(id: string): Promise<Review | undefined> {
    const pk = reviewPk(id);
    if (!fitsPartitionKey(pk)) return undefined;
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk, sk: REVIEW_SK }, ConsistentRead: true }),
    );
    return Item === undefined ? undefined : reviewFromItem(Item);
  }

  async idForReference(reference: string): Promise<string | undefined> {
    const pk = referencePk(reference);
    if (!fitsPartitionKey(pk)) return undefined;
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk, sk: REFERENCE_SK }, ConsistentRead: true }),
    );
    if (Item === undefined) return undefined;
    const parsed = ParticipantItem.safeParse(Item);
    if (!parsed.success) throw new Error(`corrupt reference item ${pk}`);
    return parsed.data.reviewId;
  }

  async create(review: Review, event: ReviewEvent, completion?: IdempotencyCompletion): Promise<void> {
    const states = [...new Set(participants(review))];
    const guard = this.guardItems(completion);
    await this.transact(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: reviewItem(review),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: this.tableName,
              Item: eventItem(review.id, event),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: this.tableName,
              Item: referenceItem(review),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          ...states.map((state) => ({
            Put: { TableName: this.tableName, Item: participantItem(review, state) },
          })),
          ...guard,
        ],
      }),
      completion,
      (codes, error) => {
        if (codes[0] === 'ConditionalCheckFailed')
          return new Error(`review ${review.id} already exists`, { cause: error });
        if (codes[2] === 'ConditionalCheckFailed') return new ReferenceTakenError(review.reference);
        return undefined;
      },
    );
  }

  async save(
    review: Review,
    event: ReviewEvent,
    basedOnVersion: number,
    completion?: IdempotencyCompletion,
  ): Promise<void> {
    const command = new TransactWriteCommand({
      TransactItems: [
        {
          // A Put, not an Update: the whole item is rebuilt, so the sparse gsi2 keys vanish when closed.
          Put: {
            TableName: this.tableName,
            Item: reviewItem(review),
            ConditionExpression: '#version = :based',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':based': basedOnVersion },
          },
        },
        {
          Put: {
            TableName: this.tableName,
            Item: eventItem(review.id, event),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...this.guardItems(completion),
      ],
    });
    await this.transact(command, completion, (codes) =>
      codes[0] === 'ConditionalCheckFailed' ? new StaleVersionError() : undefined,
    );
  }

  /**
   * Sends one change's transaction. While another transaction holds one of its items (two
   * creates taking the same reference, two saves of one review) it is sent again: a cancelled
   * transaction wrote nothing and its writes are conditional, so a retry lands once or meets its
   * condition. `refused` names what a cancellation means for this change, if anything.
   */
  private async transact(
    command: TransactWriteCommand,
    completion: IdempotencyCompletion | undefined,
    refused: (codes: (string | undefined)[], error: unknown) => Error | undefined,
  ): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.client.send(command);
        return;
      } catch (error) {
        if (this.landedBefore(error, completion)) return;
        const codes = cancellationCodes(error);
        const meaning = refused(codes, error);
        if (meaning) throw meaning;
        if (!codes.includes('TransactionConflict') || attempt >= TRANSACTION_ATTEMPTS) throw error;
        await sleep(jitter(attempt));
      }
    }
  }

  /** The completion of the request's idempotency claim, as the last item of its transaction. */
  private guardItems(completion: IdempotencyCompletion | undefined) {
    if (completion === undefined) return [];
    if (!this.idempotency) throw new Error('this repository cannot write idempotency completions');
    return [this.idempotency.completionItem(completion)];
  }

  /**
   * A guarded transaction refused on its completion item: it had landed before (the SDK retried it
   * after a lost answer) when the claim is completed with its own token; otherwise the claim is gone.
   * @throws IdempotencyClaimLostError when the claim is no longer the request's
   */
  private landedBefore(error: unknown, completion: IdempotencyCompletion | undefined): boolean {
    if (completion === undefined || !(error instanceof TransactionCanceledException)) return false;
    const reason = error.CancellationReasons?.at(-1);
    if (reason?.Code !== 'ConditionalCheckFailed') return false;
    if (this.idempotency?.completedBy(reason.Item, completion.claim)) return true;
    throw new IdempotencyClaimLostError();
  }

  async list(query: ReviewQuery): Promise<ReviewPage> {
    const { limit } = query;
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
    const partition = query.state === undefined ? ALL_REVIEWS_GSI1PK : stateKey(query.state);
    const key = await this.cursorKey();
    // A cursor belongs to one listing: the same partition and the same filters.
    const scope = JSON.stringify([partition, query.stage ?? null, query.cluster ?? null]);
    let startKey: Item | undefined =
      query.cursor === undefined ? undefined : decodeCursor(query.cursor, partition, key, scope);
    if (!fitsPartitionKey(partition)) return { items: [], nextCursor: null };
    const filtered =
      query.stage !== undefined || query.cluster !== undefined || query.overdueBefore !== undefined;

    const items: Review[] = [];
    let lastKey: ListingKey | undefined;
    const pageOf = (more: boolean): ReviewPage => ({
      items,
      nextCursor: more && lastKey !== undefined ? encodeCursor(lastKey, key, scope) : null,
    });
    for (;;) {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: REVIEWS_INDEXES.list,
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': partition },
          ScanIndexForward: false,
          // Unfiltered, one item more than needed tells whether there is a next page.
          Limit: filtered ? FILTERED_PAGE_SIZE : limit - items.length + 1,
          ExclusiveStartKey: startKey,
        }),
      );
      const entries = result.Items ?? [];
      const reviews =
        query.state === undefined
          ? entries.map((entry) => this.readable(entry))
          : await this.reviewsOfParticipants(entries);
      for (const [i, entry] of entries.entries()) {
        const review = reviews[i];
        if (review === undefined || !matches(review, query)) continue;
        // A match beyond the limit: there is a next page, starting after the last item returned.
        if (items.length === limit) return pageOf(true);
        items.push(review);
        lastKey = listingKey(entry);
      }
      if (result.LastEvaluatedKey === undefined) return pageOf(false);
      // Full while the index goes on: a cursor, though the next page may turn out empty.
      if (items.length === limit) return pageOf(true);
      startKey = result.LastEvaluatedKey;
    }
  }

  async listDeadlinesBefore(date: CalendarDate, page: PageRequest): Promise<ReviewPage> {
    const { limit } = page;
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
    const key = await this.cursorKey();
    let startKey: Item | undefined =
      page.cursor === undefined ? undefined : decodeDeadlineCursor(page.cursor, key, DEADLINES_CURSOR_SCOPE);
    const items: Review[] = [];
    let lastKey: DeadlineKey | undefined;
    const pageOf = (more: boolean): ReviewPage => ({
      items,
      nextCursor: more && lastKey !== undefined ? encodeCursor(lastKey, key, DEADLINES_CURSOR_SCOPE) : null,
    });
    for (;;) {
      // `<deadline>#<id>` sorts after `<deadline>`, so `< :date` keeps deadlines strictly before the date;
      // one item more than needed tells whether there is a next page.
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: REVIEWS_INDEXES.openDeadlines,
          KeyConditionExpression: 'gsi2pk = :open AND gsi2sk < :date',
          ExpressionAttributeValues: { ':open': OPEN_GSI2PK, ':date': date },
          Limit: limit - items.length + 1,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const entry of result.Items ?? []) {
        const review = this.readable(entry);
        if (review === undefined) continue;
        if (items.length === limit) return pageOf(true);
        items.push(review);
        lastKey = deadlineKey(entry);
      }
      if (result.LastEvaluatedKey === undefined) return pageOf(false);
      if (items.length === limit) return pageOf(true);
      startKey = result.LastEvaluatedKey;
    }
  }

  async history(id: string): Promise<StoredEvent[]> {
    const pk = reviewPk(id);
    if (!fitsPartitionKey(pk)) return [];
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :event)',
      ExpressionAttributeValues: { ':pk': pk, ':event': EVENT_SK_PREFIX },
      ConsistentRead: true,
    });
    return items.map(eventFromItem);
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

  /** The reviews of participant items, aligned with them (undefined for a review that is gone). */
  private async reviewsOfParticipants(entries: Item[]): Promise<(Review | undefined)[]> {
    const ids = entries.map((entry) => ParticipantItem.parse(entry).reviewId);
    const found = new Map<string, Review>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += BATCH_GET_MAX_KEYS) {
      const chunk = unique.slice(i, i + BATCH_GET_MAX_KEYS);
      for (const item of await this.batchGet(chunk.map((id) => ({ pk: reviewPk(id), sk: REVIEW_SK })))) {
        const review = this.readable(item);
        if (review) found.set(review.id, review);
      }
    }
    return ids.map((id) => found.get(id));
  }

  private async batchGet(keys: Item[]): Promise<Item[]> {
    const items: Item[] = [];
    let pending = keys;
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > BATCH_GET_ATTEMPTS)
        throw new Error(`BatchGetItem left ${pending.length} keys unprocessed`);
      // Unprocessed keys mean throttling: back off before asking again.
      if (attempt > 1) await sleep(Math.min(25 * 2 ** attempt, 1000));
      const result = await this.client.send(
        new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending } } }),
      );
      items.push(...(result.Responses?.[this.tableName] ?? []));
      pending = result.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
    }
    return items;
  }
}

/** The review item: every `Review` field plus its keys; `gsi2` keys only while it is open. */
function reviewItem(review: Review): Item {
  const openDeadline = review.paused === null ? review.deadline : null;
  return {
    ...review,
    pk: reviewPk(review.id),
    sk: REVIEW_SK,
    type: REVIEWS_ITEM_TYPES.review,
    gsi1pk: ALL_REVIEWS_GSI1PK,
    gsi1sk: listingSk(review.createdAt, review.id),
    ...(openDeadline === null ? {} : { gsi2pk: OPEN_GSI2PK, gsi2sk: deadlineSk(openDeadline, review.id) }),
  };
}

/** Holds the review's reference, so no two reviews share one (compared in upper case). */
function referenceItem(review: Review): Item {
  return {
    pk: referencePk(review.reference),
    sk: REFERENCE_SK,
    type: REVIEWS_ITEM_TYPES.reference,
    reviewId: review.id,
  };
}

function participantItem(review: Review, state: string): Item {
  return {
    pk: reviewPk(review.id),
    sk: stateKey(state),
    type: REVIEWS_ITEM_TYPES.participant,
    reviewId: review.id,
    gsi1pk: stateKey(state),
    gsi1sk: listingSk(review.createdAt, review.id),
  };
}

/** The event's own `type` is stored as `eventType`: `type` tells the items of the table apart. */
function eventItem(reviewId: string, event: ReviewEvent): Item {
  const { type: eventType, ...fields } = event;
  return {
    ...fields,
    eventType,
    reviewId,
    pk: reviewPk(reviewId),
    sk: eventSk(event.version),
    type: REVIEWS_ITEM_TYPES.event,
  };
}

const KEY_ATTRIBUTES = new Set<string>(REVIEWS_KEY_ATTRIBUTES);

/**
 * The review held by a review item (from a read or a stream image, unmarshalled).
 * @throws Error when the item is not a well-formed review: stored data is never guessed at.
 */
export function reviewFromItem(item: Item): Review {
  if (item.type !== REVIEWS_ITEM_TYPES.review) {
    throw new Error(`not a review item: ${String(item.pk)} ${String(item.sk)}`);
  }
  const fields = Object.fromEntries(Object.entries(item).filter(([name]) => !KEY_ATTRIBUTES.has(name)));
  // Reviews stored before references, experts and submissions existed read as having none.
  const parsed = Review.safeParse({
    experts: {},
    submissions: [],
    leftStage: null,
    reference: legacyReference(fields),
    ...fields,
  });
  if (!parsed.success) {
    throw new Error(`corrupt review item ${String(item.pk)}: ${z.prettifyError(parsed.error)}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/** A stored review without a reference gets its plain candidate (not held unique: it is only a label). */
function legacyReference(fields: Item): string | undefined {
  const { stateUnderReview, cluster, launchedAt } = fields;
  if (typeof stateUnderReview !== 'string' || typeof cluster !== 'number' || typeof launchedAt !== 'string')
    return undefined;
  return referenceCandidate({ stateUnderReview, cluster, launchedAt });
}

const EVENT_TYPES: { [K in ReviewEvent['type']]: K } = {
  created: 'created',
  imported: 'imported',
  transitioned: 'transitioned',
  focal_point_set: 'focal_point_set',
  experts_set: 'experts_set',
  submission_recorded: 'submission_recorded',
  submission_withdrawn: 'submission_withdrawn',
  paused: 'paused',
  resumed: 'resumed',
  deadline_changed: 'deadline_changed',
  acknowledged: 'acknowledged',
  submission_reported: 'submission_reported',
  submission_report_rejected: 'submission_report_rejected',
  extension_requested: 'extension_requested',
  extension_decided: 'extension_decided',
};

const EventFields = z.object({
  eventType: z.enum(EVENT_TYPES),
  reviewId: z.string(),
  at: IsoInstant,
  by: z.string(),
  version: z.number().check(z.int(), z.minimum(1)),
  stage: z.string(),
  fromStage: z.optional(z.string()),
  deadline: z.nullable(IsoDate),
  oldDeadline: z.optional(z.nullable(IsoDate)),
  reason: z.optional(z.string()),
  state: z.optional(z.string()),
  receivedAt: z.optional(IsoInstant),
  experts: z.optional(z.number().check(z.int())),
  enteredAt: z.optional(IsoInstant),
  who: z.optional(z.string()),
  requestId: z.optional(z.string()),
  requestedDeadline: z.optional(IsoDate),
  decision: z.optional(z.enum(['approved', 'declined'])),
});
const EventItem = z.pipe(
  EventFields,
  z.transform(({ eventType, ...fields }: z.infer<typeof EventFields>) => ({ type: eventType, ...fields })),
);

function eventFromItem(item: Item): StoredEvent {
  const parsed = EventItem.safeParse(item);
  if (!parsed.success) {
    throw new Error(
      `corrupt event item ${String(item.pk)} ${String(item.sk)}: ${z.prettifyError(parsed.error)}`,
      {
        cause: parsed.error,
      },
    );
  }
  return parsed.data;
}

const ParticipantItem = z.object({ reviewId: z.string() });

function matches(review: Review, query: ReviewQuery): boolean {
  if (query.stage !== undefined && review.stage !== query.stage) return false;
  if (query.cluster !== undefined && review.cluster !== query.cluster) return false;
  if (query.overdueBefore !== undefined) {
    // Open as gsi2 defines it (not paused, with a deadline; a completed review has none).
    if (review.paused !== null || review.deadline === null) return false;
    if (!(review.deadline < query.overdueBefore)) return false;
  }
  return true;
}

/** The reason codes of a cancelled transaction, one per item in order (the review's Put first); none otherwise. */
function cancellationCodes(error: unknown): (string | undefined)[] {
  if (!(error instanceof TransactionCanceledException)) return [];
  return (error.CancellationReasons ?? []).map((reason) => reason.Code);
}
