import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';
import { FUNCTION_ENTRIES } from '../../infra/topology.ts';
import {
  actionsOf,
  appTemplates,
  environmentOf,
  importOf,
  mentions,
  onlyResource,
  SKIP_BUNDLING,
  type Statement,
  statementsOf,
} from './support/templates.ts';

const EXPECTED_ROUTE_KEYS = [
  'POST /reviews',
  'GET /reviews',
  'GET /reviews/{id}',
  'POST /reviews/{id}/transitions',
  'PUT /reviews/{id}/focal-points/{state}',
  'PUT /reviews/{id}/experts/{state}',
  'POST /reviews/{id}/submissions',
  'DELETE /reviews/{id}/submissions/{state}',
  'POST /reviews/{id}/deadline',
  'POST /reviews/{id}/pause',
  'POST /reviews/{id}/resume',
  'GET /reviews/{id}/history',
  'GET /reviews/{id}/notifications',
  'GET /reports/overdue',
  'GET /reports/timeliness',
  'GET /reports/digest',
  'GET /processes',
  'POST /reviews/import',
  'GET /openapi.json',
  'GET /health',
  'GET /reviews/{id}/extension-requests',
  'POST /reviews/{id}/extension-requests/{rid}/decision',
  'GET /respond/{token}',
  'POST /respond/{token}',
];
/** Routes without the JWT: the liveness probe, and the focal-point page (authorized by its token). */
const OPEN_ROUTE_KEYS = ['GET /health', 'GET /respond/{token}', 'POST /respond/{token}'];

function statelessTemplate(context: Record<string, unknown> = {}): Template {
  return appTemplates(context).stateless;
}

type Import = { 'Fn::ImportValue': string };

/** The value the stateful stack exports under the name `reference` imports. */
function exportedValue(stateful: Template, reference: Import): unknown {
  const outputs = Object.values(
    stateful.findOutputs('*', { Export: { Name: reference['Fn::ImportValue'] } }),
  );
  expect(outputs).toHaveLength(1);
  return outputs[0]?.Value;
}

function apiFunctionStatements(template: Template): Statement[] {
  return statementsOf(template, FUNCTION_ENTRIES.api);
}

describe('StatelessStack', () => {
  let template: Template;

  beforeAll(() => {
    template = statelessTemplate();
  });

  describe('API function', () => {
    it('is the house function for functions/api.handler.ts', () => {
      template.hasResource('AWS::Lambda::Function', {
        Metadata: Match.objectLike({ 'untoc:entry': 'functions/api.handler.ts', 'untoc:handler': 'handler' }),
        Properties: Match.objectLike({ Runtime: 'nodejs22.x', Architectures: ['arm64'] }),
      });
    });

    it('receives the three table names and the signing secret from the stateful stack, and the time zone', () => {
      const variables = environmentOf(template, FUNCTION_ENTRIES.api);
      expect(Object.keys(variables).sort()).toEqual(
        [
          'IDEMPOTENCY_TABLE',
          'NODE_OPTIONS',
          'NOTIFICATIONS_TABLE',
          'POWERTOOLS_LOG_LEVEL',
          'POWERTOOLS_METRICS_NAMESPACE',
          'POWERTOOLS_SERVICE_NAME',
          'REVIEWS_TABLE',
          'SIGNING_SECRET_ARN',
          'TIME_ZONE_OF_RECORD',
          'GROUPS_CLAIM',
          'SECRETARIAT_EMAIL',
        ].sort(),
      );
      expect(variables).toMatchObject({
        REVIEWS_TABLE: {
          'Fn::ImportValue': expect.stringMatching(/^UntocReviewTracker-dev-Stateful:.*RefReviewsTable/),
        },
        NOTIFICATIONS_TABLE: {
          'Fn::ImportValue': expect.stringMatching(
            /^UntocReviewTracker-dev-Stateful:.*RefNotificationsTable/,
          ),
        },
        IDEMPOTENCY_TABLE: {
          'Fn::ImportValue': expect.stringMatching(/^UntocReviewTracker-dev-Stateful:.*RefIdempotencyTable/),
        },
        SIGNING_SECRET_ARN: {
          'Fn::ImportValue': expect.stringMatching(/^UntocReviewTracker-dev-Stateful:.*RefSigningSecret/),
        },
        TIME_ZONE_OF_RECORD: 'Europe/Vienna',
      });
    });

    it('takes the time zone of record and the Secretariat address (for the digest report) from context', () => {
      const configured = statelessTemplate({
        timeZone: 'America/New_York',
        secretariatEmail: 'ops@example.org',
      });
      const variables = environmentOf(configured, FUNCTION_ENTRIES.api);
      expect(variables).toMatchObject({
        TIME_ZONE_OF_RECORD: 'America/New_York',
        SECRETARIAT_EMAIL: 'ops@example.org',
      });
    });

    it.each([
      [{ timeZone: 'Mars/Olympus_Mons' }, /context timeZone is not valid \(must be an IANA time zone\)/],
      [{ secretariatEmail: 'not-an-address' }, /context secretariatEmail is not valid/],
      [{ senderEmail: 'no-reply' }, /context senderEmail is not valid/],
      // Accepted by a loose check, refused by SES and by the functions' own schema.
      [{ senderEmail: 'a..b@example.org' }, /context senderEmail is not valid/],
      [{ groupsClaim: 'has space' }, /context groupsClaim is not valid/],
      [{ senderName: 'two\nlines' }, /context senderName is not valid/],
      [{ senderName: ' ' }, /context senderName is not valid/],
      [{ senderDomain: 'not a domain' }, /senderDomain must be a domain name/],
      [{ senderDomain: 'un.org' }, /senderEmail 'no-reply@example.org' must be an address of senderDomain/],
    ])('fails the synth on a bad setting %j', (context, message) => {
      expect(() => buildApp({ ...SKIP_BUNDLING, ...context })).toThrow(message);
    });
  });

  describe('API function permissions (least privilege)', () => {
    it('never scans and uses no action wildcards', () => {
      for (const statement of apiFunctionStatements(template)) {
        expect(actionsOf(statement)).not.toContain('dynamodb:Scan');
        expect(actionsOf(statement).filter((action) => action.includes('*'))).toEqual([]);
      }
    });

    it('uses Resource "*" only for the X-Ray write actions, which support nothing narrower', () => {
      const wildcard = apiFunctionStatements(template).filter((statement) =>
        JSON.stringify(statement.Resource).includes('"*"'),
      );
      expect(wildcard).toEqual([
        { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
      ]);
    });

    it('reads Reviews items, writes them only by put (its transactions), and queries only gsi1 and gsi2', () => {
      const reviews = apiFunctionStatements(template).filter((s) => mentions(s, 'ReviewsTable'));
      expect(reviews).toHaveLength(2);
      expect(reviews[0]).toMatchObject({
        Action: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem'],
        Resource: { 'Fn::ImportValue': expect.stringMatching(/GetAttReviewsTable\w+Arn/) },
      });
      const [, indexStatement] = reviews as [Statement, Statement];
      expect(indexStatement.Action).toBe('dynamodb:Query');
      const indexArns = indexStatement.Resource as Array<{ 'Fn::Join': [string, unknown[]] }>;
      expect(indexArns.map((arn) => arn['Fn::Join'][1][1])).toEqual(['/index/gsi1', '/index/gsi2']);
    });

    it("may only query the Notifications table and batch-read the overdue report's tallies, none of its indexes", () => {
      const notifications = apiFunctionStatements(template).filter((s) => mentions(s, 'NotificationsTable'));
      expect(notifications).toEqual([
        {
          Effect: 'Allow',
          Action: ['dynamodb:Query', 'dynamodb:BatchGetItem'],
          Resource: { 'Fn::ImportValue': expect.stringMatching(/GetAttNotificationsTable\w+Arn/) },
        },
      ]);
    });

    it('claims (put), completes (update) and releases (delete) idempotency records, and nothing else', () => {
      const idempotency = apiFunctionStatements(template).filter((s) => mentions(s, 'IdempotencyTable'));
      expect(idempotency).toHaveLength(1);
      expect(actionsOf(idempotency[0] as Statement)).toEqual([
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
      ]);
    });

    it('has no statement beyond logs, X-Ray, the three tables and reading the signing secret', () => {
      const statements = apiFunctionStatements(template);
      const explained = statements.filter(
        (s) =>
          actionsOf(s).every((a) => a.startsWith('logs:')) ||
          actionsOf(s).every((a) => a.startsWith('xray:')) ||
          ['ReviewsTable', 'NotificationsTable', 'IdempotencyTable'].some((table) => mentions(s, table)),
      );
      const secret = statements.filter((s) => mentions(s, 'SigningSecret'));
      expect(secret).toEqual([
        {
          Effect: 'Allow',
          Action: 'secretsmanager:GetSecretValue',
          Resource: { 'Fn::ImportValue': expect.stringMatching(/RefSigningSecret/) },
        },
      ]);
      expect([...explained, ...secret]).toEqual(expect.arrayContaining(statements));
      expect(statements).toHaveLength(explained.length + 1);
    });
  });

  describe('HTTP API', () => {
    it("is an HTTP API whose CORS lets in the console's origin alone (console.test.ts has the rest)", () => {
      const [distributionId] = onlyResource(template, 'AWS::CloudFront::Distribution');
      template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        ProtocolType: 'HTTP',
        CorsConfiguration: Match.objectLike({
          AllowOrigins: [
            { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] },
          ],
        }),
      });
    });

    it('has exactly one explicit route per method and path: no $default, no ANY', () => {
      const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
      const keys = routes.map((route) => route.Properties.RouteKey as string);
      expect([...keys].sort()).toEqual([...EXPECTED_ROUTE_KEYS].sort());
      expect(keys.some((key) => key === '$default' || key.startsWith('ANY '))).toBe(false);
    });

    it('sends every route to one Lambda proxy integration with payload format 2.0', () => {
      const [integrationId] = onlyResource(template, 'AWS::ApiGatewayV2::Integration', {
        Properties: {
          IntegrationType: 'AWS_PROXY',
          PayloadFormatVersion: '2.0',
          IntegrationUri: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecretariatApiApiFunction'), 'Arn'] },
        },
      });
      const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
      for (const route of routes) {
        expect(route.Properties.Target).toEqual({
          'Fn::Join': ['', ['integrations/', { Ref: integrationId }]],
        });
      }
    });

    it.each(EXPECTED_ROUTE_KEYS.filter((key) => !OPEN_ROUTE_KEYS.includes(key)))(
      'requires a JWT on %s',
      (routeKey) => {
        const [authorizerId] = onlyResource(template, 'AWS::ApiGatewayV2::Authorizer');
        template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
          RouteKey: routeKey,
          AuthorizationType: 'JWT',
          AuthorizerId: { Ref: authorizerId },
        });
      },
    );

    it.each(OPEN_ROUTE_KEYS)(
      'leaves %s open (authorization NONE): the liveness probe, the focal-point page',
      (key) => {
        template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
          RouteKey: key,
          AuthorizationType: 'NONE',
          AuthorizerId: Match.absent(),
        });
      },
    );

    it('lets API Gateway invoke the function only from this API, route by route', () => {
      const [apiId] = onlyResource(template, 'AWS::ApiGatewayV2::Api');
      const permissions = Object.values(
        template.findResources('AWS::Lambda::Permission', {
          Properties: { Principal: 'apigateway.amazonaws.com' },
        }),
      );
      expect(permissions).toHaveLength(EXPECTED_ROUTE_KEYS.length);
      for (const permission of permissions) {
        expect(permission.Properties).toMatchObject({
          Action: 'lambda:InvokeFunction',
          FunctionName: { 'Fn::GetAtt': [expect.stringMatching(/^SecretariatApiApiFunction/), 'Arn'] },
        });
        expect(JSON.stringify(permission.Properties.SourceArn)).toContain(JSON.stringify({ Ref: apiId }));
      }
    });

    it("validates tokens of the stateful stack's user pool for its tooling client and the console's", () => {
      const { stateful } = appTemplates();
      const [poolId] = onlyResource(stateful, 'AWS::Cognito::UserPool');
      const [clientId] = onlyResource(stateful, 'AWS::Cognito::UserPoolClient');
      const [consoleClientId] = onlyResource(template, 'AWS::Cognito::UserPoolClient');
      const [, authorizer] = onlyResource(template, 'AWS::ApiGatewayV2::Authorizer');
      expect(authorizer.Properties).toMatchObject({
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Audience: [importOf(`Ref${clientId}`), { Ref: consoleClientId }],
          Issuer: {
            'Fn::Join': [
              '',
              ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', importOf(`Ref${poolId}`)],
            ],
          },
        },
      });
      // Each import is the stateful stack's export of exactly that resource's Ref.
      const jwt = authorizer.Properties.JwtConfiguration as {
        Audience: [Import, unknown];
        Issuer: { 'Fn::Join': [string, [string, unknown, string, Import]] };
      };
      expect(exportedValue(stateful, jwt.Audience[0])).toEqual({ Ref: clientId });
      expect(exportedValue(stateful, jwt.Issuer['Fn::Join'][1][3])).toEqual({ Ref: poolId });
    });
  });

  describe('default stage', () => {
    it('auto-deploys the $default stage with throttling of 20 requests/s and bursts of 50', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingBurstLimit: 50, ThrottlingRateLimit: 20 },
      });
    });

    it('writes JSON access logs to a log group kept for one month', () => {
      const [, stage] = onlyResource(template, 'AWS::ApiGatewayV2::Stage');
      const settings = stage.Properties.AccessLogSettings as { DestinationArn: unknown; Format: string };
      const logGroupId = (settings.DestinationArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      expect(template.findResources('AWS::Logs::LogGroup')[logGroupId]?.Properties.RetentionInDays).toBe(30);
      const format = JSON.parse(settings.Format) as Record<string, string>;
      expect(format).toMatchObject({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        routeKey: '$context.routeKey',
        status: '$context.status',
        latency: '$context.responseLatency',
        sub: '$context.authorizer.claims.sub',
      });
    });

    it('logs no user identity beyond the token subject', () => {
      const [, stage] = onlyResource(template, 'AWS::ApiGatewayV2::Stage');
      const format = JSON.parse((stage.Properties.AccessLogSettings as { Format: string }).Format) as Record<
        string,
        string
      >;
      const claims = Object.values(format).filter((value) => value.includes('.claims.'));
      expect(claims).toEqual(['$context.authorizer.claims.sub']);
      const identity = Object.values(format).filter((value) => value.startsWith('$context.identity.'));
      expect(identity).toEqual(['$context.identity.sourceIp']);
    });
  });

  describe('user pool (default identity provider)', () => {
    it("lives in the stateful stack: this stack holds no pool or groups, only the console's client and domain", () => {
      template.resourceCountIs('AWS::Cognito::UserPool', 0);
      template.resourceCountIs('AWS::Cognito::UserPoolGroup', 0);
      const [, client] = onlyResource(template, 'AWS::Cognito::UserPoolClient');
      const [, domain] = onlyResource(template, 'AWS::Cognito::UserPoolDomain');
      expect(client.Properties.UserPoolId).toEqual(importOf('RefUserPool'));
      expect(domain.Properties.UserPoolId).toEqual(importOf('RefUserPool'));
    });

    it('outputs the API URL, and leaves the user pool and client ids to the stateful stack', () => {
      const outputs = Object.keys(template.findOutputs('*'));
      expect(outputs).toContain('ApiUrl');
      expect(outputs).not.toContain('UserPoolId');
      expect(outputs).not.toContain('UserPoolClientId');
    });
  });

  describe("with an organisation's identity provider (context oidcIssuer and oidcAudience)", () => {
    let oidc: Template;
    let oidcStateful: Template;

    beforeAll(() => {
      const templates = appTemplates({
        oidcIssuer: 'https://login.example.org/tenant',
        oidcAudience: 'untoc-api, untoc-cli',
        oidcAuthorizationEndpoint: 'https://login.example.org/tenant/authorize',
        oidcTokenEndpoint: 'https://login.example.org/tenant/token',
        oidcConsoleClientId: 'untoc-console',
      });
      oidc = templates.stateless;
      oidcStateful = templates.stateful;
    });

    it('creates no user pool, client or groups in either stack', () => {
      for (const stack of [oidcStateful, oidc]) {
        stack.resourceCountIs('AWS::Cognito::UserPool', 0);
        stack.resourceCountIs('AWS::Cognito::UserPoolClient', 0);
        stack.resourceCountIs('AWS::Cognito::UserPoolGroup', 0);
      }
    });

    it("validates tokens against the given issuer and audiences, and the console client's", () => {
      oidc.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        JwtConfiguration: {
          Issuer: 'https://login.example.org/tenant',
          Audience: ['untoc-api', 'untoc-cli', 'untoc-console'],
        },
      });
    });

    it('still requires the JWT on every route but GET /health and the focal-point page', () => {
      const routes = Object.values(oidc.findResources('AWS::ApiGatewayV2::Route'));
      expect(routes).toHaveLength(EXPECTED_ROUTE_KEYS.length);
      for (const route of routes) {
        const expected = OPEN_ROUTE_KEYS.includes(route.Properties.RouteKey) ? 'NONE' : 'JWT';
        expect(route.Properties.AuthorizationType).toBe(expected);
      }
    });

    it('outputs the API URL but no user pool or client id, from either stack', () => {
      expect(Object.keys(oidc.findOutputs('*'))).toContain('ApiUrl');
      for (const stack of [oidcStateful, oidc]) {
        const outputs = Object.keys(stack.findOutputs('*'));
        expect(outputs).not.toContain('UserPoolId');
        expect(outputs).not.toContain('UserPoolClientId');
      }
    });

    it('imports nothing of the stateful stack for the authorizer', () => {
      const [, authorizer] = onlyResource(oidc, 'AWS::ApiGatewayV2::Authorizer');
      expect(JSON.stringify(authorizer.Properties)).not.toContain('Fn::ImportValue');
    });

    it.each([[{ oidcIssuer: 'https://login.example.org' }], [{ oidcAudience: 'untoc-api' }]])(
      'refuses half a configuration %j',
      (context) => {
        expect(() => buildApp({ ...SKIP_BUNDLING, ...context })).toThrow(/must be given together/);
      },
    );
  });
});
