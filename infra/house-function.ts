import { isAbsolute, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, type CfnFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

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

/** Item-level actions of a read binding (the ones `TransactGetItems` / conditions check too). */
const TABLE_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
] as const;

/** Item-level write actions; `TransactWriteItems` is authorised per contained action. */
const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'] as const;

/** Indexes are only ever queried; `Scan` is granted nowhere (DESIGN.md section 3). */
const INDEX_ACTIONS = ['dynamodb:Query'] as const;

/** What a function may do with a bound table. */
export type TableAccess = 'read' | 'readWrite';

/** Options of {@link HouseFunction.bindTable}. */
export interface BindTableOptions {
  /**
   * Names of the table's indexes the function queries; each is granted `dynamodb:Query` by
   * its own ARN (no `index/*` wildcard).
   * @default - no index access
   */
  readonly indexes?: readonly string[];
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
}

/**
 * The house Lambda function: a `NodejsFunction` with the project's defaults fixed once
 * (Node.js 22 on arm64, minified ESM bundle with the AWS SDK v3 inside, source maps,
 * a one-month log group, active X-Ray tracing, Powertools settings), its own role granted
 * only what the `bind*` helpers add, and its source entry recorded in the template metadata.
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

  constructor(scope: Construct, id: string, props: HouseFunctionProps) {
    super(scope, id);
    this.entry = toProjectRelativeEntry(props.entry);
    this.handler = props.handler ?? 'handler';

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: RetentionDays.ONE_MONTH,
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
        // Bundle the AWS SDK v3 instead of using the runtime's copy: smaller cold start after
        // tree shaking, and the exact version the tests ran against.
        externalModules: [],
        // Offline, credential-free synth: the local esbuild, never Docker.
        forceDockerBundling: false,
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
      Validations.of(defaultPolicy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Only the X-Ray write actions (xray:PutTraceSegments, xray:PutTelemetryRecords) that active tracing ' +
          'adds use Resource "*": X-Ray supports no resource-level permissions. Table grants name exact ARNs.',
      });
    }
  }

  /**
   * Sets `envName` to the table's name and grants exactly the item actions `access` needs
   * on that table, plus `dynamodb:Query` on each index named in `options.indexes`.
   *
   * - `read`: `GetItem`, `BatchGetItem`, `Query`, `ConditionCheckItem`
   * - `readWrite`: the above plus `PutItem`, `UpdateItem`, `DeleteItem` (enough for
   *   `TransactWriteItems`, which is authorised per contained action)
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
    const actions =
      access === 'read' ? [...TABLE_READ_ACTIONS] : [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS];
    this.function.addToRolePolicy(new PolicyStatement({ actions, resources: [table.tableArn] }));
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
      if (access === 'read') table.encryptionKey.grantDecrypt(this.function);
      else table.encryptionKey.grantEncryptDecrypt(this.function);
    }
    return this;
  }

  /** Sets one plain environment variable (configuration, not a secret). */
  public bindValue(envName: string, value: string): this {
    this.function.addEnvironment(envName, value);
    return this;
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
