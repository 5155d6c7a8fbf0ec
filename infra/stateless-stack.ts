import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { DEFAULT_GROUPS_CLAIM } from '#shared/http/api-event.ts';
import { MailFeedback } from './constructs/mail-feedback.ts';
import { NotificationPipeline } from './constructs/notification-pipeline.ts';
import { OperationalAlarms } from './constructs/operational-alarms.ts';
import { PipelineDashboard } from './constructs/pipeline-dashboard.ts';
import { SecretariatApi } from './constructs/secretariat-api.ts';
import { SecretariatDigest } from './constructs/secretariat-digest.ts';
import type { HouseFunction } from './house-function.ts';
import type { BindableResources } from './manifest-bindings.ts';
import type { StatefulResources } from './stateful-stack.ts';
import { QUEUE_IDS } from './topology.ts';

/** The time zone of record when none is configured: the Secretariat's duty station. */
export const DEFAULT_TIME_ZONE = 'Europe/Vienna';
/** The Secretariat's address when none is configured. */
export const DEFAULT_SECRETARIAT_EMAIL = 'untoc.review@un.org';
/** The `From` address of every e-mail when none is configured (outside stage `prod` only). */
export const DEFAULT_SENDER_EMAIL = 'no-reply@example.org';
/** The `From` display name when none is configured. */
export const DEFAULT_SENDER_NAME = 'UNODC Review Mechanism';

/** Properties of the {@link StatelessStack}. */
export interface StatelessStackProps extends StackProps {
  /** The stateful stack's resources, as one typed prop. */
  readonly stateful: StatefulResources;
  /**
   * The `From` address of every e-mail (`SENDER_EMAIL`).
   * @default 'no-reply@example.org'
   */
  readonly senderEmail?: string;
  /**
   * The `From` display name of every e-mail (`SENDER_NAME`).
   * @default 'UNODC Review Mechanism'
   */
  readonly senderName?: string;
  /**
   * IANA time zone in which deadlines are calendar dates (`TIME_ZONE_OF_RECORD`).
   * @default 'Europe/Vienna'
   */
  readonly timeZone?: string;
  /**
   * The Secretariat's address for escalations (`SECRETARIAT_EMAIL`).
   * @default 'untoc.review@un.org'
   */
  readonly secretariatEmail?: string;
  /**
   * The token claim that lists the caller's groups (`GROUPS_CLAIM`).
   * @default 'cognito:groups'
   */
  readonly groupsClaim?: string;
  /**
   * The SNS topic every alarm notifies.
   * @default - a KMS-encrypted topic created by this stack
   */
  readonly alarmTopic?: ITopic;
  /**
   * Default stage throttling of the API, requests per second (steady state).
   * @default 20
   */
  readonly throttleRateLimit?: number;
  /**
   * Default stage throttling of the API, burst size.
   * @default 50
   */
  readonly throttleBurstLimit?: number;
}

/**
 * The replaceable part of the app, made of constructs with one job each: the Secretariat API,
 * the notification pipeline (planner, sweep, mailer, escalator), SES feedback, the weekly
 * Secretariat digest, the operational alarms and the pipeline dashboard. Tables, queues,
 * secrets, the SES identity and configuration set and the user pool live in the stateful stack.
 */
export class StatelessStack extends Stack {
  public readonly api: SecretariatApi;
  public readonly pipeline: NotificationPipeline;
  public readonly mailFeedback: MailFeedback;
  /** The weekly Secretariat digest and its Monday 08:00 schedule. */
  public readonly digest: SecretariatDigest;
  public readonly operationalAlarms: OperationalAlarms;
  public readonly dashboard: PipelineDashboard;
  /** The function serving every API route. */
  public readonly apiFunction: HouseFunction;
  public readonly plannerFunction: HouseFunction;
  public readonly sweepFunction: HouseFunction;
  public readonly mailerFunction: HouseFunction;
  public readonly escalatorFunction: HouseFunction;
  public readonly feedbackFunction: HouseFunction;
  public readonly digestFunction: HouseFunction;
  /** The topic every alarm notifies. */
  public readonly alarmTopic: ITopic;
  /** Every alarm, keyed by construct id. */
  public readonly alarms: ReadonlyMap<string, Alarm>;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { stateful } = props;
    const resources: BindableResources = {
      tables: stateful.tables,
      queues: stateful.queues,
      secrets: stateful.secrets,
      email: stateful.email,
      settings: {
        timeZone: props.timeZone ?? DEFAULT_TIME_ZONE,
        secretariatEmail: props.secretariatEmail ?? DEFAULT_SECRETARIAT_EMAIL,
        senderEmail: props.senderEmail ?? DEFAULT_SENDER_EMAIL,
        senderName: props.senderName ?? DEFAULT_SENDER_NAME,
        groupsClaim: props.groupsClaim ?? DEFAULT_GROUPS_CLAIM,
      },
    };

    this.api = new SecretariatApi(this, 'SecretariatApi', {
      resources,
      identityProvider: stateful.identityProvider,
      ...(props.throttleRateLimit === undefined ? {} : { throttleRateLimit: props.throttleRateLimit }),
      ...(props.throttleBurstLimit === undefined ? {} : { throttleBurstLimit: props.throttleBurstLimit }),
    });
    this.pipeline = new NotificationPipeline(this, 'Pipeline', { resources });
    this.mailFeedback = new MailFeedback(this, 'MailFeedback', {
      resources,
      feedbackDlq: stateful.queues.feedbackDlq,
    });
    this.digest = new SecretariatDigest(this, 'Digest', { resources });
    this.apiFunction = this.api.function;
    this.plannerFunction = this.pipeline.planner;
    this.sweepFunction = this.pipeline.sweep;
    this.mailerFunction = this.pipeline.mailer;
    this.escalatorFunction = this.pipeline.escalator;
    this.feedbackFunction = this.mailFeedback.function;
    this.digestFunction = this.digest.function;

    const { queues } = stateful;
    const deadLetterQueues = [
      [QUEUE_IDS.focalPointMailDlq, queues.focalPointMailDlq, 'focal-point mail that failed 5 times'],
      [QUEUE_IDS.escalationDlq, queues.escalationDlq, 'escalations that failed 5 times'],
      [
        QUEUE_IDS.plannerDlq,
        queues.plannerDlq,
        'review changes the planner could not plan (parked whole, or batches it gave up on)',
      ],
      [QUEUE_IDS.feedbackDlq, queues.feedbackDlq, 'SES feedback events the feedback function gave up on'],
      [
        'FeedbackSubscriptionDlq',
        this.mailFeedback.subscriptionDlq,
        'SES feedback events SNS could not deliver to the feedback function',
      ],
      [
        QUEUE_IDS.sweepScheduleDlq,
        this.pipeline.sweepScheduleDlq,
        'sweep invocations that failed or that EventBridge gave up on',
      ],
      [
        QUEUE_IDS.digestScheduleDlq,
        this.digest.scheduleDlq,
        'weekly digest runs that failed after their retries or that the scheduler gave up on (re-run the digest function)',
      ],
    ] as const;
    const mailQueues = [
      [QUEUE_IDS.focalPointMail, queues.focalPointMail],
      [QUEUE_IDS.escalation, queues.escalation],
    ] as const;
    const functions = [
      ['ApiFunction', this.apiFunction],
      ['PlannerFunction', this.plannerFunction],
      ['SweepFunction', this.sweepFunction],
      ['MailerFunction', this.mailerFunction],
      ['EscalatorFunction', this.escalatorFunction],
      ['FeedbackFunction', this.feedbackFunction],
      ['DigestFunction', this.digestFunction],
    ] as const;
    this.operationalAlarms = new OperationalAlarms(this, 'Alarms', {
      ...(props.alarmTopic ? { alarmTopic: props.alarmTopic } : {}),
      deadLetterQueues,
      mailQueues,
      functions,
      planner: this.plannerFunction,
      apiStage: this.api.stage,
      sesEventDimensions: this.mailFeedback.sendingEventDimensions,
    });
    this.dashboard = new PipelineDashboard(this, 'Dashboard', {
      apiStage: this.api.stage,
      planner: this.plannerFunction,
      functions,
      mailQueues,
      deadLetterQueues: deadLetterQueues.map(([queueId, queue]) => [queueId, queue] as const),
      sesEventDimensions: this.mailFeedback.sendingEventDimensions,
      alarms: [...this.operationalAlarms.alarms.values()],
    });
    this.alarmTopic = this.operationalAlarms.topic;
    this.alarms = this.operationalAlarms.alarms;

    new CfnOutput(this, 'ApiUrl', {
      value: this.api.stage.url,
      description: 'Base URL of the Secretariat API',
    });
    new CfnOutput(this, 'SweepScheduleDlqUrl', {
      value: this.pipeline.sweepScheduleDlq.queueUrl,
      description:
        'Sweep invocations that failed or that EventBridge gave up on (evidence only: the next sweep catches up)',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarmTopic.topicArn,
      description: 'Subscribe operators to this topic to receive the alarms',
    });
    const dashboardName = this.dashboard.dashboard.dashboardName;
    new CfnOutput(this, 'DashboardName', {
      value: dashboardName,
      description: 'CloudWatch dashboard of the pipeline end to end (API, planner, sweep, mail, SES, DLQs)',
    });
    new CfnOutput(this, 'DashboardUrl', {
      value: `https://console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${dashboardName}`,
      description: 'The dashboard in the CloudWatch console',
    });
  }
}
