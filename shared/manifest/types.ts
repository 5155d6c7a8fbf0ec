import type * as z from '#shared/domain/zod.ts';

/**
 * The function manifest's vocabulary (DESIGN §7): what each Lambda function is, which
 * resources it binds through which environment variable, and exactly which SDK commands it
 * may call on each. CDK grants and sets environment variables from it, each handler parses its
 * environment with its schema, and tests hold the three together.
 */

/** DynamoDB item commands a function may call (`TransactWriteItems` is authorised per contained action). */
export type TableCommand =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'ConditionCheckItem';

/** The stateful stack's tables. */
export type TableName = 'reviews' | 'notifications' | 'idempotency';
/** The stateful stack's queues a function may send to. */
export type QueueName = 'focalPointMail' | 'escalation' | 'plannerDlq';
/** The stateful stack's secrets. */
export type SecretName = 'signing';
/** Deployment settings (context values) a function receives as plain values. */
/** `publicApiUrl` is the API's endpoint, where the focal-point page is served (not a context value). */
export type SettingName =
  | 'timeZone'
  | 'secretariatEmail'
  | 'senderEmail'
  | 'senderName'
  | 'groupsClaim'
  | 'publicApiUrl';

/** A table, by name in an environment variable, with the item commands the function calls on it. */
export interface TableBinding {
  readonly kind: 'table';
  readonly table: TableName;
  /** Item commands on any item of the table. */
  readonly commands: readonly TableCommand[];
  /** Item commands allowed only on items whose partition key starts with `prefix` (`dynamodb:LeadingKeys`). */
  readonly commandsOnKeys?: { readonly commands: readonly TableCommand[]; readonly prefix: string };
  /** Indexes the function queries (`Query` only). */
  readonly indexes?: readonly string[];
}

/** A queue, by URL in an environment variable; functions only ever send. */
export interface QueueBinding {
  readonly kind: 'queue';
  readonly queue: QueueName;
  readonly commands: readonly ['SendMessage'];
}

/** A secret, by ARN in an environment variable; functions only ever read its value. */
export interface SecretBinding {
  readonly kind: 'secret';
  readonly secret: SecretName;
  readonly commands: readonly ['GetSecretValue'];
}

/** The SES configuration set, by name; the function sends raw mail from the sender identity. */
export interface EmailBinding {
  readonly kind: 'email';
  readonly commands: readonly ['SendRawEmail'];
}

/** A deployment setting as a plain value. */
export interface SettingBinding {
  readonly kind: 'setting';
  readonly setting: SettingName;
}

export type Binding = TableBinding | QueueBinding | SecretBinding | EmailBinding | SettingBinding;

/** One Lambda function. */
export interface FunctionSpec<E extends z.ZodMiniObject = z.ZodMiniObject> {
  /** Construct id of the function (`ApiFunction`). */
  readonly id: string;
  /** The handler module, relative to the project root. */
  readonly entry: string;
  readonly description: string;
  /** Its environment, parsed once at cold start; its keys are exactly the bindings' variables. */
  readonly env: E;
  /** Each environment variable the function is given, and what it binds. */
  readonly bindings: { readonly [K in keyof z.infer<E> & string]: Binding };
  /** The HTTP API routes it serves (`METHOD /path`), if any. */
  readonly routes?: readonly string[];
}

/** Declares a function spec with its bindings checked against its schema's keys. */
export function functionSpec<E extends z.ZodMiniObject>(spec: FunctionSpec<E>): FunctionSpec<E> {
  return spec;
}
