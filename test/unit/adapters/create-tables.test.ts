import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  ScanCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTablesFromTemplate } from '#infra/local/create-tables.ts';

const ddb = mockClient(DynamoDBClient);
const client = new DynamoDBClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});

const notFound = () => new ResourceNotFoundException({ message: 'not found', $metadata: {} });

const template = {
  Resources: {
    ReviewsTable: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'gsi1pk', AttributeType: 'S' },
          { AttributeName: 'gsi1sk', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'gsi1',
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
        Tags: [{ Key: 'team', Value: 'secretariat' }],
      },
    },
    IdempotencyTable: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        TableName: 'idempotency',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      },
    },
    Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
  },
};

beforeEach(() => {
  ddb.reset();
});

afterEach(() => {
  expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);
});

describe('createTablesFromTemplate', () => {
  it('creates each table as declared, named by TableName or else its logical id, then sets its TTL', async () => {
    // Arrange
    ddb
      .on(DescribeTableCommand)
      .rejectsOnce(notFound())
      .resolvesOnce({ Table: { TableName: 'ReviewsTable', LatestStreamArn: 'arn:stream/1' } })
      .rejectsOnce(notFound())
      .resolvesOnce({ Table: { TableName: 'idempotency' } });
    ddb.on(CreateTableCommand).resolves({ TableDescription: { TableStatus: 'ACTIVE' } });
    ddb.on(UpdateTimeToLiveCommand).resolves({});

    // Act
    const tables = await createTablesFromTemplate(client, template);

    // Assert
    expect([...tables]).toEqual([
      ['ReviewsTable', { tableName: 'ReviewsTable', streamArn: 'arn:stream/1' }],
      ['IdempotencyTable', { tableName: 'idempotency' }],
    ]);
    const [reviews, idempotency] = ddb.commandCalls(CreateTableCommand).map((call) => call.args[0].input);
    expect(reviews).toEqual({
      TableName: 'ReviewsTable',
      KeySchema: template.Resources.ReviewsTable.Properties.KeySchema,
      AttributeDefinitions: template.Resources.ReviewsTable.Properties.AttributeDefinitions,
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: template.Resources.ReviewsTable.Properties.GlobalSecondaryIndexes,
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
    expect(idempotency).toMatchObject({ TableName: 'idempotency', BillingMode: 'PAY_PER_REQUEST' });
    expect(ddb.commandCalls(UpdateTimeToLiveCommand).map((call) => call.args[0].input)).toEqual([
      { TableName: 'idempotency', TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true } },
    ]);
  });

  it('leaves an existing table as it is, even one created by someone else meanwhile', async () => {
    // Arrange
    ddb
      .on(DescribeTableCommand)
      .resolvesOnce({ Table: { TableName: 'ReviewsTable', TableStatus: 'ACTIVE', LatestStreamArn: 'arn:s' } })
      .rejectsOnce(notFound())
      .resolves({ Table: { TableName: 'idempotency', TableStatus: 'ACTIVE' } });
    ddb.on(CreateTableCommand).rejects(new ResourceInUseException({ message: 'in use', $metadata: {} }));

    // Act
    const tables = await createTablesFromTemplate(client, template);

    // Assert
    expect(tables.get('ReviewsTable')).toEqual({ tableName: 'ReviewsTable', streamArn: 'arn:s' });
    expect(tables.get('IdempotencyTable')).toEqual({ tableName: 'idempotency' });
    expect(ddb.commandCalls(CreateTableCommand).map((call) => call.args[0].input.TableName)).toEqual([
      'idempotency',
    ]);
    expect(ddb.commandCalls(UpdateTimeToLiveCommand)).toHaveLength(0);
  });

  it('refuses a table whose name is an intrinsic function', async () => {
    // Arrange
    const withRef = {
      Resources: {
        T: {
          Type: 'AWS::DynamoDB::Table',
          Properties: { ...template.Resources.IdempotencyTable.Properties, TableName: { Ref: 'Name' } },
        },
      },
    };

    // Act / Assert
    await expect(createTablesFromTemplate(client, withRef)).rejects.toThrow(
      'TableName must be a literal string',
    );
    expect(ddb.calls()).toHaveLength(0);
  });
});
