import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { ConfigurationSet } from 'aws-cdk-lib/aws-ses';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { HouseFunction, type HouseFunctionProps } from '../../infra/house-function.ts';

const ENTRY = 'functions/api.handler.ts';

interface Arranged {
  readonly template: Template;
  readonly stack: Stack;
  readonly table: Table;
}

/** A stack holding one house function and one table, synthesized without bundling. */
function arrange(
  props: Partial<HouseFunctionProps> = {},
  act: (fn: HouseFunction, table: Table) => void = () => {},
): Arranged {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'HouseFunctionTest');
  const table = new Table(stack, 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
  const fn = new HouseFunction(stack, 'Fn', { entry: ENTRY, ...props });
  act(fn, table);
  return { template: Template.fromStack(stack), stack, table };
}

function tableArn(stack: Stack, table: Table): unknown {
  return stack.resolve(table.tableArn);
}

function policyStatements(template: Template): Array<Record<string, unknown>> {
  const policies = Object.values(template.findResources('AWS::IAM::Policy'));
  return policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

function actionsOf(statement: Record<string, unknown>): string[] {
  const action = statement.Action;
  return Array.isArray(action) ? (action as string[]) : [action as string];
}

describe('HouseFunction', () => {
  describe('defaults', () => {
    const { template } = arrange();

    it('runs on Node.js 22 on arm64 with active tracing, 512 MB and a 10 s timeout', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        MemorySize: 512,
        Timeout: 10,
        Handler: 'index.handler',
      });
    });

    it('sets the Powertools settings and enables source maps in the environment', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: {
            POWERTOOLS_SERVICE_NAME: 'untoc-review-tracker',
            POWERTOOLS_METRICS_NAMESPACE: 'UntocReviewTracker',
            POWERTOOLS_LOG_LEVEL: 'INFO',
            NODE_OPTIONS: '--enable-source-maps',
          },
        },
      });
    });

    it('records the source entry and handler name in the function resource metadata', () => {
      template.hasResource('AWS::Lambda::Function', {
        Metadata: Match.objectLike({ 'untoc:entry': ENTRY, 'untoc:handler': 'handler' }),
      });
    });

    it('logs to its own log group kept for one month', () => {
      template.resourceCountIs('AWS::Logs::LogGroup', 1);
      template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
      const [logGroupId] = Object.keys(template.findResources('AWS::Logs::LogGroup'));
      template.hasResourceProperties('AWS::Lambda::Function', {
        LoggingConfig: { LogGroup: { Ref: logGroupId } },
      });
    });

    it("masks e-mail addresses in its log group with AWS's managed identifier (audit and de-identify)", () => {
      const emailAddress = {
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':dataprotection::aws:data-identifier/EmailAddress'],
        ],
      };
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        DataProtectionPolicy: {
          Name: 'mask-email-addresses',
          Version: '2021-06-01',
          Statement: [
            Match.objectLike({ DataIdentifier: [emailAddress], Operation: { Audit: Match.anyValue() } }),
            Match.objectLike({
              DataIdentifier: [emailAddress],
              Operation: { Deidentify: { MaskConfig: {} } },
            }),
          ],
        },
      });
    });

    it('uses its own role without AWS managed policies', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [
            Match.objectLike({ Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } }),
          ],
        },
        ManagedPolicyArns: Match.absent(),
      });
    });

    it('may write only to its own log group and send X-Ray traces, nothing more', () => {
      const [logGroupId] = Object.keys(template.findResources('AWS::Logs::LogGroup'));
      expect(policyStatements(template)).toEqual([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
        },
        { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
      ]);
    });
  });

  describe('props', () => {
    it('takes memory, timeout, extra environment and another handler export', () => {
      const { template } = arrange({
        memorySize: 1024,
        timeout: Duration.seconds(30),
        handler: 'main',
        environment: { FEATURE: 'on' },
      });
      template.hasResourceProperties('AWS::Lambda::Function', {
        MemorySize: 1024,
        Timeout: 30,
        Handler: 'index.main',
        Environment: { Variables: Match.objectLike({ FEATURE: 'on', POWERTOOLS_LOG_LEVEL: 'INFO' }) },
      });
      template.hasResource('AWS::Lambda::Function', {
        Metadata: Match.objectLike({ 'untoc:handler': 'main' }),
      });
    });

    it('records a ./-prefixed entry in its normalized project-relative form', () => {
      const { template } = arrange({ entry: `./${ENTRY}` });
      template.hasResource('AWS::Lambda::Function', { Metadata: Match.objectLike({ 'untoc:entry': ENTRY }) });
    });

    it.each([
      ['an absolute path', join(process.cwd(), ENTRY)],
      ['a path leaving the project', '../elsewhere/handler.ts'],
    ])('rejects %s as entry', (_kind, entry) => {
      expect(() => arrange({ entry })).toThrow(/relative to the project root/);
    });
  });

  describe('bindTable', () => {
    it('with read access sets the env var and grants only item reads on that table', () => {
      const { template, stack, table } = arrange({}, (fn, t) => fn.bindTable(t, 'THINGS_TABLE', 'read'));
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ THINGS_TABLE: stack.resolve(table.tableName) }) },
      });
      const tableStatements = policyStatements(template).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('dynamodb:')),
      );
      expect(tableStatements).toEqual([
        {
          Effect: 'Allow',
          Action: [
            'dynamodb:GetItem',
            'dynamodb:BatchGetItem',
            'dynamodb:Query',
            'dynamodb:ConditionCheckItem',
          ],
          Resource: tableArn(stack, table),
        },
      ]);
    });

    it('with readWrite access adds put, update and delete, and queries only the named indexes', () => {
      const { template, stack, table } = arrange({}, (fn, t) =>
        fn.bindTable(t, 'THINGS_TABLE', 'readWrite', { indexes: ['byOwner'] }),
      );
      const tableStatements = policyStatements(template).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('dynamodb:')),
      );
      expect(tableStatements).toEqual([
        {
          Effect: 'Allow',
          Action: [
            'dynamodb:GetItem',
            'dynamodb:BatchGetItem',
            'dynamodb:Query',
            'dynamodb:ConditionCheckItem',
            'dynamodb:PutItem',
            'dynamodb:UpdateItem',
            'dynamodb:DeleteItem',
          ],
          Resource: tableArn(stack, table),
        },
        {
          Effect: 'Allow',
          Action: 'dynamodb:Query',
          Resource: { 'Fn::Join': ['', [tableArn(stack, table), '/index/byOwner']] },
        },
      ]);
    });

    it('never grants Scan or table-wide wildcards', () => {
      const { template } = arrange({}, (fn, t) =>
        fn.bindTable(t, 'THINGS_TABLE', 'readWrite', { indexes: ['a'] }),
      );
      for (const statement of policyStatements(template)) {
        expect(actionsOf(statement)).not.toContain('dynamodb:Scan');
        expect(actionsOf(statement).some((a) => a.endsWith('*'))).toBe(false);
        expect(JSON.stringify(statement.Resource)).not.toMatch(/\/index\/\*/);
      }
    });
  });

  describe('bindTable with a list of actions', () => {
    it('grants exactly the listed actions, in order, on the table', () => {
      const { template, stack, table } = arrange({}, (fn, t) =>
        fn.bindTable(t, 'THINGS_TABLE', ['GetItem', 'Query', 'UpdateItem']),
      );
      const tableStatements = policyStatements(template).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('dynamodb:')),
      );
      expect(tableStatements).toEqual([
        {
          Effect: 'Allow',
          Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
          Resource: tableArn(stack, table),
        },
      ]);
    });

    it('with only index access grants nothing on the table itself', () => {
      const { template, stack, table } = arrange({}, (fn, t) =>
        fn.bindTable(t, 'THINGS_TABLE', [], { indexes: ['due'] }),
      );
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ THINGS_TABLE: stack.resolve(table.tableName) }) },
      });
      const tableStatements = policyStatements(template).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('dynamodb:')),
      );
      expect(tableStatements).toEqual([
        {
          Effect: 'Allow',
          Action: 'dynamodb:Query',
          Resource: { 'Fn::Join': ['', [tableArn(stack, table), '/index/due']] },
        },
      ]);
    });
  });

  describe('bindQueue', () => {
    it('sets the env var to the queue URL and grants only sqs:SendMessage on that queue', () => {
      let queue: Queue | undefined;
      const { template, stack } = arrange({}, (fn) => {
        queue = new Queue(Stack.of(fn), 'Queue');
        fn.bindQueue(queue, 'THINGS_QUEUE_URL');
      });
      const queueId = stack.getLogicalId(queue?.node.defaultChild as CfnElement);
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ THINGS_QUEUE_URL: { Ref: queueId } }) },
      });
      const queueStatements = policyStatements(template).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('sqs:')),
      );
      expect(queueStatements).toEqual([
        { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [queueId, 'Arn'] } },
      ]);
    });
  });

  describe('sendAsyncFailuresTo', () => {
    it('configures retries, event age and the queue as on-failure destination of async invocations', () => {
      let queue: Queue | undefined;
      const { template, stack } = arrange({}, (fn) => {
        queue = new Queue(Stack.of(fn), 'Dlq');
        fn.sendAsyncFailuresTo(queue, { retryAttempts: 1, maxEventAge: Duration.minutes(30) });
      });
      const queueId = stack.getLogicalId(queue?.node.defaultChild as CfnElement);
      const [functionId] = Object.keys(template.findResources('AWS::Lambda::Function'));
      template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: functionId },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 1,
        MaximumEventAgeInSeconds: 1800,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
      });
    });

    it('grants only sqs:SendMessage on that queue, and sets no environment variable', () => {
      let queue: Queue | undefined;
      const { template, stack } = arrange({}, (fn) => {
        queue = new Queue(Stack.of(fn), 'Dlq');
        fn.sendAsyncFailuresTo(queue, { retryAttempts: 2, maxEventAge: Duration.hours(6) });
      });
      const queueId = stack.getLogicalId(queue?.node.defaultChild as CfnElement);
      const queueStatements = policyStatements(template).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('sqs:')),
      );
      expect(queueStatements).toEqual([
        { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [queueId, 'Arn'] } },
      ]);
      expect(policyStatements(template)).toHaveLength(3);
      const [fn] = Object.values(template.findResources('AWS::Lambda::Function'));
      expect(JSON.stringify(fn?.Properties.Environment)).not.toContain(queueId);
    });
  });

  describe('bindEmailSending', () => {
    it('sets the env var to the configuration set and allows SendRawEmail on the identities and the set', () => {
      let setId = '';
      const { template } = arrange({}, (fn) => {
        const configurationSet = new ConfigurationSet(Stack.of(fn), 'ConfigurationSet');
        setId = Stack.of(fn).getLogicalId(configurationSet.node.defaultChild as CfnElement);
        fn.bindEmailSending(configurationSet, 'SES_SET', [
          'arn:aws:ses:eu-west-1:111122223333:identity/example.org',
        ]);
      });
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ SES_SET: { Ref: setId } }) },
      });
      const sesStatements = policyStatements(template).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('ses:')),
      );
      expect(sesStatements).toEqual([
        {
          Effect: 'Allow',
          Action: 'ses:SendRawEmail',
          Resource: [
            'arn:aws:ses:eu-west-1:111122223333:identity/example.org',
            {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':ses:',
                  { Ref: 'AWS::Region' },
                  ':',
                  { Ref: 'AWS::AccountId' },
                  ':configuration-set/',
                  { Ref: setId },
                ],
              ],
            },
          ],
        },
      ]);
    });

    it('refuses to grant sending without a sender identity', () => {
      expect(() =>
        arrange({}, (fn) =>
          fn.bindEmailSending(new ConfigurationSet(Stack.of(fn), 'ConfigurationSet'), 'SES_SET', []),
        ),
      ).toThrow(/at least one sender identity/);
    });
  });

  describe('consumeTableStream', () => {
    it('maps the table stream to the function and grants reading that stream', () => {
      let streamTable: Table | undefined;
      const { template, stack } = arrange({}, (fn) => {
        streamTable = new Table(Stack.of(fn), 'StreamTable', {
          partitionKey: { name: 'pk', type: AttributeType.STRING },
          stream: StreamViewType.NEW_IMAGE,
        });
        fn.consumeTableStream(streamTable, { startingPosition: StartingPosition.LATEST, batchSize: 7 });
      });
      const tableId = stack.getLogicalId(streamTable?.node.defaultChild as CfnElement);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [tableId, 'StreamArn'] },
        BatchSize: 7,
        StartingPosition: 'LATEST',
      });
      expect(policyStatements(template)).toContainEqual({
        Effect: 'Allow',
        Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
        Resource: { 'Fn::GetAtt': [tableId, 'StreamArn'] },
      });
    });

    it.each([
      ['names ListStreams in', true],
      ['leaves ListStreams out of', false],
    ])('%s the wildcard acknowledgement, as the function consumes a stream or not', (_verb, consumes) => {
      const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
      const stack = new Stack(app, 'AckTest');
      const fn = new HouseFunction(stack, 'Fn', { entry: ENTRY });
      if (consumes) {
        const streamTable = new Table(stack, 'StreamTable', {
          partitionKey: { name: 'pk', type: AttributeType.STRING },
          stream: StreamViewType.NEW_IMAGE,
        });
        fn.consumeTableStream(streamTable, { startingPosition: StartingPosition.LATEST });
      }
      const acknowledged = fn.role.node
        .findAll()
        .flatMap((construct) => construct.node.metadata)
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
        .filter(([id]) => id.endsWith('AwsSolutions-IAM5[Resource::*]'))
        .map(([, reason]) => stack.resolve(reason) as string);
      expect(acknowledged).toHaveLength(1);
      expect(acknowledged[0]).toContain('xray:PutTraceSegments');
      expect(acknowledged[0]?.includes('dynamodb:ListStreams')).toBe(consumes);
    });
  });

  describe('bindValue', () => {
    it('sets one plain environment variable and grants nothing', () => {
      const { template } = arrange({}, (fn) => fn.bindValue('GREETING', 'hello'));
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ GREETING: 'hello' }) },
      });
      expect(policyStatements(template)).toHaveLength(2);
    });
  });

  describe('bundling', () => {
    it('bundles locally (no Docker) into minified ESM with the require banner and a source map', () => {
      const app = new App({ context: { 'aws:cdk:enable-asset-metadata': true } });
      const stack = new Stack(app, 'BundledHouseFunctionTest');
      // A dependency-free module, so this test does not depend on the state of the handlers;
      // bundling ignores which export is the handler.
      new HouseFunction(stack, 'Fn', {
        entry: 'shared/adapters/dynamodb-keys.ts',
        handler: 'REVIEWS_INDEXES',
      });
      const assembly = app.synth();
      const [fn] = Object.values(assembly.getStackByName(stack.stackName).template.Resources).filter(
        (resource) => (resource as { Type: string }).Type === 'AWS::Lambda::Function',
      ) as Array<{ Metadata: Record<string, string> }>;
      const assetDir = join(assembly.directory, fn?.Metadata['aws:asset:path'] ?? 'missing');
      const bundle = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
      expect(bundle.startsWith("import { createRequire as __untocCreateRequire } from 'node:module';")).toBe(
        true,
      );
      expect(bundle).toMatch(/export\s*\{/);
      expect(bundle).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
      expect(existsSync(join(assetDir, 'index.mjs.map'))).toBe(true);
      // Minified: the source's `{ list: 'gsi1', openDeadlines: 'gsi2' }` loses its whitespace.
      expect(bundle).toContain('{list:"gsi1",openDeadlines:"gsi2"}');
      expect(bundle.split('\n').length).toBeLessThanOrEqual(4);
    });
  });
});
