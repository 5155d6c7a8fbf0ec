import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbNotificationReader } from '#shared/adapters/dynamodb-notification-reader.ts';
import type { NotificationKind } from '#shared/domain/notification-plan.ts';
import type { NotificationRecord } from '#shared/ports/notification-store.ts';

const TABLE = 'Notifications';

const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
  { marshallOptions: { removeUndefinedValues: true } },
);
const reader = new DynamoDbNotificationReader(client, TABLE);

function aRecord(kind: NotificationKind, occurrence: number, dueAt: string): NotificationRecord {
  const id = `rev-1#2#2027-07-11#${kind}#${occurrence}`;
  return {
    id,
    reviewId: 'rev-1',
    stage: 'self_assessment',
    stageEpoch: 2,
    deadline: '2027-07-11',
    kind,
    occurrence,
    offsetDays: kind === 'reminder' ? -30 : 1,
    audience: kind === 'escalation' ? 'secretariat' : 'responsible',
    dueAt,
    status: 'pending',
    deliveries: [],
  };
}

function anItem(record: NotificationRecord): Record<string, unknown> {
  return { pk: 'REVIEW#rev-1', sk: `NOTIF#000002#${record.id}`, duePk: 'DUE#0', ...record };
}

beforeEach(() => {
  ddb.reset();
});

afterEach(() => {
  expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);
});

describe('DynamoDbNotificationReader.listForReview', () => {
  it('reads every page of the review and sorts by due time, then id', async () => {
    // Arrange
    const late = aRecord('escalation', 1, '2027-07-12T07:00:00Z');
    const early = aRecord('reminder', 1, '2027-06-11T07:00:00Z');
    const sameTimeB = aRecord('overdue_notice', 1, '2027-07-12T07:00:00Z');
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [anItem(late)], LastEvaluatedKey: { pk: 'REVIEW#rev-1', sk: 'x' } })
      .resolvesOnce({ Items: [anItem(sameTimeB), anItem(early)] });

    // Act
    const records = await reader.listForReview('rev-1');

    // Assert
    expect(records).toEqual([early, late, sameTimeB]);
    const inputs = ddb.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(inputs[0]).toMatchObject({
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': 'REVIEW#rev-1', ':prefix': 'NOTIF#' },
    });
    expect(inputs[1]?.ExclusiveStartKey).toEqual({ pk: 'REVIEW#rev-1', sk: 'x' });
  });

  it('reads absent or null optional fields as undefined and keeps the outcome fields', async () => {
    // Arrange
    const sent = {
      ...aRecord('reminder', 1, '2027-06-11T07:00:00Z'),
      status: 'sent' as const,
      sentAt: '2027-06-11T07:00:05Z',
      deliveries: [{ recipient: 'GRC', status: 'sent' as const, messageId: 'ses-1' }],
    };
    ddb.on(QueryCommand).resolves({ Items: [{ ...anItem(sent), reason: null, queuedAt: null }] });

    // Act
    const [record] = await reader.listForReview('rev-1');

    // Assert
    expect(record).toEqual({ ...sent, reason: undefined, queuedAt: undefined });
  });

  it('fails loudly on an item that lacks a required field', async () => {
    // Arrange
    const { deliveries: _, ...withoutDeliveries } = anItem(aRecord('reminder', 1, '2027-06-11T07:00:00Z'));
    ddb.on(QueryCommand).resolves({ Items: [withoutDeliveries] });

    // Act / Assert
    await expect(reader.listForReview('rev-1')).rejects.toThrow('corrupt notification item');
  });

  it('answers nothing for an id that cannot be a key, without a call', async () => {
    // Act / Assert
    await expect(reader.listForReview('x'.repeat(3000))).resolves.toEqual([]);
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('DynamoDbNotificationReader.escalationsSent', () => {
  it("reads a page's tallies in one BatchGet, asking again for unprocessed keys, 0 where none", async () => {
    // Arrange
    const tally = (id: string, epoch: string, escalations: number) => ({
      pk: `REVIEW#${id}`,
      sk: `TALLY#${epoch}`,
      escalations,
    });
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { [TABLE]: [tally('rev-a', '000001', 2)] },
        UnprocessedKeys: { [TABLE]: { Keys: [{ pk: 'REVIEW#rev-b', sk: 'TALLY#000003' }] } },
      })
      .resolvesOnce({ Responses: { [TABLE]: [tally('rev-b', '000003', 1)] } });

    // Act
    const counts = await reader.escalationsSent([
      { reviewId: 'rev-a', stageEpoch: 1 },
      { reviewId: 'rev-b', stageEpoch: 3 },
      { reviewId: 'rev-c', stageEpoch: 2 },
    ]);

    // Assert
    expect(counts).toEqual(
      new Map([
        ['rev-a', 2],
        ['rev-b', 1],
        ['rev-c', 0],
      ]),
    );
    const [first, second] = ddb.commandCalls(BatchGetCommand).map((call) => call.args[0].input);
    expect(first?.RequestItems?.[TABLE]?.Keys).toEqual([
      { pk: 'REVIEW#rev-a', sk: 'TALLY#000001' },
      { pk: 'REVIEW#rev-b', sk: 'TALLY#000003' },
      { pk: 'REVIEW#rev-c', sk: 'TALLY#000002' },
    ]);
    expect(second?.RequestItems?.[TABLE]?.Keys).toEqual([{ pk: 'REVIEW#rev-b', sk: 'TALLY#000003' }]);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('makes no call for an empty page', async () => {
    // Act / Assert
    await expect(reader.escalationsSent([])).resolves.toEqual(new Map());
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('DynamoDbNotificationReader.latestOfStage', () => {
  it('reads one bounded page of the stage epoch, newest first, and hands it back in due order', async () => {
    // Arrange
    const overdue = aRecord('overdue_notice', 1, '2027-07-12T07:00:00Z');
    const reminder = aRecord('reminder', 1, '2027-06-11T07:00:00Z');
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [anItem(reminder), anItem(overdue)], LastEvaluatedKey: { pk: 'REVIEW#rev-1' } });

    // Act
    const slice = await reader.latestOfStage(
      { reviewId: 'rev-1', stageEpoch: 2 },
      ['reminder', 'overdue_notice'],
      50,
    );

    // Assert
    expect(slice).toEqual({ items: [reminder, overdue], complete: false });
    const calls = ddb.commandCalls(QueryCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toMatchObject({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: '#kind IN (:kind0, :kind1)',
      ExpressionAttributeValues: {
        ':pk': 'REVIEW#rev-1',
        ':prefix': 'NOTIF#000002#',
        ':kind0': 'reminder',
        ':kind1': 'overdue_notice',
      },
      ScanIndexForward: false,
      Limit: 50,
    });
  });

  it('says the slice is complete when the epoch had nothing more', async () => {
    // Arrange
    ddb.on(QueryCommand).resolvesOnce({ Items: [] });

    // Act
    const slice = await reader.latestOfStage({ reviewId: 'rev-1', stageEpoch: 2 }, ['reminder'], 50);

    // Assert
    expect(slice).toEqual({ items: [], complete: true });
  });
});
