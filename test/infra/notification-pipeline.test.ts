import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { beforeAll, describe, expect, it } from 'vitest';
import { StatefulStack } from '../../infra/stateful-stack.ts';
import { StatelessStack } from '../../infra/stateless-stack.ts';
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
  SKIP_BUNDLING,
  type Statement,
  statementsOf,
} from './support/templates.ts';

const PIPELINE_ENTRIES = [
  FUNCTION_ENTRIES.planner,
  FUNCTION_ENTRIES.sweep,
  FUNCTION_ENTRIES.mailer,
  FUNCTION_ENTRIES.escalator,
  FUNCTION_ENTRIES.feedback,
];
const ALL_ENTRIES = [FUNCTION_ENTRIES.api, ...PIPELINE_ENTRIES];

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

describe('notification pipeline (StatelessStack)', () => {
  let template: Template;
  let configurationSetId: string;

  /** `arn:…:configuration-set/<the configuration set>` as the template spells it. */
  const configurationSetArn = () => ({
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
        { Ref: configurationSetId },
      ],
    ],
  });
  const functionId = (entry: string): string => functionByEntry(template, entry)[0];
  const statementsMentioning = (entry: string, fragment: string): Statement[] =>
    statementsOf(template, entry).filter((statement) => mentions(statement, fragment));

  beforeAll(() => {
    template = appTemplates().stateless;
    configurationSetId = onlyResource(template, 'AWS::SES::ConfigurationSet')[0];
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
  });

  describe('environment wiring', () => {
    it('gives the planner the Notifications table, the focal-point queue, its DLQ and the time zone', () => {
      const variables = environmentOf(template, FUNCTION_ENTRIES.planner);
      expect(Object.keys(variables).sort()).toEqual(
        [
          ...HOUSE_VARIABLES,
          'NOTIFICATIONS_TABLE',
          'FOCAL_POINT_QUEUE_URL',
          'PLANNER_DLQ_URL',
          'TIME_ZONE_OF_RECORD',
        ].sort(),
      );
      expect(variables).toMatchObject({
        NOTIFICATIONS_TABLE: importOf('RefNotificationsTable'),
        FOCAL_POINT_QUEUE_URL: importOf('RefFocalPointMailQueue'),
        PLANNER_DLQ_URL: importOf('RefPlannerDlq'),
        TIME_ZONE_OF_RECORD: 'Europe/Vienna',
      });
    });

    it('gives the sweep the Notifications table, both mail queues and the shard count', () => {
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
      'gives %s both tables, the addresses, the configuration set and the time zone',
      (entry) => {
        const variables = environmentOf(template, entry);
        expect(Object.keys(variables).sort()).toEqual(
          [
            ...HOUSE_VARIABLES,
            'REVIEWS_TABLE',
            'NOTIFICATIONS_TABLE',
            'SENDER_EMAIL',
            'SECRETARIAT_EMAIL',
            'SES_CONFIGURATION_SET',
            'TIME_ZONE_OF_RECORD',
          ].sort(),
        );
        expect(variables).toMatchObject({
          REVIEWS_TABLE: importOf('RefReviewsTable'),
          NOTIFICATIONS_TABLE: importOf('RefNotificationsTable'),
          SENDER_EMAIL: 'no-reply@example.org',
          SECRETARIAT_EMAIL: 'untoc.review@un.org',
          SES_CONFIGURATION_SET: { Ref: configurationSetId },
          TIME_ZONE_OF_RECORD: 'Europe/Vienna',
        });
      },
    );

    it('gives the feedback function both tables and the escalation queue', () => {
      const variables = environmentOf(template, FUNCTION_ENTRIES.feedback);
      expect(Object.keys(variables).sort()).toEqual(
        [...HOUSE_VARIABLES, 'REVIEWS_TABLE', 'NOTIFICATIONS_TABLE', 'ESCALATION_QUEUE_URL'].sort(),
      );
      expect(variables).toMatchObject({
        REVIEWS_TABLE: importOf('RefReviewsTable'),
        NOTIFICATIONS_TABLE: importOf('RefNotificationsTable'),
        ESCALATION_QUEUE_URL: importOf('RefEscalationQueue'),
      });
    });

    it('takes the sender and Secretariat addresses from context', () => {
      const configured = appTemplates({
        senderEmail: 'reviews@unodc.example',
        secretariatEmail: 'ops@example.org',
      }).stateless;
      for (const entry of [FUNCTION_ENTRIES.mailer, FUNCTION_ENTRIES.escalator]) {
        expect(environmentOf(configured, entry)).toMatchObject({
          SENDER_EMAIL: 'reviews@unodc.example',
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

    it('bisects failing batches, retries 5 times, drops records older than a day, reports item failures', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: functionId(FUNCTION_ENTRIES.planner) },
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 5,
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

    it('keeps the SweepScheduleDlq encrypted and TLS-only, writable by this rule alone, 14 days', () => {
      const [ruleId] = onlyResource(template, 'AWS::Events::Rule');
      const dlqId = logicalIdOf(template, 'AWS::SQS::Queue', 'SweepScheduleDlq');
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
  });

  describe('feedback function asynchronous invocations (from SNS)', () => {
    it('retries a failed invocation twice within 6 hours, then sends its record to the FeedbackDlq', () => {
      const [, config] = onlyResource(template, 'AWS::Lambda::EventInvokeConfig');
      expect(config.Properties).toEqual({
        FunctionName: { Ref: functionId(FUNCTION_ENTRIES.feedback) },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 6 * 3600,
        DestinationConfig: { OnFailure: { Destination: importOf('GetAttFeedbackDlq\\w+Arn') } },
      });
    });

    it("names the stateful stack's FeedbackDlq ARN as the on-failure destination", () => {
      const { stateful } = appTemplates();
      const [, config] = onlyResource(template, 'AWS::Lambda::EventInvokeConfig');
      const destination = (
        config.Properties.DestinationConfig as { OnFailure: { Destination: { 'Fn::ImportValue': string } } }
      ).OnFailure.Destination;
      const exported = Object.values(
        stateful.findOutputs('*', { Export: { Name: destination['Fn::ImportValue'] } }),
      );
      expect(exported.map((output) => output.Value)).toEqual([
        { 'Fn::GetAtt': [logicalIdOf(stateful, 'AWS::SQS::Queue', 'FeedbackDlq'), 'Arn'] },
      ]);
    });

    it('creates the destination after the role policy that lets the function send to it', () => {
      const [, fn] = functionByEntry(template, FUNCTION_ENTRIES.feedback);
      const [policyId] = onlyResource(template, 'AWS::IAM::Policy', {
        Properties: { Roles: [{ Ref: roleIdOf(fn) }] },
      });
      // Lambda checks the permission when the configuration is created: the configuration
      // refers to the function, which depends on its role policy.
      expect((fn as { DependsOn?: string[] }).DependsOn).toContain(policyId);
    });

    it('gives the SNS subscription no dead-letter queue (a stateful one would make a cross-stack cycle)', () => {
      const [, subscription] = onlyResource(template, 'AWS::SNS::Subscription');
      expect(subscription.Properties.RedrivePolicy).toBeUndefined();
    });
  });

  describe('SES', () => {
    it('sends with a configuration set named by CloudFormation: TLS required, reputation metrics on', () => {
      template.hasResourceProperties('AWS::SES::ConfigurationSet', {
        Name: Match.absent(),
        DeliveryOptions: { TlsPolicy: 'REQUIRE' },
        ReputationOptions: { ReputationMetricsEnabled: true },
        SendingOptions: { SendingEnabled: true },
      });
    });

    it('creates no sender identity by default, and says so in an output', () => {
      template.resourceCountIs('AWS::SES::EmailIdentity', 0);
      template.hasOutput('SesSenderIdentity', {
        Value: 'no-reply@example.org',
        Description: Match.stringLikeRegexp('No SES identity is created: verify this sender'),
      });
    });

    it('publishes bounces and complaints, nothing else, to the feedback topic', () => {
      const [, destination] = onlyResource(template, 'AWS::SES::ConfigurationSetEventDestination');
      const feedbackTopicId = logicalIdOf(template, 'AWS::SNS::Topic', 'SesFeedbackTopic');
      expect(destination.Properties).toEqual({
        ConfigurationSetName: { Ref: configurationSetId },
        EventDestination: {
          Enabled: true,
          MatchingEventTypes: ['bounce', 'complaint'],
          SnsDestination: { TopicARN: { Ref: feedbackTopicId } },
        },
      });
    });

    it('lets SES publish to the feedback topic for this configuration set only', () => {
      const feedbackTopicId = logicalIdOf(template, 'AWS::SNS::Topic', 'SesFeedbackTopic');
      const [, policy] = onlyResource(template, 'AWS::SNS::TopicPolicy', {
        Properties: { Topics: [{ Ref: feedbackTopicId }] },
      });
      expect((policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Allow',
          Principal: { Service: 'ses.amazonaws.com' },
          Action: 'sns:Publish',
          Condition: {
            StringEquals: {
              'AWS:SourceAccount': { Ref: 'AWS::AccountId' },
              'AWS:SourceArn': configurationSetArn(),
            },
          },
        }),
      );
    });

    it('subscribes the feedback function, and only it, to the feedback topic', () => {
      const feedbackTopicId = logicalIdOf(template, 'AWS::SNS::Topic', 'SesFeedbackTopic');
      const [, subscription] = onlyResource(template, 'AWS::SNS::Subscription');
      expect(subscription.Properties).toMatchObject({
        Protocol: 'lambda',
        TopicArn: { Ref: feedbackTopicId },
        Endpoint: { 'Fn::GetAtt': [functionId(FUNCTION_ENTRIES.feedback), 'Arn'] },
      });
      const [, permission] = onlyResource(template, 'AWS::Lambda::Permission', {
        Properties: { Principal: 'sns.amazonaws.com' },
      });
      expect(permission.Properties).toMatchObject({
        FunctionName: { 'Fn::GetAtt': [functionId(FUNCTION_ENTRIES.feedback), 'Arn'] },
        SourceArn: { Ref: feedbackTopicId },
      });
    });

    it('outputs the configuration set name', () => {
      template.hasOutput('SesConfigurationSetName', { Value: { Ref: configurationSetId } });
    });

    describe('with context senderDomain', () => {
      let withDomain: Template;

      beforeAll(() => {
        withDomain = appTemplates({
          senderDomain: 'unodc.example',
          senderEmail: 'reviews@unodc.example',
        }).stateless;
      });

      it('creates an Easy DKIM domain identity using the configuration set', () => {
        const [setId] = onlyResource(withDomain, 'AWS::SES::ConfigurationSet');
        const [, identity] = onlyResource(withDomain, 'AWS::SES::EmailIdentity');
        expect(identity.Properties).toMatchObject({
          EmailIdentity: 'unodc.example',
          ConfigurationSetAttributes: { ConfigurationSetName: { Ref: setId } },
        });
        // No bring-your-own key: SES generates and rotates the DKIM keys (Easy DKIM).
        expect(identity.Properties.DkimSigningAttributes).toBeUndefined();
        expect(identity.Properties.DkimAttributes).toBeUndefined();
      });

      it.each([FUNCTION_ENTRIES.mailer, FUNCTION_ENTRIES.escalator])(
        'lets %s send from that identity and the configuration set only',
        (entry) => {
          const [identityId] = onlyResource(withDomain, 'AWS::SES::EmailIdentity');
          const [setId] = onlyResource(withDomain, 'AWS::SES::ConfigurationSet');
          const ses = statementsOf(withDomain, entry).filter((s) =>
            actionsOf(s).some((a) => a.startsWith('ses:')),
          );
          expect(ses).toEqual([
            {
              Effect: 'Allow',
              Action: 'ses:SendRawEmail',
              Resource: [
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
                      ':identity/',
                      { Ref: identityId },
                    ],
                  ],
                },
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
        },
      );

      it('tells operators to publish the DKIM records', () => {
        withDomain.hasOutput('SesSenderIdentity', {
          Value: 'unodc.example',
          Description: Match.stringLikeRegexp('Easy DKIM'),
        });
      });
    });
  });

  describe('least privilege', () => {
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

    it('lets only the mailer and the escalator use SES', () => {
      for (const entry of ALL_ENTRIES) {
        const ses = statementsOf(template, entry).filter((s) =>
          actionsOf(s).some((a) => a.startsWith('ses:')),
        );
        const sends = entry === FUNCTION_ENTRIES.mailer || entry === FUNCTION_ENTRIES.escalator;
        expect(ses.length > 0).toBe(sends);
      }
    });

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
              configurationSetArn(),
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

    it('lets the planner read and write Notifications items, without index access', () => {
      expect(statementsMentioning(FUNCTION_ENTRIES.planner, 'NotificationsTable')).toEqual([
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
          Resource: importOf('GetAttNotificationsTable\\w+Arn'),
        },
      ]);
    });

    it('lets the planner send to the focal-point queue and its DLQ, never to the escalation queue', () => {
      const sqs = statementsOf(template, FUNCTION_ENTRIES.planner).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('sqs:')),
      );
      expect(sqs).toEqual([
        {
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
          Resource: importOf('GetAttFocalPointMailQueue\\w+Arn'),
        },
        // It parks records it cannot handle there itself (with their images) …
        { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: importOf('GetAttPlannerDlq\\w+Arn') },
        // … and the mapping sends the batches it gave up on.
        {
          Effect: 'Allow',
          Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
          Resource: importOf('GetAttPlannerDlq\\w+Arn'),
        },
      ]);
      expect(statementsMentioning(FUNCTION_ENTRIES.planner, 'EscalationQueue')).toEqual([]);
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

    it('lets the sweep send to both mail queues and touch nothing else', () => {
      const statements = statementsOf(template, FUNCTION_ENTRIES.sweep);
      expect(statements.filter((s) => actionsOf(s).some((a) => a.startsWith('sqs:')))).toEqual([
        {
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
          Resource: importOf('GetAttFocalPointMailQueue\\w+Arn'),
        },
        { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: importOf('GetAttEscalationQueue\\w+Arn') },
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
        {
          Effect: 'Allow',
          Action: [
            'dynamodb:GetItem',
            'dynamodb:BatchGetItem',
            'dynamodb:Query',
            'dynamodb:ConditionCheckItem',
          ],
          Resource: importOf('GetAttReviewsTable\\w+Arn'),
        },
      ]);
      expect(statementsMentioning(entry, 'NotificationsTable')).toEqual([
        {
          Effect: 'Allow',
          Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:PutItem'],
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

    it('lets the feedback function read and write both tables, send escalations and fail to FeedbackDlq only', () => {
      const statements = statementsOf(template, FUNCTION_ENTRIES.feedback);
      for (const table of ['ReviewsTable', 'NotificationsTable']) {
        expect(statements.filter((s) => mentions(s, table))).toEqual([
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
            Resource: importOf(`GetAtt${table}\\w+Arn`),
          },
        ]);
      }
      expect(statements.filter((s) => actionsOf(s).some((a) => a.startsWith('sqs:')))).toEqual([
        { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: importOf('GetAttEscalationQueue\\w+Arn') },
        // The on-failure destination: Lambda needs only SendMessage to deliver a record.
        { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: importOf('GetAttFeedbackDlq\\w+Arn') },
      ]);
      expect(statements.filter((s) => mentions(s, 'FeedbackDlq'))).toHaveLength(1);
      const services = new Set(statements.flatMap(actionsOf).map((action) => action.split(':')[0]));
      expect([...services].sort()).toEqual(['dynamodb', 'logs', 'sqs', 'xray']);
    });

    it('lets no other function touch the FeedbackDlq', () => {
      for (const entry of ALL_ENTRIES.filter((e) => e !== FUNCTION_ENTRIES.feedback)) {
        expect(statementsMentioning(entry, 'FeedbackDlq')).toEqual([]);
      }
    });
  });

  describe('topics', () => {
    it.each(['SesFeedbackTopic', 'AlarmTopic'])(
      'encrypts %s with its own rotating key and allows TLS only',
      (id) => {
        const topicId = logicalIdOf(template, 'AWS::SNS::Topic', id);
        const keyId = logicalIdOf(template, 'AWS::KMS::Key', `${id}Key`);
        template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
        expect(template.findResources('AWS::SNS::Topic')[topicId]?.Properties.KmsMasterKeyId).toEqual({
          'Fn::GetAtt': [keyId, 'Arn'],
        });
        const [, policy] = onlyResource(template, 'AWS::SNS::TopicPolicy', {
          Properties: { Topics: [{ Ref: topicId }] },
        });
        expect((policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement).toContainEqual(
          expect.objectContaining({
            Effect: 'Deny',
            Principal: '*',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        );
      },
    );

    it.each([
      ['SesFeedbackTopicKey', 'ses.amazonaws.com'],
      ['AlarmTopicKey', 'cloudwatch.amazonaws.com'],
    ])('lets %s be used by %s on behalf of this account only', (id, service) => {
      const keyId = logicalIdOf(template, 'AWS::KMS::Key', id);
      const statements = template.findResources('AWS::KMS::Key')[keyId]?.Properties.KeyPolicy
        .Statement as Statement[];
      const services = statements.filter(
        (s) => s.Principal !== undefined && JSON.stringify(s.Principal).includes('Service'),
      );
      expect(services).toEqual([
        {
          Sid: 'AllowPublisherServiceToEncryptMessages',
          Effect: 'Allow',
          Principal: { Service: service },
          Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ]);
    });

    it('lets CloudWatch alarms of this account publish to the alarm topic', () => {
      const topicId = logicalIdOf(template, 'AWS::SNS::Topic', 'AlarmTopic');
      const [, policy] = onlyResource(template, 'AWS::SNS::TopicPolicy', {
        Properties: { Topics: [{ Ref: topicId }] },
      });
      expect((policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: { Ref: topicId },
        }),
      );
    });
  });

  describe('alarms', () => {
    type Alarm = { Properties: Record<string, unknown> };
    let alarmTopicId: string;
    const alarms = (): Alarm[] => Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Alarm[];
    const dimensionOf = (alarm: Alarm): unknown =>
      (alarm.Properties.Dimensions as Array<{ Value: unknown }> | undefined)?.[0]?.Value;

    beforeAll(() => {
      alarmTopicId = logicalIdOf(template, 'AWS::SNS::Topic', 'AlarmTopic');
    });

    it('has 14 alarms, each on one 5-minute period, not breaching on missing data, notifying the alarm topic', () => {
      expect(alarms()).toHaveLength(14);
      for (const alarm of alarms()) {
        expect(alarm.Properties).toMatchObject({
          Period: 300,
          EvaluationPeriods: 1,
          DatapointsToAlarm: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          TreatMissingData: 'notBreaching',
          AlarmActions: [{ Ref: alarmTopicId }],
        });
      }
    });

    it.each([
      ['FocalPointMailDlq', importOf('GetAttFocalPointMailDlq\\w+QueueName')],
      ['EscalationDlq', importOf('GetAttEscalationDlq\\w+QueueName')],
      ['PlannerDlq', importOf('GetAttPlannerDlq\\w+QueueName')],
      ['FeedbackDlq', importOf('GetAttFeedbackDlq\\w+QueueName')],
      ['SweepScheduleDlq', { 'Fn::GetAtt': [expect.stringMatching(/^SweepScheduleDlq/), 'QueueName'] }],
    ])('raises an alarm as soon as %s holds a message', (_queue, queueName) => {
      const matching = alarms().filter(
        (alarm) =>
          alarm.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          matches(dimensionOf(alarm), queueName),
      );
      expect(matching).toHaveLength(1);
      expect(matching[0]?.Properties).toMatchObject({
        Namespace: 'AWS/SQS',
        Statistic: 'Maximum',
        Threshold: 1,
        Dimensions: [{ Name: 'QueueName', Value: queueName }],
      });
    });

    it.each([
      ['FocalPointMailQueue', importOf('GetAttFocalPointMailQueue\\w+QueueName')],
      ['EscalationQueue', importOf('GetAttEscalationQueue\\w+QueueName')],
    ])('raises an alarm when the oldest message of %s is 15 minutes old', (_queue, queueName) => {
      const matching = alarms().filter(
        (alarm) =>
          alarm.Properties.MetricName === 'ApproximateAgeOfOldestMessage' &&
          matches(dimensionOf(alarm), queueName),
      );
      expect(matching).toHaveLength(1);
      expect(matching[0]?.Properties).toMatchObject({
        Namespace: 'AWS/SQS',
        Statistic: 'Maximum',
        Threshold: 900,
      });
    });

    it.each(ALL_ENTRIES)('raises an alarm on any error of %s', (entry) => {
      const matching = alarms().filter(
        (alarm) =>
          alarm.Properties.MetricName === 'Errors' && matches(dimensionOf(alarm), { Ref: functionId(entry) }),
      );
      expect(matching).toHaveLength(1);
      expect(matching[0]?.Properties).toMatchObject({
        Namespace: 'AWS/Lambda',
        Statistic: 'Sum',
        Threshold: 1,
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId(entry) } }],
      });
    });

    it('raises an alarm when the planner lags its stream by 5 minutes', () => {
      const matching = alarms().filter((alarm) => alarm.Properties.MetricName === 'IteratorAge');
      expect(matching).toHaveLength(1);
      expect(matching[0]?.Properties).toMatchObject({
        Namespace: 'AWS/Lambda',
        Statistic: 'Maximum',
        Threshold: 300_000,
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId(FUNCTION_ENTRIES.planner) } }],
      });
    });

    it('outputs the alarm topic ARN', () => {
      template.hasOutput('AlarmTopicArn', { Value: { Ref: alarmTopicId } });
    });

    it('notifies a given alarm topic instead of creating one', () => {
      const app = new App({ context: SKIP_BUNDLING });
      const stateful = new StatefulStack(app, 'Stateful');
      const stateless = new StatelessStack(app, 'Stateless', {
        reviewsTable: stateful.reviewsTable,
        notificationsTable: stateful.notificationsTable,
        idempotencyTable: stateful.idempotencyTable,
        focalPointMailQueue: stateful.focalPointMailQueue,
        focalPointMailDlq: stateful.focalPointMailDlq,
        escalationQueue: stateful.escalationQueue,
        escalationDlq: stateful.escalationDlq,
        plannerDlq: stateful.plannerDlq,
        feedbackDlq: stateful.feedbackDlq,
        signingSecret: stateful.signingSecret,
        identityProvider: stateful.identityProvider,
        alarmTopic: Topic.fromTopicArn(
          stateful,
          'OpsTopic',
          'arn:aws:sns:eu-central-1:111122223333:ops-alarms',
        ),
      });
      const given = Template.fromStack(stateless);
      expect(Object.keys(given.findResources('AWS::SNS::Topic'))).toEqual([
        logicalIdOf(given, 'AWS::SNS::Topic', 'SesFeedbackTopic'),
      ]);
      for (const alarm of Object.values(given.findResources('AWS::CloudWatch::Alarm'))) {
        expect(alarm.Properties.AlarmActions).toEqual(['arn:aws:sns:eu-central-1:111122223333:ops-alarms']);
      }
      given.hasOutput('AlarmTopicArn', { Value: 'arn:aws:sns:eu-central-1:111122223333:ops-alarms' });
    });
  });

  it('outputs the configuration set, the sender identity, the schedule DLQ URL and the alarm topic', () => {
    expect(Object.keys(template.findOutputs('*')).sort()).toEqual(
      [
        'ApiUrl',
        'SesConfigurationSetName',
        'SesSenderIdentity',
        'SweepScheduleDlqUrl',
        'AlarmTopicArn',
      ].sort(),
    );
    template.hasOutput('SweepScheduleDlqUrl', {
      Value: { Ref: logicalIdOf(template, 'AWS::SQS::Queue', 'SweepScheduleDlq') },
    });
  });
});

/** The logical id of the role of a function resource (`Role: { Fn::GetAtt: [role, 'Arn'] }`). */
function roleIdOf(fn: { Properties: Record<string, unknown> }): string {
  return (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
}

/** Whether `actual` matches `expected`, which may hold asymmetric matchers. */
function matches(actual: unknown, expected: unknown): boolean {
  try {
    expect(actual).toEqual(expected);
    return true;
  } catch {
    return false;
  }
}
