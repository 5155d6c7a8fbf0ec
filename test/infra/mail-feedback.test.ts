import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_ENTRIES } from '../../infra/topology.ts';
import {
  actionsOf,
  appTemplates,
  environmentOf,
  functionByEntry,
  importOf,
  logicalIdOf,
  mentions,
  onlyResource,
  type Statement,
  statementsOf,
} from './support/templates.ts';

/**
 * SES: the configuration set and the optional domain identity (stateful stack, so a replaced
 * stateless stack never deletes a verified identity), and `MailFeedback` (stateless stack): the
 * bounce and complaint event destination, its encrypted topic and the feedback function.
 */

/** The house defaults every function carries besides its own variables. */
const HOUSE_VARIABLES = [
  'NODE_OPTIONS',
  'POWERTOOLS_LOG_LEVEL',
  'POWERTOOLS_METRICS_NAMESPACE',
  'POWERTOOLS_SERVICE_NAME',
];

/** `arn:…:<resource>/<name>` as a template spells an SES ARN built from a name. */
const sesArn = (resource: 'configuration-set' | 'identity', name: unknown) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':ses:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:${resource}/`,
      name,
    ],
  ],
});

type Import = { 'Fn::ImportValue': string };

/** The value the stateful stack exports under the name `reference` imports. */
function exportedValue(stateful: Template, reference: Import): unknown {
  const outputs = Object.values(
    stateful.findOutputs('*', { Export: { Name: reference['Fn::ImportValue'] } }),
  );
  expect(outputs).toHaveLength(1);
  return outputs[0]?.Value;
}

describe('SES and mail feedback', () => {
  let stateful: Template;
  let stateless: Template;
  let configurationSetId: string;

  const feedbackFunctionId = (): string => functionByEntry(stateless, FUNCTION_ENTRIES.feedback)[0];

  beforeAll(() => {
    ({ stateful, stateless } = appTemplates());
    configurationSetId = onlyResource(stateful, 'AWS::SES::ConfigurationSet')[0];
  });

  describe('configuration set and identity (StatefulStack)', () => {
    it('sends with a configuration set named by CloudFormation: TLS required, reputation metrics on', () => {
      stateful.hasResourceProperties('AWS::SES::ConfigurationSet', {
        Name: Match.absent(),
        DeliveryOptions: { TlsPolicy: 'REQUIRE' },
        ReputationOptions: { ReputationMetricsEnabled: true },
        SendingOptions: { SendingEnabled: true },
      });
    });

    it('keeps the configuration set and any identity out of the stateless stack', () => {
      stateless.resourceCountIs('AWS::SES::ConfigurationSet', 0);
      stateless.resourceCountIs('AWS::SES::EmailIdentity', 0);
    });

    it('creates no sender identity by default, and says so in an output', () => {
      stateful.resourceCountIs('AWS::SES::EmailIdentity', 0);
      stateful.hasOutput('SesSenderIdentity', {
        Value: 'no-reply@example.org',
        Description: Match.stringLikeRegexp('No SES identity is created: verify this sender'),
      });
    });

    it('outputs the configuration set name', () => {
      stateful.hasOutput('SesConfigurationSetName', { Value: { Ref: configurationSetId } });
    });

    it('is imported by name into the stateless stack (the senders and the event destination)', () => {
      const senders = [FUNCTION_ENTRIES.mailer, FUNCTION_ENTRIES.escalator];
      for (const entry of senders) {
        const reference = environmentOf(stateless, entry).SES_CONFIGURATION_SET as Import;
        expect(exportedValue(stateful, reference)).toEqual({ Ref: configurationSetId });
      }
      const destinations = Object.values(
        stateless.findResources('AWS::SES::ConfigurationSetEventDestination'),
      );
      expect(destinations).toHaveLength(2);
      for (const destination of destinations) {
        expect(exportedValue(stateful, destination.Properties.ConfigurationSetName as Import)).toEqual({
          Ref: configurationSetId,
        });
      }
    });

    it('has no event destination in the stateful stack (each lives with what it feeds)', () => {
      stateful.resourceCountIs('AWS::SES::ConfigurationSetEventDestination', 0);
    });

    describe('with context senderDomain', () => {
      let withDomain: { stateful: Template; stateless: Template };

      beforeAll(() => {
        withDomain = appTemplates({ senderDomain: 'unodc.example', senderEmail: 'reviews@unodc.example' });
      });

      it('creates an Easy DKIM domain identity using the configuration set', () => {
        const [setId] = onlyResource(withDomain.stateful, 'AWS::SES::ConfigurationSet');
        const [, identity] = onlyResource(withDomain.stateful, 'AWS::SES::EmailIdentity');
        expect(identity.Properties).toMatchObject({
          EmailIdentity: 'unodc.example',
          ConfigurationSetAttributes: { ConfigurationSetName: { Ref: setId } },
        });
        // No bring-your-own key: SES generates and rotates the DKIM keys (Easy DKIM).
        expect(identity.Properties.DkimSigningAttributes).toBeUndefined();
        expect(identity.Properties.DkimAttributes).toBeUndefined();
        withDomain.stateless.resourceCountIs('AWS::SES::EmailIdentity', 0);
      });

      it.each([FUNCTION_ENTRIES.mailer, FUNCTION_ENTRIES.escalator])(
        'lets %s send from that identity (imported by ARN) and the configuration set only',
        (entry) => {
          const [identityId] = onlyResource(withDomain.stateful, 'AWS::SES::EmailIdentity');
          const [setId] = onlyResource(withDomain.stateful, 'AWS::SES::ConfigurationSet');
          const ses = statementsOf(withDomain.stateless, entry).filter((s) =>
            actionsOf(s).some((a) => a.startsWith('ses:')),
          );
          expect(ses).toEqual([
            {
              Effect: 'Allow',
              Action: 'ses:SendRawEmail',
              Resource: [
                sesArn('identity', importOf('RefSenderIdentity')),
                sesArn('configuration-set', importOf('RefConfigurationSet')),
              ],
            },
          ]);
          const resources = (ses[0]?.Resource ?? []) as Array<{ 'Fn::Join': [string, unknown[]] }>;
          const [identityName, setName] = resources.map((arn) => arn['Fn::Join'][1][7] as Import);
          expect(exportedValue(withDomain.stateful, identityName as Import)).toEqual({ Ref: identityId });
          expect(exportedValue(withDomain.stateful, setName as Import)).toEqual({ Ref: setId });
        },
      );

      it('tells operators to publish the DKIM records, given as three outputs', () => {
        const [identityId] = onlyResource(withDomain.stateful, 'AWS::SES::EmailIdentity');
        withDomain.stateful.hasOutput('SesSenderIdentity', {
          Value: 'unodc.example',
          Description: Match.stringLikeRegexp('Easy DKIM|DKIM CNAME records'),
        });
        for (const n of [1, 2, 3]) {
          withDomain.stateful.hasOutput(`DkimRecord${n}`, {
            Value: {
              'Fn::Join': [
                '',
                [
                  { 'Fn::GetAtt': [identityId, `DkimDNSTokenName${n}`] },
                  ' CNAME ',
                  { 'Fn::GetAtt': [identityId, `DkimDNSTokenValue${n}`] },
                ],
              ],
            },
          });
        }
      });
    });
  });

  describe('bounce and complaint events (MailFeedback)', () => {
    it('publishes bounces and complaints, nothing else, to the feedback topic', () => {
      const [, destination] = onlyResource(stateless, 'AWS::SES::ConfigurationSetEventDestination', {
        Properties: { EventDestination: { SnsDestination: Match.anyValue() } },
      });
      const feedbackTopicId = logicalIdOf(stateless, 'AWS::SNS::Topic', 'SesFeedbackTopic');
      expect(destination.Properties).toEqual({
        ConfigurationSetName: importOf('RefConfigurationSet'),
        EventDestination: {
          Enabled: true,
          MatchingEventTypes: ['bounce', 'complaint'],
          SnsDestination: { TopicARN: { Ref: feedbackTopicId } },
        },
      });
    });

    it('counts sends, deliveries, rejects, bounces, complaints and delivery delays in CloudWatch, by configuration set', () => {
      const [id, destination] = onlyResource(stateless, 'AWS::SES::ConfigurationSetEventDestination', {
        Properties: { EventDestination: { CloudWatchDestination: Match.anyValue() } },
      });
      expect(id).toMatch(/^MailFeedbackSendingEventMetrics/);
      expect(destination.Properties).toEqual({
        ConfigurationSetName: importOf('RefConfigurationSet'),
        EventDestination: {
          Enabled: true,
          MatchingEventTypes: ['send', 'delivery', 'reject', 'bounce', 'complaint', 'deliveryDelay'],
          CloudWatchDestination: {
            // The auto-tag SES puts on every message sent with the set: one series per event type.
            DimensionConfigurations: [
              {
                DimensionName: 'ses:configuration-set',
                DimensionValueSource: 'messageTag',
                DefaultDimensionValue: importOf('RefConfigurationSet'),
              },
            ],
          },
        },
      });
    });

    it('lets SES publish to the feedback topic for this configuration set only', () => {
      const feedbackTopicId = logicalIdOf(stateless, 'AWS::SNS::Topic', 'SesFeedbackTopic');
      const [, policy] = onlyResource(stateless, 'AWS::SNS::TopicPolicy', {
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
              'AWS:SourceArn': sesArn('configuration-set', importOf('RefConfigurationSet')),
            },
          },
        }),
      );
    });

    it('subscribes the feedback function, and only it, to the feedback topic', () => {
      const feedbackTopicId = logicalIdOf(stateless, 'AWS::SNS::Topic', 'SesFeedbackTopic');
      const [, subscription] = onlyResource(stateless, 'AWS::SNS::Subscription');
      expect(subscription.Properties).toMatchObject({
        Protocol: 'lambda',
        TopicArn: { Ref: feedbackTopicId },
        Endpoint: { 'Fn::GetAtt': [feedbackFunctionId(), 'Arn'] },
      });
      const [, permission] = onlyResource(stateless, 'AWS::Lambda::Permission', {
        Properties: { Principal: 'sns.amazonaws.com' },
      });
      expect(permission.Properties).toMatchObject({
        FunctionName: { 'Fn::GetAtt': [feedbackFunctionId(), 'Arn'] },
        SourceArn: { Ref: feedbackTopicId },
      });
    });

    it('gives the SNS subscription a dead-letter queue beside the topic, kept with the data, that only the topic may send to', () => {
      const [, subscription] = onlyResource(stateless, 'AWS::SNS::Subscription');
      const dlqId = logicalIdOf(stateless, 'AWS::SQS::Queue', 'FeedbackSubscriptionDlq');
      expect(subscription.Properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
      });
      expect(stateless.findResources('AWS::SQS::Queue')[dlqId]).toMatchObject({
        DeletionPolicy: 'Retain',
        Properties: { SqsManagedSseEnabled: true },
      });
      const policies = stateless.findResources('AWS::SQS::QueuePolicy', {
        Properties: { Queues: [{ Ref: dlqId }] },
      });
      const statements = Object.values(policies).flatMap(
        (p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
      );
      const allow = statements.filter((st) => st.Effect === 'Allow');
      expect(allow).toHaveLength(1);
      expect(allow[0]).toMatchObject({
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Condition: { ArnEquals: { 'aws:SourceArn': { Ref: expect.stringMatching(/SesFeedbackTopic/) } } },
      });
    });
  });

  describe('feedback function', () => {
    it('is a house function inside the MailFeedback construct (Node.js 22, arm64, tracing, 10 s)', () => {
      const [id, fn] = functionByEntry(stateless, FUNCTION_ENTRIES.feedback);
      expect(id).toMatch(/^MailFeedback/);
      expect(fn.Metadata).toMatchObject({
        'untoc:entry': FUNCTION_ENTRIES.feedback,
        'untoc:handler': 'handler',
      });
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Timeout: 10,
      });
    });

    it('gets both tables and the escalation queue', () => {
      const variables = environmentOf(stateless, FUNCTION_ENTRIES.feedback);
      expect(Object.keys(variables).sort()).toEqual(
        [...HOUSE_VARIABLES, 'REVIEWS_TABLE', 'NOTIFICATIONS_TABLE', 'ESCALATION_QUEUE_URL'].sort(),
      );
      expect(variables).toMatchObject({
        REVIEWS_TABLE: importOf('RefReviewsTable'),
        NOTIFICATIONS_TABLE: importOf('RefNotificationsTable'),
        ESCALATION_QUEUE_URL: importOf('RefEscalationQueue'),
      });
    });

    it('retries a failed invocation twice within 6 hours, then sends its record to the FeedbackDlq', () => {
      const [, config] = onlyResource(stateless, 'AWS::Lambda::EventInvokeConfig', {
        Properties: { FunctionName: { Ref: feedbackFunctionId() } },
      });
      expect(config.Properties).toEqual({
        FunctionName: { Ref: feedbackFunctionId() },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 6 * 3600,
        DestinationConfig: { OnFailure: { Destination: importOf('GetAttFeedbackDlq\\w+Arn') } },
      });
    });

    it("names the stateful stack's FeedbackDlq ARN as the on-failure destination", () => {
      const [, config] = onlyResource(stateless, 'AWS::Lambda::EventInvokeConfig', {
        Properties: { FunctionName: { Ref: feedbackFunctionId() } },
      });
      const destination = (config.Properties.DestinationConfig as { OnFailure: { Destination: Import } })
        .OnFailure.Destination;
      expect(exportedValue(stateful, destination)).toEqual({
        'Fn::GetAtt': [logicalIdOf(stateful, 'AWS::SQS::Queue', 'FeedbackDlq'), 'Arn'],
      });
    });

    it('creates the destination after the role policy that lets the function send to it', () => {
      const [, fn] = functionByEntry(stateless, FUNCTION_ENTRIES.feedback);
      const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const [policyId] = onlyResource(stateless, 'AWS::IAM::Policy', {
        Properties: { Roles: [{ Ref: roleId }] },
      });
      // Lambda checks the permission when the configuration is created: the configuration
      // refers to the function, which depends on its role policy.
      expect((fn as { DependsOn?: string[] }).DependsOn).toContain(policyId);
    });

    it('reads a review, writes only ADDRESS# items of the Reviews table, and plans its notices', () => {
      const statements = statementsOf(stateless, FUNCTION_ENTRIES.feedback);
      expect(statements.filter((s) => mentions(s, 'ReviewsTable'))).toEqual([
        { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: importOf('GetAttReviewsTable\\w+Arn') },
        {
          Effect: 'Allow',
          Action: 'dynamodb:PutItem',
          Resource: importOf('GetAttReviewsTable\\w+Arn'),
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ADDRESS#*'] } },
        },
      ]);
      expect(statements.filter((s) => mentions(s, 'NotificationsTable'))).toEqual([
        // The notice stays pending until the escalator claims it: no "queued" update.
        {
          Effect: 'Allow',
          Action: 'dynamodb:PutItem',
          Resource: importOf('GetAttNotificationsTable\\w+Arn'),
        },
      ]);
    });

    it('sends escalations and fails to the FeedbackDlq only, and touches no other service', () => {
      const statements = statementsOf(stateless, FUNCTION_ENTRIES.feedback);
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
      const others = Object.values(FUNCTION_ENTRIES).filter((entry) => entry !== FUNCTION_ENTRIES.feedback);
      for (const entry of others) {
        expect(statementsOf(stateless, entry).filter((s) => mentions(s, 'FeedbackDlq'))).toEqual([]);
      }
    });
  });
});
