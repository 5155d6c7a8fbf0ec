import { createHash } from 'node:crypto';
import { CfnOutput, Lazy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { DEFAULT_GROUPS_CLAIM } from '#shared/http/api-event.ts';
import type { ConsoleConfig } from '#shared/http/console-config.ts';
import { ConsoleHostedUi } from './constructs/console-hosted-ui.ts';
import { MailFeedback } from './constructs/mail-feedback.ts';
import { NotificationPipeline } from './constructs/notification-pipeline.ts';
import { OperationalAlarms } from './constructs/operational-alarms.ts';
import { PipelineDashboard } from './constructs/pipeline-dashboard.ts';
import { SecretariatApi } from './constructs/secretariat-api.ts';
import { type ConsoleCustomDomain, SecretariatConsole } from './constructs/secretariat-console.ts';
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

/**
 * The organisation's identity provider as the console signs in with it: its endpoints (https) and
 * the console's client registered there (public, authorization code flow with PKCE, redirect and
 * sign-out URL the console's URL).
 */
export interface ExternalConsoleSignIn {
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  /** @default - signing out ends the console's session only */
  readonly logoutEndpoint?: string;
  readonly clientId: string;
  /** Space-separated, as OAuth sends them; what makes the access token carry the groups claim. */
  readonly scopes: string;
}

/** Where the Secretariat console is served and how officers sign in to it. */
export interface ConsoleSettings {
  /**
   * The organisation's host name for the console, with an ACM certificate in us-east-1.
   * @default - the distribution's `*.cloudfront.net` name
   */
  readonly customDomain?: ConsoleCustomDomain;
  /**
   * The Hosted UI domain prefix, when the stateful stack's user pool signs officers in.
   * @default - `untoc-<hash of the stack name>-<account>` (`buildApp` passes `untoc-<stage>-<account>`)
   */
  readonly cognitoDomainPrefix?: string;
  /**
   * The organisation's provider as the console uses it: required when the stateful stack has no
   * user pool, refused when it has one.
   * @default - none: the user pool's Hosted UI
   */
  readonly externalSignIn?: ExternalConsoleSignIn;
}

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
   * The Secretariat console: its host name and its sign-in.
   * @default - the distribution's own name; the stateful stack's user pool through a Hosted UI
   */
  readonly console?: ConsoleSettings;
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
 * the Secretariat console (CloudFront, S3 and its sign-in client), the notification pipeline
 * (planner, sweep, mailer, escalator), SES feedback, the weekly Secretariat digest, the
 * operational alarms and the pipeline dashboard. Tables, queues, secrets, the SES identity and
 * configuration set and the user pool live in the stateful stack.
 */
export class StatelessStack extends Stack {
  public readonly api: SecretariatApi;
  /** The console's bucket, distribution and deployment. */
  public readonly secretariatConsole: SecretariatConsole;
  /** The console's Hosted UI domain and app client, when the user pool signs officers in. */
  public readonly consoleHostedUi: ConsoleHostedUi | undefined;
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
        // Personal links in focal-point mail point at the API that serves them (DESIGN §10).
        publicApiUrl: Lazy.string({ produce: () => this.api.httpApi.apiEndpoint }),
      },
    };

    // The console, its sign-in and the API name one another; built in the one order that
    // lets each take the others' values as props (sign-in origin, site, app client, API, files).
    const consoleSettings = props.console ?? {};
    const signIn = this.consoleSignIn(stateful, consoleSettings);
    const { customDomain } = consoleSettings;
    this.secretariatConsole = new SecretariatConsole(this, 'Console', {
      // CSP connect-src and the API's CORS cannot both name the other's generated host (the API's
      // id, the distribution's domain) in one stack: CloudFormation refuses the cycle. CORS stays
      // exact; without a custom domain connect-src names every execute-api host of the Region, a
      // wider net, while script-src 'self' keeps foreign script out. With a custom domain the
      // console's origin is known in advance, there is no cycle, and connect-src names this API.
      apiOrigins: [
        customDomain
          ? Lazy.string({ produce: () => this.api.httpApi.apiEndpoint })
          : `https://*.execute-api.${this.region}.${this.urlSuffix}`,
      ],
      identityOrigins: [signIn.tokenOrigin],
      ...(customDomain ? { customDomain } : {}),
    });
    const groupsClaim = resources.settings.groupsClaim;
    let consoleAuth: Extract<ConsoleConfig['auth'], { kind: 'oidc' }>;
    if (signIn.kind === 'cognito') {
      this.consoleHostedUi = new ConsoleHostedUi(this, 'ConsoleHostedUi', {
        userPool: signIn.userPool,
        domainPrefix: signIn.domainPrefix,
        consoleUrl: this.secretariatConsole.url,
      });
      consoleAuth = {
        kind: 'oidc',
        authorizationEndpoint: this.consoleHostedUi.authorizationEndpoint,
        tokenEndpoint: this.consoleHostedUi.tokenEndpoint,
        logoutEndpoint: this.consoleHostedUi.logoutEndpoint,
        clientId: this.consoleHostedUi.client.userPoolClientId,
        scopes: this.consoleHostedUi.scopes,
        groupsClaim,
      };
    } else {
      this.consoleHostedUi = undefined;
      consoleAuth = { kind: 'oidc', ...signIn.external, groupsClaim };
    }

    this.api = new SecretariatApi(this, 'SecretariatApi', {
      resources,
      // The console's tokens are the console client's (Cognito names it in `client_id`, most
      // providers in `aud`): the API accepts them beside the audiences it was given.
      identityProvider: {
        issuer: stateful.identityProvider.issuer,
        audience: [...new Set([...stateful.identityProvider.audience, consoleAuth.clientId])],
      },
      consoleOrigin: this.secretariatConsole.origin,
      ...(props.throttleRateLimit === undefined ? {} : { throttleRateLimit: props.throttleRateLimit }),
      ...(props.throttleBurstLimit === undefined ? {} : { throttleBurstLimit: props.throttleBurstLimit }),
    });
    // The API's endpoint has no trailing slash, as config.json wants it.
    this.secretariatConsole.publish({ apiUrl: this.api.httpApi.apiEndpoint, auth: consoleAuth });
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
    new CfnOutput(this, 'ConsoleUrl', {
      value: this.secretariatConsole.url,
      description: 'The Secretariat console: officers open it in a browser and sign in',
    });
    if (customDomain) {
      new CfnOutput(this, 'ConsoleDistributionDomainName', {
        value: this.secretariatConsole.distribution.distributionDomainName,
        description: `Point the DNS record of ${customDomain.domainName} (CNAME, or Route 53 alias) at this name`,
      });
    }
    if (this.consoleHostedUi) {
      new CfnOutput(this, 'ConsoleSignInDomain', {
        value: this.consoleHostedUi.baseUrl,
        description: "The user pool's Hosted UI domain, where the console sends officers to sign in",
      });
      new CfnOutput(this, 'ConsoleClientId', {
        value: this.consoleHostedUi.client.userPoolClientId,
        description: "The console's app client (authorization code flow with PKCE, no secret)",
      });
    }
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

  /**
   * How the console signs in: the stateful stack's user pool through a Hosted UI domain created
   * here, or the organisation's provider as configured; `tokenOrigin` is where the console
   * fetches its tokens (its CSP allows it).
   */
  private consoleSignIn(
    stateful: StatefulResources,
    settings: ConsoleSettings,
  ):
    | { kind: 'cognito'; userPool: IUserPool; domainPrefix: string; tokenOrigin: string }
    | { kind: 'external'; external: ExternalConsoleSignIn; tokenOrigin: string } {
    if (stateful.userPool) {
      if (settings.externalSignIn) {
        throw new Error(
          "console externalSignIn is for an external identity provider; the stateful stack's user pool signs the console in",
        );
      }
      const domainPrefix = settings.cognitoDomainPrefix ?? this.defaultDomainPrefix();
      return {
        kind: 'cognito',
        userPool: stateful.userPool,
        domainPrefix,
        // Known from the prefix before the domain exists (the console's CSP comes first).
        tokenOrigin: ConsoleHostedUi.baseUrl(this, domainPrefix),
      };
    }
    if (!settings.externalSignIn) {
      throw new Error(
        "console externalSignIn is required with an external identity provider: the console signs in with the provider's endpoints and its own client",
      );
    }
    return {
      kind: 'external',
      external: settings.externalSignIn,
      tokenOrigin: new URL(settings.externalSignIn.tokenEndpoint).origin,
    };
  }

  /** Unique per stack name and account; without `aws`, `amazon` or `cognito` in it. */
  private defaultDomainPrefix(): string {
    const hash = createHash('sha256').update(this.stackName).digest('hex').slice(0, 8);
    return `untoc-${hash}-${this.account}`;
  }
}
