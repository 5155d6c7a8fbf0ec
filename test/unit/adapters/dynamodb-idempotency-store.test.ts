import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbIdempotencyStore } from '#shared/adapters/dynamodb-idempotency-store.ts';

const TABLE = 'Idempotency';
const NOW = 1_800_000_000;

const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
  { marshallOptions: { removeUndefinedValues: true } },
);
const store = new DynamoDbIdempotencyStore(client, TABLE, () => 'tok-1');
const claim = { key: 'user-1#key-1', token: 'tok-1' };

/** What DynamoDB raises with `ReturnValuesOnConditionCheckFailure: ALL_OLD`: the old item, low-level shape. */
function conditionFailed(item: Record<string, AttributeValue>): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: {},
    Item: item,
  });
}

const completedRecord: Record<string, AttributeValue> = {
  id: { S: 'user-1#key-1' },
  status: { S: 'COMPLETED' },
  fingerprint: { S: 'fp-1' },
  expiration: { N: String(NOW + 100) },
  response: {
    M: {
      statusCode: { N: '201' },
      headers: { M: { 'content-type': { S: 'application/json' }, etag: { S: '"1"' } } },
      body: { S: '{"id":"rev-1"}' },
    },
  },
};

beforeEach(() => {
  ddb.reset();
});

afterEach(() => {
  expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);
});

describe('DynamoDbIdempotencyStore.begin', () => {
  it('claims a new key with one conditional put that also takes over expired records', async () => {
    // Arrange
    ddb.on(PutCommand).resolves({});

    // Act
    const result = await store.begin('user-1#key-1', 'fp-1', NOW);

    // Assert
    expect(result).toEqual({ outcome: 'started', claim });
    const calls = ddb.commandCalls(PutCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    expect(input).toMatchObject({
      TableName: TABLE,
      Item: {
        id: 'user-1#key-1',
        status: 'IN_PROGRESS',
        fingerprint: 'fp-1',
        token: 'tok-1',
        expiration: NOW + 86_400,
        inProgressExpiry: NOW + 30,
      },
      ExpressionAttributeValues: { ':now': NOW, ':inProgress': 'IN_PROGRESS' },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    expect(input?.ConditionExpression).toBe(
      'attribute_not_exists(#id) OR #expiration < :now OR (#status = :inProgress AND #inProgressExpiry < :now)',
    );
    expect(input?.ExpressionAttributeNames).toEqual({
      '#id': 'id',
      '#expiration': 'expiration',
      '#status': 'status',
      '#inProgressExpiry': 'inProgressExpiry',
    });
  });

  it('replays the stored response of a completed request with the same fingerprint', async () => {
    // Arrange
    ddb.on(PutCommand).rejects(conditionFailed(completedRecord));

    // Act
    const result = await store.begin('user-1#key-1', 'fp-1', NOW);

    // Assert
    expect(result).toEqual({
      outcome: 'replay',
      response: {
        statusCode: 201,
        headers: { 'content-type': 'application/json', etag: '"1"' },
        body: '{"id":"rev-1"}',
      },
    });
  });

  it('reports a request still in progress', async () => {
    // Arrange
    ddb.on(PutCommand).rejects(
      conditionFailed({
        id: { S: 'user-1#key-1' },
        status: { S: 'IN_PROGRESS' },
        fingerprint: { S: 'fp-1' },
        expiration: { N: String(NOW + 100) },
        inProgressExpiry: { N: String(NOW + 30) },
      }),
    );

    // Act / Assert
    await expect(store.begin('user-1#key-1', 'fp-1', NOW)).resolves.toEqual({
      outcome: 'in_progress',
      retryAfterSeconds: 30,
    });
  });

  it('takes its own claim back when the SDK retried the put after a lost answer', async () => {
    // Arrange
    ddb.on(PutCommand).rejects(
      conditionFailed({
        id: { S: 'user-1#key-1' },
        status: { S: 'IN_PROGRESS' },
        fingerprint: { S: 'fp-1' },
        token: { S: 'tok-1' },
        expiration: { N: String(NOW + 100) },
        inProgressExpiry: { N: String(NOW + 30) },
      }),
    );

    // Act / Assert
    await expect(store.begin('user-1#key-1', 'fp-1', NOW)).resolves.toEqual({ outcome: 'started', claim });
  });

  it('reports a key reused with another body', async () => {
    // Arrange
    ddb.on(PutCommand).rejects(conditionFailed(completedRecord));

    // Act / Assert
    await expect(store.begin('user-1#key-1', 'fp-other', NOW)).resolves.toEqual({ outcome: 'mismatch' });
  });

  it('passes on other errors and a failed condition that carries no record', async () => {
    // Arrange
    const noRecord = new ConditionalCheckFailedException({ message: 'failed', $metadata: {} });
    ddb.on(PutCommand).rejectsOnce(new Error('network down')).rejectsOnce(noRecord);

    // Act / Assert
    await expect(store.begin('k', 'fp', NOW)).rejects.toThrow('network down');
    await expect(store.begin('k', 'fp', NOW)).rejects.toBe(noRecord);
  });

  it('refuses a key DynamoDB could not store, without a call', async () => {
    // Act / Assert
    await expect(store.begin('k'.repeat(2049), 'fp', NOW)).rejects.toBeInstanceOf(RangeError);
    await expect(store.begin('', 'fp', NOW)).rejects.toBeInstanceOf(RangeError);
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('DynamoDbIdempotencyStore.complete', () => {
  it('stores the response, marks the record completed and renews its expiry, only for its own claim', async () => {
    // Arrange
    ddb.on(UpdateCommand).resolves({});
    const response = { statusCode: 200, headers: { etag: '"2"' }, body: '{}' };

    // Act
    await store.complete({ claim, response, nowEpochSeconds: NOW });

    // Assert
    const input = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      TableName: TABLE,
      Key: { id: 'user-1#key-1' },
      UpdateExpression: 'SET #status = :completed, #response = :response, #expiration = :expiration',
      ExpressionAttributeValues: {
        ':completed': 'COMPLETED',
        ':response': response,
        ':expiration': NOW + 86_400,
        ':token': 'tok-1',
      },
      ConditionExpression: '#status = :inProgress AND #token = :token',
    });
  });

  it('gives the same write as a transaction item, and recognises a record its claim completed', () => {
    // Arrange
    const response = { statusCode: 200, headers: {}, body: '{}' };

    // Act
    const item = store.completionItem({ claim, response, nowEpochSeconds: NOW });

    // Assert
    expect(item.Update).toMatchObject({
      TableName: TABLE,
      Key: { id: claim.key },
      ConditionExpression: '#status = :inProgress AND #token = :token',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    const completed = { ...completedRecord, token: { S: 'tok-1' } };
    expect(store.completedBy(completed, claim)).toBe(true);
    expect(store.completedBy(completed, { ...claim, token: 'another' })).toBe(false);
    expect(store.completedBy({ ...completed, status: { S: 'IN_PROGRESS' } }, claim)).toBe(false);
  });
});

describe('DynamoDbIdempotencyStore.release', () => {
  it('deletes the record while it is still its own claim in progress', async () => {
    // Arrange
    ddb.on(DeleteCommand).resolves({});

    // Act
    await store.release(claim);

    // Assert
    expect(ddb.commandCalls(DeleteCommand)[0]?.args[0].input).toMatchObject({
      TableName: TABLE,
      Key: { id: 'user-1#key-1' },
      ConditionExpression: '#status = :inProgress AND #token = :token',
      ExpressionAttributeValues: { ':inProgress': 'IN_PROGRESS', ':token': 'tok-1' },
    });
  });

  it('leaves a record that a change completed meanwhile', async () => {
    // Arrange
    ddb.on(DeleteCommand).rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }));

    // Act / Assert
    await expect(store.release(claim)).resolves.toBeUndefined();
  });
});
