import { Aws, Duration, RemovalPolicy, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { type CfnQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DIGEST_TIMEOUT_SECONDS, digestFunction } from '#shared/manifest/digest.ts';
import type { HouseFunction } from '../house-function.ts';
import { type BindableResources, manifestFunction } from '../manifest-bindings.ts';
import { DIGEST_SCHEDULE, QUEUE_IDS } from '../topology.ts';

/** Properties of the {@link SecretariatDigest}. */
export interface SecretariatDigestProps {
  /** The stateful resources and settings; `settings.timeZone` is the schedule's time zone. */
  readonly resources: BindableResources;
}

/**
 * The weekly Secretariat digest (DESIGN §2): the digest function, invoked by an EventBridge
 * Scheduler schedule every Monday at 08:00 in the time zone of record (the schedule's own time
 * zone, so the hour holds across DST, which a UTC rule cannot do), with the schedule's time as
 * the event's `time`. Failures are handled as the sweep's are (DESIGN §8): what the scheduler
 * could not deliver and the invocations that still failed after Lambda's retries land in the
 * `DigestScheduleDlq`, whose depth and the function's errors are alarmed. Unlike a missed sweep
 * tick, a missed digest is not caught up by the next run a minute later, so a failed run is
 * retried: the per-officer claims make a retry send only what is still missing.
 */
export class SecretariatDigest extends Construct {
  public readonly function: HouseFunction;
  /** The Monday 08:00 schedule (`AWS::Scheduler::Schedule`). */
  public readonly schedule: Schedule;
  /**
   * Dead-letter queue of the schedule's target and of the function's failed invocations. Here,
   * not in the stateful stack, as the sweep's: it holds no data (an event carries only its time).
   */
  public readonly scheduleDlq: Queue;
  /** The role the scheduler assumes: invoke the digest function, send to the DLQ, nothing else. */
  public readonly scheduleRole: Role;

  constructor(scope: Construct, id: string, props: SecretariatDigestProps) {
    super(scope, id);
    const { resources } = props;

    this.function = manifestFunction(this, digestFunction, resources, {
      timeout: Duration.seconds(DIGEST_TIMEOUT_SECONDS),
    });
    this.scheduleDlq = new Queue(this, QUEUE_IDS.digestScheduleDlq, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      // Evidence of a failed weekly run only: nothing to retain.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.scheduleDlq.node.defaultChild as CfnQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'DigestScheduleDlq is itself a dead-letter queue: the DLQ of the digest schedule target and of the ' +
        "digest function's failed invocations, which cdk-nag does not recognise as a DLQ use. It has no " +
        'consumer to fail, and its depth is alarmed.',
    });
    // Twice more, a minute and then two later: a claim left by a run that died goes stale after
    // the function's timeout, so the last retry can take it over.
    this.function.sendAsyncFailuresTo(this.scheduleDlq, { retryAttempts: 2, maxEventAge: Duration.hours(6) });
    // The scheduler's own role, granted exactly what it does: invoke this function (not its
    // versions and aliases, `<arn>:*`, which the target's default role adds) and keep what it
    // could not deliver in the DLQ. Handed over without policy updates, so nothing widens it.
    this.scheduleRole = new Role(this, 'ScheduleRole', {
      description: 'Lets the weekly digest schedule invoke the digest function',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': Aws.ACCOUNT_ID,
            'aws:SourceArn': Stack.of(this).formatArn({
              service: 'scheduler',
              resource: 'schedule-group',
              resourceName: 'default',
            }),
          },
        },
      }),
      inlinePolicies: {
        invokeDigest: new PolicyDocument({
          statements: [
            new PolicyStatement({
              actions: ['lambda:InvokeFunction'],
              resources: [this.function.function.functionArn],
            }),
            new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.scheduleDlq.queueArn] }),
          ],
        }),
      },
    });
    this.schedule = new Schedule(this, 'DigestSchedule', {
      description: 'Sends the weekly Secretariat digest, Mondays 08:00 in the time zone of record',
      schedule: ScheduleExpression.expression(DIGEST_SCHEDULE, TimeZone.of(resources.settings.timeZone)),
      target: new LambdaInvoke(this.function.function, {
        role: this.scheduleRole.withoutPolicyUpdates(),
        // A scheduled event as EventBridge writes one: the run's `now` is its `time`.
        input: ScheduleTargetInput.fromObject({
          id: ContextAttribute.executionId,
          'detail-type': 'Scheduled Event',
          source: 'aws.scheduler',
          time: ContextAttribute.scheduledTime,
          resources: [ContextAttribute.scheduleArn],
          detail: {},
        }),
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
        deadLetterQueue: this.scheduleDlq,
      }),
    });
  }
}
