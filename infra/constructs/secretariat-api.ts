import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  type CorsPreflightOptions,
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
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { apiRoutes } from '#shared/http/api-routes.ts';
import { openApiDocument } from '#shared/http/openapi.ts';
import { encodeOpenApiDocument, OPENAPI_DOCUMENT_CONSTANT } from '#shared/http/openapi-document.ts';
import { apiFunction } from '#shared/manifest/api.ts';
import { emailMaskingPolicy, type HouseFunction } from '../house-function.ts';
import { type BindableResources, manifestFunction } from '../manifest-bindings.ts';
import type { OidcIdentityProvider } from '../stateful-stack.ts';
import { API_ROUTES, API_TIMEOUT_SECONDS } from '../topology.ts';

/** Properties of the {@link SecretariatApi}. */
export interface SecretariatApiProps {
  readonly resources: BindableResources;
  /** Whose JWTs the API accepts. */
  readonly identityProvider: OidcIdentityProvider;
  /**
   * The one browser origin allowed to call the API (CORS): the Secretariat console's
   * (`https://<host>`, no trailing slash).
   * @default - no CORS: no browser client
   */
  readonly consoleOrigin?: string;
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

let encoded: string | undefined;
/** The OpenAPI document as the API bundle carries it, encoded once per synth process. */
function encodedOpenApiDocument(): string {
  encoded ??= encodeOpenApiDocument(openApiDocument(apiRoutes));
  return encoded;
}

/**
 * CORS for the console: its origin only (no credentials: the token travels in `Authorization`),
 * the methods of the contract, the request headers the console sends and the response headers it
 * reads (DESIGN §4).
 */
export function consoleCors(origin: string): CorsPreflightOptions {
  return {
    allowOrigins: [origin],
    allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.DELETE],
    allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'accept'],
    // x-next-cursor: the timeliness CSV's next page (a CSV body has no place for it).
    exposeHeaders: ['etag', 'idempotent-replayed', 'retry-after', 'x-next-cursor'],
    // Chromium caps a preflight's lifetime at two hours; a longer one buys nothing.
    maxAge: Duration.hours(2),
  };
}

/**
 * The Secretariat API: an HTTP API with a JWT authorizer trusting the identity provider it is
 * given, one explicit route per method and path (from the function manifest), CORS for the
 * console's origin alone, access logs without identities beyond the token subject, and the API
 * function behind every route.
 */
export class SecretariatApi extends Construct {
  public readonly function: HouseFunction;
  public readonly httpApi: HttpApi;
  /** The `$default` stage, with access logging and throttling. */
  public readonly stage: HttpStage;
  public readonly accessLogGroup: LogGroup;
  /** The routes, keyed by route key (`'GET /reviews'`). */
  public readonly routes: ReadonlyMap<string, HttpRoute>;

  constructor(scope: Construct, id: string, props: SecretariatApiProps) {
    super(scope, id);
    this.function = manifestFunction(this, apiFunction, props.resources, {
      timeout: Duration.seconds(API_TIMEOUT_SECONDS),
      // GET /openapi.json answers the document built here from the bundle's own schemas, so
      // zod's JSON Schema code stays out of the bundle (shared/http/openapi-document.ts).
      define: { [OPENAPI_DOCUMENT_CONSTANT]: JSON.stringify(encodedOpenApiDocument()) },
    });

    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'UNTOC review tracker: Secretariat API',
      // Explicit stage below (access logs, throttling).
      createDefaultStage: false,
      // API Gateway answers the console's preflights itself, before the JWT authorizer.
      ...(props.consoleOrigin === undefined ? {} : { corsPreflight: consoleCors(props.consoleOrigin) }),
    });
    this.accessLogGroup = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      dataProtectionPolicy: emailMaskingPolicy(),
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
    const integration = new HttpLambdaIntegration('ApiIntegration', this.function.function);
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
          reason:
            route.path === '/health'
              ? `${route.method} ${route.path} is the unauthenticated liveness probe (DESIGN.md section 4); it reads no data.`
              : `${route.method} ${route.path} is the focal points' personal page (DESIGN.md section 10): authorized by the signed token in its path (HMAC-SHA256, expiring, one review stage and person), rate-limited per token; focal points never log in.`,
        });
      }
    }
    this.routes = routes;
  }
}
