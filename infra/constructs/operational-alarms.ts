import { Aws, Duration } from 'aws-cdk-lib';
import type { IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  type DimensionsMap,
  type IMetric,
  Metric,
  type MetricOptions,
  Stats,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { MetricName } from '#shared/observability/metrics.ts';
import type { HouseFunction } from '../house-function.ts';
import { EncryptedTopic } from './encrypted-topic.ts';

/** Most alarms look at five-minute periods. */
const ALARM_PERIOD = Duration.minutes(5);
/** A mail queue whose oldest message waits longer than this is not being drained. */
const MAIL_QUEUE_MAX_AGE = Duration.minutes(15);
/** A planner lagging its stream by more than this delays stage notices noticeably. */
const PLANNER_MAX_ITERATOR_AGE = Duration.minutes(5);
/**
 * API Gateway 5xx in five minutes that raise an alarm. The API's own 500s and the function's
 * crashes and timeouts alarm one by one (`ApiInternalErrorsAlarm`, `ApiFunctionErrorsAlarm`);
 * an isolated 503 `UNAVAILABLE` with `Retry-After` is the designed answer to a stalled table.
 * Five in five minutes is a stall that lasts, or the gateway failing to reach the function.
 */
const API_MAX_SERVER_ERRORS = 5;
/**
 * p99 latency of the API that, in two of three five-minute periods, raises an alarm. The API
 * answers within 4 s when one DynamoDB call stalls (503); cold starts stay well below. Beyond 5 s
 * the function is running into its 25 s timeout or the gateway is waiting on it.
 */
const API_MAX_P99_LATENCY = Duration.seconds(5);
/** Five-minute periods without a completed sweep run (it runs every minute) that raise an alarm. */
const SWEEP_SILENT_PERIODS = 3;
/**
 * SES account reputation (AWS/SES `Reputation.*`, rates between 0 and 1). AWS places an account
 * under review at a bounce rate of 5 % or a complaint rate of 0.1 %, and may pause its sending
 * (the `alarm` values); the `warning` values leave time to act first (clean the focal-point
 * addresses, find the complaining recipients).
 */
export const SES_REPUTATION = {
  bounceRate: { warning: 0.02, alarm: 0.05 },
  complaintRate: { warning: 0.0005, alarm: 0.001 },
} as const;
/**
 * The reputation rates are published irregularly and only once there is something to count: an
 * hour's maximum is their stable reading.
 */
const SES_REPUTATION_PERIOD = Duration.hours(1);
/**
 * Delivery delays in each of this many consecutive hours raise an alarm: one greylisted or
 * full-mailbox message after the 09:00 burst is normal, a receiving server that keeps deferring
 * the tracker's mail for hours is not (SES keeps retrying, then bounces it).
 */
const SES_DELAY_HOURS = 3;

/**
 * Where the functions' Powertools business metrics land: the house function's namespace and
 * service (`POWERTOOLS_METRICS_NAMESPACE`, the `service` of `shared/observability/metrics.ts`).
 */
export const BUSINESS_METRICS = { namespace: 'UntocReviewTracker', service: 'untoc-review-tracker' } as const;

/** A business metric (a past-tense event counted by a function), as Powertools publishes it. */
export function businessMetric(name: MetricName, options: MetricOptions = {}): Metric {
  return new Metric({
    namespace: BUSINESS_METRICS.namespace,
    metricName: name,
    dimensionsMap: { service: BUSINESS_METRICS.service },
    statistic: Stats.SUM,
    period: ALARM_PERIOD,
    ...options,
  });
}

/** An account-level SES reputation rate (`AWS/SES`, no dimension: the figure AWS reviews). */
export function sesReputationMetric(
  name: 'Reputation.BounceRate' | 'Reputation.ComplaintRate',
  options: MetricOptions = {},
): Metric {
  return new Metric({
    namespace: 'AWS/SES',
    metricName: name,
    statistic: Stats.MAXIMUM,
    period: SES_REPUTATION_PERIOD,
    ...options,
  });
}

/** A sending-event count the configuration set publishes (`AWS/SES`, with its dimensions). */
export function sesEventMetric(
  name: 'Send' | 'Delivery' | 'Reject' | 'Bounce' | 'Complaint' | 'DeliveryDelay',
  dimensions: DimensionsMap,
  options: MetricOptions = {},
): Metric {
  return new Metric({
    namespace: 'AWS/SES',
    metricName: name,
    dimensionsMap: dimensions,
    statistic: Stats.SUM,
    period: ALARM_PERIOD,
    ...options,
  });
}

/** Properties of {@link OperationalAlarms}. */
export interface OperationalAlarmsProps {
  /**
   * The SNS topic every alarm notifies.
   * @default - a KMS-encrypted topic created here
   */
  readonly alarmTopic?: ITopic;
  /** Dead-letter queues by construct id, with what each holds (for the alarm's description). */
  readonly deadLetterQueues: readonly (readonly [id: string, queue: IQueue, holds: string])[];
  /** Mail queues by construct id. */
  readonly mailQueues: readonly (readonly [id: string, queue: IQueue])[];
  /** Every function, by construct id. */
  readonly functions: readonly (readonly [id: string, fn: HouseFunction])[];
  /** The stream consumer. */
  readonly planner: HouseFunction;
  /** The Secretariat API's stage: its 5xx and latency. */
  readonly apiStage: IHttpStage;
  /** The dimensions of the configuration set's sending-event metrics (`MailFeedback`). */
  readonly sesEventDimensions: DimensionsMap;
}

/** How one alarm evaluates its metric; what is not given is the common case. */
interface AlarmSpec {
  readonly metric: IMetric;
  readonly threshold: number;
  readonly description: string;
  /** @default ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD */
  readonly comparisonOperator?: ComparisonOperator;
  /** @default 1 */
  readonly evaluationPeriods?: number;
  /** @default evaluationPeriods */
  readonly datapointsToAlarm?: number;
  /** @default TreatMissingData.NOT_BREACHING */
  readonly treatMissingData?: TreatMissingData;
}

/**
 * One alarm per failure signal (DESIGN §8), each notifying the alarm topic when it fires and
 * when it clears: every dead-letter queue holding a message, each mail queue's oldest message
 * older than 15 minutes, any error of a function, the planner lagging its stream, API Gateway
 * 5xx and latency, the API's own 500s, the sweep not running (missing data breaching), SES
 * reputation (a warning early, an alarm at AWS's review thresholds), and SES rejects and
 * delivery delays. The thresholds and why are the constants above.
 */
export class OperationalAlarms extends Construct {
  /** The topic every alarm notifies. */
  public readonly topic: ITopic;
  /** Every alarm, keyed by construct id. */
  public readonly alarms: ReadonlyMap<string, Alarm>;

  constructor(scope: Construct, id: string, props: OperationalAlarmsProps) {
    super(scope, id);
    this.topic = props.alarmTopic ?? alarmTopic(this);
    const alarms = new Map<string, Alarm>();
    this.alarms = alarms;
    const add = (alarmId: string, spec: AlarmSpec): void => {
      const evaluationPeriods = spec.evaluationPeriods ?? 1;
      const alarm = new Alarm(this, alarmId, {
        metric: spec.metric,
        threshold: spec.threshold,
        evaluationPeriods,
        datapointsToAlarm: spec.datapointsToAlarm ?? evaluationPeriods,
        comparisonOperator: spec.comparisonOperator ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: spec.treatMissingData ?? TreatMissingData.NOT_BREACHING,
        alarmDescription: spec.description,
      });
      alarm.addAlarmAction(new SnsAction(this.topic));
      alarm.addOkAction(new SnsAction(this.topic));
      alarms.set(alarmId, alarm);
    };

    for (const [queueId, queue, holds] of props.deadLetterQueues) {
      add(`${queueId}MessagesAlarm`, {
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: ALARM_PERIOD,
          statistic: Stats.MAXIMUM,
        }),
        threshold: 1,
        description: `${queueId} holds ${holds}: investigate, then redrive`,
      });
    }
    for (const [queueId, queue] of props.mailQueues) {
      add(`${queueId}AgeAlarm`, {
        metric: queue.metricApproximateAgeOfOldestMessage({ period: ALARM_PERIOD, statistic: Stats.MAXIMUM }),
        threshold: MAIL_QUEUE_MAX_AGE.toSeconds(),
        description: `${queueId}: oldest message waits 15 minutes or more (consumer failing or throttled by SES)`,
      });
    }
    for (const [fnId, fn] of props.functions) {
      add(`${fnId}ErrorsAlarm`, {
        metric: fn.function.metricErrors({ period: ALARM_PERIOD, statistic: Stats.SUM }),
        threshold: 1,
        description: `${fnId} failed at least once in 5 minutes`,
      });
    }
    add('PlannerFunctionIteratorAgeAlarm', {
      metric: props.planner.function.metric('IteratorAge', {
        period: ALARM_PERIOD,
        statistic: Stats.MAXIMUM,
      }),
      threshold: PLANNER_MAX_ITERATOR_AGE.toMilliseconds(),
      description: 'PlannerFunction lags the Reviews stream by 5 minutes or more: stage notices are late',
    });

    add('ApiServerErrorsAlarm', {
      metric: props.apiStage.metricServerError({ period: ALARM_PERIOD, statistic: Stats.SUM }),
      threshold: API_MAX_SERVER_ERRORS,
      description:
        `The API answered ${API_MAX_SERVER_ERRORS} or more 5xx in 5 minutes: a lasting DynamoDB stall ` +
        '(503) or the gateway failing to reach the function (see the function errors and access logs)',
    });
    add('ApiLatencyAlarm', {
      metric: props.apiStage.metricLatency({ period: ALARM_PERIOD, statistic: Stats.p(99) }),
      threshold: API_MAX_P99_LATENCY.toMilliseconds(),
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      description:
        'API p99 latency 5 s or more in 2 of 3 five-minute periods (it answers within 4 s when one ' +
        'DynamoDB call stalls): the function is running into its timeout or the gateway is waiting on it',
    });
    add('ApiInternalErrorsAlarm', {
      metric: businessMetric('InternalErrorAnswered'),
      threshold: 1,
      description:
        'The API answered a 500 (an unexpected error, logged once with its stack): Lambda Errors does not ' +
        'count these, the function answered',
    });
    add('SweepHeartbeatAlarm', {
      metric: businessMetric('SweepRan'),
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: SWEEP_SILENT_PERIODS,
      // No data is what a sweep that stopped running looks like.
      treatMissingData: TreatMissingData.BREACHING,
      description:
        'No completed sweep run for 15 minutes (it runs every minute): nothing due is being queued. ' +
        'Check the schedule rule, the SweepScheduleDlq and the sweep function errors',
    });

    const reputation = [
      ['BounceRate', 'Reputation.BounceRate', SES_REPUTATION.bounceRate, 'bounce'],
      ['ComplaintRate', 'Reputation.ComplaintRate', SES_REPUTATION.complaintRate, 'complaint'],
    ] as const;
    for (const [name, metricName, thresholds, what] of reputation) {
      for (const level of ['warning', 'alarm'] as const) {
        const percent = `${+(thresholds[level] * 100).toFixed(3)} %`;
        add(`Ses${name}${level === 'warning' ? 'Warning' : ''}Alarm`, {
          metric: sesReputationMetric(metricName),
          threshold: thresholds[level],
          // The rate is published irregularly; a period without a reading has not undone the last one.
          treatMissingData: TreatMissingData.IGNORE,
          description:
            level === 'warning'
              ? `SES account ${what} rate ${percent} or more (warning: AWS reviews the account at ` +
                `${+(thresholds.alarm * 100).toFixed(3)} %): find the ${what}s before it gets there`
              : `SES account ${what} rate ${percent} or more: AWS places the account under review and may ` +
                'pause its sending',
        });
      }
    }
    add('SesRejectsAlarm', {
      metric: sesEventMetric('Reject', props.sesEventDimensions),
      threshold: 1,
      description:
        'SES rejected a message sent with the configuration set (it found a virus in it): no mail of ' +
        'the tracker should ever be rejected',
    });
    add('SesDeliveryDelaysAlarm', {
      metric: sesEventMetric('DeliveryDelay', props.sesEventDimensions, { period: Duration.hours(1) }),
      threshold: 1,
      evaluationPeriods: SES_DELAY_HOURS,
      description:
        `SES delivery delays in each of ${SES_DELAY_HOURS} consecutive hours: a receiving server keeps ` +
        'deferring the mail (SES keeps retrying, then bounces it)',
    });
  }
}

/**
 * The alarm topic, encrypted, that CloudWatch alarms of this account and nothing else of
 * CloudWatch may publish to (the SSL-only policy replaces the topic's default policy, so the
 * alarms need their own statement).
 */
function alarmTopic(scope: Construct): ITopic {
  const publisher = 'cloudwatch.amazonaws.com';
  const { topic } = new EncryptedTopic(scope, 'Alarm', {
    publisher,
    displayName: 'Alarms of the UNTOC review tracker',
  });
  topic.addToResourcePolicy(
    new PolicyStatement({
      sid: 'AllowCloudWatchAlarmsOfThisAccount',
      principals: [new ServicePrincipal(publisher)],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        ArnLike: {
          'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*`,
        },
      },
    }),
  );
  return topic;
}
