import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { Template } from 'aws-cdk-lib/assertions';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '#infra/app.ts';
import { createTablesFromTemplate, type TableTemplate } from '#infra/local/create-tables.ts';
import { clientConfig, type LocalEmulators, startEmulators } from '#infra/local/emulators.ts';
import { DynamoDbIdempotencyStore } from '#shared/adapters/dynamodb-idempotency-store.ts';
import { DynamoDbNotificationReader } from '#shared/adapters/dynamodb-notification-reader.ts';
import { DynamoDbReviewRepository } from '#shared/adapters/dynamodb-review-repository.ts';
import { UNTOC_PROCESS } from '#shared/domain/processes/untoc.ts';
import {
  createReview,
  type NewReview,
  participants,
  pause,
  type Review,
  type ReviewChange,
  transition,
} from '#shared/domain/review.ts';
import { IdempotencyClaimLostError } from '#shared/ports/idempotency-store.ts';
import type { NotificationRecord } from '#shared/ports/notification-store.ts';
import { InvalidCursorError, type ReviewQuery, StaleVersionError } from '#shared/ports/review-repository.ts';

const actor = { id: 'user-123' };
const cursorKey = { get: async () => new TextEncoder().encode('the signing key of this test run') };
const STATES: readonly string[] = ['GRC', 'AUT', 'BRA', 'CHL', 'DEU'];

interface TableNames {
  reviews: string;
  notifications: string;
  idempotency: string;
}

let emulators: LocalEmulators | undefined;
let lowLevel: DynamoDBClient;
let documents: DynamoDBDocumentClient;
/** The synthesized stateful stack's template and its tables' logical ids. */
let template: TableTemplate;
let logicalIds: TableNames;

beforeAll(async () => {
  const { stateful } = buildApp({ 'aws:cdk:bundling-stacks': [] });
  template = { Resources: Template.fromStack(stateful).toJSON().Resources };
  logicalIds = {
    reviews: logicalIdOf(stateful.reviewsTable),
    notifications: logicalIdOf(stateful.notificationsTable),
    idempotency: logicalIdOf(stateful.idempotencyTable),
  };
  emulators = await startEmulators();
  // One attempt: retries would hide what DynamoDB Local answered.
  lowLevel = new DynamoDBClient({ ...clientConfig(emulators, 'dynamodb'), maxAttempts: 1 });
  documents = DynamoDBDocumentClient.from(lowLevel, { marshallOptions: { removeUndefinedValues: true } });
});

afterAll(async () => {
  lowLevel?.destroy();
  await emulators?.stop();
});

function logicalIdOf(table: Table): string {
  const resource = table.node.defaultChild;
  if (!(resource instanceof CfnTable)) throw new Error('a table without its CfnTable');
  return table.stack.getLogicalId(resource);
}

/** A fresh set of the stack's tables under their own names, so each group of tests starts empty. */
async function freshTables(prefix: string): Promise<TableNames> {
  const renamed: TableTemplate = structuredClone(template);
  for (const [logicalId, resource] of Object.entries(renamed.Resources)) {
    if (resource.Type === 'AWS::DynamoDB::Table' && typeof resource.Properties === 'object') {
      resource.Properties = { ...resource.Properties, TableName: `${prefix}-${logicalId}` };
    }
  }
  const tables = await createTablesFromTemplate(lowLevel, renamed);
  const nameOf = (logicalId: string): string => {
    const table = tables.get(logicalId);
    if (!table) throw new Error(`table ${logicalId} was not created`);
    return table.tableName;
  };
  return {
    reviews: nameOf(logicalIds.reviews),
    notifications: nameOf(logicalIds.notifications),
    idempotency: nameOf(logicalIds.idempotency),
  };
}

function aNewReview(stateUnderReview: string, cluster = 1, launchedAt = '2027-01-11'): NewReview {
  // The next two States round the circle, so every State both is reviewed and reviews.
  const at = STATES.indexOf(stateUnderReview);
  const reviewers = [STATES[(at + 1) % STATES.length] ?? 'AUT', STATES[(at + 2) % STATES.length] ?? 'BRA'];
  return {
    stateUnderReview,
    cluster,
    group: 1,
    instruments: ['UNTOC'],
    reviewingStates: reviewers.map((state) => ({ state, instruments: ['UNTOC'] })),
    language: 'fr',
    launchedAt,
    focalPoints: {
      [stateUnderReview]: { name: 'Zoë Ørsted-Ñúñez', email: 'fp@example.org', language: 'fr' },
    },
  };
}

/** A new review; its reference is its id, as references are unique and the ids here are. */
function created(id: string, now = '2027-01-11T09:00:00Z', input = aNewReview('GRC')): ReviewChange {
  return createReview(UNTOC_PROCESS, input, { id, now, actor, reference: `REF-${id}` });
}

function moved(review: Review, to: string, now: string): ReviewChange {
  return transition(UNTOC_PROCESS, review, { to }, { now, actor });
}

describe('createTablesFromTemplate on the synthesized stateful stack', () => {
  it('creates the tables with their keys, indexes, stream and TTL, and leaves them alone the second time', async () => {
    // Act
    const first = await freshTables('tables');
    const again = await freshTables('tables');

    // Assert
    expect(again).toEqual(first);
    const { Table: reviews } = await lowLevel.send(new DescribeTableCommand({ TableName: first.reviews }));
    expect(reviews?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(
      reviews?.GlobalSecondaryIndexes?.map((gsi) => [
        gsi.IndexName,
        gsi.KeySchema,
        gsi.Projection?.ProjectionType,
      ]),
    ).toEqual(
      expect.arrayContaining([
        [
          'gsi1',
          [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          'ALL',
        ],
        [
          'gsi2',
          [
            { AttributeName: 'gsi2pk', KeyType: 'HASH' },
            { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
          ],
          'ALL',
        ],
      ]),
    );
    expect(reviews?.StreamSpecification).toEqual({
      StreamEnabled: true,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    });
    expect(reviews?.LatestStreamArn).toMatch(/^arn:aws:dynamodb:/);
    const { Table: notifications } = await lowLevel.send(
      new DescribeTableCommand({ TableName: first.notifications }),
    );
    expect(notifications?.GlobalSecondaryIndexes?.map((gsi) => gsi.IndexName)).toEqual(['due']);
    const { TimeToLiveDescription } = await lowLevel.send(
      new DescribeTimeToLiveCommand({ TableName: first.idempotency }),
    );
    expect(TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiration' });
  });

  it('names a table by its logical id when the template leaves the name to CloudFormation', async () => {
    // Act
    const tables = await createTablesFromTemplate(lowLevel, template);

    // Assert
    expect(tables.get(logicalIds.reviews)?.tableName).toBe(logicalIds.reviews);
    expect(tables.get(logicalIds.reviews)?.streamArn).toMatch(/^arn:aws:dynamodb:/);
    expect(tables.get(logicalIds.idempotency)).toEqual({ tableName: logicalIds.idempotency });
  });
});

describe('DynamoDbReviewRepository against DynamoDB Local', () => {
  let names: TableNames;
  let repository: DynamoDbReviewRepository;

  beforeAll(async () => {
    names = await freshTables('writes');
    repository = new DynamoDbReviewRepository(documents, names.reviews, { cursorKey });
  });

  async function reviewItemCount(id: string): Promise<number> {
    const { Items } = await documents.send(
      new QueryCommand({
        TableName: names.reviews,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `REVIEW#${id}` },
      }),
    );
    return Items?.length ?? 0;
  }

  it('reads back the review it created, with its history and participants', async () => {
    // Arrange
    const change = created('round-trip');

    // Act
    await repository.create(change.review, change.event);

    // Assert
    await expect(repository.get('round-trip')).resolves.toEqual(change.review);
    await expect(repository.history('round-trip')).resolves.toEqual([
      { ...change.event, reviewId: 'round-trip' },
    ]);
    // The review, its event and one item per participant.
    expect(await reviewItemCount('round-trip')).toBe(2 + participants(change.review).length);
  });

  it('refuses to create a review whose id exists, and writes nothing', async () => {
    // Arrange
    const change = created('duplicate');
    await repository.create(change.review, change.event);
    const other = created('duplicate', '2027-02-01T09:00:00Z', aNewReview('AUT'));

    // Act / Assert
    await expect(repository.create(other.review, other.event)).rejects.toThrow('already exists');
    await expect(repository.get('duplicate')).resolves.toEqual(change.review);
    expect(await reviewItemCount('duplicate')).toBe(2 + participants(change.review).length);
  });

  it('answers undefined for any unknown id, however odd', async () => {
    // Arrange
    const ids = [
      '../x',
      'x'.repeat(2000),
      'x'.repeat(2048),
      'ü'.repeat(1500),
      '日本語/🙂',
      '',
      '%00',
      'lone\uD800',
      'REVIEW#a',
    ];

    // Act
    const results = await Promise.all(ids.map((id) => repository.get(id)));
    const histories = await Promise.all(ids.map((id) => repository.history(id)));

    // Assert
    expect(results).toEqual(ids.map(() => undefined));
    expect(histories).toEqual(ids.map(() => []));
  });

  it('saves a change based on the stored version, and refuses one based on a stale version', async () => {
    // Arrange
    const first = created('versions');
    await repository.create(first.review, first.event);
    const second = moved(first.review, 'self_assessment', '2027-01-20T09:00:00Z');
    const stale = pause(UNTOC_PROCESS, first.review, 'computed from version 1', {
      now: '2027-01-21T09:00:00Z',
      actor,
    });

    // Act
    await repository.save(second.review, second.event, 1);
    const refused = repository.save(stale.review, stale.event, 1);

    // Assert
    await expect(refused).rejects.toBeInstanceOf(StaleVersionError);
    await expect(repository.get('versions')).resolves.toEqual(second.review);
    const history = await repository.history('versions');
    expect(history.map((e) => [e.version, e.type])).toEqual([
      [1, 'created'],
      [2, 'transitioned'],
    ]);
  });

  it('lets exactly one of two concurrent saves based on the same version through', async () => {
    // Arrange
    const first = created('race');
    await repository.create(first.review, first.event);
    const a = moved(first.review, 'self_assessment', '2027-01-20T09:00:00Z');
    const b = pause(UNTOC_PROCESS, first.review, 'racing', { now: '2027-01-20T09:00:01Z', actor });

    // Act
    const outcomes = await Promise.allSettled([
      repository.save(a.review, a.event, 1),
      repository.save(b.review, b.event, 1),
    ]);

    // Assert
    const fulfilled = outcomes.filter((o) => o.status === 'fulfilled');
    const rejected = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toBeInstanceOf(StaleVersionError);
    const winner = outcomes[0]?.status === 'fulfilled' ? a : b;
    await expect(repository.get('race')).resolves.toEqual(winner.review);
    expect((await repository.history('race')).map((e) => e.type)).toEqual(['created', winner.event.type]);
  });

  it('takes a paused review out of the deadline index and puts it back when saved open', async () => {
    // Arrange
    const first = created('sparse');
    await repository.create(first.review, first.event);
    const paused = pause(UNTOC_PROCESS, first.review, 'why', { now: '2027-01-12T09:00:00Z', actor });
    const key = { pk: 'REVIEW#sparse', sk: 'REVIEW' };

    // Act
    const open = await documents.send(new GetCommand({ TableName: names.reviews, Key: key }));
    await repository.save(paused.review, paused.event, 1);
    const closed = await documents.send(new GetCommand({ TableName: names.reviews, Key: key }));

    // Assert
    expect(open.Item).toMatchObject({ gsi2pk: 'OPEN', gsi2sk: '2027-01-25#sparse' });
    expect(closed.Item).not.toHaveProperty('gsi2pk');
    expect(closed.Item).not.toHaveProperty('gsi2sk');
  });
});

describe('DynamoDbReviewRepository listings against DynamoDB Local', () => {
  let repository: DynamoDbReviewRepository;
  /** Every stored review, as the model the listings are checked against. */
  const stored: Review[] = [];

  /**
   * 25 reviews, one created per day: the State under review cycles through five States, the cluster
   * through four; every third has moved on to self-assessment, every seventh is paused, the 25th is
   * completed.
   */
  beforeAll(async () => {
    const names = await freshTables('lists');
    repository = new DynamoDbReviewRepository(documents, names.reviews, { cursorKey });
    for (let i = 1; i <= 25; i += 1) {
      const day = String(i).padStart(2, '0');
      const state = STATES[i % STATES.length] ?? 'GRC';
      const first = created(
        `list-${day}`,
        `2027-01-${day}T08:00:00Z`,
        aNewReview(state, (i % 4) + 1, `2027-01-${day}`),
      );
      await repository.create(first.review, first.event);
      let change = first;
      if (i % 3 === 0) change = moved(change.review, 'self_assessment', `2027-01-${day}T10:00:00Z`);
      if (i % 7 === 0) {
        change = pause(UNTOC_PROCESS, change.review, 'on hold', { now: `2027-01-${day}T11:00:00Z`, actor });
      }
      if (i === 25) {
        for (const to of [
          'self_assessment',
          'desk_review',
          'dialogue',
          'observations',
          'summary',
          'completed',
        ]) {
          change = moved(change.review, to, `2027-01-${day}T12:00:00Z`);
        }
      }
      if (change !== first) await repository.save(change.review, change.event, 1);
      stored.push(change.review);
    }
  });

  /** Every page of a listing, following the cursors. */
  async function allPages(query: Omit<ReviewQuery, 'cursor'>): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await repository.list({ ...query, cursor });
      expect(page.items.length).toBeLessThanOrEqual(query.limit);
      ids.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor !== undefined && pages < 100);
    return { ids, pages };
  }

  function expected(keep: (review: Review) => boolean): string[] {
    return stored
      .filter(keep)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .map((r) => r.id);
  }

  it('lists every review newest first in pages of the limit', async () => {
    // Act
    const { ids, pages } = await allPages({ limit: 7 });

    // Assert
    expect(ids).toEqual(expected(() => true));
    expect(ids).toHaveLength(25);
    expect(pages).toBe(4);
  });

  it('gives a first page and a cursor that continues exactly after it', async () => {
    // Act
    const first = await repository.list({ limit: 3 });
    const second = await repository.list({ limit: 3, cursor: first.nextCursor ?? undefined });

    // Assert
    expect(first.items.map((r) => r.id)).toEqual(['list-25', 'list-24', 'list-23']);
    expect(second.items.map((r) => r.id)).toEqual(['list-22', 'list-21', 'list-20']);
    expect(first.items[0]).toEqual(stored[24]);
  });

  it.each(['GRC', 'AUT', 'DEU'])(
    'lists the reviews %s takes part in, as State under review or reviewer',
    async (state) => {
      // Act
      const { ids } = await allPages({ limit: 4, state });

      // Assert
      const expectedIds = expected((r) => participants(r).includes(state));
      expect(ids).toEqual(expectedIds);
      expect(expectedIds.some((id) => stored.find((r) => r.id === id)?.stateUnderReview === state)).toBe(
        true,
      );
      expect(expectedIds.some((id) => stored.find((r) => r.id === id)?.stateUnderReview !== state)).toBe(
        true,
      );
    },
  );

  it('filters by stage, cluster and both, across pages', async () => {
    // Act
    const byStage = await allPages({ limit: 2, stage: 'self_assessment' });
    const byCluster = await allPages({ limit: 3, cluster: 2 });
    const byBoth = await allPages({ limit: 1, stage: 'launched', cluster: 3, state: 'BRA' });

    // Assert
    expect(byStage.ids).toEqual(expected((r) => r.stage === 'self_assessment'));
    expect(byStage.ids.length).toBeGreaterThan(2);
    expect(byCluster.ids).toEqual(expected((r) => r.cluster === 2));
    expect(byBoth.ids).toEqual(
      expected((r) => r.stage === 'launched' && r.cluster === 3 && participants(r).includes('BRA')),
    );
  });

  it('filters open reviews whose deadline is before a date, never paused or completed ones', async () => {
    // Act
    const { ids } = await allPages({ limit: 4, overdueBefore: '2027-02-01' });

    // Assert
    const expectedIds = expected(
      (r) => r.paused === null && r.deadline !== null && r.deadline < '2027-02-01',
    );
    expect(ids).toEqual(expectedIds);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).not.toContain('list-07');
    expect(ids).not.toContain('list-25');
  });

  it('refuses a cursor it did not issue, or one of another listing', async () => {
    // Arrange
    const stateCursor = (await repository.list({ limit: 1, state: 'GRC' })).nextCursor ?? '';

    // Act / Assert
    await expect(repository.list({ limit: 5, cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
    await expect(repository.list({ limit: 5, cursor: stateCursor })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
    await expect(repository.list({ limit: 5, state: 'AUT', cursor: stateCursor })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
  });

  it('lists open deadlines before a date, oldest first, page by page, leaving out paused and completed reviews', async () => {
    // Act
    const reviews: Review[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await repository.listDeadlinesBefore('2027-07-10', { limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      reviews.push(...page.items);
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor !== undefined);

    // Assert
    const expectedReviews = stored
      .filter((r) => r.paused === null && r.deadline !== null && r.deadline < '2027-07-10')
      .sort((a, b) => `${a.deadline}#${a.id}`.localeCompare(`${b.deadline}#${b.id}`));
    expect(reviews).toEqual(expectedReviews);
    expect(reviews.map((r) => r.id)).not.toContain('list-07');
    expect(reviews.map((r) => r.id)).not.toContain('list-25');
    expect(reviews.map((r) => r.id)).not.toContain('list-14');
    expect(reviews.map((r) => r.stage)).toContain('self_assessment');
    expect(pages).toBeGreaterThan(1);
  });

  it('keeps the history of each review oldest first', async () => {
    // Act
    const history = await repository.history('list-25');

    // Assert
    expect(history.map((e) => e.stage)).toEqual([
      'launched',
      // list-25 was saved once, from version 1 straight to its final state.
      'completed',
    ]);
    expect(history.map((e) => e.version)).toEqual([1, 7]);
  });
});

describe('DynamoDbIdempotencyStore against DynamoDB Local', () => {
  let store: DynamoDbIdempotencyStore;
  const now = 1_800_000_000;
  const response = {
    statusCode: 201,
    headers: { 'content-type': 'application/json', etag: '"1"' },
    body: '{"a":1}',
  };

  beforeAll(async () => {
    const names = await freshTables('idempotency');
    store = new DynamoDbIdempotencyStore(documents, names.idempotency);
  });

  const started = async (key: string, fingerprint: string, at: number) => {
    const begun = await store.begin(key, fingerprint, at);
    if (begun.outcome !== 'started') throw new Error(`expected started, got ${begun.outcome}`);
    return begun.claim;
  };

  it('starts, reports in progress, replays once completed and reports a mismatched body', async () => {
    // Act / Assert
    const claim = await started('user#k1', 'fp', now);
    await expect(store.begin('user#k1', 'fp', now + 1)).resolves.toMatchObject({ outcome: 'in_progress' });
    await expect(store.begin('user#k1', 'other', now + 1)).resolves.toEqual({ outcome: 'mismatch' });
    await store.complete({ claim, response, nowEpochSeconds: now + 2 });
    await expect(store.begin('user#k1', 'fp', now + 3)).resolves.toEqual({ outcome: 'replay', response });
    await expect(store.begin('user#k1', 'other', now + 3)).resolves.toEqual({ outcome: 'mismatch' });
  });

  it('forgets a released key, but never one completed meanwhile', async () => {
    // Arrange
    const released = await started('user#k2', 'fp', now);
    const completed = await started('user#k5', 'fp', now);
    await store.complete({ claim: completed, response, nowEpochSeconds: now });

    // Act
    await store.release(released);
    await store.release(completed);

    // Assert
    await expect(store.begin('user#k2', 'fp', now + 1)).resolves.toMatchObject({ outcome: 'started' });
    await expect(store.begin('user#k5', 'fp', now + 1)).resolves.toEqual({ outcome: 'replay', response });
  });

  it('takes over an expired record and a claim left in progress too long; the old claim can no longer complete', async () => {
    // Arrange
    const old3 = await started('user#k3', 'fp', now);
    await store.complete({ claim: old3, response, nowEpochSeconds: now });
    const old4 = await started('user#k4', 'fp', now);

    // Act / Assert
    await expect(store.begin('user#k3', 'new body', now + 86_401)).resolves.toMatchObject({
      outcome: 'started',
    });
    await expect(store.begin('user#k4', 'fp', now + 29)).resolves.toMatchObject({ outcome: 'in_progress' });
    const taken = await started('user#k4', 'fp', now + 31);
    await store.complete({ claim: old4, response: { ...response, body: 'late' }, nowEpochSeconds: now + 40 });
    await store.complete({ claim: taken, response, nowEpochSeconds: now + 41 });
    await expect(store.begin('user#k4', 'fp', now + 42)).resolves.toEqual({ outcome: 'replay', response });
  });
});

describe('a change guarded by an Idempotency-Key against DynamoDB Local', () => {
  let store: DynamoDbIdempotencyStore;
  let repository: DynamoDbReviewRepository;
  let idempotencyTable: string;
  const now = 1_800_000_000;
  const answer = (body: string) => ({ statusCode: 200, headers: { etag: '"2"' }, body });

  beforeAll(async () => {
    const names = await freshTables('guarded');
    store = new DynamoDbIdempotencyStore(documents, names.idempotency);
    repository = new DynamoDbReviewRepository(documents, names.reviews, { idempotency: store });
    idempotencyTable = names.idempotency;
  });

  async function claimOf(key: string) {
    const begun = await store.begin(key, 'fp', now);
    if (begun.outcome !== 'started') throw new Error(begun.outcome);
    return begun.claim;
  }

  it('completes the key in the same transaction as the review it creates', async () => {
    // Arrange
    const claim = await claimOf('user#create');
    const { review, event } = created('guarded-1');

    // Act
    await repository.create(review, event, {
      claim,
      response: answer('{"id":"guarded-1"}'),
      nowEpochSeconds: now,
    });

    // Assert
    await expect(repository.get('guarded-1')).resolves.toMatchObject({ id: 'guarded-1' });
    await expect(store.begin('user#create', 'fp', now + 1)).resolves.toEqual({
      outcome: 'replay',
      response: answer('{"id":"guarded-1"}'),
    });
  });

  it('writes nothing when the claim is no longer the request’s (released, or taken over by a retry)', async () => {
    // Arrange
    const claim = await claimOf('user#lost');
    await store.release(claim);
    const { review, event } = created('guarded-2');

    // Act / Assert
    await expect(
      repository.create(review, event, { claim, response: answer('{}'), nowEpochSeconds: now }),
    ).rejects.toBeInstanceOf(IdempotencyClaimLostError);
    await expect(repository.get('guarded-2')).resolves.toBeUndefined();
  });

  it('takes a refused repeat of a change that had landed as the success it was', async () => {
    // Arrange: the first attempt landed (its answer was lost); the SDK or the use case tries again.
    const base = created('guarded-3');
    await repository.create(base.review, base.event);
    const claim = await claimOf('user#twice');
    const change = moved(base.review, 'self_assessment', '2027-01-12T09:00:00Z');
    const completion = { claim, response: answer('{"v":2}'), nowEpochSeconds: now };
    await repository.save(change.review, change.event, 1, completion);

    // Act / Assert
    await expect(repository.save(change.review, change.event, 1, completion)).resolves.toBeUndefined();
    expect(await repository.history('guarded-3')).toHaveLength(2);
    const stored = await documents.send(
      new GetCommand({ TableName: idempotencyTable, Key: { id: 'user#twice' } }),
    );
    expect(stored.Item?.status).toBe('COMPLETED');
  });

  it('still reports a stale version when another change landed first', async () => {
    // Arrange
    const base = created('guarded-4');
    await repository.create(base.review, base.event);
    const first = moved(base.review, 'self_assessment', '2027-01-12T09:00:00Z');
    await repository.save(first.review, first.event, 1);
    const claim = await claimOf('user#stale');

    // Act / Assert
    await expect(
      repository.save(first.review, first.event, 1, { claim, response: answer('{}'), nowEpochSeconds: now }),
    ).rejects.toBeInstanceOf(StaleVersionError);
    await expect(store.begin('user#stale', 'fp', now + 1)).resolves.toMatchObject({ outcome: 'in_progress' });
  });
});

describe('DynamoDbNotificationReader against DynamoDB Local', () => {
  let reader: DynamoDbNotificationReader;

  function aRecord(
    reviewId: string,
    stageEpoch: number,
    kind: NotificationRecord['kind'],
    occurrence: number,
    status: NotificationRecord['status'],
    dueAt: string,
  ): NotificationRecord {
    return {
      id: `${reviewId}#${stageEpoch}#2027-07-11#${kind}#${occurrence}`,
      reviewId,
      stage: 'self_assessment',
      stageEpoch,
      deadline: '2027-07-11',
      kind,
      occurrence,
      offsetDays: kind === 'reminder' ? -occurrence : occurrence,
      audience: kind === 'escalation' ? 'secretariat' : 'responsible',
      dueAt,
      status,
      ...(status === 'sent' ? { sentAt: dueAt } : {}),
      deliveries:
        status === 'sent' ? [{ recipient: 'GRC', status: 'sent', messageId: `ses-${occurrence}` }] : [],
    };
  }

  const records = [
    aRecord('rev-n', 2, 'reminder', 2, 'sent', '2027-06-27T07:00:00Z'),
    aRecord('rev-n', 2, 'reminder', 1, 'sent', '2027-06-11T07:00:00Z'),
    aRecord('rev-n', 2, 'reminder', 3, 'pending', '2027-07-02T07:00:00Z'),
    aRecord('rev-n', 2, 'escalation', 1, 'sent', '2027-07-12T07:00:00Z'),
    aRecord('rev-n', 20, 'reminder', 1, 'sent', '2027-09-01T07:00:00Z'),
    aRecord('rev-n', 1, 'stage_notice', 1, 'sent', '2027-01-11T09:00:00Z'),
    aRecord('rev-other', 2, 'reminder', 1, 'sent', '2027-06-11T07:00:00Z'),
  ];

  beforeAll(async () => {
    const names = await freshTables('notifications');
    reader = new DynamoDbNotificationReader(documents, names.notifications);
    for (const record of records) {
      await documents.send(
        new PutCommand({
          TableName: names.notifications,
          Item: {
            pk: `REVIEW#${record.reviewId}`,
            sk: `NOTIF#${String(record.stageEpoch).padStart(6, '0')}#${record.id}`,
            ...record,
            ...(record.status === 'pending' ? { duePk: 'DUE' } : {}),
          },
        }),
      );
    }
  });

  it('lists a review’s notifications in due order', async () => {
    // Act
    const listed = await reader.listForReview('rev-n');

    // Assert
    expect(listed).toEqual(
      records.filter((r) => r.reviewId === 'rev-n').sort((a, b) => a.dueAt.localeCompare(b.dueAt)),
    );
  });

  it("reads a slice of one stage epoch's notifications of some kinds, in due order", async () => {
    // Act
    const all = await reader.latestOfStage({ reviewId: 'rev-n', stageEpoch: 2 }, ['reminder'], 100);
    const bounded = await reader.latestOfStage({ reviewId: 'rev-n', stageEpoch: 2 }, ['reminder'], 2);
    const none = await reader.latestOfStage({ reviewId: 'rev-unknown', stageEpoch: 2 }, ['reminder'], 100);

    // Assert
    const epochReminders = records
      .filter((r) => r.reviewId === 'rev-n' && r.stageEpoch === 2 && r.kind === 'reminder')
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
    expect(all).toEqual({ items: epochReminders, complete: true });
    // Two items read, newest key first (`…#reminder#3`, `…#reminder#2`): reminder 1 is left out.
    expect(bounded.complete).toBe(false);
    expect(bounded.items.map((r) => r.occurrence)).toEqual([2, 3]);
    expect(none).toEqual({ items: [], complete: true });
  });
});
