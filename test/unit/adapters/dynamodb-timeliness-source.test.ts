import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbReviewRepository } from '#shared/adapters/dynamodb-review-repository.ts';
import { DynamoDbTimelinessSource } from '#shared/adapters/dynamodb-timeliness-source.ts';
import { UNCAC_PROCESS } from '#shared/domain/processes/uncac.ts';
import { UNTOC_PROCESS } from '#shared/domain/processes/untoc.ts';
import {
  createReview,
  importReview,
  type NewReview,
  pause,
  type Review,
  type ReviewEvent,
  transition,
} from '#shared/domain/review.ts';
import { InvalidCursorError } from '#shared/ports/review-repository.ts';

const TABLE = 'Reviews';
const actor = { id: 'user-123' };
const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
  { marshallOptions: { removeUndefinedValues: true } },
);
const cursorKey = { get: async () => new TextEncoder().encode('a test key of thirty-two bytes!!') };
let unreadable: { pk: string; sk: string }[];
let source: DynamoDbTimelinessSource;

type Item = Record<string, unknown>;
/** The table as items, keys included, as the repository writes them. */
let table: Item[];
/** What the listing index still shows of an item the table has since changed (indexes are eventually consistent). */
let staleIndex: Map<string, Item>;

const reviewItem = (review: Review): Item => ({
  ...review,
  pk: `REVIEW#${review.id}`,
  sk: 'REVIEW',
  type: 'review',
  gsi1pk: 'REVIEWS',
  gsi1sk: `${review.createdAt}#${review.id}`,
});
const eventItem = (reviewId: string, { type, ...fields }: ReviewEvent): Item => ({
  ...fields,
  eventType: type,
  reviewId,
  pk: `REVIEW#${reviewId}`,
  sk: `EVENT#${String(fields.version).padStart(8, '0')}`,
  type: 'event',
});

/** Stores a review created on `day` of January 2027 (newer days list first), with its history. */
function store(day: number, overrides: Partial<NewReview> = {}, process = UNTOC_PROCESS): Review {
  const id = `rev-${String(day).padStart(2, '0')}`;
  const at = `2027-01-${String(day).padStart(2, '0')}T09:00:00Z`;
  const created = createReview(process, { ...aNewReview(process), ...overrides }, { id, now: at, actor });
  table.push(reviewItem(created.review), eventItem(id, created.event), {
    pk: `REVIEW#${id}`,
    sk: 'STATE#GRC',
    type: 'participant',
    reviewId: id,
    gsi1pk: 'STATE#GRC',
    gsi1sk: `${at}#${id}`,
  });
  return created.review;
}

function aNewReview(process = UNTOC_PROCESS): NewReview {
  const instrument = process.instruments[0] ?? 'UNTOC';
  return {
    stateUnderReview: 'GRC',
    cluster: 1,
    group: 2,
    instruments: [instrument],
    reviewingStates: [
      { state: 'AUT', instruments: [instrument] },
      { state: 'BRA', instruments: [instrument] },
    ],
    language: 'en',
    launchedAt: '2027-01-11',
  };
}

/**
 * Query as DynamoDB answers it for the two shapes the source sends: the listing index, newest
 * first, `Limit` counted before the filter; and a range of one partition's sort keys.
 */
function query(input: QueryCommandInput) {
  const values = input.ExpressionAttributeValues ?? {};
  if (input.IndexName === 'gsi1') {
    const listed = table
      .map((item) => staleIndex.get(`${item.pk} ${item.sk}`) ?? item)
      .filter((item) => item.gsi1pk === values[':pk'])
      .sort((a, b) => String(b.gsi1sk).localeCompare(String(a.gsi1sk)));
    const from = input.ExclusiveStartKey
      ? listed.findIndex((item) => item.pk === input.ExclusiveStartKey?.pk) + 1
      : 0;
    const evaluated = listed.slice(from, from + (input.Limit ?? listed.length));
    const processes = Object.entries(values)
      .filter(([name]) => name.startsWith(':process'))
      .map(([, value]) => value);
    const matching = evaluated.filter(
      (item) =>
        (values[':cluster'] === undefined || item.cluster === values[':cluster']) &&
        (values[':group'] === undefined || item.group === values[':group']) &&
        (processes.length === 0 || processes.includes(item.processId)),
    );
    const last = evaluated.at(-1);
    const more = from + evaluated.length < listed.length && last !== undefined;
    return {
      Items: matching,
      ...(more
        ? { LastEvaluatedKey: { pk: last.pk, sk: last.sk, gsi1pk: last.gsi1pk, gsi1sk: last.gsi1sk } }
        : {}),
    };
  }
  expect(input.KeyConditionExpression).toBe('pk = :pk AND sk BETWEEN :first AND :review');
  const items = table
    .filter(
      (item) =>
        item.pk === values[':pk'] &&
        String(item.sk) >= String(values[':first']) &&
        String(item.sk) <= String(values[':review']),
    )
    // Written out of order, to see that the history is put in order.
    .sort((a, b) => String(b.sk).localeCompare(String(a.sk)));
  return { Items: items };
}

beforeEach(() => {
  table = [];
  staleIndex = new Map();
  unreadable = [];
  ddb.reset();
  ddb.on(QueryCommand).callsFake(query);
  source = new DynamoDbTimelinessSource(client, TABLE, {
    cursorKey,
    onUnreadableItem: (key) => {
      unreadable.push(key);
    },
  });
});

const partitionQueries = () =>
  ddb
    .commandCalls(QueryCommand)
    .map((call) => call.args[0].input)
    .filter((input) => input.IndexName === undefined);

describe('DynamoDbTimelinessSource.page', () => {
  it('pages the listing index newest first, each review read with its history from its own partition', async () => {
    // Arrange
    for (const day of [1, 2, 3]) store(day);

    // Act
    const first = await source.page({ limit: 2 });
    const second = await source.page({ limit: 2, cursor: first.nextCursor ?? undefined });

    // Assert
    expect(first.items.map((r) => r.review.id)).toEqual(['rev-03', 'rev-02']);
    expect(first.nextCursor).toEqual(expect.any(String));
    expect(second.items.map((r) => r.review.id)).toEqual(['rev-01']);
    expect(second.nextCursor).toBeNull();
    const [listing] = ddb.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(listing).toMatchObject({
      TableName: TABLE,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': 'REVIEWS' },
      ScanIndexForward: false,
      Limit: 3,
    });
    expect(listing?.FilterExpression).toBeUndefined();
    expect(partitionQueries()).toHaveLength(3);
    expect(partitionQueries()[0]).toMatchObject({
      TableName: TABLE,
      ExpressionAttributeValues: { ':pk': 'REVIEW#rev-03', ':first': 'EVENT#', ':review': 'REVIEW' },
      ConsistentRead: true,
    });
    expect(first.items[0]?.history.map((e) => e.type)).toEqual(['created']);
    // Only Query: never a Scan, never a read per item beyond its partition.
    expect(ddb.calls().every((call) => call.args[0] instanceof QueryCommand)).toBe(true);
  });

  it('takes the review and its history as its partition holds them now, in version order', async () => {
    // Arrange: the index still has the review as created; the partition has moved on.
    const review = store(1);
    const moved = transition(
      UNTOC_PROCESS,
      review,
      { to: 'self_assessment' },
      { now: '2027-01-20T09:00:00Z', actor },
    );
    const paused = pause(UNTOC_PROCESS, moved.review, 'elections', { now: '2027-01-21T09:00:00Z', actor });
    staleIndex.set('REVIEW#rev-01 REVIEW', reviewItem(review));
    table[table.findIndex((i) => i.sk === 'REVIEW')] = reviewItem(paused.review);
    // Written out of order.
    table.push(eventItem(review.id, paused.event), eventItem(review.id, moved.event));

    // Act
    const page = await source.page({ limit: 5 });

    // Assert
    expect(page.items).toHaveLength(1);
    expect(page.items[0]?.review).toMatchObject({
      stage: 'self_assessment',
      paused: { reason: 'elections' },
    });
    expect(page.items[0]?.history.map((e) => [e.version, e.type])).toEqual([
      [1, 'created'],
      [2, 'transitioned'],
      [3, 'paused'],
    ]);
  });

  it('keeps when an imported review entered the stage it was brought in at', async () => {
    // Arrange
    const imported = importReview(
      UNTOC_PROCESS,
      { ...aNewReview(), stage: 'desk_review', stageEnteredAt: '2027-02-01T10:00:00Z' },
      { id: 'rev-i', now: '2027-03-01T09:00:00Z', actor },
    );
    table.push(reviewItem(imported.review), eventItem('rev-i', imported.event));

    // Act
    const page = await source.page({ limit: 5 });

    // Assert
    expect(page.items[0]?.history).toEqual([
      expect.objectContaining({
        type: 'imported',
        at: '2027-03-01T09:00:00Z',
        enteredAt: '2027-02-01T10:00:00Z',
      }),
    ]);
  });

  it('filters by cluster, group and process (any case) in the query, reading on until the page is full', async () => {
    // Arrange
    store(1, { cluster: 2, group: 1 });
    store(2, { cluster: 2, group: 3 });
    store(3, { cluster: 1, group: 1 });
    store(4, { cluster: 2, group: 1 }, UNCAC_PROCESS);
    store(5, { cluster: 2, group: 1 });
    // Stored before process ids were lower case.
    const older = table.find((i) => i.pk === 'REVIEW#rev-05' && i.sk === 'REVIEW');
    if (older) older.processId = 'UNTOC';

    // Act
    const page = await source.page({ cluster: 2, group: 1, processId: 'untoc', limit: 10 });

    // Assert
    expect(page.items.map((r) => r.review.id)).toEqual(['rev-05', 'rev-01']);
    expect(page.nextCursor).toBeNull();
    const [listing] = ddb.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(listing).toMatchObject({
      FilterExpression: '#cluster = :cluster AND #group = :group AND #process IN (:process0, :process1)',
      ExpressionAttributeNames: { '#cluster': 'cluster', '#group': 'group', '#process': 'processId' },
      ExpressionAttributeValues: { ':cluster': 2, ':group': 1, ':process0': 'untoc', ':process1': 'UNTOC' },
      Limit: 100,
    });
  });

  it('hands out a cursor after the last review kept when more match than the page holds', async () => {
    // Arrange
    for (const day of [1, 2, 3, 4]) store(day, { cluster: 3 });

    // Act
    const first = await source.page({ cluster: 3, limit: 3 });
    const second = await source.page({ cluster: 3, limit: 3, cursor: first.nextCursor ?? undefined });

    // Assert
    expect(first.items.map((r) => r.review.id)).toEqual(['rev-04', 'rev-03', 'rev-02']);
    expect(second.items.map((r) => r.review.id)).toEqual(['rev-01']);
    expect(second.nextCursor).toBeNull();
  });

  it('refuses a cursor it did not issue, or issued for other filters or for GET /reviews', async () => {
    // Arrange
    for (const day of [1, 2, 3]) store(day);
    const ours = (await source.page({ limit: 1 })).nextCursor ?? '';
    const [payload = '', mac = ''] = ours.split('.');
    const repository = new DynamoDbReviewRepository(client, TABLE, { cursorKey });
    const listing = (await repository.list({ limit: 1 })).nextCursor ?? '';
    expect(listing).not.toBe('');

    // Act / Assert
    for (const cursor of [
      'nonsense',
      '',
      `${payload}.${mac}x`,
      `${Buffer.from('{"pk":"REVIEW#rev-02"}').toString('base64url')}.${mac}`,
      listing,
    ]) {
      await expect(source.page({ limit: 1, cursor }), cursor).rejects.toBeInstanceOf(InvalidCursorError);
    }
    await expect(source.page({ limit: 1, cluster: 1, cursor: ours })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
    await expect(source.page({ limit: 1, cursor: ours })).resolves.toMatchObject({
      items: [expect.objectContaining({ review: expect.objectContaining({ id: 'rev-02' }) })],
    });
  });

  it('leaves out, and reports, a review whose item or history does not read, and ignores event kinds it does not know', async () => {
    // Arrange
    store(1);
    store(2);
    store(3);
    table.push({
      ...eventItem('rev-01', {
        type: 'created',
        at: 'yesterday',
        by: 'x',
        version: 2,
        stage: 'x',
        deadline: null,
      }),
    });
    table.push({
      ...eventItem('rev-02', {
        type: 'created',
        at: '2027-01-03T09:00:00Z',
        by: 'x',
        version: 2,
        stage: 'x',
        deadline: null,
      }),
      eventType: 'imported_later',
    });
    const broken = table.find((i) => i.pk === 'REVIEW#rev-03' && i.sk === 'REVIEW');
    if (broken) broken.cluster = 'many';

    // Act
    const page = await source.page({ limit: 10 });

    // Assert
    expect(page.items.map((r) => [r.review.id, r.history.map((e) => e.type)])).toEqual([
      ['rev-02', ['created']],
    ]);
    expect(unreadable).toEqual([
      { pk: 'REVIEW#rev-03', sk: 'REVIEW' },
      { pk: 'REVIEW#rev-01', sk: 'EVENT#00000002' },
    ]);
  });
});
