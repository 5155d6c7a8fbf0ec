import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUSINESS_METRICS } from '../../infra/constructs/operational-alarms.ts';
import { StatefulStack } from '../../infra/stateful-stack.ts';
import { StatelessStack } from '../../infra/stateless-stack.ts';
import { FUNCTION_ENTRIES } from '../../infra/topology.ts';
import {
  appTemplates,
  environmentOf,
  functionByEntry,
  importOf,
  logicalIdOf,
  SKIP_BUNDLING,
} from './support/templates.ts';

/** The operational alarms of the stateless stack (`OperationalAlarms`, DESIGN §8). */

type Alarm = { Properties: Record<string, unknown> };

const ALL_ENTRIES = Object.values(FUNCTION_ENTRIES);

describe('operational alarms (StatelessStack)', () => {
  let template: Template;
  let alarmTopicId: string;

  const alarms = (): Alarm[] => Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Alarm[];
  const dimensionOf = (alarm: Alarm): unknown =>
    (alarm.Properties.Dimensions as Array<{ Value: unknown }> | undefined)?.[0]?.Value;
  const functionId = (entry: string): string => functionByEntry(template, entry)[0];
  /** The properties of the alarm created with construct id `id` (inside `Alarms`). */
  const alarmById = (id: string): Record<string, unknown> => {
    const logicalId = logicalIdOf(template, 'AWS::CloudWatch::Alarm', id);
    expect(logicalId.startsWith(`Alarms${id}`)).toBe(true);
    return (template.findResources('AWS::CloudWatch::Alarm')[logicalId] as Alarm).Properties;
  };
  /** What every alarm notifies, and that it says why it fires. */
  const notifying = () => ({
    AlarmActions: [{ Ref: alarmTopicId }],
    OKActions: [{ Ref: alarmTopicId }],
    AlarmDescription: expect.any(String),
  });
  const apiStageDimensions = () => [
    { Name: 'ApiId', Value: { Ref: logicalIdOf(template, 'AWS::ApiGatewayV2::Api', 'HttpApi') } },
    { Name: 'Stage', Value: '$default' },
  ];
  const serviceDimension = [{ Name: 'service', Value: 'untoc-review-tracker' }];
  /** The sending-event metrics' dimension: the configuration set's auto-tag, its value the set's name. */
  const configurationSetDimension = () => [
    { Name: 'ses:configuration-set', Value: importOf('RefConfigurationSet') },
  ];
  /** The one alarm on `metricName` whose (first) dimension value matches `dimension`. */
  const alarmOn = (metricName: string, dimension?: unknown): Alarm => {
    const matching = alarms().filter(
      (alarm) =>
        alarm.Properties.MetricName === metricName &&
        (dimension === undefined || matches(dimensionOf(alarm), dimension)),
    );
    expect(matching).toHaveLength(1);
    return matching[0] as Alarm;
  };

  beforeAll(() => {
    template = appTemplates().stateless;
    alarmTopicId = logicalIdOf(template, 'AWS::SNS::Topic', 'AlarmTopic');
  });

  it('has 27 alarms, each notifying the alarm topic when it fires and when it clears, with a description', () => {
    expect(alarms()).toHaveLength(27);
    for (const alarm of alarms()) {
      expect(alarm.Properties).toMatchObject({
        AlarmActions: [{ Ref: alarmTopicId }],
        OKActions: [{ Ref: alarmTopicId }],
      });
      expect(alarm.Properties.AlarmDescription).toEqual(expect.stringMatching(/\S{3,}/));
    }
  });

  it('looks at one 5-minute period for every queue, function and planner alarm, not breaching on missing data', () => {
    const perResource = alarms().filter((alarm) =>
      ['AWS/SQS', 'AWS/Lambda'].includes(alarm.Properties.Namespace as string),
    );
    expect(perResource).toHaveLength(17);
    for (const alarm of perResource) {
      expect(alarm.Properties).toMatchObject({
        Period: 300,
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it.each([
    ['FocalPointMailDlq', () => importOf('GetAttFocalPointMailDlq\\w+QueueName')],
    ['EscalationDlq', () => importOf('GetAttEscalationDlq\\w+QueueName')],
    ['PlannerDlq', () => importOf('GetAttPlannerDlq\\w+QueueName')],
    ['FeedbackDlq', () => importOf('GetAttFeedbackDlq\\w+QueueName')],
    [
      'SweepScheduleDlq',
      () => ({ 'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', 'SweepScheduleDlq'), 'QueueName'] }),
    ],
    [
      'DigestScheduleDlq',
      () => ({ 'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', 'DigestScheduleDlq'), 'QueueName'] }),
    ],
  ])('raises an alarm as soon as %s holds a message', (_queue, queueName) => {
    const alarm = alarmOn('ApproximateNumberOfMessagesVisible', queueName());
    expect(alarm.Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      Statistic: 'Maximum',
      Threshold: 1,
      Dimensions: [{ Name: 'QueueName', Value: queueName() }],
    });
  });

  it.each([
    ['FocalPointMailQueue', importOf('GetAttFocalPointMailQueue\\w+QueueName')],
    ['EscalationQueue', importOf('GetAttEscalationQueue\\w+QueueName')],
  ])('raises an alarm when the oldest message of %s is 15 minutes old', (_queue, queueName) => {
    expect(alarmOn('ApproximateAgeOfOldestMessage', queueName).Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      Statistic: 'Maximum',
      Threshold: 900,
      Dimensions: [{ Name: 'QueueName', Value: queueName }],
    });
  });

  it.each(ALL_ENTRIES)('raises an alarm on any error of %s', (entry) => {
    expect(alarmOn('Errors', { Ref: functionId(entry) }).Properties).toMatchObject({
      Namespace: 'AWS/Lambda',
      Statistic: 'Sum',
      Threshold: 1,
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId(entry) } }],
    });
  });

  it('raises an alarm when the planner lags its stream by 5 minutes', () => {
    expect(alarmOn('IteratorAge').Properties).toMatchObject({
      Namespace: 'AWS/Lambda',
      Statistic: 'Maximum',
      Threshold: 300_000,
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId(FUNCTION_ENTRIES.planner) } }],
    });
  });

  describe('the Secretariat API', () => {
    it('raises an alarm on 5 or more API Gateway 5xx of the $default stage in 5 minutes', () => {
      expect(alarmById('ApiServerErrorsAlarm')).toEqual({
        ...notifying(),
        Namespace: 'AWS/ApiGateway',
        MetricName: '5xx',
        Dimensions: apiStageDimensions(),
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 5,
        TreatMissingData: 'notBreaching',
      });
    });

    it('raises an alarm when the p99 latency of the stage is 5 s or more in 2 of 3 five-minute periods', () => {
      expect(alarmById('ApiLatencyAlarm')).toEqual({
        ...notifying(),
        Namespace: 'AWS/ApiGateway',
        MetricName: 'Latency',
        Dimensions: apiStageDimensions(),
        ExtendedStatistic: 'p99',
        Period: 300,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 5000,
        TreatMissingData: 'notBreaching',
      });
    });

    it('raises an alarm on any 500 the API answered itself (its InternalErrorAnswered business metric)', () => {
      expect(alarmById('ApiInternalErrorsAlarm')).toEqual({
        ...notifying(),
        Namespace: 'UntocReviewTracker',
        MetricName: 'InternalErrorAnswered',
        Dimensions: serviceDimension,
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 1,
        TreatMissingData: 'notBreaching',
      });
    });
  });

  describe('the sweep heartbeat', () => {
    it('raises an alarm when no sweep run is counted in 3 consecutive 5-minute periods, missing data breaching', () => {
      expect(alarmById('SweepHeartbeatAlarm')).toEqual({
        ...notifying(),
        Namespace: 'UntocReviewTracker',
        MetricName: 'SweepRan',
        Dimensions: serviceDimension,
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
        ComparisonOperator: 'LessThanThreshold',
        Threshold: 1,
        TreatMissingData: 'breaching',
      });
    });

    it('reads the namespace and service every function publishes its business metrics under', () => {
      for (const entry of ALL_ENTRIES) {
        expect(environmentOf(template, entry)).toMatchObject({
          POWERTOOLS_METRICS_NAMESPACE: BUSINESS_METRICS.namespace,
          POWERTOOLS_SERVICE_NAME: BUSINESS_METRICS.service,
        });
      }
    });
  });

  describe('SES reputation (account level, the rates AWS reviews)', () => {
    it.each([
      ['SesBounceRateWarningAlarm', 'Reputation.BounceRate', 0.02],
      ['SesBounceRateAlarm', 'Reputation.BounceRate', 0.05],
      ['SesComplaintRateWarningAlarm', 'Reputation.ComplaintRate', 0.0005],
      ['SesComplaintRateAlarm', 'Reputation.ComplaintRate', 0.001],
    ])(
      '%s: the hourly maximum of %s at %d or more, keeping its state without data',
      (id, metricName, threshold) => {
        expect(alarmById(id)).toEqual({
          ...notifying(),
          Namespace: 'AWS/SES',
          MetricName: metricName,
          Statistic: 'Maximum',
          Period: 3600,
          EvaluationPeriods: 1,
          DatapointsToAlarm: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          Threshold: threshold,
          TreatMissingData: 'ignore',
        });
      },
    );

    it("names AWS's review thresholds in the alarms and the earlier level in the warnings", () => {
      expect(alarmById('SesBounceRateAlarm').AlarmDescription).toMatch(/5 %.*under review/);
      expect(alarmById('SesComplaintRateAlarm').AlarmDescription).toMatch(/0\.1 %.*under review/);
      expect(alarmById('SesBounceRateWarningAlarm').AlarmDescription).toMatch(
        /^SES account bounce rate 2 % .*5 %/,
      );
      expect(alarmById('SesComplaintRateWarningAlarm').AlarmDescription).toMatch(
        /^SES account complaint rate 0\.05 % .*0\.1 %/,
      );
    });
  });

  describe("the configuration set's sending events", () => {
    it('raises an alarm on any message SES rejected (5 minutes)', () => {
      expect(alarmById('SesRejectsAlarm')).toEqual({
        ...notifying(),
        Namespace: 'AWS/SES',
        MetricName: 'Reject',
        Dimensions: configurationSetDimension(),
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 1,
        TreatMissingData: 'notBreaching',
      });
    });

    it('raises an alarm on delivery delays in each of 3 consecutive hours', () => {
      expect(alarmById('SesDeliveryDelaysAlarm')).toEqual({
        ...notifying(),
        Namespace: 'AWS/SES',
        MetricName: 'DeliveryDelay',
        Dimensions: configurationSetDimension(),
        Statistic: 'Sum',
        Period: 3600,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 1,
        TreatMissingData: 'notBreaching',
      });
    });

    it('reads the dimension the CloudWatch event destination publishes for those events', () => {
      const [, destination] = Object.entries(
        template.findResources('AWS::SES::ConfigurationSetEventDestination', {
          Properties: { EventDestination: { CloudWatchDestination: {} } },
        }),
      )[0] ?? [undefined, undefined];
      const events = destination?.Properties.EventDestination as {
        MatchingEventTypes: string[];
        CloudWatchDestination: { DimensionConfigurations: Array<{ DimensionName: string }> };
      };
      expect(events.MatchingEventTypes).toEqual(expect.arrayContaining(['reject', 'deliveryDelay']));
      expect(events.CloudWatchDestination.DimensionConfigurations.map((d) => d.DimensionName)).toEqual(
        configurationSetDimension().map((d) => d.Name),
      );
    });
  });

  it('outputs the alarm topic ARN', () => {
    template.hasOutput('AlarmTopicArn', { Value: { Ref: alarmTopicId } });
  });

  it('notifies a given alarm topic instead of creating one', () => {
    const app = new App({ context: SKIP_BUNDLING });
    const stateful = new StatefulStack(app, 'Stateful', { senderEmail: 'no-reply@example.org' });
    const opsTopicArn = 'arn:aws:sns:eu-central-1:111122223333:ops-alarms';
    const stateless = new StatelessStack(app, 'Stateless', {
      stateful: stateful.resources,
      alarmTopic: Topic.fromTopicArn(stateful, 'OpsTopic', opsTopicArn),
    });
    const given = Template.fromStack(stateless);
    expect(Object.keys(given.findResources('AWS::SNS::Topic'))).toEqual([
      logicalIdOf(given, 'AWS::SNS::Topic', 'SesFeedbackTopic'),
    ]);
    const givenAlarms = Object.values(given.findResources('AWS::CloudWatch::Alarm'));
    expect(givenAlarms).toHaveLength(alarms().length);
    for (const alarm of givenAlarms) {
      expect(alarm.Properties.AlarmActions).toEqual([opsTopicArn]);
      expect(alarm.Properties.OKActions).toEqual([opsTopicArn]);
    }
    given.hasOutput('AlarmTopicArn', { Value: opsTopicArn });
  });
});

/** Whether `actual` matches `expected`, which may hold asymmetric matchers. */
function matches(actual: unknown, expected: unknown): boolean {
  try {
    expect(actual).toEqual(expected);
    return true;
  } catch {
    return false;
  }
}
