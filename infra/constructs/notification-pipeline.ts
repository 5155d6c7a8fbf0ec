import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { type CfnQueue, type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { plannerFunction } from '#shared/manifest/planner.ts';
import { escalatorFunction, mailerFunction } from '#shared/manifest/senders.ts';
import { sweepFunction } from '#shared/manifest/sweep.ts';
import type { FunctionSpec } from '#shared/manifest/types.ts';
import type { HouseFunction } from '../house-function.ts';
import { type BindableResources, manifestFunction } from '../manifest-bindings.ts';
import {
  MAIL_CONSUMER_TIMEOUT_SECONDS,
  QUEUE_IDS,
  REVIEW_ITEM_SK,
  SWEEP_SCHEDULE,
  SWEEP_TIMEOUT_SECONDS,
} from '../topology.ts';

/** Properties of the {@link NotificationPipeline}. */
export interface NotificationPipelineProps {
  readonly resources: BindableResources;
}

/**
 * Plan, sweep, send: the planner on the Reviews stream, the one-minute sweep, and the two mail
 * consumers (mailer for focal points, escalator for the Secretariat) on their queues.
 */
export class NotificationPipeline extends Construct {
  public readonly planner: HouseFunction;
  public readonly sweep: HouseFunction;
  public readonly mailer: HouseFunction;
  public readonly escalator: HouseFunction;
  /** The sweep's `rate(1 minute)` schedule. */
  public readonly sweepSchedule: Rule;
  /**
   * Dead-letter queue of the sweep's schedule target and of its failed invocations. It lives
   * here, not in the stateful stack, because its queue policy must name the rule (a cross-stack
   * cycle otherwise), and because it holds no data: a scheduled event carries only its time, and
   * the next sweep picks up whatever a failed one left due.
   */
  public readonly sweepScheduleDlq: Queue;

  constructor(scope: Construct, id: string, props: NotificationPipelineProps) {
    super(scope, id);
    const { resources } = props;

    this.planner = manifestFunction(this, plannerFunction, resources, {
      // A batch of 25 reviews, each one transaction of planned items plus the stage notices.
      timeout: Duration.seconds(60),
    });
    // Grants stream read on this table's stream only (`grantStreamRead`).
    this.planner.consumeTableStream(resources.tables.reviews, {
      // When the mapping is created (or re-created with the stack), start from the oldest
      // record the stream keeps (24 h), so no review change made in between is missed.
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: 25,
      bisectBatchOnError: true,
      // Retried until it leaves the stream: the planner itself parks, images and all, a record
      // it cannot handle at once, and one still failing for want of a dependency after 23 hours.
      // Only what it could not even park reaches the mapping's destination.
      retryAttempts: -1,
      maxRecordAge: Duration.days(1),
      reportBatchItemFailures: true,
      onFailure: new SqsDlq(resources.queues.plannerDlq),
      // Only the review item plans notifications; history events, participants and other items
      // of the same partition never invoke the planner.
      filters: [
        FilterCriteria.filter({ dynamodb: { Keys: { sk: { S: FilterRule.isEqual(REVIEW_ITEM_SK) } } } }),
      ],
    });

    this.sweep = manifestFunction(this, sweepFunction, resources, {
      // Finishes before the next tick: the sweep stops starting batches well before its timeout
      // (SWEEP_MIN_REMAINING_MS). Were two to overlap, an item could be queued twice; the senders'
      // claim still sends it once.
      timeout: Duration.seconds(SWEEP_TIMEOUT_SECONDS),
    });
    this.sweepScheduleDlq = new Queue(this, QUEUE_IDS.sweepScheduleDlq, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      // Evidence of missed ticks only (see the property's TSDoc): nothing to retain.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.sweepScheduleDlq.node.defaultChild as CfnQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'SweepScheduleDlq is itself a dead-letter queue: the DLQ of the sweep schedule rule target, which ' +
        'cdk-nag does not recognise as a DLQ use. It has no consumer to fail, and its depth is alarmed.',
    });
    // A sweep that failed is not retried (the next minute's sweep takes over), but it is kept
    // as evidence with the schedule's undelivered events.
    this.sweep.sendAsyncFailuresTo(this.sweepScheduleDlq, {
      retryAttempts: 0,
      maxEventAge: Duration.hours(1),
    });
    this.sweepSchedule = new Rule(this, 'SweepSchedule', {
      description: 'Runs the notification sweep every minute',
      schedule: Schedule.expression(SWEEP_SCHEDULE),
      targets: [
        new LambdaFunction(this.sweep.function, {
          retryAttempts: 2,
          maxEventAge: Duration.hours(1),
          deadLetterQueue: this.sweepScheduleDlq,
        }),
      ],
    });

    this.mailer = this.mailConsumer(mailerFunction, resources, resources.queues.focalPointMail);
    this.escalator = this.mailConsumer(escalatorFunction, resources, resources.queues.escalation);
  }

  /**
   * An SQS consumer sending mail: partial batch responses, and at most two concurrent
   * invocations per queue. Two is the smallest maximum concurrency Lambda accepts and is
   * sized to the SES sending rate: assuming the SES production default of 14 messages/s and
   * about 150 ms per `SendRawEmail`, two invocations sending one message at a time stay
   * near 13 messages/s; the escalator adds little (a handful of escalations per day).
   * Throttled sends are retried through the queue (visibility timeout), not by sleeping.
   */
  private mailConsumer(spec: FunctionSpec, resources: BindableResources, queue: IQueue): HouseFunction {
    const consumer = manifestFunction(this, spec, resources, {
      // The mail queues' visibility timeout is six times this (topology.ts).
      timeout: Duration.seconds(MAIL_CONSUMER_TIMEOUT_SECONDS),
    });
    consumer.function.addEventSource(
      new SqsEventSource(queue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
        maxConcurrency: 2,
      }),
    );
    return consumer;
  }
}
