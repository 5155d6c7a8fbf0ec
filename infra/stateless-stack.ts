import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
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
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { HouseFunction } from './house-function.ts';
import { API_ROUTES, ENV_NAMES, REVIEWS_INDEXES, ROLE_GROUPS } from './topology.ts';

/** The time zone of record when none is configured: the Secretariat's duty station. */
export const DEFAULT_TIME_ZONE = 'Europe/Vienna';
/** The Secretariat's address when none is configured. */
export const DEFAULT_SECRETARIAT_EMAIL = 'untoc.review@un.org';

/** An external OpenID Connect identity provider whose JWTs the API accepts. */
export interface OidcIdentityProvider {
  /** The issuer URL, matched against the token's `iss` claim. */
  readonly issuer: string;
  /** Accepted audiences, matched against the token's `aud` (or `client_id`) claim. */
  readonly audience: readonly string[];
}

/** Properties of the {@link StatelessStack}: the stateful stack's tables plus settings. */
export interface StatelessStackProps extends StackProps {
  /** Reviews table (read and written by the API). */
  readonly reviewsTable: ITable;
  /** Notifications table (read by the API). */
  readonly notificationsTable: ITable;
  /** Idempotency table (read and written by the API). */
  readonly idempotencyTable: ITable;
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
   * An organisation's own identity provider. When given, no user pool is created.
   * @default - a Cognito user pool created by this stack issues the tokens
   */
  readonly identityProvider?: OidcIdentityProvider;
  /**
   * Keep the user pool (its users) when the stack is deleted, with deletion protection.
   * @default true
   */
  readonly retainData?: boolean;
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
 * The replaceable part of the app: the Secretariat API (HTTP API with a JWT authorizer),
 * its Lambda function and, unless an external identity provider is configured, the
 * Cognito user pool issuing the tokens.
 */
export class StatelessStack extends Stack {
  /** The function serving every API route. */
  public readonly apiFunction: HouseFunction;
  /** The HTTP API. */
  public readonly httpApi: HttpApi;
  /** The `$default` stage, with access logging and throttling. */
  public readonly stage: HttpStage;
  /** The access log group of the stage. */
  public readonly accessLogGroup: LogGroup;
  /** The routes, keyed by route key (`'GET /reviews'`). */
  public readonly routes: ReadonlyMap<string, HttpRoute>;
  /** The user pool, when this stack creates one. */
  public readonly userPool: UserPool | undefined;
  /** The Secretariat tooling's app client, when this stack creates a user pool. */
  public readonly userPoolClient: UserPoolClient | undefined;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const retainData = props.retainData ?? true;

    this.apiFunction = new HouseFunction(this, 'ApiFunction', {
      entry: 'functions/api.handler.ts',
      description: 'Secretariat API: every route of the HTTP API',
    })
      .bindTable(props.reviewsTable, ENV_NAMES.reviewsTable, 'readWrite', {
        indexes: [REVIEWS_INDEXES.list, REVIEWS_INDEXES.openDeadlines],
      })
      .bindTable(props.notificationsTable, ENV_NAMES.notificationsTable, 'read')
      .bindTable(props.idempotencyTable, ENV_NAMES.idempotencyTable, 'readWrite')
      .bindValue(ENV_NAMES.timeZoneOfRecord, props.timeZone ?? DEFAULT_TIME_ZONE)
      .bindValue(ENV_NAMES.secretariatEmail, props.secretariatEmail ?? DEFAULT_SECRETARIAT_EMAIL);

    let jwtIssuer: string;
    let jwtAudience: string[];
    if (props.identityProvider) {
      jwtIssuer = props.identityProvider.issuer;
      jwtAudience = [...props.identityProvider.audience];
      this.userPool = undefined;
      this.userPoolClient = undefined;
    } else {
      const pool = this.createUserPool(retainData);
      this.userPool = pool.userPool;
      this.userPoolClient = pool.client;
      jwtIssuer = `https://cognito-idp.${this.region}.amazonaws.com/${pool.userPool.userPoolId}`;
      jwtAudience = [pool.client.userPoolClientId];
    }

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

    const jwtAuthorizer = new HttpJwtAuthorizer('JwtAuthorizer', jwtIssuer, { jwtAudience });
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
    if (this.userPool && this.userPoolClient) {
      new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
      new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId });
    }
  }

  /**
   * Secretariat officers only, created by an administrator. MFA is required (TOTP, no SMS):
   * the API exposes which States are late, which the mechanism keeps confidential
   * (DESIGN.md section 2), and the users are a handful of officers who can enrol an app.
   */
  private createUserPool(retainData: boolean): { userPool: UserPool; client: UserPoolClient } {
    const userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { sms: false, otp: true },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      removalPolicy: retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      deletionProtection: retainData,
    });
    for (const group of ROLE_GROUPS) {
      new CfnUserPoolGroup(this, `Group-${group}`, {
        userPoolId: userPool.userPoolId,
        groupName: group,
        description:
          group === 'secretariat' ? 'Secretariat officers: read and write' : 'Secretariat staff: read only',
      });
    }
    const client = userPool.addClient('SecretariatToolingClient', {
      generateSecret: false,
      // Command-line tooling signs in with SRP; no hosted UI, so no OAuth flows or callback URLs.
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    return { userPool, client };
  }
}
