import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';
import { FUNCTION_ENTRIES } from '../../infra/topology.ts';
import {
  appTemplates,
  functionByEntry,
  logicalIdOf,
  onlyResource,
  type Resource,
  SKIP_BUNDLING,
  type Statement,
} from './support/templates.ts';

function statefulTemplate(context: Record<string, unknown> = {}): Template {
  return appTemplates(context).stateful;
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

  it('declares exactly three tables and six queues, and no function', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 3);
    template.resourceCountIs('AWS::SQS::Queue', 6);
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

  it('exports exactly what the stateless stack imports', () => {
    const { stateful, stateless } = appTemplates();
    const exported = Object.values(stateful.findOutputs('*', { Export: Match.anyValue() })).map(
      (output) => (output.Export as { Name: string }).Name,
    );
    const imported = [
      ...new Set(JSON.stringify(stateless.toJSON()).match(/UntocReviewTracker-dev-Stateful:[\w]+/g) ?? []),
    ];
    expect(exported.sort()).toEqual(imported.sort());
    expect(exported.length).toBeGreaterThan(6);
  });

  describe('queues', () => {
    const MAIL_QUEUES = [
      ['FocalPointMailQueue', 'FocalPointMailDlq'],
      ['EscalationQueue', 'EscalationDlq'],
    ] as const;
    const DEAD_LETTER_QUEUES = ['FocalPointMailDlq', 'EscalationDlq', 'PlannerDlq', 'FeedbackDlq'] as const;
    const ALL_QUEUES = [...MAIL_QUEUES.map(([queue]) => queue), ...DEAD_LETTER_QUEUES];

    const queue = (id: string): Resource => {
      const logicalId = logicalIdOf(template, 'AWS::SQS::Queue', id);
      return template.findResources('AWS::SQS::Queue')[logicalId] as Resource;
    };

    it.each(ALL_QUEUES)('encrypts %s with SQS-managed keys and leaves its name to CloudFormation', (id) => {
      expect(queue(id).Properties).toMatchObject({ SqsManagedSseEnabled: true });
      expect(queue(id).Properties.QueueName).toBeUndefined();
    });

    it.each(ALL_QUEUES)('denies every request to %s that does not use TLS', (id) => {
      const queueId = logicalIdOf(template, 'AWS::SQS::Queue', id);
      const [, policy] = onlyResource(template, 'AWS::SQS::QueuePolicy', {
        Properties: { Queues: [{ Ref: queueId }] },
      });
      expect((policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement).toContainEqual({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'sqs:*',
        Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
    });

    it('gives every queue exactly one policy, so nothing else replaces the TLS-only one', () => {
      const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy'));
      const queues = policies.flatMap((policy) => policy.Properties.Queues as unknown[]);
      expect(queues).toHaveLength(ALL_QUEUES.length);
      expect(new Set(queues.map((ref) => JSON.stringify(ref))).size).toBe(ALL_QUEUES.length);
    });

    it.each(MAIL_QUEUES)('moves a message of %s to %s after 5 receives', (id, dlqId) => {
      expect(queue(id).Properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', dlqId), 'Arn'] },
        maxReceiveCount: 5,
      });
    });

    it.each(DEAD_LETTER_QUEUES)('keeps messages of the dead-letter queue %s for 14 days', (id) => {
      expect(queue(id).Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
      expect(queue(id).Properties.RedrivePolicy).toBeUndefined();
    });

    it.each(MAIL_QUEUES)('keeps messages of %s for less time than its dead-letter queue', (id, dlqId) => {
      expect(queue(id).Properties.MessageRetentionPeriod as number).toBeLessThan(
        queue(dlqId).Properties.MessageRetentionPeriod as number,
      );
    });

    it.each([
      ['FocalPointMailQueue', FUNCTION_ENTRIES.mailer],
      ['EscalationQueue', FUNCTION_ENTRIES.escalator],
    ])('hides a received message of %s for at least six times its consumer timeout', (id, entry) => {
      const { stateless } = appTemplates();
      const [, consumer] = functionByEntry(stateless, entry);
      const timeout = consumer.Properties.Timeout as number;
      expect(timeout).toBe(60);
      expect(queue(id).Properties.VisibilityTimeout).toBe(360);
      expect(queue(id).Properties.VisibilityTimeout as number).toBeGreaterThanOrEqual(6 * timeout);
    });

    it.each(ALL_QUEUES)('retains %s (its messages are data) by default', (id) => {
      expect(queue(id).DeletionPolicy).toBe('Retain');
    });

    it('destroys the queues with the stack in a throwaway stage', () => {
      const queues = statefulTemplate({ retainData: 'false' }).findResources('AWS::SQS::Queue');
      expect(Object.keys(queues)).toHaveLength(6);
      for (const resource of Object.values(queues)) expect(resource.DeletionPolicy).toBe('Delete');
    });

    it.each([
      ['FocalPointQueueUrl', 'FocalPointMailQueue'],
      ['EscalationQueueUrl', 'EscalationQueue'],
      ['FocalPointMailDlqUrl', 'FocalPointMailDlq'],
      ['EscalationDlqUrl', 'EscalationDlq'],
      ['PlannerDlqUrl', 'PlannerDlq'],
      ['FeedbackDlqUrl', 'FeedbackDlq'],
    ])('outputs %s, the URL of %s', (output, id) => {
      template.hasOutput(output, { Value: { Ref: logicalIdOf(template, 'AWS::SQS::Queue', id) } });
    });
  });

  describe('user pool (default identity provider)', () => {
    it('allows no self sign-up and requires TOTP MFA', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      });
    });

    it('enforces a strong password policy and threat protection on the Plus plan', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        Policies: {
          PasswordPolicy: {
            MinimumLength: Match.anyValue(),
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          },
        },
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      });
      const [, pool] = onlyResource(template, 'AWS::Cognito::UserPool');
      const policy = (pool.Properties.Policies as { PasswordPolicy: { MinimumLength: number } })
        .PasswordPolicy;
      expect(policy.MinimumLength).toBeGreaterThanOrEqual(12);
    });

    it("sends invitations and password resets through the organisation's SES identity and configuration set", () => {
      const [, pool] = onlyResource(template, 'AWS::Cognito::UserPool');
      const [configurationSetId] = onlyResource(template, 'AWS::SES::ConfigurationSet');
      expect(pool.Properties.EmailConfiguration).toEqual({
        EmailSendingAccount: 'DEVELOPER',
        From: 'UNTOC review tracker <no-reply@example.org>',
        SourceArn: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':ses:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':identity/no-reply@example.org',
            ],
          ],
        },
        ConfigurationSet: { Ref: configurationSetId },
      });
    });

    it('sends them from the domain identity the stack creates, when given a sender domain', () => {
      const { stateful } = appTemplates({ senderDomain: 'un.example', senderEmail: 'no-reply@un.example' });
      const [identityId] = onlyResource(stateful, 'AWS::SES::EmailIdentity');
      const [, pool] = onlyResource(stateful, 'AWS::Cognito::UserPool');
      expect(JSON.stringify(pool.Properties.EmailConfiguration)).toContain(identityId);
    });

    it('leaves the physical pool name to CloudFormation', () => {
      const [, pool] = onlyResource(template, 'AWS::Cognito::UserPool');
      expect(pool.Properties.UserPoolName).toBeUndefined();
    });

    it('is retained, with deletion protection, by default', () => {
      template.hasResource('AWS::Cognito::UserPool', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
      });
    });

    it('defines the secretariat and viewer groups', () => {
      const [poolId] = onlyResource(template, 'AWS::Cognito::UserPool');
      const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup'));
      expect(groups.map((group) => group.Properties.GroupName).sort()).toEqual(['secretariat', 'viewer']);
      for (const group of groups) expect(group.Properties.UserPoolId).toEqual({ Ref: poolId });
    });

    it("gives the Secretariat's tooling a public client: no secret, SRP sign-in, no OAuth redirects", () => {
      const [poolId] = onlyResource(template, 'AWS::Cognito::UserPool');
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        UserPoolId: { Ref: poolId },
        GenerateSecret: false,
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        AllowedOAuthFlows: Match.absent(),
        CallbackURLs: Match.absent(),
        PreventUserExistenceErrors: 'ENABLED',
      });
    });

    it('outputs the user pool id and the client id', () => {
      template.hasOutput('UserPoolId', {
        Value: { Ref: onlyResource(template, 'AWS::Cognito::UserPool')[0] },
      });
      template.hasOutput('UserPoolClientId', {
        Value: { Ref: onlyResource(template, 'AWS::Cognito::UserPoolClient')[0] },
      });
    });

    it('exports only the pool and client ids for the authorizer of the stateless stack', () => {
      const cognitoExports = Object.values(template.findOutputs('*', { Export: Match.anyValue() })).filter(
        (output) => /UserPool/.test((output.Export as { Name: string }).Name),
      );
      expect(cognitoExports.map((output) => output.Value)).toEqual(
        expect.arrayContaining([
          { Ref: onlyResource(template, 'AWS::Cognito::UserPool')[0] },
          { Ref: onlyResource(template, 'AWS::Cognito::UserPoolClient')[0] },
        ]),
      );
      expect(cognitoExports).toHaveLength(2);
    });

    it('is destroyed with the stack, without deletion protection, in a throwaway stage', () => {
      const [, pool] = onlyResource(statefulTemplate({ retainData: 'false' }), 'AWS::Cognito::UserPool');
      expect(pool.DeletionPolicy).toBe('Delete');
      expect(pool.Properties.DeletionProtection).not.toBe('ACTIVE');
    });
  });
});
