import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
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

describe('DynamoDbNotificationReader.countSent', () => {
  it('counts sent items of a kind in one stage epoch across every page', async () => {
    // Arrange
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Count: 2, LastEvaluatedKey: { pk: 'REVIEW#rev-1', sk: 'y' } })
      .resolvesOnce({ Count: 1 });

    // Act
    const count = await reader.countSent('rev-1', 3, 'escalation');

    // Assert
    expect(count).toBe(3);
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: '#kind = :kind AND #status = :sent',
      ExpressionAttributeValues: {
        ':pk': 'REVIEW#rev-1',
        ':prefix': 'NOTIF#000003#',
        ':kind': 'escalation',
        ':sent': 'sent',
      },
      Select: 'COUNT',
    });
  });
});
