import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  type HttpRoute,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Alarm, ComparisonOperator, type IMetric, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import {
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  DkimIdentity,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
} from 'aws-cdk-lib/aws-ses';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { type CfnQueue, type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { HouseFunction } from './house-function.ts';
import type { OidcIdentityProvider } from './stateful-stack.ts';
import {
  API_ROUTES,
  API_TIMEOUT_SECONDS,
  ENV_NAMES,
  FUNCTION_ENTRIES,
  MAIL_CONSUMER_TIMEOUT_SECONDS,
  NOTIFICATIONS_DUE_INDEX,
  QUEUE_IDS,
  REVIEW_ITEM_SK,
  REVIEWS_INDEXES,
  SWEEP_SCHEDULE,
} from './topology.ts';

/** The time zone of record when none is configured: the Secretariat's duty station. */
export const DEFAULT_TIME_ZONE = 'Europe/Vienna';
/** The Secretariat's address when none is configured. */
export const DEFAULT_SECRETARIAT_EMAIL = 'untoc.review@un.org';
/** The `From` address of every e-mail when none is configured. */
export const DEFAULT_SENDER_EMAIL = 'no-reply@example.org';

/** Every alarm looks at one five-minute period. */
const ALARM_PERIOD = Duration.minutes(5);
/** A mail queue whose oldest message waits longer than this is not being drained. */
const MAIL_QUEUE_MAX_AGE = Duration.minutes(15);
/** A planner lagging its stream by more than this delays stage notices noticeably. */
const PLANNER_MAX_ITERATOR_AGE = Duration.minutes(5);

/**
 * Properties of the {@link StatelessStack}: the stateful stack's tables, queues and identity
 * provider plus settings.
 */
export interface StatelessStackProps extends StackProps {
  /**
   * Reviews table (read and written by the API, read by the mail consumers, written by the
   * feedback function). Must have a stream: it is the planner's event source.
   */
  readonly reviewsTable: ITable;
  /** Notifications table (read by the API, read and written by the pipeline functions). */
  readonly notificationsTable: ITable;
  /** Idempotency table (read and written by the API). */
  readonly idempotencyTable: ITable;
  /** Mail to focal points: written by the planner and the sweep, consumed by the mailer. */
  readonly focalPointMailQueue: IQueue;
  /** Dead-letter queue of {@link focalPointMailQueue} (alarmed). */
  readonly focalPointMailDlq: IQueue;
  /** Escalations: written by the sweep and the feedback function, consumed by the escalator. */
  readonly escalationQueue: IQueue;
  /** Dead-letter queue of {@link escalationQueue} (alarmed). */
  readonly escalationDlq: IQueue;
  /** On-failure destination of the planner's stream event source mapping (alarmed). */
  readonly plannerDlq: IQueue;
  /** On-failure destination of the feedback function's asynchronous invocations (alarmed). */
  readonly feedbackDlq: IQueue;
  /** The deployment's signing secret (read by the API, which signs listing cursors with it). */
  readonly signingSecret: ISecret;
  /**
   * The `From` address of every e-mail (`SENDER_EMAIL`). Unless `senderDomain` is given,
   * operators verify it (or its domain) in SES themselves.
   * @default 'no-reply@example.org'
   */
  readonly senderEmail?: string;
  /**
   * A domain to create an SES identity for (Easy DKIM); `senderEmail` must be an address of
   * it. Sending is then allowed from that identity only.
   * @default - no identity is created; sending is allowed from the identity of `senderEmail`
   *   or of its domain, whichever operators verify
   */
  readonly senderDomain?: string;
  /**
   * The SNS topic every alarm notifies.
   * @default - a KMS-encrypted topic created by this stack
   */
  readonly alarmTopic?: ITopic;
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
   * Whose JWTs the API accepts: the stateful stack's `identityProvider`, i.e. its user
   * pool's issuer URL and app client, or an organisation's own identity provider.
   */
  readonly identityProvider: OidcIdentityProvider;
  /**
   * Default stage throttling, requests per second (steady state).
   * @default 20
   */
  readonly throttleRateLimit?: number;
  /**
   * Default stage throttling, burst size.
   * @default 50
   */
  readonly throttleBurstLimit?: number;
}

/**
 * The replaceable part of the app: the Secretariat API (HTTP API with a JWT authorizer
 * trusting the identity provider it is given) and its Lambda function; the notification
 * pipeline (planner, sweep, mailer, escalator, feedback), its SES configuration set and the
 * alarms. The user pool, like the tables and queues, lives in the stateful stack.
 */
export class StatelessStack extends Stack {
  /** The function serving every API route. */
  public readonly apiFunction: HouseFunction;
  /** Reviews table stream consumer: plans, cancels and queues notifications. */
  public readonly plannerFunction: HouseFunction;
  /** Moves due notifications to the mail queues every minute. */
  public readonly sweepFunction: HouseFunction;
  /** Focal-point mail queue consumer. */
  public readonly mailerFunction: HouseFunction;
  /** Escalation queue consumer. */
  public readonly escalatorFunction: HouseFunction;
  /** SES bounce and complaint consumer. */
  public readonly feedbackFunction: HouseFunction;
  /** The sweep's `rate(1 minute)` schedule. */
  public readonly sweepSchedule: Rule;
  /**
   * Dead-letter queue of the sweep's schedule target. It lives here, not in the stateful
   * stack, because its queue policy must name the rule (a cross-stack cycle otherwise), and
   * because it holds no data: a scheduled event carries only its time, and the next sweep
   * picks up whatever a failed one left due.
   */
  public readonly sweepScheduleDlq: Queue;
  /** The configuration set every e-mail is sent with: TLS required, reputation metrics. */
  public readonly configurationSet: ConfigurationSet;
  /** The sender domain's SES identity, when `senderDomain` is given. */
  public readonly senderIdentity: EmailIdentity | undefined;
  /** Receives the configuration set's bounce and complaint events; feeds the feedback function. */
  public readonly feedbackTopic: Topic;
  /** The topic every alarm notifies. */
  public readonly alarmTopic: ITopic;
  /** Every alarm, keyed by construct id. */
  public readonly alarms: ReadonlyMap<string, Alarm>;
  /** The HTTP API. */
  public readonly httpApi: HttpApi;
  /** The `$default` stage, with access logging and throttling. */
  public readonly stage: HttpStage;
  /** The access log group of the stage. */
  public readonly accessLogGroup: LogGroup;
  /** The routes, keyed by route key (`'GET /reviews'`). */
  public readonly routes: ReadonlyMap<string, HttpRoute>;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);

    const timeZone = props.timeZone ?? DEFAULT_TIME_ZONE;
    const secretariatEmail = props.secretariatEmail ?? DEFAULT_SECRETARIAT_EMAIL;
    const senderEmail = props.senderEmail ?? DEFAULT_SENDER_EMAIL;

    this.apiFunction = new HouseFunction(this, 'ApiFunction', {
      entry: FUNCTION_ENTRIES.api,
      description: 'Secretariat API: every route of the HTTP API',
      timeout: Duration.seconds(API_TIMEOUT_SECONDS),
    })
      .bindTable(props.reviewsTable, ENV_NAMES.reviewsTable, 'readWrite', {
        indexes: [REVIEWS_INDEXES.list, REVIEWS_INDEXES.openDeadlines],
      })
      .bindTable(props.notificationsTable, ENV_NAMES.notificationsTable, 'read')
      .bindTable(props.idempotencyTable, ENV_NAMES.idempotencyTable, 'readWrite')
      .bindSecret(props.signingSecret, ENV_NAMES.signingSecretArn)
      .bindValue(ENV_NAMES.timeZoneOfRecord, timeZone);

    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'UNTOC review tracker: Secretariat API',
      // Explicit stage below (access logs, throttling); CORS stays off: no browser client.
      createDefaultStage: false,
    });

    this.accessLogGroup = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      autoDeploy: true,
      throttle: { rateLimit: props.throttleRateLimit ?? 20, burstLimit: props.throttleBurstLimit ?? 50 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogGroup),
        // No identity beyond the token subject: names and e-mail addresses stay out of logs.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            sub: '$context.authorizer.claims.sub',
          }),
        ),
      },
    });

    const jwtAuthorizer = new HttpJwtAuthorizer('JwtAuthorizer', props.identityProvider.issuer, {
      jwtAudience: [...props.identityProvider.audience],
    });
    const noAuthorizer = new HttpNoneAuthorizer();
    const integration = new HttpLambdaIntegration('ApiIntegration', this.apiFunction.function);
    const routes = new Map<string, HttpRoute>();
    for (const route of API_ROUTES) {
      const authorizer: IHttpRouteAuthorizer = route.auth === 'jwt' ? jwtAuthorizer : noAuthorizer;
      const [created] = this.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration,
        authorizer,
      });
      if (!created) throw new Error(`route ${route.method} ${route.path} was not created`);
      routes.set(`${route.method} ${route.path}`, created);
      if (route.auth === 'none') {
        Validations.of(created.node.defaultChild ?? created).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is the unauthenticated liveness probe (DESIGN.md section 4); it reads no data.`,
        });
      }
    }
    this.routes = routes;

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url, description: 'Base URL of the Secretariat API' });

    // --- E-mail: configuration set, optional sender identity, bounce/complaint feedback ---
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
    });
    this.senderIdentity = this.createSenderIdentity(senderEmail, props.senderDomain);
    const senderIdentityArns = this.senderIdentity
      ? [this.senderIdentity.emailIdentityArn]
      : // Operators verify either the address or its domain; SES authorises a send against
        // whichever identity it uses, so both ARNs are named (and nothing else).
        [this.sesIdentityArn(senderEmail), this.sesIdentityArn(domainOf(senderEmail))];

    this.feedbackTopic = this.encryptedTopic(
      'SesFeedback',
      'ses.amazonaws.com',
      'SES bounce and complaint events of the configuration set',
    );
    this.configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: EventDestination.snsTopic(this.feedbackTopic),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });

    // --- Notification pipeline ---
    this.plannerFunction = new HouseFunction(this, 'PlannerFunction', {
      entry: FUNCTION_ENTRIES.planner,
      description: 'Plans, cancels and queues notifications on each review change (Reviews stream)',
      // A batch of 25 reviews, each one transaction of planned items plus the stage notices.
      timeout: Duration.seconds(60),
    })
      .bindTable(props.notificationsTable, ENV_NAMES.notificationsTable, 'readWrite')
      .bindQueue(props.focalPointMailQueue, ENV_NAMES.focalPointQueueUrl)
      // Records it cannot handle are parked there whole, images included, for a replay.
      .bindQueue(props.plannerDlq, ENV_NAMES.plannerDlqUrl)
      .bindValue(ENV_NAMES.timeZoneOfRecord, timeZone);
    // Grants stream read on this table's stream only (`grantStreamRead`).
    this.plannerFunction.consumeTableStream(props.reviewsTable, {
      // When the mapping is created (or re-created with the stack), start from the oldest
      // record the stream keeps (24 h), so no review change made in between is missed.
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: 25,
      bisectBatchOnError: true,
      retryAttempts: 5,
      maxRecordAge: Duration.days(1),
      reportBatchItemFailures: true,
      onFailure: new SqsDlq(props.plannerDlq),
      // Only the review item plans notifications; history events, focal points and ledger
      // entries of the same partition never invoke the planner.
      filters: [
        FilterCriteria.filter({ dynamodb: { Keys: { sk: { S: FilterRule.isEqual(REVIEW_ITEM_SK) } } } }),
      ],
    });

    this.sweepFunction = new HouseFunction(this, 'SweepFunction', {
      entry: FUNCTION_ENTRIES.sweep,
      description: 'Every minute: moves due notifications from the due index to the mail queues',
      // Finishes before the next tick; an overlap would be harmless (queueing is conditional).
      timeout: Duration.seconds(50),
    })
      .bindTable(props.notificationsTable, ENV_NAMES.notificationsTable, ['UpdateItem'], {
        indexes: [NOTIFICATIONS_DUE_INDEX],
      })
      .bindQueue(props.focalPointMailQueue, ENV_NAMES.focalPointQueueUrl)
      .bindQueue(props.escalationQueue, ENV_NAMES.escalationQueueUrl);
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
    this.sweepSchedule = new Rule(this, 'SweepSchedule', {
      description: 'Runs the notification sweep every minute',
      schedule: Schedule.expression(SWEEP_SCHEDULE),
      targets: [
        new LambdaFunction(this.sweepFunction.function, {
          retryAttempts: 2,
          maxEventAge: Duration.hours(1),
          deadLetterQueue: this.sweepScheduleDlq,
        }),
      ],
    });

    this.mailerFunction = this.createMailConsumer('MailerFunction', props, {
      entry: FUNCTION_ENTRIES.mailer,
      description: 'Sends stage notices, reminders and overdue notices to focal points',
      queue: props.focalPointMailQueue,
      senderEmail,
      secretariatEmail,
      timeZone,
      senderIdentityArns,
    });
    this.escalatorFunction = this.createMailConsumer('EscalatorFunction', props, {
      entry: FUNCTION_ENTRIES.escalator,
      description: 'Sends escalations to the Secretariat',
      queue: props.escalationQueue,
      senderEmail,
      secretariatEmail,
      timeZone,
      senderIdentityArns,
    });

    this.feedbackFunction = new HouseFunction(this, 'FeedbackFunction', {
      entry: FUNCTION_ENTRIES.feedback,
      description: 'Marks bounced or complaining addresses undeliverable and escalates',
    })
      .bindTable(props.reviewsTable, ENV_NAMES.reviewsTable, 'readWrite')
      .bindTable(props.notificationsTable, ENV_NAMES.notificationsTable, 'readWrite')
      .bindQueue(props.escalationQueue, ENV_NAMES.escalationQueueUrl)
      // SNS invokes asynchronously: Lambda's own retries, then the FeedbackDlq, so a bounce the
      // function cannot handle is kept for a replay instead of dropped.
      .sendAsyncFailuresTo(props.feedbackDlq, { retryAttempts: 2, maxEventAge: Duration.hours(6) });
    // No subscription dead-letter queue: its queue policy must name this topic, which the
    // stateful FeedbackDlq cannot (a cross-stack cycle). SNS retries a delivery to Lambda for
    // 23 days, and Lambda accepts an event as long as the function and its permission exist.
    this.feedbackTopic.addSubscription(new LambdaSubscription(this.feedbackFunction.function));

    // --- Alarms ---
    this.alarmTopic =
      props.alarmTopic ??
      this.encryptedTopic('Alarm', 'cloudwatch.amazonaws.com', 'Alarms of the UNTOC review tracker');
    this.alarms = this.createAlarms(props);

    new CfnOutput(this, 'SesConfigurationSetName', {
      value: this.configurationSet.configurationSetName,
      description: 'SES configuration set every e-mail is sent with (bounce and complaint events go to SNS)',
    });
    new CfnOutput(this, 'SesSenderIdentity', {
      value: props.senderDomain ?? senderEmail,
      description: this.senderIdentity
        ? 'SES domain identity created by this stack: publish its three Easy DKIM CNAME records ' +
          '(SES console) before sending; leave the SES sandbox for mail to unverified recipients'
        : 'No SES identity is created: verify this sender address (or its domain) in SES before ' +
          'sending, and leave the SES sandbox for mail to unverified recipients',
    });
    new CfnOutput(this, 'SweepScheduleDlqUrl', {
      value: this.sweepScheduleDlq.queueUrl,
      description: 'Sweep invocations EventBridge gave up on (evidence only: the next sweep catches up)',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarmTopic.topicArn,
      description: 'Subscribe operators to this topic to receive the alarms',
    });
  }

  /**
   * An SQS consumer sending mail: partial batch responses, and at most two concurrent
   * invocations per queue. Two is the smallest maximum concurrency Lambda accepts and is
   * sized to the SES sending rate: assuming the SES production default of 14 messages/s and
   * about 150 ms per `SendRawEmail`, two invocations sending one message at a time stay
   * near 13 messages/s; the escalator adds little (a handful of escalations per day).
   * Throttled sends are retried through the queue (visibility timeout), not by sleeping.
   */
  private createMailConsumer(
    id: string,
    props: StatelessStackProps,
    options: {
      entry: string;
      description: string;
      queue: IQueue;
      senderEmail: string;
      secretariatEmail: string;
      timeZone: string;
      senderIdentityArns: readonly string[];
    },
  ): HouseFunction {
    const consumer = new HouseFunction(this, id, {
      entry: options.entry,
      description: options.description,
      // The mail queues' visibility timeout is six times this (topology.ts).
      timeout: Duration.seconds(MAIL_CONSUMER_TIMEOUT_SECONDS),
    })
      .bindTable(props.reviewsTable, ENV_NAMES.reviewsTable, 'read')
      .bindTable(props.notificationsTable, ENV_NAMES.notificationsTable, [
        'GetItem',
        'Query',
        'UpdateItem',
        // The first claim of a stage epoch's stage notice creates its recipients item.
        'PutItem',
      ])
      .bindValue(ENV_NAMES.senderEmail, options.senderEmail)
      .bindValue(ENV_NAMES.secretariatEmail, options.secretariatEmail)
      .bindValue(ENV_NAMES.timeZoneOfRecord, options.timeZone)
      .bindEmailSending(this.configurationSet, ENV_NAMES.sesConfigurationSet, options.senderIdentityArns);
    consumer.function.addEventSource(
      new SqsEventSource(options.queue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
        maxConcurrency: 2,
      }),
    );
    return consumer;
  }

  /** The domain identity (Easy DKIM) when `senderDomain` is given; none otherwise. */
  private createSenderIdentity(
    senderEmail: string,
    senderDomain: string | undefined,
  ): EmailIdentity | undefined {
    if (senderDomain === undefined) return undefined;
    const domain = domainOf(senderEmail);
    if (domain !== senderDomain.toLowerCase()) {
      throw new Error(`senderEmail '${senderEmail}' must be an address of senderDomain '${senderDomain}'`);
    }
    return new EmailIdentity(this, 'SenderIdentity', {
      identity: Identity.domain(senderDomain),
      dkimIdentity: DkimIdentity.easyDkim(),
      configurationSet: this.configurationSet,
    });
  }

  /** The ARN of an SES identity (address or domain) in this account and region. */
  private sesIdentityArn(identity: string): string {
    return this.formatArn({ service: 'ses', resource: 'identity', resourceName: identity });
  }

  /**
   * A topic encrypted with its own customer managed key (SNS cannot use the AWS managed
   * key for messages published by AWS services), TLS only. `publisher`, an AWS service
   * principal, may use the key and publish to the topic on behalf of this account only.
   */
  private encryptedTopic(id: string, publisher: string, displayName: string): Topic {
    const key = new Key(this, `${id}TopicKey`, {
      description: `Encrypts the messages of the ${id}Topic SNS topic`,
      enableKeyRotation: true,
      // It protects messages in flight only: nothing stored outlives the topic.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowPublisherServiceToEncryptMessages',
        principals: [new ServicePrincipal(publisher)],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    const topic = new Topic(this, `${id}Topic`, { displayName, masterKey: key, enforceSSL: true });
    if (publisher === 'cloudwatch.amazonaws.com') {
      // The SES event destination adds its own statement; CloudWatch alarms need this one,
      // since the SSL-only policy replaces the topic's default policy.
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
    }
    return topic;
  }

  /**
   * One alarm per failure signal, each on one five-minute period, missing data not
   * breaching: every dead-letter queue holding a message, each mail queue's oldest message
   * older than 15 minutes, any error of a function, and the planner lagging its stream.
   */
  private createAlarms(props: StatelessStackProps): Map<string, Alarm> {
    const alarms = new Map<string, Alarm>();
    const add = (id: string, metric: IMetric, threshold: number, description: string): void => {
      const alarm = new Alarm(this, id, {
        metric,
        threshold,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      alarm.addAlarmAction(new SnsAction(this.alarmTopic));
      alarms.set(id, alarm);
    };

    const deadLetterQueues: Array<[string, IQueue, string]> = [
      [QUEUE_IDS.focalPointMailDlq, props.focalPointMailDlq, 'focal-point mail that failed 5 times'],
      [QUEUE_IDS.escalationDlq, props.escalationDlq, 'escalations that failed 5 times'],
      [
        QUEUE_IDS.plannerDlq,
        props.plannerDlq,
        'review changes the planner could not plan (parked whole, or batches it gave up on)',
      ],
      [QUEUE_IDS.feedbackDlq, props.feedbackDlq, 'SES feedback events the feedback function gave up on'],
      [QUEUE_IDS.sweepScheduleDlq, this.sweepScheduleDlq, 'sweep invocations EventBridge gave up on'],
    ];
    for (const [id, queue, holds] of deadLetterQueues) {
      add(
        `${id}MessagesAlarm`,
        queue.metricApproximateNumberOfMessagesVisible({ period: ALARM_PERIOD, statistic: Stats.MAXIMUM }),
        1,
        `${id} holds ${holds}: investigate, then redrive`,
      );
    }

    const mailQueues: Array<[string, IQueue]> = [
      [QUEUE_IDS.focalPointMail, props.focalPointMailQueue],
      [QUEUE_IDS.escalation, props.escalationQueue],
    ];
    for (const [id, queue] of mailQueues) {
      add(
        `${id}AgeAlarm`,
        queue.metricApproximateAgeOfOldestMessage({ period: ALARM_PERIOD, statistic: Stats.MAXIMUM }),
        MAIL_QUEUE_MAX_AGE.toSeconds(),
        `${id}: oldest message waits 15 minutes or more (consumer failing or throttled by SES)`,
      );
    }

    const functions: Array<[string, HouseFunction]> = [
      ['ApiFunction', this.apiFunction],
      ['PlannerFunction', this.plannerFunction],
      ['SweepFunction', this.sweepFunction],
      ['MailerFunction', this.mailerFunction],
      ['EscalatorFunction', this.escalatorFunction],
      ['FeedbackFunction', this.feedbackFunction],
    ];
    for (const [id, fn] of functions) {
      add(
        `${id}ErrorsAlarm`,
        fn.function.metricErrors({ period: ALARM_PERIOD, statistic: Stats.SUM }),
        1,
        `${id} failed at least once in 5 minutes`,
      );
    }

    add(
      'PlannerFunctionIteratorAgeAlarm',
      this.plannerFunction.function.metric('IteratorAge', { period: ALARM_PERIOD, statistic: Stats.MAXIMUM }),
      PLANNER_MAX_ITERATOR_AGE.toMilliseconds(),
      'PlannerFunction lags the Reviews stream by 5 minutes or more: stage notices are late',
    );
    return alarms;
  }
}

/** The domain part of an e-mail address, lower-cased. */
function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}
