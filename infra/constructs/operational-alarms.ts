import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { HouseFunction } from '../house-function.ts';
import { EncryptedTopic } from './encrypted-topic.ts';

/** Every alarm looks at one five-minute period. */
const ALARM_PERIOD = Duration.minutes(5);
/** A mail queue whose oldest message waits longer than this is not being drained. */
const MAIL_QUEUE_MAX_AGE = Duration.minutes(15);
/** A planner lagging its stream by more than this delays stage notices noticeably. */
const PLANNER_MAX_ITERATOR_AGE = Duration.minutes(5);

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
}

/**
 * One alarm per failure signal, each on one five-minute period, notifying the alarm topic when
 * it fires and when it clears: every dead-letter queue holding a message, each mail queue's
 * oldest message older than 15 minutes, any error of a function, and the planner lagging its
 * stream.
 */
export class OperationalAlarms extends Construct {
  /** The topic every alarm notifies. */
  public readonly topic: ITopic;
  /** Every alarm, keyed by construct id. */
  public readonly alarms: ReadonlyMap<string, Alarm>;

  constructor(scope: Construct, id: string, props: OperationalAlarmsProps) {
    super(scope, id);
    this.topic =
      props.alarmTopic ??
      new EncryptedTopic(this, 'Alarm', {
        publisher: 'cloudwatch.amazonaws.com',
        displayName: 'Alarms of the UNTOC review tracker',
      }).topic;
    const alarms = new Map<string, Alarm>();
    this.alarms = alarms;
    const add = (alarmId: string, metric: IMetric, threshold: number, description: string): void => {
      const alarm = new Alarm(this, alarmId, {
        metric,
        threshold,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      alarm.addAlarmAction(new SnsAction(this.topic));
      alarm.addOkAction(new SnsAction(this.topic));
      alarms.set(alarmId, alarm);
    };

    for (const [queueId, queue, holds] of props.deadLetterQueues) {
      add(
        `${queueId}MessagesAlarm`,
        queue.metricApproximateNumberOfMessagesVisible({ period: ALARM_PERIOD, statistic: Stats.MAXIMUM }),
        1,
        `${queueId} holds ${holds}: investigate, then redrive`,
      );
    }
    for (const [queueId, queue] of props.mailQueues) {
      add(
        `${queueId}AgeAlarm`,
        queue.metricApproximateAgeOfOldestMessage({ period: ALARM_PERIOD, statistic: Stats.MAXIMUM }),
        MAIL_QUEUE_MAX_AGE.toSeconds(),
        `${queueId}: oldest message waits 15 minutes or more (consumer failing or throttled by SES)`,
      );
    }
    for (const [fnId, fn] of props.functions) {
      add(
        `${fnId}ErrorsAlarm`,
        fn.function.metricErrors({ period: ALARM_PERIOD, statistic: Stats.SUM }),
        1,
        `${fnId} failed at least once in 5 minutes`,
      );
    }
    add(
      'PlannerFunctionIteratorAgeAlarm',
      props.planner.function.metric('IteratorAge', { period: ALARM_PERIOD, statistic: Stats.MAXIMUM }),
      PLANNER_MAX_ITERATOR_AGE.toMilliseconds(),
      'PlannerFunction lags the Reviews stream by 5 minutes or more: stage notices are late',
    );
  }
}
