import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import * as z from 'zod';

/** A table created (or found) in DynamoDB Local for one template resource. */
export interface LocalTable {
  tableName: string;
  /** The table's latest stream, when it has one. */
  streamArn?: string;
}

/** The part of a synthesized CloudFormation template read here. */
export interface TableTemplate {
  Resources: Record<string, { Type: string; Properties?: unknown }>;
}

const TABLE_TYPES = new Set(['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable']);

/** CloudFormation hands numbers through as strings as often as not. */
const Capacity = z.coerce.number().int().min(1);
const ProvisionedThroughput = z.object({ ReadCapacityUnits: Capacity, WriteCapacityUnits: Capacity });
const KeySchema = z
  .array(z.object({ AttributeName: z.string().min(1), KeyType: z.enum(['HASH', 'RANGE']) }))
  .min(1)
  .max(2);
const Projection = z.object({
  ProjectionType: z.enum(['ALL', 'KEYS_ONLY', 'INCLUDE']).optional(),
  NonKeyAttributes: z.array(z.string()).optional(),
});

/**
 * What shapes the data and the API of a table: keys, indexes, stream, billing, TTL. The same properties
 * exist, with the same names, on `AWS::DynamoDB::Table` and `AWS::DynamoDB::GlobalTable`.
 *
 * Everything else is ignored on purpose: DynamoDB Local does not implement point-in-time recovery,
 * server-side encryption settings, deletion protection, tags, contributor insights, Kinesis streaming,
 * table classes, resource policies or global-table replicas, and none of them changes what a read or a
 * write does.
 */
const TableProperties = z.object({
  KeySchema,
  AttributeDefinitions: z
    .array(z.object({ AttributeName: z.string().min(1), AttributeType: z.enum(['S', 'N', 'B']) }))
    .min(1),
  GlobalSecondaryIndexes: z
    .array(
      z.object({
        IndexName: z.string().min(1),
        KeySchema,
        Projection,
        ProvisionedThroughput: ProvisionedThroughput.optional(),
      }),
    )
    .optional(),
  LocalSecondaryIndexes: z
    .array(z.object({ IndexName: z.string().min(1), KeySchema, Projection }))
    .optional(),
  StreamSpecification: z
    .object({ StreamViewType: z.enum(['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY']) })
    .optional(),
  BillingMode: z.enum(['PAY_PER_REQUEST', 'PROVISIONED']).optional(),
  ProvisionedThroughput: ProvisionedThroughput.optional(),
  TimeToLiveSpecification: z
    .object({
      AttributeName: z.string().min(1).optional(),
      Enabled: z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]),
    })
    .optional(),
});
type TableProperties = z.infer<typeof TableProperties>;

/**
 * Creates in DynamoDB Local every DynamoDB table a synthesized CloudFormation template declares, as it
 * declares it: keys, attribute definitions, global and local secondary indexes, stream, billing and TTL.
 *
 * A table is named by its `TableName` when the template gives one, else by its logical id (CDK leaves
 * names to CloudFormation). A table that already exists under that name is left as it is, so calling this
 * again, or from two processes at once, is harmless.
 *
 * @returns logical id → the table's name and latest stream ARN
 * @throws Error for a table whose name is an intrinsic function or whose properties are malformed
 */
export async function createTablesFromTemplate(
  client: DynamoDBClient,
  template: TableTemplate,
): Promise<Map<string, LocalTable>> {
  const tables = new Map<string, LocalTable>();
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (!TABLE_TYPES.has(resource.Type)) continue;
    const tableName = tableNameOf(logicalId, resource.Properties);
    const parsed = TableProperties.safeParse(resource.Properties);
    if (!parsed.success) {
      throw new Error(`table ${logicalId}: unsupported properties: ${z.prettifyError(parsed.error)}`);
    }
    const description =
      (await describeTable(client, tableName)) ?? (await createTable(client, tableName, parsed.data));
    tables.set(
      logicalId,
      description.LatestStreamArn === undefined
        ? { tableName }
        : { tableName, streamArn: description.LatestStreamArn },
    );
  }
  return tables;
}

function tableNameOf(logicalId: string, properties: unknown): string {
  const name = z.object({ TableName: z.unknown() }).safeParse(properties).data?.TableName;
  if (name === undefined) return logicalId;
  if (typeof name !== 'string' || name.length === 0) {
    throw new Error(`table ${logicalId}: TableName must be a literal string to be created locally`);
  }
  return name;
}

async function describeTable(
  client: DynamoDBClient,
  tableName: string,
): Promise<TableDescription | undefined> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function createTable(
  client: DynamoDBClient,
  tableName: string,
  properties: TableProperties,
): Promise<TableDescription> {
  let created: TableDescription | undefined;
  try {
    ({ TableDescription: created } = await client.send(
      new CreateTableCommand(createTableInput(tableName, properties)),
    ));
  } catch (error) {
    // Someone else created it since we looked: theirs stands, as an existing table would.
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  if (created?.TableStatus !== 'ACTIVE') {
    await waitUntilTableExists(
      { client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 },
      { TableName: tableName },
    );
  }
  const ttl = properties.TimeToLiveSpecification;
  if (created !== undefined && ttl?.Enabled === true && ttl.AttributeName !== undefined) {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: ttl.AttributeName, Enabled: true },
      }),
    );
  }
  const description = await describeTable(client, tableName);
  if (description === undefined) throw new Error(`table ${tableName} vanished right after it was created`);
  return description;
}

function createTableInput(tableName: string, properties: TableProperties): CreateTableCommandInput {
  // A provisioned table without explicit capacity (a global table's auto-scaled writes, say) is created
  // on demand: DynamoDB Local neither enforces nor reports capacity, so nothing observable changes.
  const provisioned =
    properties.BillingMode !== 'PAY_PER_REQUEST' && properties.ProvisionedThroughput !== undefined;
  const gsis = properties.GlobalSecondaryIndexes ?? [];
  const lsis = properties.LocalSecondaryIndexes ?? [];
  return {
    TableName: tableName,
    KeySchema: properties.KeySchema,
    AttributeDefinitions: properties.AttributeDefinitions,
    ...(provisioned
      ? { BillingMode: 'PROVISIONED', ProvisionedThroughput: properties.ProvisionedThroughput }
      : { BillingMode: 'PAY_PER_REQUEST' }),
    ...(gsis.length > 0
      ? {
          GlobalSecondaryIndexes: gsis.map((gsi) => ({
            IndexName: gsi.IndexName,
            KeySchema: gsi.KeySchema,
            Projection: gsi.Projection,
            ...(provisioned
              ? { ProvisionedThroughput: gsi.ProvisionedThroughput ?? properties.ProvisionedThroughput }
              : {}),
          })),
        }
      : {}),
    ...(lsis.length > 0 ? { LocalSecondaryIndexes: lsis } : {}),
    ...(properties.StreamSpecification
      ? {
          StreamSpecification: {
            StreamEnabled: true,
            StreamViewType: properties.StreamSpecification.StreamViewType,
          },
        }
      : {}),
  };
}
