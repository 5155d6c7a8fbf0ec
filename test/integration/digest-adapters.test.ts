import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalEmulators, startEmulators } from '#infra/local/emulators.ts';
import { DynamoDbDigestClaims, digestClaimKey } from '#shared/adapters/dynamodb-digest-claims.ts';
import { DynamoDbDigestSource } from '#shared/adapters/dynamodb-digest-source.ts';
import { DynamoDbReviewRepository } from '#shared/adapters/dynamodb-review-repository.ts';
import { Review } from '#shared/domain/review.ts';
import { createTemplateTables } from './support/template-tables.ts';

/** The digest's adapters against DynamoDB Local, on the tables as the template declares them. */
let emulators: LocalEmulators | undefined;
let documents: DynamoDBDocumentClient;
let tables: { reviews: string; notifications: string };

beforeAll(async () => {
  emulators = await startEmulators();
  const created = await createTemplateTables(emulators);
  documents = created.documents;
  tables = created;
});
afterAll(async () => {
  documents?.destroy();
  await emulators?.stop();
});

function aReview(id: string, overrides: Partial<Review> = {}): Review {
  return Review.parse({
    id,
    reference: `REF-${id}`,
    processId: 'untoc',
    stateUnderReview: 'GRC',
    cluster: 1,
    group: null,
    instruments: ['UNTOC'],
    reviewingStates: [
      { state: 'AUT', instruments: ['UNTOC'] },
      { state: 'BRA', instruments: ['UNTOC'] },
    ],
    language: 'en',
    launchedAt: '2027-01-04',
    secretariatEmail: null,
    stage: 'launched',
    stageEpoch: 1,
    stageEnteredAt: '2027-01-04T08:00:00Z',
    deadline: '2027-01-18',
    leftStage: null,
    paused: null,
    version: 1,
    focalPoints: {},
    experts: {},
    submissions: [],
    ledger: [],
    createdAt: '2027-01-04T08:00:00Z',
    updatedAt: '2027-01-04T08:00:00Z',
    ...overrides,
  });
}

describe('DynamoDbDigestSource', () => {
  it('reads every open review, paused ones included, and leaves the closed stages out', async () => {
    const repository = new DynamoDbReviewRepository(documents, tables.reviews);
    const reviews = [
      aReview('open-1'),
      aReview('paused-1', { paused: { since: '2027-01-05T10:00:00Z', reason: 'elections', by: 'u1' } }),
      aReview('closed-1', { stage: 'completed', deadline: null }),
    ];
    for (const review of reviews) {
      await repository.create(review, {
        type: 'created',
        at: review.createdAt,
        by: 'u1',
        version: 1,
        stage: review.stage,
        deadline: review.deadline,
      });
    }

    const open = await new DynamoDbDigestSource(documents, tables.reviews).openReviews(['completed']);

    expect(open.map((r) => r.id).sort()).toEqual(['open-1', 'paused-1']);
    expect(open.find((r) => r.id === 'paused-1')?.paused?.reason).toBe('elections');
  });
});

describe('DynamoDbDigestClaims', () => {
  const at = '2027-01-11T07:00:00.000Z';
  const staleBefore = '2027-01-11T06:58:00.000Z';

  it('claims a week once: a second run finds it busy while claimed and sent once marked', async () => {
    const claims = new DynamoDbDigestClaims(documents, tables.notifications);

    expect(await claims.claim('Officer@UN.example', '2027-W02', at, staleBefore, 'run-1')).toBe('claimed');
    expect(await claims.claim('officer@un.example', '2027-W02', at, staleBefore, 'run-2')).toBe('busy');
    await claims.markSent('officer@un.example', '2027-W02', 'run-1', 'ses-1', at);

    expect(
      await claims.claim('officer@un.example', '2027-W02', '2027-01-11T09:00:00.000Z', at, 'run-3'),
    ).toBe('sent');
    expect(await claims.claim('officer@un.example', '2027-W03', at, staleBefore, 'run-4')).toBe('claimed');
  });

  it('takes over a claim a dead run left, and gives a released claim to the next run', async () => {
    const claims = new DynamoDbDigestClaims(documents, tables.notifications);
    await claims.claim('dead@un.example', '2027-W02', at, staleBefore, 'dead-run');

    expect(
      await claims.claim(
        'dead@un.example',
        '2027-W02',
        '2027-01-11T07:03:00.000Z',
        '2027-01-11T07:01:00.000Z',
        'retry',
      ),
    ).toBe('claimed');
    await claims.release('dead@un.example', '2027-W02', 'retry');
    expect(await claims.claim('dead@un.example', '2027-W02', at, staleBefore, 'next')).toBe('claimed');
  });

  it('keys a claim by a hash of the address, never by the address, and keeps it out of the due index', async () => {
    const claims = new DynamoDbDigestClaims(documents, tables.notifications);
    await claims.claim('keyed@un.example', '2027-W02', at, staleBefore, 'run-1');

    const key = digestClaimKey('keyed@un.example', '2027-W02');
    const { Item } = await documents.send(new GetCommand({ TableName: tables.notifications, Key: key }));

    expect(key.pk).toMatch(/^DIGEST#[0-9a-f]{64}$/);
    expect(key.sk).toBe('WEEK#2027-W02');
    expect(JSON.stringify(Item)).not.toContain('keyed@');
    expect(Item).not.toHaveProperty('duePk');
    expect(Item).not.toHaveProperty('status');
  });
});
