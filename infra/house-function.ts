import { isAbsolute, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Lazy, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  type CfnFunction,
  type DestinationConfig,
  type IDestination,
  type IFunction,
  Runtime,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, type DynamoEventSourceProps } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Charset, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { DataIdentifier, DataProtectionPolicy, LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IConfigurationSet } from 'aws-cdk-lib/aws-ses';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { TableCommand } from '#shared/manifest/types.ts';

/**
 * The data-protection policy of every log group of the app: CloudWatch masks e-mail addresses
 * (AWS's managed `EmailAddress` identifier) in what it stores and shows, whatever wrote them
 * (an SDK error quoted whole, Lambda's own `Invoke Error` line); reading them unmasked needs
 * `logs:Unmask`. Findings are counted in the log group's metrics; no findings destination.
 */
export function emailMaskingPolicy(): DataProtectionPolicy {
  return new DataProtectionPolicy({
    name: 'mask-email-addresses',
    description: 'Masks e-mail addresses (focal points, the Secretariat) in every log event',
    identifiers: [DataIdentifier.EMAILADDRESS],
  });
}

/** The project root: `entry` paths are relative to it, and so is the lock file. */
const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Resource metadata keys naming the function's source module and export, so a local runtime
 * reading the synthesized template can import and call the same code the bundle contains.
 */
export const ENTRY_METADATA_KEY = 'untoc:entry';
/** @see ENTRY_METADATA_KEY */
export const HANDLER_METADATA_KEY = 'untoc:handler';

/**
 * ESM bundles have no `require`; some bundled CommonJS dependencies still call it, so the
 * bundle recreates it from `import.meta.url`.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __untocCreateRequire } from 'node:module'; const require = __untocCreateRequire(import.meta.url);";

/**
 * A DynamoDB item action a table binding can grant: the manifest's table commands (DESIGN §7).
 * `Scan` is deliberately not one: no runtime path scans (DESIGN.md section 3).
 * `TransactWriteItems` and `TransactGetItems` are authorised per contained action, so they
 * need no action of their own.
 */
export type TableAction = TableCommand;

/** Item-level actions of a read binding (the ones `TransactGetItems` / conditions check too). */
const TABLE_READ_ACTIONS: readonly TableAction[] = ['GetItem', 'BatchGetItem', 'Query', 'ConditionCheckItem'];

/** Item-level write actions; `TransactWriteItems` is authorised per contained action. */
const TABLE_WRITE_ACTIONS: readonly TableAction[] = ['PutItem', 'UpdateItem', 'DeleteItem'];

/** Indexes are only ever queried; `Scan` is granted nowhere (DESIGN.md section 3). */
const INDEX_ACTIONS = ['dynamodb:Query'] as const;

/**
 * What a function may do with a bound table: every read action (`'read'`), every read and
 * write action (`'readWrite'`), or exactly the listed actions (an empty list grants nothing
 * on the table itself, e.g. when only an index is queried).
 */
export type TableAccess = 'read' | 'readWrite' | readonly TableAction[];

/** Options of {@link HouseFunction.bindTable}. */
export interface BindTableOptions {
  /**
   * Names of the table's indexes the function queries; each is granted `dynamodb:Query` by
   * its own ARN (no `index/*` wildcard).
   * @default - no index access
   */
  readonly indexes?: readonly string[];
  /**
   * Actions granted only on items whose partition key starts with `prefix`
   * (`dynamodb:LeadingKeys`), in a statement of their own.
   * @default - none
   */
  readonly commandsOnKeys?: { readonly commands: readonly TableAction[]; readonly prefix: string };
}

/** Options of {@link HouseFunction.sendAsyncFailuresTo}. */
export interface AsyncFailureOptions {
  /** How many times Lambda retries a failed asynchronous invocation (0 to 2). */
  readonly retryAttempts: number;
  /** How long Lambda keeps an event it could not process yet (1 minute to 6 hours). */
  readonly maxEventAge: Duration;
}

/** Properties of a {@link HouseFunction}. */
export interface HouseFunctionProps {
  /**
   * The handler's source module, relative to the project root, e.g. `'functions/api.handler.ts'`.
   * Recorded in the resource metadata under `untoc:entry`.
   */
  readonly entry: string;
  /**
   * The name of the exported handler function. Recorded under `untoc:handler`.
   * @default 'handler'
   */
  readonly handler?: string;
  /**
   * Extra environment variables. Prefer the `bind*` helpers, which grant access alongside.
   * @default - only the house defaults (Powertools settings, source maps)
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Memory in MB. Also scales the CPU share, which dominates cold start of the bundle.
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Maximum run time of one invocation.
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /**
   * `POWERTOOLS_SERVICE_NAME`: the `service` key of every log line, metric and trace.
   * @default 'untoc-review-tracker'
   */
  readonly serviceName?: string;
  /**
   * `POWERTOOLS_METRICS_NAMESPACE`: the CloudWatch namespace of business metrics.
   * @default 'UntocReviewTracker'
   */
  readonly metricsNamespace?: string;
  /**
   * A short description shown in the Lambda console.
   * @default - no description
   */
  readonly description?: string;
  /**
   * Identifiers esbuild replaces with the given JavaScript expressions (`--define`): values
   * computed at synth that the bundle carries as constants, so the code that computes them
   * need not ship (the API's OpenAPI document).
   * @default - none
   */
  readonly define?: Readonly<Record<string, string>>;
}

/**
 * The house Lambda function: a `NodejsFunction` with the project's defaults fixed once
 * (Node.js 22 on arm64, minified ESM bundle with the AWS SDK v3 inside, source maps, a
 * one-month log group masking e-mail addresses, active X-Ray tracing, Powertools settings),
 * its own role granted only what the `bind*` helpers add, and its source entry recorded in
 * the template metadata.
 */
export class HouseFunction extends Construct {
  /** The underlying function. */
  public readonly function: NodejsFunction;
  /** The function's execution role. */
  public readonly role: Role;
  /** The function's log group. */
  public readonly logGroup: LogGroup;
  /** The source module, relative to the project root. */
  public readonly entry: string;
  /** The exported handler name. */
  public readonly handler: string;
  /** Whether a stream event source granted `dynamodb:ListStreams` (on `*`). */
  private listsStreams = false;

  constructor(scope: Construct, id: string, props: HouseFunctionProps) {
    super(scope, id);
    this.entry = toProjectRelativeEntry(props.entry);
    this.handler = props.handler ?? 'handler';

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: RetentionDays.ONE_MONTH,
      dataProtectionPolicy: emailMaskingPolicy(),
      // Outlives a stack teardown so an incident stays investigable; expires by retention.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // An explicit role instead of the default one, which would carry the AWS managed
    // AWSLambdaBasicExecutionRole (logs on every log group of the account).
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${this.node.path}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(PROJECT_ROOT, this.entry),
      handler: this.handler,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      ...(props.description === undefined ? {} : { description: props.description }),
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName ?? 'untoc-review-tracker',
        POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace ?? 'UntocReviewTracker',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // The mail templates hold Arabic, Chinese and Russian text: as UTF-8 they are about
        // 14 KB smaller than as \u escapes. aws-cdk-lib 2.276 drops this prop on its way to
        // esbuild, so `--charset` is passed below as well (an infra test reads the bundle).
        charset: Charset.UTF8,
        // Lambda hands credentials over in environment variables: the default provider chain's
        // SSO, STS and instance-metadata clients (about 120 KB minified) are swapped for the
        // environment provider alone.
        esbuildArgs: {
          '--charset': 'utf8',
          '--alias:@aws-sdk/credential-provider-node': join(
            PROJECT_ROOT,
            'shared/adapters/env-credentials.ts',
          ),
          // The X-Ray SDK and cls-hooked use only `semver.gte`: two copies of semver (28 KB) become one function.
          '--alias:semver': join(PROJECT_ROOT, 'shared/adapters/semver-gte.ts'),
          // The SDK's event-stream codec (about 12 KB), loaded only by event-stream operations, none used here.
          '--alias:@smithy/core/event-streams': join(PROJECT_ROOT, 'shared/adapters/no-event-streams.ts'),
        },
        // Bundle the AWS SDK v3 instead of using the runtime's copy: smaller cold start after
        // tree shaking, and the exact version the tests ran against.
        externalModules: [],
        // Offline, credential-free synth: the local esbuild, never Docker.
        forceDockerBundling: false,
        ...(props.define === undefined ? {} : { define: { ...props.define } }),
      },
    });

    const cfnFunction = this.function.node.defaultChild as CfnFunction;
    cfnFunction.addMetadata(ENTRY_METADATA_KEY, this.entry);
    cfnFunction.addMetadata(HANDLER_METADATA_KEY, this.handler);

    Validations.of(cfnFunction).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'The runtime is pinned to nodejs22.x in the house function on purpose: bundles target node22 and ' +
        'moving every function to a newer runtime is a deliberate, tested change, not a side effect of a CDK upgrade.',
    });
    const defaultPolicy = this.role.node.tryFindChild('DefaultPolicy');
    if (defaultPolicy instanceof Policy) {
      // Lazy: the reason names every wildcard this function ends up with, including those a
      // later `consumeTableStream` adds.
      Validations.of(defaultPolicy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: Lazy.string({ produce: () => this.wildcardReason() }),
      });
    }
  }

  /**
   * Makes the function a consumer of the table's stream (a DynamoDB event source mapping
   * with `props`). The mapping grants stream read on that one stream (`grantStreamRead`):
   * `DescribeStream`, `GetRecords` and `GetShardIterator` on its ARN, and
   * `dynamodb:ListStreams`, which supports no resource-level permission, on `*`.
   */
  public consumeTableStream(table: ITable, props: DynamoEventSourceProps): this {
    this.function.addEventSource(new DynamoEventSource(table, props));
    this.listsStreams = true;
    return this;
  }

  /** Why this function's policy has `Resource: "*"`, naming each such action. */
  private wildcardReason(): string {
    const xray =
      'Resource "*" is used only by actions that support no resource-level permissions: the X-Ray write ' +
      'actions (xray:PutTraceSegments, xray:PutTelemetryRecords) that active tracing adds';
    const streams =
      ', and dynamodb:ListStreams of the stream event source mapping, which lists stream ARNs but reads no ' +
      'record (GetRecords, GetShardIterator and DescribeStream name the one stream ARN)';
    return `${xray}${this.listsStreams ? streams : ''}. Table, queue and SES grants name exact ARNs.`;
  }

  /**
   * Sets `envName` to the table's name and grants exactly the item actions `access` names
   * on that table, plus `dynamodb:Query` on each index named in `options.indexes`.
   *
   * - `read`: `GetItem`, `BatchGetItem`, `Query`, `ConditionCheckItem`
   * - `readWrite`: the above plus `PutItem`, `UpdateItem`, `DeleteItem` (enough for
   *   `TransactWriteItems`, which is authorised per contained action)
   * - a list of actions: those only, in the order given
   *
   * `Scan` is never granted.
   */
  public bindTable(
    table: ITable,
    envName: string,
    access: TableAccess,
    options: BindTableOptions = {},
  ): this {
    this.bindValue(envName, table.tableName);
    const itemActions =
      access === 'read'
        ? TABLE_READ_ACTIONS
        : access === 'readWrite'
          ? [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS]
          : [...new Set(access)];
    if (itemActions.length > 0) {
      this.function.addToRolePolicy(
        new PolicyStatement({
          actions: itemActions.map((action) => `dynamodb:${action}`),
          resources: [table.tableArn],
        }),
      );
    }
    if (options.commandsOnKeys && options.commandsOnKeys.commands.length > 0) {
      this.function.addToRolePolicy(
        new PolicyStatement({
          actions: [...new Set(options.commandsOnKeys.commands)].map((action) => `dynamodb:${action}`),
          resources: [table.tableArn],
          conditions: {
            'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${options.commandsOnKeys.prefix}*`] },
          },
        }),
      );
    }
    const indexes = options.indexes ?? [];
    if (indexes.length > 0) {
      this.function.addToRolePolicy(
        new PolicyStatement({
          actions: [...INDEX_ACTIONS],
          resources: indexes.map((index) => `${table.tableArn}/index/${index}`),
        }),
      );
    }
    // A customer managed key would need key grants too; AWS managed keys need none.
    if (table.encryptionKey) {
      const writes = itemActions.some((action) => TABLE_WRITE_ACTIONS.includes(action));
      if (writes) table.encryptionKey.grantEncryptDecrypt(this.function);
      else table.encryptionKey.grantDecrypt(this.function);
    }
    return this;
  }

  /**
   * Sets `envName` to the secret's ARN and grants `secretsmanager:GetSecretValue` on that
   * secret only (no `DescribeSecret`: the function reads the value, nothing else). A secret
   * encrypted with a customer managed key also gets the key's decrypt grant.
   */
  public bindSecret(secret: ISecret, envName: string): this {
    this.bindValue(envName, secret.secretArn);
    this.function.addToRolePolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
    );
    secret.encryptionKey?.grantDecrypt(this.function);
    return this;
  }

  /**
   * Sets `envName` to the queue's URL and grants `sqs:SendMessage` on that queue only
   * (which also authorises `SendMessageBatch`). No receive, delete or attribute access:
   * producers only send. A queue encrypted with a customer managed key also gets the key
   * grants a producer needs.
   */
  public bindQueue(queue: IQueue, envName: string): this {
    this.bindValue(envName, queue.queueUrl);
    this.function.addToRolePolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
    );
    if (queue.encryptionMasterKey) {
      queue.encryptionMasterKey.grant(this.function, 'kms:GenerateDataKey', 'kms:Decrypt');
    }
    return this;
  }

  /**
   * Sets `envName` to the configuration set's name and grants `ses:SendRawEmail` (SES v1,
   * for the `.ics` attachments) on exactly the given sender identities and that
   * configuration set: SES authorises a send against both the identity used and the
   * configuration set named in the request.
   *
   * @param identityArns ARNs of the SES identities the function sends from (the sender
   *   address and/or its domain); at least one
   */
  public bindEmailSending(
    configurationSet: IConfigurationSet,
    envName: string,
    identityArns: readonly string[],
  ): this {
    if (identityArns.length === 0) {
      throw new Error(`${this.node.path}: bindEmailSending needs at least one sender identity ARN`);
    }
    this.bindValue(envName, configurationSet.configurationSetName);
    const configurationSetArn = Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: configurationSet.configurationSetName,
    });
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendRawEmail'],
        resources: [...identityArns, configurationSetArn],
      }),
    );
    return this;
  }

  /**
   * Configures the function's asynchronous invocations (SNS, EventBridge, `Event` invokes):
   * `options.retryAttempts` retries within `options.maxEventAge`, then the invocation record
   * (the event as `requestPayload`, plus the error) goes to `queue`, an on-failure destination.
   * Grants `sqs:SendMessage` on that queue only, which is all Lambda needs to deliver the record
   * (plus the key grants a producer needs, were the queue encrypted with a customer managed key).
   */
  public sendAsyncFailuresTo(queue: IQueue, options: AsyncFailureOptions): this {
    this.function.configureAsyncInvoke({
      onFailure: new SendOnlySqsDestination(queue),
      retryAttempts: options.retryAttempts,
      maxEventAge: options.maxEventAge,
    });
    return this;
  }

  /** Sets one plain environment variable (configuration, not a secret). */
  public bindValue(envName: string, value: string): this {
    this.function.addEnvironment(envName, value);
    return this;
  }
}

/**
 * An SQS on-failure destination granting what Lambda needs to deliver a record and nothing
 * more. `SqsDestination` of `aws-lambda-destinations` grants through `grantSendMessages`,
 * which adds `sqs:GetQueueAttributes` and `sqs:GetQueueUrl` to `sqs:SendMessage`.
 */
class SendOnlySqsDestination implements IDestination {
  constructor(private readonly queue: IQueue) {}

  bind(_scope: Construct, fn: IFunction): DestinationConfig {
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }),
    );
    if (this.queue.encryptionMasterKey) {
      this.queue.encryptionMasterKey.grant(fn, 'kms:GenerateDataKey', 'kms:Decrypt');
    }
    return { destination: this.queue.queueArn };
  }
}

/** Accepts only a path inside the project, and records it in POSIX form. */
function toProjectRelativeEntry(entry: string): string {
  const normalized = normalize(entry);
  if (isAbsolute(normalized) || normalized.startsWith(`..${sep}`) || normalized === '..') {
    throw new Error(`HouseFunction entry must be relative to the project root, got '${entry}'`);
  }
  return normalized.split(sep).join('/');
}
