import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';

const SKIP_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

function statefulTemplate(context: Record<string, unknown> = {}): Template {
  const { stateful } = buildApp({ ...SKIP_BUNDLING, ...context });
  return Template.fromStack(stateful);
}

/** The logical id of the one table whose key schema starts with `partitionKey`/`sortKey`. */
function tableWithKeys(template: Template, keySchema: object[]): string {
  const tables = template.findResources('AWS::DynamoDB::Table', {
    Properties: { KeySchema: keySchema },
  });
  const ids = Object.keys(tables);
  expect(ids).toHaveLength(1);
  return ids[0] as string;
}

describe('StatefulStack', () => {
  let template: Template;

  beforeAll(() => {
    template = statefulTemplate();
  });

  it('declares exactly three tables and nothing else stateful', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 3);
    template.resourceCountIs('AWS::Lambda::Function', 0);
  });

  it('bills every table on demand, with point-in-time recovery and AWS managed encryption', () => {
    const tables = template.findResources('AWS::DynamoDB::Table');
    for (const table of Object.values(tables)) {
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      });
      // AWS managed key (aws/dynamodb): no customer key to manage or grant.
      expect(table.Properties.SSESpecification.KMSMasterKeyId).toBeUndefined();
    }
  });

  it('leaves physical table names to CloudFormation', () => {
    const tables = template.findResources('AWS::DynamoDB::Table');
    for (const table of Object.values(tables)) {
      expect(table.Properties.TableName).toBeUndefined();
    }
  });

  it('keys the Reviews table by pk/sk and streams new and old images as the outbox', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });

  it('gives the Reviews table a listing index gsi1 and an open-deadlines index gsi2, both projecting all', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: Match.anyValue(),
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'gsi1pk', AttributeType: 'S' },
        { AttributeName: 'gsi1sk', AttributeType: 'S' },
        { AttributeName: 'gsi2pk', AttributeType: 'S' },
        { AttributeName: 'gsi2sk', AttributeType: 'S' },
      ]),
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: 'gsi2',
          KeySchema: [
            { AttributeName: 'gsi2pk', KeyType: 'HASH' },
            { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
  });

  it('gives the Notifications table only the sparse due index, keyed duePk/dueAt, and no stream', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      StreamSpecification: Match.absent(),
      GlobalSecondaryIndexes: [
        {
          IndexName: 'due',
          KeySchema: [
            { AttributeName: 'duePk', KeyType: 'HASH' },
            { AttributeName: 'dueAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
  });

  it('lays the Idempotency table out as Powertools expects: id key and expiration TTL', () => {
    const id = tableWithKeys(template, [{ AttributeName: 'id', KeyType: 'HASH' }]);
    const table = template.findResources('AWS::DynamoDB::Table')[id];
    expect(table?.Properties).toMatchObject({
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
    });
    expect(table?.Properties.GlobalSecondaryIndexes).toBeUndefined();
  });

  it('retains every table, with deletion protection, by default', () => {
    const tables = template.findResources('AWS::DynamoDB::Table');
    expect(Object.keys(tables)).toHaveLength(3);
    for (const table of Object.values(tables)) {
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.UpdateReplacePolicy).toBe('Retain');
      expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    }
  });

  it.each([
    ['a boolean', false],
    ['a CLI string', 'false'],
  ])('destroys tables without deletion protection when context retainData is false (%s)', (_kind, value) => {
    const throwaway = statefulTemplate({ retainData: value });
    const tables = throwaway.findResources('AWS::DynamoDB::Table');
    expect(Object.keys(tables)).toHaveLength(3);
    for (const table of Object.values(tables)) {
      expect(table.DeletionPolicy).toBe('Delete');
      expect(table.Properties.DeletionProtectionEnabled).not.toBe(true);
    }
  });

  it('refuses a retainData value that is not a boolean', () => {
    expect(() => buildApp({ ...SKIP_BUNDLING, retainData: 'no' })).toThrow(
      /retainData must be true or false/,
    );
  });

  it('exports the table names and ARNs the stateless stack imports', () => {
    const outputs = template.findOutputs('*', { Export: Match.anyValue() });
    expect(Object.keys(outputs)).toHaveLength(6);
  });
});
