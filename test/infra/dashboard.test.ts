import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_ENTRIES } from '../../infra/topology.ts';
import { appTemplates, functionByEntry, importOf, logicalIdOf, onlyResource } from './support/templates.ts';

/** The pipeline dashboard of the stateless stack (`PipelineDashboard`, DESIGN §8). */

/** One metric line of a graph widget: namespace, name, dimension pairs, then its options. */
type MetricLine = unknown[];
interface Widget {
  type: string;
  x: number;
  y: number;
  width: number;
  properties: {
    title?: string;
    metrics?: MetricLine[];
    alarms?: unknown[];
    markdown?: string;
    annotations?: { horizontal?: Array<{ value: number; label: string; yAxis?: string }> };
  };
}

/**
 * The dashboard body as an object. It is an `Fn::Join` of JSON text and tokens (refs to the API,
 * functions, queues, imports); each token is put back in the place of the string it stands in.
 */
function dashboardBody(template: Template): { start?: string; widgets: Widget[] } {
  const [, dashboard] = onlyResource(template, 'AWS::CloudWatch::Dashboard');
  const body = dashboard.Properties.DashboardBody as { 'Fn::Join': [string, unknown[]] } | string;
  if (typeof body === 'string') return JSON.parse(body);
  const tokens: unknown[] = [];
  const text = body['Fn::Join'][1]
    .map((part) => {
      if (typeof part === 'string') return part;
      tokens.push(part);
      return `@token${tokens.length - 1}@`;
    })
    .join('');
  const restore = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const match = /^@token(\d+)@$/.exec(value);
      return match ? tokens[Number(match[1])] : value;
    }
    if (Array.isArray(value)) return value.map(restore);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, restore(inner)]));
    }
    return value;
  };
  return restore(JSON.parse(text)) as { start?: string; widgets: Widget[] };
}

/** A metric line's namespace, name and dimensions, without its rendering options. */
const identity = (line: MetricLine): unknown[] =>
  line.filter((item) => typeof item !== 'object' || !isOptions(item));
const isOptions = (item: unknown): boolean =>
  item !== null &&
  typeof item === 'object' &&
  !('Ref' in item) &&
  !('Fn::ImportValue' in item) &&
  !('Fn::GetAtt' in item);
const optionsOf = (line: MetricLine): Record<string, unknown> =>
  (line.find((item) => isOptions(item)) as Record<string, unknown> | undefined) ?? {};

const SERVICE = ['service', 'untoc-review-tracker'];

describe('pipeline dashboard (StatelessStack)', () => {
  let template: Template;
  let widgets: Widget[];

  const graph = (title: string): Widget => {
    const found = widgets.filter((widget) => widget.properties.title === title);
    expect(found).toHaveLength(1);
    return found[0] as Widget;
  };
  const linesOf = (title: string): unknown[][] => (graph(title).properties.metrics ?? []).map(identity);
  const functionId = (entry: string): string => functionByEntry(template, entry)[0];
  const apiStage = (): unknown[] => [
    'ApiId',
    { Ref: logicalIdOf(template, 'AWS::ApiGatewayV2::Api', 'HttpApi') },
    'Stage',
    '$default',
  ];

  beforeAll(() => {
    template = appTemplates().stateless;
    widgets = dashboardBody(template).widgets;
  });

  it('is one dashboard named by CloudFormation, opening on the last day', () => {
    const [, dashboard] = onlyResource(template, 'AWS::CloudWatch::Dashboard');
    expect(dashboard.Properties.DashboardName).toBeUndefined();
    expect(dashboardBody(template).start).toBe('-P1D');
  });

  it('outputs its name and its console URL', () => {
    const [dashboardId] = onlyResource(template, 'AWS::CloudWatch::Dashboard');
    template.hasOutput('DashboardName', { Value: { Ref: dashboardId } });
    template.hasOutput('DashboardUrl', {
      Value: {
        'Fn::Join': [
          '',
          [
            'https://console.aws.amazon.com/cloudwatch/home?region=',
            { Ref: 'AWS::Region' },
            '#dashboards:name=',
            { Ref: dashboardId },
          ],
        ],
      },
    });
  });

  it('shows the state of every alarm at the top', () => {
    const [status] = widgets.filter((widget) => widget.type === 'alarm');
    const alarmIds = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarmIds).toHaveLength(27);
    expect(status?.properties.alarms?.sort()).toEqual(
      alarmIds.map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] })).sort(),
    );
    expect(status?.y).toBeLessThanOrEqual(2);
  });

  it('lays the pipeline out in the order a change travels: API, planner, sweep, queues, sends, failures', () => {
    const order = [
      'API: requests and errors',
      'Planner: iterator age (ms)',
      'Sweep: runs (heartbeat, 5 per 5 minutes)',
      'Mail queues: age of the oldest message (s)',
      'Sends by kind',
      'Dead-letter queues: messages',
    ].map((title) => graph(title).y);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    for (const widget of widgets) expect(widget.x + widget.width).toBeLessThanOrEqual(24);
  });

  it('graphs API requests, 4xx, 5xx and the 500s the function answered', () => {
    expect(linesOf('API: requests and errors')).toEqual([
      ['AWS/ApiGateway', 'Count', ...apiStage()],
      ['AWS/ApiGateway', '4xx', ...apiStage()],
      ['AWS/ApiGateway', '5xx', ...apiStage()],
      ['UntocReviewTracker', 'InternalErrorAnswered', ...SERVICE],
    ]);
    for (const line of graph('API: requests and errors').properties.metrics ?? []) {
      expect(optionsOf(line).stat).toBe('Sum');
    }
  });

  it('graphs API latency p50 and p99, and the function p99', () => {
    const lines = graph('API: latency (ms)').properties.metrics ?? [];
    expect(lines.map(identity)).toEqual([
      ['AWS/ApiGateway', 'Latency', ...apiStage()],
      ['AWS/ApiGateway', 'Latency', ...apiStage()],
      ['AWS/ApiGateway', 'IntegrationLatency', ...apiStage()],
    ]);
    expect(lines.map((line) => optionsOf(line).stat)).toEqual(['p50', 'p99', 'p99']);
  });

  it('graphs the planner iterator age, its errors and the records it parked', () => {
    const planner = { Ref: functionId(FUNCTION_ENTRIES.planner) };
    expect(linesOf('Planner: iterator age (ms)')).toEqual([
      ['AWS/Lambda', 'IteratorAge', 'FunctionName', planner],
      ['AWS/Lambda', 'Errors', 'FunctionName', planner],
      ['UntocReviewTracker', 'StreamRecordParked', ...SERVICE],
    ]);
    const [age] = graph('Planner: iterator age (ms)').properties.metrics ?? [];
    expect(optionsOf(age ?? []).stat).toBe('Maximum');
  });

  it('graphs sweep runs and the notifications planned, queued and superseded', () => {
    expect(linesOf('Sweep: runs (heartbeat, 5 per 5 minutes)')).toEqual([
      ['UntocReviewTracker', 'SweepRan', ...SERVICE],
    ]);
    expect(linesOf('Planner and sweep: notifications')).toEqual(
      [
        'NotificationsPlanned',
        'NotificationsCancelled',
        'NotificationsQueued',
        'NotificationsSuperseded',
      ].map((name) => ['UntocReviewTracker', name, ...SERVICE]),
    );
  });

  it('graphs the depth and the age of the oldest message of both mail queues', () => {
    const queues = ['FocalPointMailQueue', 'EscalationQueue'];
    expect(linesOf('Mail queues: messages waiting')).toEqual(
      queues.map((queue) => [
        'AWS/SQS',
        'ApproximateNumberOfMessagesVisible',
        'QueueName',
        importOf(`GetAtt${queue}\\w+QueueName`),
      ]),
    );
    expect(linesOf('Mail queues: age of the oldest message (s)')).toEqual(
      queues.map((queue) => [
        'AWS/SQS',
        'ApproximateAgeOfOldestMessage',
        'QueueName',
        importOf(`GetAtt${queue}\\w+QueueName`),
      ]),
    );
  });

  it('graphs the sends by kind, the skipped notifications and the sends whose outcome is unknown', () => {
    expect(linesOf('Sends by kind')).toEqual(
      [
        'StageNoticeSent',
        'ReminderSent',
        'OverdueNoticeSent',
        'EscalationSent',
        'UndeliverableNoticeSent',
        'NotificationSkipped',
        'MailSendOutcomeUnknown',
      ].map((name) => ['UntocReviewTracker', name, ...SERVICE]),
    );
  });

  it("graphs what SES made of the mail, by the configuration set's dimension", () => {
    expect(linesOf('SES: what became of the mail')).toEqual(
      ['Send', 'Delivery', 'Bounce', 'Complaint', 'Reject', 'DeliveryDelay'].map((name) => [
        'AWS/SES',
        name,
        'ses:configuration-set',
        importOf('RefConfigurationSet'),
      ]),
    );
  });

  it('graphs the depth of every dead-letter queue', () => {
    expect(linesOf('Dead-letter queues: messages')).toEqual([
      ...['FocalPointMailDlq', 'EscalationDlq', 'PlannerDlq', 'FeedbackDlq'].map((queue) => [
        'AWS/SQS',
        'ApproximateNumberOfMessagesVisible',
        'QueueName',
        importOf(`GetAtt${queue}\\w+QueueName`),
      ]),
      [
        'AWS/SQS',
        'ApproximateNumberOfMessagesVisible',
        'QueueName',
        { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', 'FeedbackSubscriptionDlq'), 'QueueName'] },
      ],
      [
        'AWS/SQS',
        'ApproximateNumberOfMessagesVisible',
        'QueueName',
        { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', 'SweepScheduleDlq'), 'QueueName'] },
      ],
      [
        'AWS/SQS',
        'ApproximateNumberOfMessagesVisible',
        'QueueName',
        { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', 'DigestScheduleDlq'), 'QueueName'] },
      ],
    ]);
  });

  it('graphs the errors and throttles of every function', () => {
    const lines = linesOf('Functions: errors');
    const entries = Object.values(FUNCTION_ENTRIES);
    for (const metric of ['Errors', 'Throttles']) {
      expect(lines.filter((line) => line[1] === metric)).toEqual(
        expect.arrayContaining(
          entries.map((entry) => ['AWS/Lambda', metric, 'FunctionName', { Ref: functionId(entry) }]),
        ),
      );
    }
    expect(lines).toHaveLength(2 * entries.length);
  });

  it("graphs the account's bounce and complaint rates hourly, with the warning and AWS's review levels", () => {
    const widget = graph('SES: account reputation (rates, 0.05 = 5 %)');
    expect((widget.properties.metrics ?? []).map(identity)).toEqual([
      ['AWS/SES', 'Reputation.BounceRate'],
      ['AWS/SES', 'Reputation.ComplaintRate'],
    ]);
    for (const line of widget.properties.metrics ?? []) {
      expect(optionsOf(line)).toMatchObject({ stat: 'Maximum', period: 3600 });
    }
    expect(
      widget.properties.annotations?.horizontal?.map(({ value, yAxis }) => [value, yAxis ?? 'left']),
    ).toEqual([
      [0.05, 'left'],
      [0.02, 'left'],
      [0.001, 'right'],
      [0.0005, 'right'],
    ]);
  });
});
