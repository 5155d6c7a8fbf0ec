import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbReviewRepository, reviewFromItem } from '#shared/adapters/dynamodb-review-repository.ts';
import { ReferenceTakenError } from '#shared/domain/errors.ts';
import { UNTOC_PROCESS } from '#shared/domain/processes/untoc.ts';
import { createReview, type NewReview, pause, type ReviewChange, transition } from '#shared/domain/review.ts';
import { InvalidCursorError, StaleVersionError } from '#shared/ports/review-repository.ts';

const TABLE = 'Reviews';
const actor = { id: 'user-123' };

const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
  { marshallOptions: { removeUndefinedValues: true } },
);
const cursorKey = { get: async () => new TextEncoder().encode('a test key of thirty-two bytes!!') };
const unreadable: { pk: string; sk: string }[] = [];
const repository = new DynamoDbReviewRepository(client, TABLE, {
  cursorKey,
  onUnreadableItem: (key) => {
    unreadable.push(key);
  },
});

function aNewReview(overrides: Partial<NewReview> = {}): NewReview {
  return {
    stateUnderReview: 'GRC',
    cluster: 1,
    group: 2,
    instruments: ['UNTOC', 'TIP'],
    reviewingStates: [
      { state: 'AUT', instruments: ['UNTOC', 'TIP'] },
      { state: 'BRA', instruments: ['UNTOC', 'TIP'] },
    ],
    language: 'en',
    launchedAt: '2027-01-11',
    ...overrides,
  };
}

function created(
  id = 'rev-1',
  now = '2027-01-11T09:00:00Z',
  overrides: Partial<NewReview> = {},
): ReviewChange {
  return createReview(UNTOC_PROCESS, aNewReview(overrides), { id, now, actor });
}

function cancelled(...codes: string[]): TransactionCanceledException {
  return new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

/** The items `create` writes for a review, as the table would hold them. */
async function storedItems(change: ReviewChange): Promise<Record<string, unknown>[]> {
  ddb.on(TransactWriteCommand).resolvesOnce({});
  await repository.create(change.review, change.event);
  const call = ddb.commandCalls(TransactWriteCommand).at(-1);
  return (call?.args[0].input.TransactItems ?? []).flatMap((item) => (item.Put ? [item.Put.Item ?? {}] : []));
}

async function reviewItemOf(change: ReviewChange): Promise<Record<string, unknown>> {
  const item = (await storedItems(change)).find((i) => i.type === 'review');
  if (!item) throw new Error('no review item written');
  return item;
}

/** The review item `save` writes for a change. */
async function savedItem(change: ReviewChange, basedOn: number): Promise<Record<string, unknown>> {
  ddb.on(TransactWriteCommand).resolvesOnce({});
  await repository.save(change.review, change.event, basedOn);
  const put = ddb.commandCalls(TransactWriteCommand).at(-1)?.args[0].input.TransactItems?.[0]?.Put;
  if (!put?.Item) throw new Error('no review put');
  return put.Item;
}

beforeEach(() => {
  ddb.reset();
});

afterEach(() => {
  expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);
});

describe('DynamoDbReviewRepository.create', () => {
  it('writes the review, its created event and one item per participant in one transaction', async () => {
    // Arrange
    const change = created();
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    await repository.create(change.review, change.event);

    // Assert
    const calls = ddb.commandCalls(TransactWriteCommand);
    expect(calls).toHaveLength(1);
    const puts = (calls[0]?.args[0].input.TransactItems ?? []).map((item) => item.Put);
    expect(puts[0]).toMatchObject({
      TableName: TABLE,
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: { pk: 'REVIEW#rev-1', sk: 'REVIEW', type: 'review', gsi1pk: 'REVIEWS', version: 1 },
    });
    expect(puts[1]).toMatchObject({
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: {
        pk: 'REVIEW#rev-1',
        sk: 'EVENT#00000001',
        type: 'event',
        eventType: 'created',
        reviewId: 'rev-1',
      },
    });
    // The reference is held unique by an item of its own, written in the same transaction.
    expect(puts[2]).toMatchObject({
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: { pk: 'REFERENCE#GRC-C1-2027', sk: 'REFERENCE', type: 'reference', reviewId: 'rev-1' },
    });
    expect(puts.slice(3).map((put) => put?.Item)).toEqual(
      ['GRC', 'AUT', 'BRA'].map((state) => ({
        pk: 'REVIEW#rev-1',
        sk: `STATE#${state}`,
        type: 'participant',
        reviewId: 'rev-1',
        gsi1pk: `STATE#${state}`,
        gsi1sk: '2027-01-11T09:00:00Z#rev-1',
      })),
    );
  });

  it('tries again when a concurrent create held the reference at that instant, then reports it taken', async () => {
    const change = created();
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('None', 'None', 'TransactionConflict', 'None', 'None'))
      .rejectsOnce(cancelled('None', 'None', 'ConditionalCheckFailed', 'None', 'None'));
    await expect(repository.create(change.review, change.event)).rejects.toThrow(ReferenceTakenError);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('refuses a reference another review holds', async () => {
    const change = created();
    ddb.on(TransactWriteCommand).rejects(cancelled('None', 'None', 'ConditionalCheckFailed', 'None', 'None'));
    await expect(repository.create(change.review, change.event)).rejects.toThrow(ReferenceTakenError);
  });

  it('refuses an id that already exists', async () => {
    // Arrange
    const change = created();
    ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None', 'None', 'None', 'None'));

    // Act / Assert
    await expect(repository.create(change.review, change.event)).rejects.toThrow('already exists');
  });
});

describe('DynamoDbReviewRepository.save', () => {
  it('sends exactly one transaction: the review conditional on the based-on version and the event', async () => {
    // Arrange
    const first = created();
    const next = transition(
      UNTOC_PROCESS,
      first.review,
      { to: 'self_assessment' },
      {
        now: '2027-01-20T10:00:00Z',
        actor,
      },
    );
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    await repository.save(next.review, next.event, 1);

    // Assert
    const calls = ddb.commandCalls(TransactWriteCommand);
    expect(calls).toHaveLength(1);
    expect(ddb.calls()).toHaveLength(1);
    const [reviewPut, eventPut] = (calls[0]?.args[0].input.TransactItems ?? []).map((item) => item.Put);
    expect(reviewPut).toMatchObject({
      TableName: TABLE,
      ConditionExpression: '#version = :based',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':based': 1 },
      Item: { pk: 'REVIEW#rev-1', sk: 'REVIEW', version: 2, stage: 'self_assessment' },
    });
    expect(eventPut).toMatchObject({
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: { sk: 'EVENT#00000002', eventType: 'transitioned', fromStage: 'launched', reviewId: 'rev-1' },
    });
  });

  it('throws StaleVersionError when the review condition cancels the transaction', async () => {
    // Arrange
    const { review, event } = created();
    ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));

    // Act / Assert
    await expect(repository.save(review, event, 7)).rejects.toBeInstanceOf(StaleVersionError);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('tries again when a concurrent transaction held the review, then reports the stale version', async () => {
    // Arrange
    const { review, event } = created();
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('TransactionConflict', 'None'))
      .rejectsOnce(cancelled('ConditionalCheckFailed', 'None'));

    // Act / Assert
    await expect(repository.save(review, event, 1)).rejects.toBeInstanceOf(StaleVersionError);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('passes on a cancellation that is not about the version', async () => {
    // Arrange
    const { review, event } = created();
    ddb.on(TransactWriteCommand).rejects(cancelled('None', 'ConditionalCheckFailed'));

    // Act / Assert
    const error = await repository.save(review, event, 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionCanceledException);
  });

  it('keeps an open review in the deadline index and takes a paused one out of it', async () => {
    // Arrange
    const first = created();
    const paused = pause(UNTOC_PROCESS, first.review, 'awaiting translation', {
      now: '2027-01-15T09:00:00Z',
      actor,
    });

    // Act
    const openItem = await reviewItemOf(first);
    const pausedItem = await savedItem(paused, 1);

    // Assert
    expect(openItem).toMatchObject({ gsi2pk: 'OPEN', gsi2sk: '2027-01-25#rev-1' });
    expect(pausedItem).not.toHaveProperty('gsi2pk');
    expect(pausedItem).not.toHaveProperty('gsi2sk');
    expect(pausedItem).toMatchObject({ gsi1pk: 'REVIEWS', gsi1sk: '2027-01-11T09:00:00Z#rev-1' });
  });

  it('takes a completed review (no deadline) out of the deadline index', async () => {
    // Arrange
    let change = created();
    for (const to of ['self_assessment', 'desk_review', 'dialogue', 'observations', 'summary', 'completed']) {
      change = transition(UNTOC_PROCESS, change.review, { to }, { now: '2027-02-01T09:00:00Z', actor });
    }

    // Act
    const item = await savedItem(change, change.review.version - 1);

    // Assert
    expect(item.deadline).toBeNull();
    expect(item).not.toHaveProperty('gsi2pk');
  });
});

describe('DynamoDbReviewRepository.get', () => {
  it('reads consistently and returns the review without its key attributes', async () => {
    // Arrange
    const change = created();
    ddb.on(GetCommand).resolves({ Item: await reviewItemOf(change) });

    // Act
    const review = await repository.get('rev-1');

    // Assert
    expect(review).toEqual(change.review);
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: { pk: 'REVIEW#rev-1', sk: 'REVIEW' },
      ConsistentRead: true,
    });
  });

  it('answers undefined for an id that cannot be a key, without asking DynamoDB', async () => {
    // Act
    const results = await Promise.all([repository.get('x'.repeat(2048)), repository.get('bad\uD800id')]);

    // Assert
    expect(results).toEqual([undefined, undefined]);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('asks DynamoDB for odd but valid ids', async () => {
    // Arrange
    ddb.on(GetCommand).resolves({});

    // Act
    const results = await Promise.all([
      repository.get('../x'),
      repository.get('résumé-😀'),
      repository.get(''),
    ]);

    // Assert
    expect(results).toEqual([undefined, undefined, undefined]);
    expect(ddb.commandCalls(GetCommand).map((call) => call.args[0].input.Key?.pk)).toEqual([
      'REVIEW#../x',
      'REVIEW#résumé-😀',
      'REVIEW#',
    ]);
  });

  it('fails loudly on a corrupt item', async () => {
    // Arrange
    const item = { ...(await reviewItemOf(created())), cluster: 'one' };
    ddb.on(GetCommand).resolves({ Item: item });

    // Act / Assert
    await expect(repository.get('rev-1')).rejects.toThrow('corrupt review item REVIEW#rev-1');
  });
});

describe('DynamoDbReviewRepository.list', () => {
  async function reviewItems(count: number): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    for (let i = count; i >= 1; i -= 1) {
      const day = String(i).padStart(2, '0');
      items.push(await reviewItemOf(created(`rev-${day}`, `2027-01-${day}T09:00:00Z`)));
    }
    return items;
  }

  it('queries gsi1 newest first and hands back a cursor that resumes after the last item', async () => {
    // Arrange
    const items = await reviewItems(5);
    ddb.reset();
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: items.slice(0, 3) })
      .resolvesOnce({ Items: items.slice(2, 5) });

    // Act
    const first = await repository.list({ limit: 2 });
    const second = await repository.list({ limit: 2, cursor: first.nextCursor ?? undefined });

    // Assert
    expect(first.items.map((r) => r.id)).toEqual(['rev-05', 'rev-04']);
    expect(first.nextCursor).not.toBeNull();
    expect(second.items.map((r) => r.id)).toEqual(['rev-03', 'rev-02']);
    const [firstQuery, secondQuery] = ddb.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(firstQuery).toMatchObject({
      TableName: TABLE,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': 'REVIEWS' },
      ScanIndexForward: false,
      Limit: 3,
    });
    expect(firstQuery?.ExclusiveStartKey).toBeUndefined();
    expect(secondQuery?.ExclusiveStartKey).toEqual({
      pk: 'REVIEW#rev-04',
      sk: 'REVIEW',
      gsi1pk: 'REVIEWS',
      gsi1sk: '2027-01-04T09:00:00Z#rev-04',
    });
  });

  it('keeps querying until the filters have found enough, and ends with no cursor', async () => {
    // Arrange
    const items = await reviewItems(4);
    const [a = {}, b = {}, c = {}, d = {}] = items;
    ddb.reset();
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [a, b], LastEvaluatedKey: { pk: 'x' } })
      .resolvesOnce({ Items: [{ ...c, cluster: 2 }], LastEvaluatedKey: { pk: 'y' } })
      .resolvesOnce({ Items: [d] });

    // Act
    const page = await repository.list({ limit: 10, cluster: 2 });

    // Assert
    expect(page).toEqual({
      items: [expect.objectContaining({ id: 'rev-02', cluster: 2 })],
      nextCursor: null,
    });
    expect(ddb.commandCalls(QueryCommand).map((call) => call.args[0].input.ExclusiveStartKey)).toEqual([
      undefined,
      { pk: 'x' },
      { pk: 'y' },
    ]);
  });

  it('lists a State through its participant items and a BatchGet, asking again for unprocessed keys', async () => {
    // Arrange
    const older = created('rev-a', '2027-01-02T09:00:00Z');
    const newer = created('rev-b', '2027-01-03T09:00:00Z', {
      stateUnderReview: 'AUT',
      reviewingStates: [
        { state: 'GRC', instruments: ['UNTOC', 'TIP'] },
        { state: 'BRA', instruments: ['UNTOC', 'TIP'] },
      ],
    });
    const participant = async (change: ReviewChange) =>
      (await storedItems(change)).find((i) => i.sk === 'STATE#GRC') ?? {};
    const participants = [await participant(newer), await participant(older)];
    const reviews = [await reviewItemOf(newer), await reviewItemOf(older)];
    ddb.reset();
    ddb.on(QueryCommand).resolves({ Items: participants });
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { [TABLE]: [reviews[1] ?? {}] },
        UnprocessedKeys: { [TABLE]: { Keys: [{ pk: 'REVIEW#rev-b', sk: 'REVIEW' }] } },
      })
      .resolvesOnce({ Responses: { [TABLE]: [reviews[0] ?? {}] } });

    // Act
    const page = await repository.list({ limit: 5, state: 'GRC' });

    // Assert
    expect(page.items.map((r) => r.id)).toEqual(['rev-b', 'rev-a']);
    expect(page.nextCursor).toBeNull();
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input.ExpressionAttributeValues).toEqual({
      ':pk': 'STATE#GRC',
    });
    const batches = ddb
      .commandCalls(BatchGetCommand)
      .map((call) => call.args[0].input.RequestItems?.[TABLE]?.Keys);
    expect(batches).toEqual([
      [
        { pk: 'REVIEW#rev-b', sk: 'REVIEW' },
        { pk: 'REVIEW#rev-a', sk: 'REVIEW' },
      ],
      [{ pk: 'REVIEW#rev-b', sk: 'REVIEW' }],
    ]);
  });

  it('refuses a cursor it did not issue, before any call', async () => {
    // Arrange
    const items = await reviewItems(3);
    ddb.reset();
    ddb.on(QueryCommand).resolves({ Items: items });
    const allCursor = (await repository.list({ limit: 1 })).nextCursor ?? '';
    ddb.reset();
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const cursors = [
      'garbage',
      '!!!',
      forged({}),
      forged([1, 2]),
      forged({ pk: 'REVIEW#a', sk: 'REVIEW', gsi1pk: 'REVIEWS', gsi1sk: 'x', extra: 1 }),
      forged({ pk: 'OTHER#a', sk: 'REVIEW', gsi1pk: 'REVIEWS', gsi1sk: 'x' }),
      'x'.repeat(10_000),
      // Well-formed positions, unsigned or signed by someone else: forged.
      forged({ pk: 'REVIEW#a', sk: 'REVIEW', gsi1pk: 'REVIEWS', gsi1sk: 'x' }),
      `${forged({ pk: 'REVIEW#a', sk: 'REVIEW', gsi1pk: 'REVIEWS', gsi1sk: 'x' })}.${allCursor.split('.')[1]}`,
      `${allCursor}x`,
      `${allCursor}.more`,
    ];

    // Act / Assert
    for (const cursor of cursors) {
      await expect(repository.list({ limit: 5, cursor })).rejects.toBeInstanceOf(InvalidCursorError);
    }
    // A cursor of the whole listing does not belong to a State's listing, nor to a filtered one.
    await expect(repository.list({ limit: 5, state: 'GRC', cursor: allCursor })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
    await expect(repository.list({ limit: 5, stage: 'launched', cursor: allCursor })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
    expect(ddb.calls()).toHaveLength(0);
    // The cursor it issued still works.
    ddb.on(QueryCommand).resolves({ Items: items });
    await expect(repository.list({ limit: 1, cursor: allCursor })).resolves.toMatchObject({
      items: [expect.anything()],
    });
  });

  it('skips and reports an item that does not read as a review, instead of failing the list', async () => {
    // Arrange: one item stored by an older version with a far-future date.
    const [first, second, third] = await reviewItems(3);
    if (!first || !second || !third) throw new Error('three items');
    const broken = { ...second, launchedAt: '+010000-01-14' };
    ddb.reset();
    ddb.on(QueryCommand).resolves({ Items: [first, broken, third] });
    unreadable.length = 0;

    // Act
    const page = await repository.list({ limit: 5 });

    // Assert
    expect(page.items).toHaveLength(2);
    expect(unreadable).toEqual([{ pk: String(second.pk), sk: 'REVIEW' }]);
  });

  it('applies the overdue filter to open reviews only', async () => {
    // Arrange
    const open = created('rev-open', '2027-01-03T09:00:00Z');
    const paused = pause(UNTOC_PROCESS, created('rev-paused', '2027-01-02T09:00:00Z').review, 'why', {
      now: '2027-01-04T09:00:00Z',
      actor,
    });
    const items = [await reviewItemOf(open), await savedItem(paused, 1)];
    ddb.reset();
    ddb.on(QueryCommand).resolves({ Items: items });

    // Act
    const before = await repository.list({ limit: 5, overdueBefore: '2027-01-25' });
    const after = await repository.list({ limit: 5, overdueBefore: '2027-01-26' });

    // Assert
    expect(before.items).toEqual([]);
    expect(after.items.map((r) => r.id)).toEqual(['rev-open']);
  });
});

describe('DynamoDbReviewRepository.listDeadlinesBefore', () => {
  async function openItems(count: number): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    for (let i = 1; i <= count; i += 1) {
      const day = String(i).padStart(2, '0');
      items.push(await reviewItemOf(created(`rev-${day}`, `2027-01-${day}T09:00:00Z`)));
    }
    return items;
  }

  it('reads one bounded page of the open-deadline index and resumes after its last item', async () => {
    // Arrange
    const items = await openItems(5);
    ddb.reset();
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: items.slice(0, 3), LastEvaluatedKey: { pk: 'more' } })
      .resolvesOnce({ Items: items.slice(2, 5) });

    // Act
    const first = await repository.listDeadlinesBefore('2027-03-01', { limit: 2 });
    const second = await repository.listDeadlinesBefore('2027-03-01', {
      limit: 2,
      cursor: first.nextCursor ?? undefined,
    });

    // Assert
    expect(first.items.map((r) => r.id)).toEqual(['rev-01', 'rev-02']);
    expect(first.nextCursor).not.toBeNull();
    expect(second.items.map((r) => r.id)).toEqual(['rev-03', 'rev-04']);
    const [firstQuery, secondQuery] = ddb.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(firstQuery).toMatchObject({
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :open AND gsi2sk < :date',
      ExpressionAttributeValues: { ':open': 'OPEN', ':date': '2027-03-01' },
      // One more than the page: whether a next page exists, without a second read.
      Limit: 3,
    });
    expect(firstQuery?.ExclusiveStartKey).toBeUndefined();
    expect(secondQuery?.ExclusiveStartKey).toEqual({
      pk: 'REVIEW#rev-02',
      sk: 'REVIEW',
      gsi2pk: 'OPEN',
      gsi2sk: `${items[1]?.deadline}#rev-02`,
    });
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(2);
  });

  it('ends with no cursor when the index has nothing more', async () => {
    // Arrange
    const items = await openItems(2);
    ddb.reset();
    ddb.on(QueryCommand).resolvesOnce({ Items: items });

    // Act
    const page = await repository.listDeadlinesBefore('2027-03-01', { limit: 2 });

    // Assert
    expect(page.items.map((r) => r.id)).toEqual(['rev-01', 'rev-02']);
    expect(page.nextCursor).toBeNull();
  });

  it('refuses a cursor it did not issue, and one issued for GET /reviews, before reading', async () => {
    // Arrange
    const items = await openItems(3);
    ddb.reset();
    ddb.on(QueryCommand).resolves({ Items: items });
    const listing = await repository.list({ limit: 1 });

    // Act
    const forged = repository.listDeadlinesBefore('2027-03-01', { limit: 1, cursor: 'eyJwayI6MX0.AAAA' });
    const foreign = repository.listDeadlinesBefore('2027-03-01', {
      limit: 1,
      cursor: listing.nextCursor ?? 'missing',
    });

    // Assert
    await expect(forged).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(foreign).rejects.toBeInstanceOf(InvalidCursorError);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(1);
  });
});

describe('DynamoDbReviewRepository.history', () => {
  it('reads the events of a review oldest first with their domain type', async () => {
    // Arrange
    const change = created();
    const eventItem = (await storedItems(change)).find((i) => i.type === 'event') ?? {};
    ddb.reset();
    ddb.on(QueryCommand).resolves({ Items: [eventItem] });

    // Act
    const events = await repository.history('rev-1');

    // Assert
    expect(events).toEqual([{ ...change.event, reviewId: 'rev-1' }]);
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :event)',
      ExpressionAttributeValues: { ':pk': 'REVIEW#rev-1', ':event': 'EVENT#' },
      ConsistentRead: true,
    });
  });
});

describe('reviewFromItem', () => {
  it('refuses an item that is not a review', () => {
    expect(() => reviewFromItem({ pk: 'REVIEW#a', sk: 'STATE#GRC', type: 'participant' })).toThrow(
      'not a review item',
    );
  });
});
