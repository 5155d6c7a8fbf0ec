import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { beforeAll, describe, expect, it } from 'vitest';
import { StatefulStack } from '../../infra/stateful-stack.ts';
import { StatelessStack } from '../../infra/stateless-stack.ts';
import { FUNCTION_ENTRIES } from '../../infra/topology.ts';
import { appTemplates, functionByEntry, importOf, logicalIdOf, SKIP_BUNDLING } from './support/templates.ts';

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

  it('has 14 alarms, each on one 5-minute period, not breaching on missing data', () => {
    expect(alarms()).toHaveLength(14);
    for (const alarm of alarms()) {
      expect(alarm.Properties).toMatchObject({
        Period: 300,
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it('notifies the alarm topic when each alarm fires and when it clears', () => {
    for (const alarm of alarms()) {
      expect(alarm.Properties).toMatchObject({
        AlarmActions: [{ Ref: alarmTopicId }],
        OKActions: [{ Ref: alarmTopicId }],
      });
      expect(alarm.Properties.AlarmDescription).toEqual(expect.any(String));
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
