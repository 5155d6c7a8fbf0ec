import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_ENTRIES } from '../../infra/topology.ts';
import {
  actionsOf,
  appTemplates,
  environmentOf,
  functionByEntry,
  importMatching,
  importOf,
  logicalIdOf,
  mentions,
  onlyResource,
  type Statement,
  statementsOf,
} from './support/templates.ts';

/**
 * The notification pipeline (`NotificationPipeline` in the stateless stack): the planner on the
 * Reviews stream, the one-minute sweep and its schedule, and the two mail consumers on their
 * queues; and the least-privilege rules every function of the stack keeps. The feedback
 * function and SES are in `mail-feedback.test.ts`, the alarms in `alarms.test.ts`.
 */

const PIPELINE_ENTRIES = [
  FUNCTION_ENTRIES.planner,
  FUNCTION_ENTRIES.sweep,
  FUNCTION_ENTRIES.mailer,
  FUNCTION_ENTRIES.escalator,
];
const ALL_ENTRIES = [FUNCTION_ENTRIES.api, ...PIPELINE_ENTRIES, FUNCTION_ENTRIES.feedback];

/** The house defaults every function carries besides its own variables. */
const HOUSE_VARIABLES = [
  'NODE_OPTIONS',
  'POWERTOOLS_LOG_LEVEL',
  'POWERTOOLS_METRICS_NAMESPACE',
  'POWERTOOLS_SERVICE_NAME',
];

const SES_IDENTITY_ARN = (identity: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':ses:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:identity/${identity}`,
    ],
  ],
});

/**
 * `arn:…:configuration-set/<name>` as the stateless template spells it: the configuration set is
 * the stateful stack's, imported by name.
 */
const CONFIGURATION_SET_ARN = {
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
      importOf('RefConfigurationSet'),
    ],
  ],
};

describe('notification pipeline (StatelessStack)', () => {
  let template: Template;

  const functionId = (entry: string): string => functionByEntry(template, entry)[0];
  const statementsMentioning = (entry: string, fragment: string): Statement[] =>
    statementsOf(template, entry).filter((statement) => mentions(statement, fragment));

  beforeAll(() => {
    template = appTemplates().stateless;
  });

  describe('functions', () => {
    it.each(PIPELINE_ENTRIES)('builds %s as a house function (Node.js 22, arm64, tracing)', (entry) => {
      const [, fn] = functionByEntry(template, entry);
      expect(fn.Metadata).toMatchObject({ 'untoc:entry': entry, 'untoc:handler': 'handler' });
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
      });
    });

    it.each([
      [FUNCTION_ENTRIES.planner, 60],
      [FUNCTION_ENTRIES.sweep, 50],
      [FUNCTION_ENTRIES.mailer, 60],
      [FUNCTION_ENTRIES.escalator, 60],
      [FUNCTION_ENTRIES.feedback, 10],
      [FUNCTION_ENTRIES.api, 25],
    ])('gives %s a timeout of %i s', (entry, seconds) => {
      expect(functionByEntry(template, entry)[1].Properties.Timeout).toBe(seconds);
    });

    it('builds the pipeline functions inside the Pipeline construct', () => {
      for (const entry of PIPELINE_ENTRIES) expect(functionId(entry)).toMatch(/^Pipeline/);
    });
  });

  describe('environment wiring', () => {
    it('gives the planner the Notifications table, both mail queues, its DLQ and the time zone', () => {
      const variables = environmentOf(template, FUNCTION_ENTRIES.planner);
      expect(Object.keys(variables).sort()).toEqual(
        [
          ...HOUSE_VARIABLES,
          'NOTIFICATIONS_TABLE',
          'FOCAL_POINT_QUEUE_URL',
          'ESCALATION_QUEUE_URL',
          'PLANNER_DLQ_URL',
          'TIME_ZONE_OF_RECORD',
        ].sort(),
      );
      expect(variables).toMatchObject({
        NOTIFICATIONS_TABLE: importOf('RefNotificationsTable'),
        FOCAL_POINT_QUEUE_URL: importOf('RefFocalPointMailQueue'),
        ESCALATION_QUEUE_URL: importOf('RefEscalationQueue'),
        PLANNER_DLQ_URL: importOf('RefPlannerDlq'),
        TIME_ZONE_OF_RECORD: 'Europe/Vienna',
      });
    });

    it('gives the sweep the Notifications table and both mail queues', () => {
      const variables = environmentOf(template, FUNCTION_ENTRIES.sweep);
      expect(Object.keys(variables).sort()).toEqual(
        [...HOUSE_VARIABLES, 'NOTIFICATIONS_TABLE', 'FOCAL_POINT_QUEUE_URL', 'ESCALATION_QUEUE_URL'].sort(),
      );
      expect(variables).toMatchObject({
        NOTIFICATIONS_TABLE: importOf('RefNotificationsTable'),
        FOCAL_POINT_QUEUE_URL: importOf('RefFocalPointMailQueue'),
        ESCALATION_QUEUE_URL: importOf('RefEscalationQueue'),
      });
    });

    it.each([FUNCTION_ENTRIES.mailer, FUNCTION_ENTRIES.escalator])(
      "gives %s both tables, the addresses, the stateful stack's configuration set and the time zone",
      (entry) => {
        const variables = environmentOf(template, entry);
        expect(Object.keys(variables).sort()).toEqual(
          [
            ...HOUSE_VARIABLES,
            'REVIEWS_TABLE',
            'NOTIFICATIONS_TABLE',
            'SENDER_EMAIL',
            'SENDER_NAME',
            'SECRETARIAT_EMAIL',
            'SES_CONFIGURATION_SET',
            'TIME_ZONE_OF_RECORD',
            // Only the mailer signs personal links (the escalator mails the Secretariat alone).
            ...(entry === FUNCTION_ENTRIES.mailer ? ['SIGNING_SECRET_ARN', 'RESPOND_BASE_URL'] : []),
          ].sort(),
        );
        expect(variables).toMatchObject({
          REVIEWS_TABLE: importOf('RefReviewsTable'),
          NOTIFICATIONS_TABLE: importOf('RefNotificationsTable'),
          SENDER_EMAIL: 'no-reply@example.org',
          SENDER_NAME: 'UNODC Review Mechanism',
          SECRETARIAT_EMAIL: 'untoc.review@un.org',
          SES_CONFIGURATION_SET: importOf('RefConfigurationSet'),
          TIME_ZONE_OF_RECORD: 'Europe/Vienna',
        });
        if (entry === FUNCTION_ENTRIES.mailer) {
          // The links point at this stack's own HTTP API endpoint.
          expect(JSON.stringify(variables.RESPOND_BASE_URL)).toMatch(
            /SecretariatApiHttpApi[0-9A-F]{8}.*ApiEndpoint/,
          );
        }
      },
    );

    it('takes the sender and Secretariat addresses from context', () => {
      const configured = appTemplates({
        senderEmail: 'reviews@unodc.example',
        senderName: 'ONUDC – Mécanisme d’examen',
        secretariatEmail: 'ops@example.org',
      }).stateless;
      for (const entry of [FUNCTION_ENTRIES.mailer, FUNCTION_ENTRIES.escalator]) {
        expect(environmentOf(configured, entry)).toMatchObject({
          SENDER_EMAIL: 'reviews@unodc.example',
          SENDER_NAME: 'ONUDC – Mécanisme d’examen',
          SECRETARIAT_EMAIL: 'ops@example.org',
        });
      }
    });
  });

  describe('planner event source (Reviews table stream)', () => {
    it('reads the Reviews stream from the trim horizon in batches of 25, for the planner only', () => {
      const [, mapping] = onlyResource(template, 'AWS::Lambda::EventSourceMapping', {
        Properties: { EventSourceArn: importMatching('GetAttReviewsTable\\w+StreamArn') },
      });
      expect(mapping.Properties).toMatchObject({
        FunctionName: { Ref: functionId(FUNCTION_ENTRIES.planner) },
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 25,
      });
    });

    it('bisects failing batches, retries until a record leaves the stream after a day, reports item failures', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: functionId(FUNCTION_ENTRIES.planner) },
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: -1,
        MaximumRecordAgeInSeconds: 86_400,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    });

    it('sends the records of a batch it gives up on to the PlannerDlq', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: functionId(FUNCTION_ENTRIES.planner) },
        DestinationConfig: { OnFailure: { Destination: importMatching('GetAttPlannerDlq\\w+Arn') } },
      });
    });

    it('lets through only stream records of review items (sk = REVIEW)', () => {
      const [, mapping] = onlyResource(template, 'AWS::Lambda::EventSourceMapping', {
        Properties: { FunctionName: { Ref: functionId(FUNCTION_ENTRIES.planner) } },
      });
      const filters = (mapping.Properties.FilterCriteria as { Filters: Array<{ Pattern: string }> }).Filters;
      expect(filters.map((filter) => JSON.parse(filter.Pattern))).toEqual([
        { dynamodb: { Keys: { sk: { S: ['REVIEW'] } } } },
      ]);
    });
  });

  describe('mail queue consumers', () => {
    it.each([
      [FUNCTION_ENTRIES.mailer, 'FocalPointMailQueue'],
      [FUNCTION_ENTRIES.escalator, 'EscalationQueue'],
    ])(
      '%s consumes %s: batches of 10 within 1 s, partial batch responses, at most 2 at once',
      (entry, queue) => {
        const [, mapping] = onlyResource(template, 'AWS::Lambda::EventSourceMapping', {
          Properties: { FunctionName: { Ref: functionId(entry) } },
        });
        expect(mapping.Properties).toEqual({
          FunctionName: { Ref: functionId(entry) },
          EventSourceArn: importOf(`GetAtt${queue}\\w+Arn`),
          BatchSize: 10,
          MaximumBatchingWindowInSeconds: 1,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          ScalingConfig: { MaximumConcurrency: 2 },
        });
      },
    );

    it('has exactly three event source mappings: the stream and the two mail queues', () => {
      template.resourceCountIs('AWS::Lambda::EventSourceMapping', 3);
    });
  });

  describe('sweep schedule', () => {
    it('runs the sweep every minute, retrying twice within an hour, then to the SweepScheduleDlq', () => {
      const [, rule] = onlyResource(template, 'AWS::Events::Rule');
      expect(rule.Properties).toMatchObject({ ScheduleExpression: 'rate(1 minute)', State: 'ENABLED' });
      expect(rule.Properties.Targets).toEqual([
        {
          Id: expect.any(String),
          Arn: { 'Fn::GetAtt': [functionId(FUNCTION_ENTRIES.sweep), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', 'SweepScheduleDlq'), 'Arn'] },
          },
        },
      ]);
    });

    it('lets only this rule invoke the sweep', () => {
      const [ruleId] = onlyResource(template, 'AWS::Events::Rule');
      const [, permission] = onlyResource(template, 'AWS::Lambda::Permission', {
        Properties: { Principal: 'events.amazonaws.com' },
      });
      expect(permission.Properties).toEqual({
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [functionId(FUNCTION_ENTRIES.sweep), 'Arn'] },
        Principal: 'events.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
      });
    });

    it('does not retry a failed sweep invocation (the next tick takes over) and keeps its record in the SweepScheduleDlq', () => {
      const [, config] = onlyResource(template, 'AWS::Lambda::EventInvokeConfig', {
        Properties: { FunctionName: { Ref: functionId(FUNCTION_ENTRIES.sweep) } },
      });
      expect(config.Properties).toEqual({
        FunctionName: { Ref: functionId(FUNCTION_ENTRIES.sweep) },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 0,
        MaximumEventAgeInSeconds: 3600,
        DestinationConfig: {
          OnFailure: {
            Destination: {
              'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', 'SweepScheduleDlq'), 'Arn'],
            },
          },
        },
      });
    });

    it('keeps the SweepScheduleDlq in this stack, encrypted and TLS-only, writable by this rule alone, 14 days', () => {
      const [ruleId] = onlyResource(template, 'AWS::Events::Rule');
      const dlqId = logicalIdOf(template, 'AWS::SQS::Queue', 'SweepScheduleDlq');
      expect(dlqId).toMatch(/^PipelineSweepScheduleDlq/);
      expect(template.findResources('AWS::SQS::Queue')[dlqId]?.Properties).toEqual({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
      const [, policy] = onlyResource(template, 'AWS::SQS::QueuePolicy', {
        Properties: { Queues: [{ Ref: dlqId }] },
      });
      const statements = (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
      expect(statements).toHaveLength(2);
      expect(statements).toContainEqual({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'sqs:*',
        Resource: { 'Fn::GetAtt': [dlqId, 'Arn'] },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: { 'Fn::GetAtt': [dlqId, 'Arn'] },
          Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ruleId, 'Arn'] } } },
        }),
      );
    });

    it('destroys the SweepScheduleDlq with the stack: it holds evidence of missed ticks, no data', () => {
      const dlqId = logicalIdOf(template, 'AWS::SQS::Queue', 'SweepScheduleDlq');
      expect(template.findResources('AWS::SQS::Queue')[dlqId]?.DeletionPolicy).toBe('Delete');
    });
  });

  describe('least privilege (every function of the stack)', () => {
    it('grants dynamodb:Scan to no function, and no action wildcard', () => {
      for (const entry of ALL_ENTRIES) {
        for (const statement of statementsOf(template, entry)) {
          expect(actionsOf(statement)).not.toContain('dynamodb:Scan');
          expect(actionsOf(statement).filter((action) => action.includes('*'))).toEqual([]);
        }
      }
    });

    it('uses Resource "*" only for X-Ray, and for dynamodb:ListStreams in the planner', () => {
      for (const entry of ALL_ENTRIES) {
        const wildcard = statementsOf(template, entry).filter((s) =>
          JSON.stringify(s.Resource).includes('"*"'),
        );
        const expected: Statement[] = [
          { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
        ];
        if (entry === FUNCTION_ENTRIES.planner) {
          expected.push({ Effect: 'Allow', Action: 'dynamodb:ListStreams', Resource: '*' });
        }
        expect(wildcard).toEqual(expected);
      }
    });

    it('grants no function dynamodb:DeleteItem or dynamodb:ConditionCheckItem outside the idempotency table, but checks of ADDRESS# items', () => {
      for (const entry of ALL_ENTRIES) {
        for (const statement of statementsOf(template, entry)) {
          if (mentions(statement, 'IdempotencyTable')) continue;
          expect(actionsOf(statement)).not.toContain('dynamodb:DeleteItem');
          // The senders check, in the write before a send, that an address is not undeliverable.
          const addressItemsOnly =
            JSON.stringify(statement.Condition ?? {}) ===
            JSON.stringify({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ADDRESS#*'] } });
          if (!addressItemsOnly) expect(actionsOf(statement)).not.toContain('dynamodb:ConditionCheckItem');
        }
      }
    });

    it('lets only the mailer and the escalator use SES', () => {
      for (const entry of ALL_ENTRIES) {
        const ses = statementsOf(template, entry).filter((s) =>
          actionsOf(s).some((a) => a.startsWith('ses:')),
        );
        const sends = entry === FUNCTION_ENTRIES.mailer || entry === FUNCTION_ENTRIES.escalator;
        expect(ses.length > 0).toBe(sends);
      }
    });
  });

  describe('least privilege (pipeline functions)', () => {
    it.each([FUNCTION_ENTRIES.mailer, FUNCTION_ENTRIES.escalator])(
      'lets %s send raw e-mail only from the sender address or its domain, with the configuration set',
      (entry) => {
        const ses = statementsOf(template, entry).filter((s) =>
          actionsOf(s).some((a) => a.startsWith('ses:')),
        );
        expect(ses).toEqual([
          {
            Effect: 'Allow',
            Action: 'ses:SendRawEmail',
            Resource: [
              SES_IDENTITY_ARN('no-reply@example.org'),
              SES_IDENTITY_ARN('example.org'),
              CONFIGURATION_SET_ARN,
            ],
          },
        ]);
      },
    );

    it('lets the planner read the Reviews stream only, without any item access to the Reviews table', () => {
      const reviews = statementsMentioning(FUNCTION_ENTRIES.planner, 'ReviewsTable');
      expect(reviews).toEqual([
        {
          Effect: 'Allow',
          Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
          Resource: importOf('GetAttReviewsTable\\w+StreamArn'),
        },
      ]);
    });

    it('lets the planner put, query and update Notifications items, without index access', () => {
      expect(statementsMentioning(FUNCTION_ENTRIES.planner, 'NotificationsTable')).toEqual([
        {
          Effect: 'Allow',
          Action: ['dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
          Resource: importOf('GetAttNotificationsTable\\w+Arn'),
        },
      ]);
    });

    it('lets the planner send to both mail queues (the "all submissions received" notice goes at once) and its DLQ', () => {
      const sqs = statementsOf(template, FUNCTION_ENTRIES.planner).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('sqs:')),
      );
      expect(sqs).toEqual([
        {
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
          Resource: importOf('GetAttFocalPointMailQueue\\w+Arn'),
        },
        { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: importOf('GetAttEscalationQueue\\w+Arn') },
        // It parks records it cannot handle there itself (with their images) …
        { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: importOf('GetAttPlannerDlq\\w+Arn') },
        // … and the mapping sends the batches it gave up on.
        {
          Effect: 'Allow',
          Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
          Resource: importOf('GetAttPlannerDlq\\w+Arn'),
        },
      ]);
    });

    it('lets the sweep query only the due index and update Notifications items', () => {
      const notifications = statementsMentioning(FUNCTION_ENTRIES.sweep, 'NotificationsTable');
      expect(notifications).toEqual([
        {
          Effect: 'Allow',
          Action: 'dynamodb:UpdateItem',
          Resource: importOf('GetAttNotificationsTable\\w+Arn'),
        },
        {
          Effect: 'Allow',
          Action: 'dynamodb:Query',
          Resource: { 'Fn::Join': ['', [importOf('GetAttNotificationsTable\\w+Arn'), '/index/due']] },
        },
      ]);
    });

    it('lets the sweep send to both mail queues and its failure records to the SweepScheduleDlq, and touch nothing else', () => {
      const statements = statementsOf(template, FUNCTION_ENTRIES.sweep);
      expect(statements.filter((s) => actionsOf(s).some((a) => a.startsWith('sqs:')))).toEqual([
        {
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
          Resource: importOf('GetAttFocalPointMailQueue\\w+Arn'),
        },
        { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: importOf('GetAttEscalationQueue\\w+Arn') },
        // The on-failure destination of its asynchronous invocations: Lambda needs only SendMessage.
        {
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
          Resource: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', 'SweepScheduleDlq'), 'Arn'] },
        },
      ]);
      expect(statements.filter((s) => mentions(s, 'ReviewsTable'))).toEqual([]);
      const services = new Set(statements.flatMap(actionsOf).map((action) => action.split(':')[0]));
      expect([...services].sort()).toEqual(['dynamodb', 'logs', 'sqs', 'xray']);
    });

    it.each([
      [FUNCTION_ENTRIES.mailer, 'FocalPointMailQueue', 'EscalationQueue'],
      [FUNCTION_ENTRIES.escalator, 'EscalationQueue', 'FocalPointMailQueue'],
    ])('lets %s only read the Reviews table, and consume only %s', (entry, own, other) => {
      expect(statementsMentioning(entry, 'ReviewsTable')).toEqual([
        { Effect: 'Allow', Action: 'dynamodb:BatchGetItem', Resource: importOf('GetAttReviewsTable\\w+Arn') },
        {
          Effect: 'Allow',
          Action: 'dynamodb:ConditionCheckItem',
          Resource: importOf('GetAttReviewsTable\\w+Arn'),
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ADDRESS#*'] } },
        },
      ]);
      expect(statementsMentioning(entry, 'NotificationsTable')).toEqual([
        {
          Effect: 'Allow',
          Action: ['dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
          Resource: importOf('GetAttNotificationsTable\\w+Arn'),
        },
      ]);
      const sqs = statementsOf(template, entry).filter((s) => actionsOf(s).some((a) => a.startsWith('sqs:')));
      expect(sqs).toEqual([
        {
          Effect: 'Allow',
          Action: [
            'sqs:ReceiveMessage',
            'sqs:ChangeMessageVisibility',
            'sqs:GetQueueUrl',
            'sqs:DeleteMessage',
            'sqs:GetQueueAttributes',
          ],
          Resource: importOf(`GetAtt${own}\\w+Arn`),
        },
      ]);
      expect(statementsMentioning(entry, other)).toEqual([]);
    });
  });

  it('outputs the API URL, the console, the schedule DLQ URL, the alarm topic and the dashboard, and nothing of SES', () => {
    expect(Object.keys(template.findOutputs('*')).sort()).toEqual(
      [
        'ApiUrl',
        'ConsoleUrl',
        'ConsoleSignInDomain',
        'ConsoleClientId',
        'SweepScheduleDlqUrl',
        'AlarmTopicArn',
        'DashboardName',
        'DashboardUrl',
      ].sort(),
    );
    template.hasOutput('SweepScheduleDlqUrl', {
      Value: { Ref: logicalIdOf(template, 'AWS::SQS::Queue', 'SweepScheduleDlq') },
    });
  });
});
