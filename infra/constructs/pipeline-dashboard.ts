import { Duration } from 'aws-cdk-lib';
import type { IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AlarmStatusWidget,
  Color,
  Dashboard,
  type DimensionsMap,
  GraphWidget,
  type GraphWidgetProps,
  type IAlarm,
  type IMetric,
  type IWidget,
  type Metric,
  Stats,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { MetricName } from '#shared/observability/metrics.ts';
import type { HouseFunction } from '../house-function.ts';
import { businessMetric, SES_REPUTATION, sesEventMetric, sesReputationMetric } from './operational-alarms.ts';

/** The dashboard's graphs aggregate five-minute periods, as the alarms do. */
const PERIOD = Duration.minutes(5);
/** The dashboard's grid is 24 units wide; every graph takes a third of a row. */
const THIRD = 8;
const HEIGHT = 6;

/** What the mailer and the escalator count per queued notification (DESIGN §2's kinds, and the rest). */
const SEND_OUTCOMES: readonly MetricName[] = [
  'StageNoticeSent',
  'ReminderSent',
  'OverdueNoticeSent',
  'EscalationSent',
  'UndeliverableNoticeSent',
  'NotificationSkipped',
  'MailSendOutcomeUnknown',
];

/** Properties of the {@link PipelineDashboard}. */
export interface PipelineDashboardProps {
  /** The Secretariat API's stage: requests, 5xx and latency. */
  readonly apiStage: IHttpStage;
  /** The stream consumer: iterator age and errors. */
  readonly planner: HouseFunction;
  /** Every function, by construct id: errors and throttles. */
  readonly functions: readonly (readonly [id: string, fn: HouseFunction])[];
  /** Mail queues by construct id: depth and age of the oldest message. */
  readonly mailQueues: readonly (readonly [id: string, queue: IQueue])[];
  /** Dead-letter queues by construct id: depth. */
  readonly deadLetterQueues: readonly (readonly [id: string, queue: IQueue])[];
  /** The dimensions of the configuration set's sending-event metrics (`MailFeedback`). */
  readonly sesEventDimensions: DimensionsMap;
  /**
   * Alarms shown in one status widget at the top.
   * @default - no alarm status widget
   */
  readonly alarms?: readonly IAlarm[];
  /**
   * The time range the dashboard opens with.
   * @default Duration.days(1) (one day's 09:00 burst and what followed)
   */
  readonly defaultInterval?: Duration;
}

/**
 * One CloudWatch dashboard of the pipeline end to end (DESIGN §8), in the order a review
 * change travels: the API, the planner on the Reviews stream, the sweep, the mail queues, the
 * sends by kind with what SES made of them, and where things end when they fail (dead-letter
 * queues, function errors, SES reputation). Its name is left to CloudFormation.
 */
export class PipelineDashboard extends Construct {
  public readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: PipelineDashboardProps) {
    super(scope, id);
    const { apiStage, planner, sesEventDimensions } = props;
    const graph = (title: string, left: IMetric[], extra: Partial<GraphWidgetProps> = {}) =>
      new GraphWidget({ title, left, width: THIRD, height: HEIGHT, period: PERIOD, ...extra });
    const labelled = (metric: Metric, label: string): IMetric => metric.with({ label });

    const rows: IWidget[][] = [
      [
        new TextWidget({
          markdown:
            '## UNTOC review tracker: the notification pipeline\n' +
            'API → planner (Reviews stream) → sweep (every minute) → mail queues → mailer and escalator → SES. ' +
            'Every alarm notifies the `AlarmTopicArn` topic when it fires and when it clears.',
          width: 24,
          height: 2,
        }),
      ],
      [
        graph('API: requests and errors', [
          labelled(apiStage.metricCount({ statistic: Stats.SUM }), 'requests'),
          labelled(apiStage.metricClientError({ statistic: Stats.SUM }), '4xx'),
          labelled(apiStage.metricServerError({ statistic: Stats.SUM }), '5xx'),
          labelled(businessMetric('InternalErrorAnswered'), '500 answered by the function'),
        ]),
        graph('API: latency (ms)', [
          labelled(apiStage.metricLatency({ statistic: Stats.p(50) }), 'p50'),
          labelled(apiStage.metricLatency({ statistic: Stats.p(99) }), 'p99'),
          labelled(apiStage.metricIntegrationLatency({ statistic: Stats.p(99) }), 'function p99'),
        ]),
        graph(
          'Planner: iterator age (ms)',
          [
            labelled(
              planner.function.metric('IteratorAge', { statistic: Stats.MAXIMUM }),
              'max iterator age',
            ),
          ],
          {
            right: [
              labelled(planner.function.metricErrors({ statistic: Stats.SUM }), 'errors'),
              labelled(businessMetric('StreamRecordParked'), 'records parked'),
            ],
          },
        ),
      ],
      [
        graph('Planner and sweep: notifications', [
          labelled(businessMetric('NotificationsPlanned'), 'planned'),
          labelled(businessMetric('NotificationsCancelled'), 'cancelled'),
          labelled(businessMetric('NotificationsQueued'), 'queued by the sweep'),
          labelled(businessMetric('NotificationsSuperseded'), 'superseded'),
        ]),
        graph('Sweep: runs (heartbeat, 5 per 5 minutes)', [
          labelled(businessMetric('SweepRan'), 'sweep runs'),
        ]),
        graph(
          'Mail queues: messages waiting',
          props.mailQueues.map(([queueId, queue]) =>
            labelled(queue.metricApproximateNumberOfMessagesVisible({ statistic: Stats.MAXIMUM }), queueId),
          ),
        ),
      ],
      [
        graph(
          'Mail queues: age of the oldest message (s)',
          props.mailQueues.map(([queueId, queue]) =>
            labelled(queue.metricApproximateAgeOfOldestMessage({ statistic: Stats.MAXIMUM }), queueId),
          ),
        ),
        graph(
          'Sends by kind',
          SEND_OUTCOMES.map((name) => labelled(businessMetric(name), name)),
          { stacked: true },
        ),
        graph(
          'SES: what became of the mail',
          (['Send', 'Delivery', 'Bounce', 'Complaint', 'Reject', 'DeliveryDelay'] as const).map((name) =>
            labelled(sesEventMetric(name, sesEventDimensions), name),
          ),
        ),
      ],
      [
        graph(
          'Dead-letter queues: messages',
          props.deadLetterQueues.map(([queueId, queue]) =>
            labelled(queue.metricApproximateNumberOfMessagesVisible({ statistic: Stats.MAXIMUM }), queueId),
          ),
        ),
        graph(
          'Functions: errors',
          props.functions.map(([fnId, fn]) =>
            labelled(fn.function.metricErrors({ statistic: Stats.SUM }), fnId),
          ),
          {
            right: props.functions.map(([fnId, fn]) =>
              labelled(fn.function.metricThrottles({ statistic: Stats.SUM }), `${fnId} throttles`),
            ),
          },
        ),
        graph(
          'SES: account reputation (rates, 0.05 = 5 %)',
          [labelled(sesReputationMetric('Reputation.BounceRate'), 'bounce rate')],
          {
            period: Duration.hours(1),
            right: [labelled(sesReputationMetric('Reputation.ComplaintRate'), 'complaint rate (right)')],
            leftAnnotations: [
              { value: SES_REPUTATION.bounceRate.alarm, label: 'bounce: AWS review', color: Color.RED },
              { value: SES_REPUTATION.bounceRate.warning, label: 'bounce: warning', color: Color.ORANGE },
            ],
            rightAnnotations: [
              { value: SES_REPUTATION.complaintRate.alarm, label: 'complaint: AWS review', color: Color.RED },
              {
                value: SES_REPUTATION.complaintRate.warning,
                label: 'complaint: warning',
                color: Color.ORANGE,
              },
            ],
          },
        ),
      ],
    ];
    if (props.alarms && props.alarms.length > 0) {
      rows.splice(1, 0, [
        new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24, height: 4 }),
      ]);
    }

    this.dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: props.defaultInterval ?? Duration.days(1),
      widgets: rows,
    });
  }
}
