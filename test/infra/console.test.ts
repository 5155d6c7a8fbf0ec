import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aws, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';
import { consoleHeaderPolicy } from '../../infra/console-site.ts';
import { ENTRY_METADATA_KEY } from '../../infra/house-function.ts';
import { ConsoleConfig } from '../../shared/http/console-config.ts';
import {
  appTemplates,
  importOf,
  logicalIdOf,
  onlyResource,
  type Resource,
  SKIP_BUNDLING,
  type Statement,
} from './support/templates.ts';

/** The Secretariat console on AWS (DESIGN §10): S3, CloudFront, its sign-in and the API's side of it. */

const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:111122223333:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const CUSTOM_DOMAIN = {
  consoleDomainName: 'untoc-console.example.org',
  consoleCertificateArn: CERTIFICATE_ARN,
};
const EXTERNAL_PROVIDER = {
  oidcIssuer: 'https://login.example.org/tenant',
  oidcAudience: 'untoc-api',
  oidcAuthorizationEndpoint: 'https://login.example.org/tenant/authorize',
  oidcTokenEndpoint: 'https://tokens.example.org/tenant/token',
  oidcConsoleClientId: 'untoc-console',
};

/** A CloudFormation value as one string, intrinsics as cdk-nag writes them: `<X>`, `<X.Attr>`. */
function render(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  const object = value as Record<string, unknown>;
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map(render).join(separator);
  }
  if ('Ref' in object) return `<${String(object.Ref)}>`;
  if ('Fn::GetAtt' in object) return `<${(object['Fn::GetAtt'] as string[]).join('.')}>`;
  if ('Fn::ImportValue' in object) return '<import>';
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

/** `https://<the distribution's domain name>` and what follows, as the template spells it. */
function distributionAddress(template: Template, path = ''): object {
  const [distributionId] = onlyResource(template, 'AWS::CloudFront::Distribution');
  const domainName = { 'Fn::GetAtt': [distributionId, 'DomainName'] };
  return { 'Fn::Join': ['', ['https://', domainName, ...(path === '' ? [] : [path])]] };
}

function responseHeadersPolicies(template: Template): Record<string, Resource> {
  return template.findResources('AWS::CloudFront::ResponseHeadersPolicy') as Record<string, Resource>;
}

type HeadersConfig = {
  SecurityHeadersConfig: { ContentSecurityPolicy: { ContentSecurityPolicy: unknown } };
  CustomHeadersConfig: { Items: Array<{ Header: string; Value: string; Override: boolean }> };
};
const headersConfig = (policy: Resource): HeadersConfig =>
  policy.Properties.ResponseHeadersPolicyConfig as HeadersConfig;

/** The Content-Security-Policy of the default behavior, rendered. */
function contentSecurityPolicy(template: Template): string {
  const policies = responseHeadersPolicies(template);
  const id = logicalIdOf(template, 'AWS::CloudFront::ResponseHeadersPolicy', 'ConsoleResponseHeaders');
  const policy = policies[id] as Resource;
  return render(headersConfig(policy).SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
}

/**
 * The `config.json` the deployment writes, read from its asset with each deploy-time value put
 * back as the intrinsic it stands for. CDK deletes its own copy of the file once the asset is
 * staged, so this synth stages (into an output folder of its own, removed after).
 */
function deployedConfig(context: Record<string, unknown> = {}): {
  config: Record<string, unknown>;
  template: Template;
} {
  const outdir = mkdtempSync(join(tmpdir(), 'untoc-console-test-'));
  try {
    const { app, stateless } = buildApp({ 'aws:cdk:bundling-stacks': [], ...context }, { outdir });
    app.synth();
    const template = Template.fromStack(stateless);
    const [, deployment] = onlyResource(template, 'Custom::CDKBucketDeployment');
    const keys = deployment.Properties.SourceObjectKeys as string[];
    const markers = (deployment.Properties.SourceMarkers as Array<Record<string, unknown>>)[1] ?? {};
    const manifest = JSON.parse(readFileSync(join(outdir, `${stateless.stackName}.assets.json`), 'utf8')) as {
      files: Record<string, { source: { path: string } }>;
    };
    const configAsset = manifest.files[(keys[1] ?? '').replace(/\.zip$/, '')];
    const raw = readFileSync(join(outdir, configAsset?.source.path ?? 'missing', 'config.json'), 'utf8');
    const config = JSON.parse(raw, (_key, value: unknown) => {
      if (typeof value !== 'string') return value;
      const parts = value.split(/(<<marker:0xbaba:\d+>>)/).filter((part) => part !== '');
      const rendered = parts.map((part) => (part in markers ? render(markers[part]) : part));
      return rendered.join('');
    }) as Record<string, unknown>;
    return { config, template };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe('Secretariat console (StatelessStack)', () => {
  let template: Template;
  let stateful: Template;

  beforeAll(() => {
    ({ stateless: template, stateful } = appTemplates());
  });

  describe('bucket', () => {
    it('is private, encrypted, versioned, and logs its access to the log bucket', () => {
      const bucketId = logicalIdOf(template, 'AWS::S3::Bucket', 'Bucket');
      const logsId = logicalIdOf(template, 'AWS::S3::Bucket', 'AccessLogs');
      const bucket = template.findResources('AWS::S3::Bucket')[bucketId] as Resource;
      expect(bucket.Properties).toMatchObject({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: { DestinationBucketName: { Ref: logsId } },
      });
      expect(bucket.Properties.WebsiteConfiguration).toBeUndefined();
    });

    it('lets only CloudFront read it, for this distribution, and refuses requests without TLS 1.2', () => {
      const bucketId = logicalIdOf(template, 'AWS::S3::Bucket', 'Bucket');
      const [distributionId] = onlyResource(template, 'AWS::CloudFront::Distribution');
      const [, policy] = onlyResource(template, 'AWS::S3::BucketPolicy', {
        Properties: { Bucket: { Ref: bucketId } },
      });
      const statements = (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
      const allows = statements.filter((statement) => statement.Effect === 'Allow');
      expect(allows).toEqual([
        {
          Effect: 'Allow',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: 's3:GetObject',
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
          Condition: {
            StringEquals: {
              'AWS:SourceArn': {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':cloudfront::',
                    { Ref: 'AWS::AccountId' },
                    ':distribution/',
                    { Ref: distributionId },
                  ],
                ],
              },
            },
          },
        },
      ]);
      const denies = statements.filter((statement) => statement.Effect === 'Deny');
      expect(denies.map((statement) => statement.Condition)).toEqual([
        { Bool: { 'aws:SecureTransport': 'false' } },
        { NumericLessThan: { 's3:TlsVersion': 1.2 } },
      ]);
    });

    it('keeps the log bucket private and encrypted too, with ACLs for CloudFront and TLS only', () => {
      const logsId = logicalIdOf(template, 'AWS::S3::Bucket', 'AccessLogs');
      const logs = template.findResources('AWS::S3::Bucket')[logsId] as Resource;
      expect(logs.Properties).toMatchObject({
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: {} }] },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] },
        LifecycleConfiguration: { Rules: [{ ExpirationInDays: 90, Status: 'Enabled' }] },
      });
      const [, policy] = onlyResource(template, 'AWS::S3::BucketPolicy', {
        Properties: { Bucket: { Ref: logsId } },
      });
      const statements = (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
      expect(statements).toEqual([
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        // S3's log delivery, for the console bucket only (CloudFront writes with an ACL grant).
        expect.objectContaining({
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Condition: expect.objectContaining({
            ArnLike: {
              'aws:SourceArn': { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::S3::Bucket', 'Bucket'), 'Arn'] },
            },
          }),
        }),
      ]);
    });
  });

  describe('distribution', () => {
    it('reads the bucket through origin access control (no origin access identity)', () => {
      const [oacId, oac] = onlyResource(template, 'AWS::CloudFront::OriginAccessControl');
      expect(oac.Properties.OriginAccessControlConfig).toMatchObject({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      });
      const [, distribution] = onlyResource(template, 'AWS::CloudFront::Distribution');
      const config = distribution.Properties.DistributionConfig as {
        Origins: Array<Record<string, unknown>>;
      };
      expect(config.Origins).toEqual([
        expect.objectContaining({
          DomainName: {
            'Fn::GetAtt': [logicalIdOf(template, 'AWS::S3::Bucket', 'Bucket'), 'RegionalDomainName'],
          },
          OriginAccessControlId: { 'Fn::GetAtt': [oacId, 'Id'] },
          S3OriginConfig: { OriginAccessIdentity: '' },
        }),
      ]);
    });

    it('serves index.html at the root, over HTTPS only (HTTP redirected), HTTP/2 and 3, with access logs', () => {
      const [, distribution] = onlyResource(template, 'AWS::CloudFront::Distribution');
      const config = distribution.Properties.DistributionConfig as Record<string, unknown> & {
        DefaultCacheBehavior: Record<string, unknown>;
        CacheBehaviors: Array<Record<string, unknown>>;
      };
      expect(config).toMatchObject({
        DefaultRootObject: 'index.html',
        HttpVersion: 'http2and3',
        Logging: {
          Bucket: {
            'Fn::GetAtt': [logicalIdOf(template, 'AWS::S3::Bucket', 'AccessLogs'), 'RegionalDomainName'],
          },
          Prefix: 'cloudfront/',
        },
      });
      for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
        expect(behavior).toMatchObject({
          ViewerProtocolPolicy: 'redirect-to-https',
          AllowedMethods: ['GET', 'HEAD'],
        });
      }
      expect(config.CacheBehaviors.map((behavior) => behavior.PathPattern)).toEqual(['assets/*']);
    });

    it("uses CloudFront's default certificate without a custom domain", () => {
      const [, distribution] = onlyResource(template, 'AWS::CloudFront::Distribution');
      const config = distribution.Properties.DistributionConfig as Record<string, unknown>;
      expect(config.ViewerCertificate).toBeUndefined();
      expect(config.Aliases).toBeUndefined();
    });

    it('takes a custom domain with its us-east-1 certificate and TLSv1.2_2021', () => {
      const custom = appTemplates(CUSTOM_DOMAIN).stateless;
      const [, distribution] = onlyResource(custom, 'AWS::CloudFront::Distribution');
      expect(distribution.Properties.DistributionConfig).toMatchObject({
        Aliases: ['untoc-console.example.org'],
        ViewerCertificate: {
          AcmCertificateArn: CERTIFICATE_ARN,
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        },
      });
      custom.hasOutput('ConsoleUrl', { Value: 'https://untoc-console.example.org/' });
      custom.hasOutput('ConsoleDistributionDomainName', {
        Value: { 'Fn::GetAtt': [onlyResource(custom, 'AWS::CloudFront::Distribution')[0], 'DomainName'] },
      });
    });
  });

  describe('response headers', () => {
    it('are exactly consoleHeaderPolicy(...) for the API and the Hosted UI, on every behavior', () => {
      const stack = new Stack();
      const expected = consoleHeaderPolicy({
        apiOrigins: [`https://*.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`],
        identityOrigins: [`https://untoc-dev-${Aws.ACCOUNT_ID}.auth.${Aws.REGION}.amazoncognito.com`],
      });
      const policies = Object.values(responseHeadersPolicies(template));
      expect(policies).toHaveLength(2);
      for (const policy of policies) {
        expect(headersConfig(policy).SecurityHeadersConfig).toEqual({
          ContentSecurityPolicy: {
            ContentSecurityPolicy: stack.resolve(expected.contentSecurityPolicy),
            Override: true,
          },
          StrictTransportSecurity: {
            AccessControlMaxAgeSec: expected.strictTransportSecurity.maxAgeSeconds,
            IncludeSubdomains: true,
            Override: true,
          },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
          ContentTypeOptions: { Override: true },
        });
      }
    });

    it("forbid inline script and framing, and let the console fetch only the API and the token endpoint's origin", () => {
      const csp = contentSecurityPolicy(template);
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      const connect = /connect-src ([^;]+)/.exec(csp)?.[1]?.split(' ');
      expect(connect).toEqual([
        "'self'",
        'https://*.execute-api.<AWS::Region>.<AWS::URLSuffix>',
        'https://untoc-dev-<AWS::AccountId>.auth.<AWS::Region>.amazoncognito.com',
      ]);
    });

    it('name this API exactly in connect-src when a custom domain breaks the CORS cycle', () => {
      const custom = appTemplates(CUSTOM_DOMAIN).stateless;
      const apiId = logicalIdOf(custom, 'AWS::ApiGatewayV2::Api', 'HttpApi');
      const connect = /connect-src ([^;]+)/.exec(contentSecurityPolicy(custom))?.[1]?.split(' ');
      expect(connect?.[1]).toBe(`<${apiId}.ApiEndpoint>`);
      expect(connect).toHaveLength(3);
    });

    it("name the external provider's token endpoint origin with an organisation's provider", () => {
      const external = appTemplates(EXTERNAL_PROVIDER).stateless;
      const connect = /connect-src ([^;]+)/.exec(contentSecurityPolicy(external))?.[1]?.split(' ');
      expect(connect?.[2]).toBe('https://tokens.example.org');
    });

    it('revalidate the entry points on every load and cache the content-hashed assets for a year', () => {
      const policies = responseHeadersPolicies(template);
      const cacheControl = (id: string) =>
        headersConfig(
          policies[logicalIdOf(template, 'AWS::CloudFront::ResponseHeadersPolicy', id)] as Resource,
        ).CustomHeadersConfig.Items;
      expect(cacheControl('ConsoleResponseHeaders')).toEqual([
        { Header: 'cache-control', Value: 'no-cache', Override: true },
      ]);
      expect(cacheControl('AssetResponseHeaders')).toEqual([
        { Header: 'cache-control', Value: 'public, max-age=31536000, immutable', Override: true },
      ]);
    });
  });

  describe('deployment', () => {
    it('uploads the build and config.json to the bucket and invalidates the entry points', () => {
      const [, deployment] = onlyResource(template, 'Custom::CDKBucketDeployment');
      expect(deployment.Properties).toMatchObject({
        DestinationBucketName: { Ref: logicalIdOf(template, 'AWS::S3::Bucket', 'Bucket') },
        DistributionId: { Ref: onlyResource(template, 'AWS::CloudFront::Distribution')[0] },
        DistributionPaths: ['/', '/index.html', '/config.json'],
        Prune: false,
      });
      expect(deployment.Properties.SourceObjectKeys).toHaveLength(2);
    });

    it("writes a config.json the console parses: the API's endpoint and the Hosted UI with the console client", () => {
      const { config, template: deployed } = deployedConfig();
      const apiId = logicalIdOf(deployed, 'AWS::ApiGatewayV2::Api', 'HttpApi');
      const [clientId] = onlyResource(deployed, 'AWS::Cognito::UserPoolClient');
      const hostedUi = 'https://untoc-dev-<AWS::AccountId>.auth.<AWS::Region>.amazoncognito.com';
      expect(config).toEqual({
        apiUrl: `<${apiId}.ApiEndpoint>`,
        auth: {
          kind: 'oidc',
          authorizationEndpoint: `${hostedUi}/oauth2/authorize`,
          tokenEndpoint: `${hostedUi}/oauth2/token`,
          logoutEndpoint: `${hostedUi}/logout`,
          clientId: `<${clientId}>`,
          scopes: 'openid email',
          groupsClaim: 'cognito:groups',
        },
      });
      expect(ConsoleConfig.safeParse(config).success).toBe(true);
    });

    it("writes the organisation's endpoints and console client with an external provider", () => {
      const { config } = deployedConfig({ ...EXTERNAL_PROVIDER, groupsClaim: 'groups' });
      expect(config.auth).toEqual({
        kind: 'oidc',
        authorizationEndpoint: 'https://login.example.org/tenant/authorize',
        tokenEndpoint: 'https://tokens.example.org/tenant/token',
        clientId: 'untoc-console',
        scopes: 'openid',
        groupsClaim: 'groups',
      });
    });

    it("runs CDK's handler, the one function that is not a house function, with its own role and bounded logs", () => {
      const functions = Object.entries(
        template.findResources('AWS::Lambda::Function') as Record<string, Resource>,
      );
      const foreign = functions.filter(([, fn]) => fn.Metadata?.[ENTRY_METADATA_KEY] === undefined);
      expect(foreign).toHaveLength(1);
      const [handlerId, handler] = foreign[0] as [string, Resource];
      const [, deployment] = onlyResource(template, 'Custom::CDKBucketDeployment');
      expect(deployment.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [handlerId, 'Arn'] });
      const roleId = logicalIdOf(template, 'AWS::IAM::Role', 'DeploymentRole');
      const logsId = logicalIdOf(template, 'AWS::Logs::LogGroup', 'DeploymentLogs');
      expect(handler.Properties).toMatchObject({
        Role: { 'Fn::GetAtt': [roleId, 'Arn'] },
        LoggingConfig: { LogGroup: { Ref: logsId } },
      });
      const role = template.findResources('AWS::IAM::Role')[roleId] as Resource;
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(template.findResources('AWS::Logs::LogGroup')[logsId]?.Properties.RetentionInDays).toBe(30);
    });
  });

  describe('sign-in through the Hosted UI (default identity provider)', () => {
    it("adds a Hosted UI domain to the stateful stack's user pool, prefixed untoc-<stage>-<account>", () => {
      const [, domain] = onlyResource(template, 'AWS::Cognito::UserPoolDomain');
      expect(domain.Properties).toEqual({
        Domain: { 'Fn::Join': ['', ['untoc-dev-', { Ref: 'AWS::AccountId' }]] },
        UserPoolId: importOf('RefUserPool'),
      });
      const prefixed = appTemplates({ cognitoDomainPrefix: 'unodc-untoc' }).stateless;
      prefixed.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'unodc-untoc' });
    });

    it('gives the console a public client: code flow only, no secret, its URL as callback and sign-out', () => {
      const [, client] = onlyResource(template, 'AWS::Cognito::UserPoolClient');
      const consoleUrl = distributionAddress(template, '/');
      expect(client.Properties).toEqual({
        UserPoolId: importOf('RefUserPool'),
        GenerateSecret: false,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'email'],
        CallbackURLs: [consoleUrl],
        LogoutURLs: [consoleUrl],
        ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
        SupportedIdentityProviders: ['COGNITO'],
        PreventUserExistenceErrors: 'ENABLED',
        EnableTokenRevocation: true,
        AccessTokenValidity: 60,
        IdTokenValidity: 60,
        RefreshTokenValidity: 60,
        TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
      });
      template.hasOutput('ConsoleUrl', { Value: consoleUrl });
    });

    it('outputs the console URL, the sign-in domain and the console client', () => {
      const [clientId] = onlyResource(template, 'AWS::Cognito::UserPoolClient');
      expect(Object.keys(template.findOutputs('*'))).toEqual(
        expect.arrayContaining(['ConsoleUrl', 'ConsoleSignInDomain', 'ConsoleClientId']),
      );
      template.hasOutput('ConsoleClientId', { Value: { Ref: clientId } });
      expect(render(template.findOutputs('ConsoleSignInDomain').ConsoleSignInDomain?.Value)).toBe(
        'https://untoc-dev-<AWS::AccountId>.auth.<AWS::Region>.amazoncognito.com',
      );
    });

    it('leaves the stateful stack with its pool and tooling client only', () => {
      stateful.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
      stateful.resourceCountIs('AWS::Cognito::UserPoolDomain', 0);
    });

    it.each([
      [{ stage: 'aws-test' }, /context stage 'aws-test' would put 'aws' into the Hosted UI domain prefix/],
      [{ cognitoDomainPrefix: 'untoc-amazon' }, /context cognitoDomainPrefix may not contain 'amazon'/],
      [{ cognitoDomainPrefix: 'Untoc' }, /context cognitoDomainPrefix must be lower-case letters/],
      [{ cognitoDomainPrefix: 'untoc-' }, /context cognitoDomainPrefix must be lower-case letters/],
      [
        { ...EXTERNAL_PROVIDER, cognitoDomainPrefix: 'untoc' },
        /cognitoDomainPrefix is refused with oidcIssuer/,
      ],
    ])('fails the synth on a bad Hosted UI setting %j', (context, message) => {
      expect(() => buildApp({ ...SKIP_BUNDLING, ...context })).toThrow(message);
    });
  });

  describe('the API, for the console', () => {
    it("allows exactly the console's origin (CORS), the contract's methods and headers", () => {
      const [, api] = onlyResource(template, 'AWS::ApiGatewayV2::Api');
      expect(api.Properties.CorsConfiguration).toEqual({
        AllowOrigins: [distributionAddress(template)],
        AllowMethods: ['GET', 'POST', 'PUT', 'DELETE'],
        AllowHeaders: ['authorization', 'content-type', 'idempotency-key', 'accept'],
        ExposeHeaders: ['etag', 'idempotent-replayed', 'retry-after', 'x-next-cursor'],
        MaxAge: 7200,
      });
    });

    it('allows the custom domain as the one origin when one is given', () => {
      const custom = appTemplates(CUSTOM_DOMAIN).stateless;
      custom.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        CorsConfiguration: { AllowOrigins: ['https://untoc-console.example.org'] },
      });
      custom.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        CallbackURLs: ['https://untoc-console.example.org/'],
        LogoutURLs: ['https://untoc-console.example.org/'],
      });
    });

    it("accepts the console client's tokens", () => {
      const [clientId] = onlyResource(template, 'AWS::Cognito::UserPoolClient');
      const [, authorizer] = onlyResource(template, 'AWS::ApiGatewayV2::Authorizer');
      const audience = (authorizer.Properties.JwtConfiguration as { Audience: unknown[] }).Audience;
      expect(audience).toContainEqual({ Ref: clientId });
      expect(audience).toHaveLength(2);
    });
  });

  describe("with an organisation's provider (context oidcIssuer)", () => {
    it('creates no Cognito domain or client, and outputs no sign-in domain', () => {
      const external = appTemplates(EXTERNAL_PROVIDER).stateless;
      external.resourceCountIs('AWS::Cognito::UserPoolDomain', 0);
      external.resourceCountIs('AWS::Cognito::UserPoolClient', 0);
      expect(Object.keys(external.findOutputs('*'))).toContain('ConsoleUrl');
      expect(Object.keys(external.findOutputs('*'))).not.toContain('ConsoleSignInDomain');
    });

    it('takes the console client once among the audiences, however often it is given', () => {
      const external = appTemplates({
        ...EXTERNAL_PROVIDER,
        oidcAudience: 'untoc-api,untoc-console',
      }).stateless;
      external.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        JwtConfiguration: { Audience: ['untoc-api', 'untoc-console'] },
      });
    });

    it.each([
      ['oidcAuthorizationEndpoint', /context oidcAuthorizationEndpoint is required with oidcIssuer/],
      ['oidcTokenEndpoint', /context oidcTokenEndpoint is required with oidcIssuer/],
      ['oidcConsoleClientId', /context oidcConsoleClientId is required with oidcIssuer/],
    ])('fails the synth without %s', (key, message) => {
      const context: Record<string, unknown> = { ...EXTERNAL_PROVIDER };
      delete context[key];
      expect(() => buildApp({ ...SKIP_BUNDLING, ...context })).toThrow(message);
    });

    it('names every missing key at once', () => {
      const { oidcIssuer, oidcAudience } = EXTERNAL_PROVIDER;
      expect(() => buildApp({ ...SKIP_BUNDLING, oidcIssuer, oidcAudience })).toThrow(
        /context oidcAuthorizationEndpoint and oidcTokenEndpoint and oidcConsoleClientId are required/,
      );
    });

    it.each([
      [
        { oidcTokenEndpoint: 'http://login.example.org/token' },
        /context oidcTokenEndpoint must be an https URL/,
      ],
      [
        { oidcAuthorizationEndpoint: 'login.example.org' },
        /context oidcAuthorizationEndpoint must be an https URL/,
      ],
      [
        { oidcLogoutEndpoint: 'https://user:pw@login.example.org/logout' },
        /context oidcLogoutEndpoint must be an https URL/,
      ],
      [{ oidcConsoleClientId: 'has space' }, /context oidcConsoleClientId must be a client id/],
      [{ oidcScopes: 'openid  email' }, /context oidcScopes must be OAuth scopes/],
    ])('fails the synth on a bad provider setting %j', (setting, message) => {
      expect(() => buildApp({ ...SKIP_BUNDLING, ...EXTERNAL_PROVIDER, ...setting })).toThrow(message);
    });

    it('refuses the provider keys without oidcIssuer, naming them', () => {
      expect(() =>
        buildApp({
          ...SKIP_BUNDLING,
          oidcTokenEndpoint: 'https://login.example.org/token',
          oidcScopes: 'openid',
        }),
      ).toThrow(/context oidcTokenEndpoint, oidcScopes are refused without oidcIssuer/);
    });
  });

  describe('custom domain context', () => {
    it.each([
      [{ consoleDomainName: 'untoc-console.example.org' }, /must be given together/],
      [{ consoleCertificateArn: CERTIFICATE_ARN }, /must be given together/],
      [
        { ...CUSTOM_DOMAIN, consoleDomainName: 'not a domain' },
        /context consoleDomainName must be a domain name/,
      ],
      [
        { ...CUSTOM_DOMAIN, consoleCertificateArn: CERTIFICATE_ARN.replace('us-east-1', 'eu-central-1') },
        /context consoleCertificateArn must be an ACM certificate ARN in us-east-1/,
      ],
    ])('fails the synth on %j', (context, message) => {
      expect(() => buildApp({ ...SKIP_BUNDLING, ...context })).toThrow(message);
    });
  });
});
