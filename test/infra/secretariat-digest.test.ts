import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_ENTRIES } from '../../infra/topology.ts';
import {
  actionsOf,
  appTemplates,
  environmentOf,
  functionByEntry,
  importOf,
  logicalIdOf,
  onlyResource,
  type Statement,
  statementsOf,
} from './support/templates.ts';

/**
 * The weekly Secretariat digest (`SecretariatDigest` in the stateless stack): its function, the
 * EventBridge Scheduler schedule that runs it every Monday at 08:00 in the time zone of record,
 * where its failures go, and what it may touch.
 */
describe('SecretariatDigest', () => {
  let template: Template;
  const functionId = () => functionByEntry(template, FUNCTION_ENTRIES.digest)[0];
  const dlqArn = () => ({
    'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', 'DigestScheduleDlq'), 'Arn'],
  });

  beforeAll(() => {
    template = appTemplates().stateless;
  });

  describe('schedule', () => {
    it('runs the digest Mondays at 08:00 in the time zone of record (so DST moves it in UTC, not in Vienna)', () => {
      const [, schedule] = onlyResource(template, 'AWS::Scheduler::Schedule');
      expect(schedule.Properties).toMatchObject({
        ScheduleExpression: 'cron(0 8 ? * MON *)',
        ScheduleExpressionTimezone: 'Europe/Vienna',
        State: 'ENABLED',
        FlexibleTimeWindow: { Mode: 'OFF' },
      });
    });

    it('follows a configured time zone of record', () => {
      const { stateless } = appTemplates({ timeZone: 'America/New_York' });
      const [, schedule] = onlyResource(stateless, 'AWS::Scheduler::Schedule');
      expect(schedule.Properties.ScheduleExpressionTimezone).toBe('America/New_York');
    });

    it("hands the function the schedule's own time as the event's time, retries twice within an hour, then to the DigestScheduleDlq", () => {
      const [, schedule] = onlyResource(template, 'AWS::Scheduler::Schedule');
      const target = schedule.Properties.Target as Record<string, unknown>;
      expect(target).toMatchObject({
        Arn: { 'Fn::GetAtt': [functionId(), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: dlqArn() },
      });
      expect(JSON.parse(String(target.Input))).toMatchObject({
        'detail-type': 'Scheduled Event',
        time: '<aws.scheduler.scheduled-time>',
      });
    });

    it('assumes a role that may invoke exactly the digest function and send to its DLQ, for schedules of this account only', () => {
      const [, schedule] = onlyResource(template, 'AWS::Scheduler::Schedule');
      const roleId = (schedule.Properties.Target as { RoleArn: { 'Fn::GetAtt': [string, string] } }).RoleArn[
        'Fn::GetAtt'
      ][0];
      const role = template.findResources('AWS::IAM::Role')[roleId] as {
        Properties: Record<string, unknown>;
      };
      const trust = (role.Properties.AssumeRolePolicyDocument as { Statement: Statement[] }).Statement;
      expect(trust).toEqual([
        expect.objectContaining({
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: {
            StringEquals: expect.objectContaining({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }),
          },
        }),
      ]);
      const statements = (
        role.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[]
      ).flatMap((p) => p.PolicyDocument.Statement);
      expect(statements).toEqual([
        expect.objectContaining({
          Action: 'lambda:InvokeFunction',
          Resource: { 'Fn::GetAtt': [functionId(), 'Arn'] },
        }),
        expect.objectContaining({ Action: 'sqs:SendMessage', Resource: dlqArn() }),
      ]);
      // Nothing else is attached to it (no `<arn>:*` for the function's versions).
      expect(
        template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
      ).toEqual({});
    });

    it('retries a failed run twice (the claims make a retry send only what is missing), then keeps it in the DigestScheduleDlq', () => {
      const [, config] = onlyResource(template, 'AWS::Lambda::EventInvokeConfig', {
        Properties: { FunctionName: { Ref: functionId() } },
      });
      expect(config.Properties).toMatchObject({
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 21600,
        DestinationConfig: { OnFailure: { Destination: dlqArn() } },
      });
    });

    it('alarms on a message in the DigestScheduleDlq and on any error of the function', () => {
      const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as {
        Properties: Record<string, unknown>;
      }[];
      const on = (metric: string, dimension: unknown) =>
        alarms.filter(
          (a) =>
            a.Properties.MetricName === metric &&
            JSON.stringify(a.Properties.Dimensions).includes(JSON.stringify(dimension)),
        );
      expect(
        on(
          'ApproximateNumberOfMessagesVisible',
          logicalIdOf(template, 'AWS::SQS::Queue', 'DigestScheduleDlq'),
        ),
      ).toHaveLength(1);
      expect(on('Errors', functionId())).toHaveLength(1);
    });
  });

  describe('function', () => {
    it('gets the tables, the sender, the Secretariat address, the configuration set and the time zone', () => {
      expect(environmentOf(template, FUNCTION_ENTRIES.digest)).toMatchObject({
        REVIEWS_TABLE: importOf('RefReviewsTable'),
        NOTIFICATIONS_TABLE: importOf('RefNotificationsTable'),
        SENDER_EMAIL: 'no-reply@example.org',
        SENDER_NAME: 'UNODC Review Mechanism',
        SECRETARIAT_EMAIL: 'untoc.review@un.org',
        SES_CONFIGURATION_SET: importOf('RefConfigurationSet'),
        TIME_ZONE_OF_RECORD: 'Europe/Vienna',
      });
    });

    it('may only query the listing index and batch-read undeliverable addresses of the Reviews table', () => {
      const reviews = statementsOf(template, FUNCTION_ENTRIES.digest).filter((s) =>
        JSON.stringify(s.Resource).includes('ReviewsTable'),
      );
      expect(reviews).toEqual([
        expect.objectContaining({
          Action: 'dynamodb:BatchGetItem',
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ADDRESS#*'] } },
        }),
        expect.objectContaining({
          Action: 'dynamodb:Query',
          Resource: { 'Fn::Join': ['', [importOf('GetAttReviewsTable'), '/index/gsi1']] },
        }),
      ]);
    });

    it('may only write its own digest claims in the Notifications table', () => {
      const notifications = statementsOf(template, FUNCTION_ENTRIES.digest).filter((s) =>
        JSON.stringify(s.Resource).includes('NotificationsTable'),
      );
      expect(notifications).toEqual([
        expect.objectContaining({
          Action: ['dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['DIGEST#*'] } },
        }),
      ]);
    });

    it('never scans, and sends mail with SendRawEmail only', () => {
      const actions = statementsOf(template, FUNCTION_ENTRIES.digest).flatMap(actionsOf);
      expect(actions.some((a) => a.includes('Scan'))).toBe(false);
      expect(actions.filter((a) => a.startsWith('ses:'))).toEqual(['ses:SendRawEmail']);
    });

    it('has a timeout of two minutes, which its claims take as the age of a dead run', () => {
      const [, fn] = functionByEntry(template, FUNCTION_ENTRIES.digest);
      expect(fn.Properties.Timeout).toBe(120);
    });
  });
});
