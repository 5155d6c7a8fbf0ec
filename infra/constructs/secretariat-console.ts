import {
  AssetHashType,
  DefaultStackSynthesizer,
  DockerImage,
  Duration,
  RemovalPolicy,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  type BehaviorOptions,
  CachePolicy,
  type CfnDistribution,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Policy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { SingletonFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { ConsoleConfig } from '#shared/http/console-config.ts';
import {
  buildConsoleSync,
  CONSOLE_SOURCE_DIR,
  type ConsoleHeaderPolicy,
  consoleHeaderPolicy,
  consoleSourceHash,
} from '../console-site.ts';
import { emailMaskingPolicy } from '../house-function.ts';

/** A host name of the organisation's for the console, with its certificate. */
export interface ConsoleCustomDomain {
  /** The console's host name (`untoc-console.example.org`); its DNS record points at the distribution. */
  readonly domainName: string;
  /** ARN of an ACM certificate for `domainName`, in us-east-1 (where CloudFront reads certificates). */
  readonly certificateArn: string;
}

/** Properties of the {@link SecretariatConsole}. */
export interface SecretariatConsoleProps {
  /** Origins the console calls the API at (the CSP's `connect-src`); may be tokens. */
  readonly apiOrigins: readonly string[];
  /** Origins of the sign-in the console fetches from (the token endpoint's); may be tokens. */
  readonly identityOrigins: readonly string[];
  /**
   * Serve the console at this host name, with this certificate and TLS 1.2 at least.
   * @default - the distribution's `*.cloudfront.net` name with CloudFront's default certificate
   */
  readonly customDomain?: ConsoleCustomDomain;
}

/** How long the access logs of the bucket and the distribution are kept. */
const ACCESS_LOG_RETENTION = Duration.days(90);
/** How long a replaced or deleted file of the console stays recoverable. */
const NONCURRENT_VERSION_RETENTION = Duration.days(30);

/** The CloudFront counterparts of the policy's header values (a new value fails to compile here). */
const FRAME_OPTIONS = { DENY: HeadersFrameOption.DENY } as const satisfies Record<
  ConsoleHeaderPolicy['frameOptions'],
  HeadersFrameOption
>;
const REFERRER_POLICIES = { 'no-referrer': HeadersReferrerPolicy.NO_REFERRER } as const satisfies Record<
  ConsoleHeaderPolicy['referrerPolicy'],
  HeadersReferrerPolicy
>;

/**
 * The Secretariat console on AWS (DESIGN §10): its built files in a private, versioned bucket,
 * served by a CloudFront distribution through origin access control, over HTTPS only, with the
 * response headers of {@link consoleHeaderPolicy} (the ones local mode sends), and access logs of
 * both. {@link SecretariatConsole.publish} uploads the build and its `config.json` once the API
 * and the sign-in it names exist.
 */
export class SecretariatConsole extends Construct {
  /** The console's files: private, reachable through the distribution only. */
  public readonly bucket: Bucket;
  /** Server access logs of {@link bucket} and the distribution's standard logs. */
  public readonly accessLogsBucket: Bucket;
  /** The headers every response carries, as {@link consoleHeaderPolicy} gave them. */
  public readonly headerPolicy: ConsoleHeaderPolicy;
  /** The headers of `index.html` and `config.json` (revalidated on every load). */
  public readonly responseHeadersPolicy: ResponseHeadersPolicy;
  /** The headers of the content-hashed `assets/` (cached for a year). */
  public readonly assetResponseHeadersPolicy: ResponseHeadersPolicy;
  public readonly distribution: Distribution;
  /** `https://<host>/`: where officers open the console, and its OAuth redirect URI. */
  public readonly url: string;
  /** `https://<host>`: the origin the API's CORS allows. */
  public readonly origin: string;

  constructor(scope: Construct, id: string, props: SecretariatConsoleProps) {
    super(scope, id);

    this.accessLogsBucket = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront's standard logs are delivered with an ACL grant, which a bucket with ACLs
      // disabled refuses. S3's server access logs come through the bucket policy.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: ACCESS_LOG_RETENTION }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogsBucket.node.defaultChild as CfnBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket is the access-log destination of the console bucket and of its distribution; logging ' +
        'its own access would log each log delivery, into itself or into yet another bucket. Only the S3 ' +
        'logging service and CloudFront write to it, and the bucket policy denies every request without TLS.',
    });

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'console-bucket/',
      lifecycleRules: [{ noncurrentVersionExpiration: NONCURRENT_VERSION_RETENTION }],
      // Holds nothing but the build, yet a non-empty bucket would fail the stack's deletion.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.headerPolicy = consoleHeaderPolicy({
      apiOrigins: props.apiOrigins,
      identityOrigins: props.identityOrigins,
    });
    // The same caching as local mode: the entry points are revalidated on every load (a deploy
    // shows at once), the content-hashed assets never change.
    this.responseHeadersPolicy = this.responseHeaders(
      'ResponseHeaders',
      'no-cache',
      'Secretariat console: security headers; entry points revalidated',
    );
    this.assetResponseHeadersPolicy = this.responseHeaders(
      'AssetResponseHeaders',
      'public, max-age=31536000, immutable',
      'Secretariat console: security headers; content-hashed assets cached for a year',
    );

    const origin = S3BucketOrigin.withOriginAccessControl(this.bucket);
    const behavior = (responseHeadersPolicy: ResponseHeadersPolicy): BehaviorOptions => ({
      origin,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy,
      compress: true,
    });
    const { customDomain } = props;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'UNTOC review tracker: Secretariat console',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      defaultBehavior: behavior(this.responseHeadersPolicy),
      additionalBehaviors: { 'assets/*': behavior(this.assetResponseHeadersPolicy) },
      ...(customDomain
        ? {
            domainNames: [customDomain.domainName],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', customDomain.certificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      enableLogging: true,
      logBucket: this.accessLogsBucket,
      logFilePrefix: 'cloudfront/',
    });
    const acknowledge = (id: string, reason: string) =>
      Validations.of(this.distribution.node.defaultChild as CfnDistribution).acknowledge({ id, reason });
    acknowledge(
      'AwsSolutions-CFR1',
      'No geo restriction: Secretariat officers sign in from duty stations and missions worldwide, and the ' +
        'distribution serves only the static build of the console (no data: every read and write is a call ' +
        'to the API, which authorises each request with a JWT).',
    );
    acknowledge(
      'AwsSolutions-CFR2',
      'No AWS WAF web ACL: the distribution serves only the public build of the console (HTML, scripts, no ' +
        'data) from a private bucket, so a web ACL (which for CloudFront must live in us-east-1, a stack of ' +
        'its own) would guard nothing confidential; the data is behind the API, its JWT authorizer and its ' +
        'throttling.',
    );
    if (!customDomain) {
      acknowledge(
        'AwsSolutions-CFR4',
        'Without the consoleDomainName and consoleCertificateArn context values the console is served at the ' +
          "distribution's *.cloudfront.net name with CloudFront's default certificate, whose security policy " +
          'CloudFront fixes at TLSv1 (it cannot be raised); browsers in use negotiate TLS 1.2 or 1.3 anyway. ' +
          'Give a custom domain with an ACM certificate (us-east-1) to enforce TLSv1.2_2021.',
      );
    }

    const host = customDomain?.domainName ?? this.distribution.distributionDomainName;
    this.origin = `https://${host}`;
    this.url = `${this.origin}/`;
  }

  /**
   * Uploads the console's build (Vite, run at synth) and `config.json` (written at deploy time from
   * `config`, which may hold tokens: the API's URL, the app client's id), then invalidates the
   * entry points. Old assets stay, so a tab opened before the deploy keeps loading its own.
   */
  public publish(config: ConsoleConfig): BucketDeployment {
    // The shape the console parses, checked at synth (a token is a string to the schema).
    ConsoleConfig.parse(config);
    // As the house function does: an explicit role and a bounded log group, instead of the
    // AWSLambdaBasicExecutionRole (logs on every log group of the account) and a log group
    // that never expires.
    const logGroup = new LogGroup(this, 'DeploymentLogs', {
      retention: RetentionDays.ONE_MONTH,
      dataProtectionPolicy: emailMaskingPolicy(),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new Role(this, 'DeploymentRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the deployment of ${this.node.path} (CDK's BucketDeployment handler)`,
    });
    logGroup.grantWrite(role);

    const deployment = new BucketDeployment(this, 'Deployment', {
      sources: [
        Source.asset(CONSOLE_SOURCE_DIR, {
          assetHash: consoleSourceHash(),
          assetHashType: AssetHashType.CUSTOM,
          bundling: {
            // Never pulled: the local build below always runs (or fails the synth), with the
            // project's own Vite and sources outside `console/` that a container would not see.
            image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22-slim'),
            local: {
              tryBundle(outputDir: string): boolean {
                buildConsoleSync(outputDir);
                return true;
              },
            },
          },
        }),
        Source.jsonData('config.json', config, { escape: true }),
      ],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      // CloudFront caches `/` apart from `/index.html`, and officers open the console at `/`.
      distributionPaths: ['/', '/index.html', '/config.json'],
      // Old content-hashed assets are kept for tabs still running the previous build.
      prune: false,
      role,
      logGroup,
    });

    // The handler is a singleton function at the stack's root, named by its construct in here.
    const singleton = deployment.node.findChild('CustomResourceHandler') as SingletonFunction;
    Validations.of(Stack.of(this).node.findChild(singleton.constructName)).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        "CDK's BucketDeployment handler (the AWS CLI on the Python runtime CDK pins for it): its runtime " +
        'moves with aws-cdk-lib upgrades, not with this code; it runs at deploy time only.',
    });
    const policy = role.node.tryFindChild('DefaultPolicy');
    if (policy instanceof Policy) {
      const grants =
        'granted by BucketDeployment itself (grantRead of the CDK asset bucket, grantReadWrite of the console ' +
        'bucket), which offers no narrower grant; the role belongs to this deployment handler alone, which ' +
        'runs at deploy time only';
      const stack = Stack.of(this);
      const bucketId = stack.getLogicalId(this.bucket.node.defaultChild as CfnBucket);
      const qualifier = stack.synthesizer.bootstrapQualifier ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
      for (const [finding, what] of [
        ['Action::s3:GetObject*', 's3:GetObject* (reading the source zips and the current files)'],
        ['Action::s3:GetBucket*', 's3:GetBucket* (the sync reads the buckets it copies between)'],
        ['Action::s3:List*', 's3:List* (the sync lists what the console bucket holds)'],
        ['Action::s3:DeleteObject*', 's3:DeleteObject* on the console bucket (sync replaces its files)'],
        ['Action::s3:Abort*', 's3:Abort* on the console bucket (multipart uploads cut short)'],
        [`Resource::<${bucketId}.Arn>/*`, "the console bucket's objects (every file of the build is one)"],
        [
          `Resource::arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-<AWS::AccountId>-<AWS::Region>/*`,
          "the CDK bootstrap asset bucket's objects (the zipped build and config.json, keyed by hash)",
        ],
      ] as const) {
        Validations.of(policy).acknowledge({
          id: `AwsSolutions-IAM5[${finding}]`,
          reason: `${what}: ${grants}.`,
        });
      }
      Validations.of(policy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'cloudfront:CreateInvalidation and cloudfront:GetInvalidation on "*", granted by BucketDeployment to ' +
          'invalidate the entry points after an upload; CDK names no distribution ARN in that grant.',
      });
    }
    return deployment;
  }

  /** A response headers policy from {@link headerPolicy}, with `cacheControl` for browsers. */
  private responseHeaders(id: string, cacheControl: string, comment: string): ResponseHeadersPolicy {
    const policy = this.headerPolicy;
    return new ResponseHeadersPolicy(this, id, {
      comment,
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: policy.contentSecurityPolicy, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(policy.strictTransportSecurity.maxAgeSeconds),
          includeSubdomains: policy.strictTransportSecurity.includeSubdomains,
          override: true,
        },
        frameOptions: { frameOption: FRAME_OPTIONS[policy.frameOptions], override: true },
        referrerPolicy: { referrerPolicy: REFERRER_POLICIES[policy.referrerPolicy], override: true },
        contentTypeOptions: { override: true },
      },
      customHeadersBehavior: {
        customHeaders: [{ header: 'cache-control', value: cacheControl, override: true }],
      },
    });
  }
}
