import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTablesFromTemplate } from '#infra/local/create-tables.ts';
import { clientConfig, type LocalEmulators, startEmulators } from '#infra/local/emulators.ts';
import { synthesizeTemplates } from '#infra/local/template.ts';
import { DynamoDbCallCounter } from './call-counters.ts';

/**
 * DynamoDB Local with the tables the synthesized app declares, for the sections that drive
 * adapters directly (sweep reads, calls per transition).
 */
export interface DynamoFixture {
  emulators: LocalEmulators;
  tables: { reviews: string; notifications: string; idempotency: string };
  /** A plain document client (loading data). */
  documents: DynamoDBDocumentClient;
  /** A document client whose every call is counted by `counter`. */
  counted: DynamoDBDocumentClient;
  counter: DynamoDbCallCounter;
  stop(): Promise<void>;
}

/** The same marshalling as shared/adapters/dynamodb-client.ts, on a client the bench controls. */
function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

/** CDK leaves table names to CloudFormation: the local tables are named by logical id (`ReviewsTable1E51…`). */
function tableNamed(tables: Map<string, { tableName: string }>, prefix: string): string {
  const found = [...tables.entries()].find(([logicalId]) => logicalId.startsWith(prefix));
  if (!found) throw new Error(`no ${prefix}* table in the template: ${[...tables.keys()].join(', ')}`);
  return found[1].tableName;
}

export async function startDynamoFixture(): Promise<DynamoFixture> {
  const emulators = await startEmulators();
  try {
    const plain = new DynamoDBClient(clientConfig(emulators, 'dynamodb'));
    const all = new Map<string, { tableName: string }>();
    for (const stack of synthesizeTemplates()) {
      for (const [id, table] of await createTablesFromTemplate(plain, stack.template)) all.set(id, table);
    }
    const countedClient = new DynamoDBClient(clientConfig(emulators, 'dynamodb'));
    const counter = new DynamoDbCallCounter();
    counter.attach(countedClient);
    return {
      emulators,
      tables: {
        reviews: tableNamed(all, 'ReviewsTable'),
        notifications: tableNamed(all, 'NotificationsTable'),
        idempotency: tableNamed(all, 'IdempotencyTable'),
      },
      documents: documentClient(plain),
      counted: documentClient(countedClient),
      counter,
      async stop() {
        plain.destroy();
        countedClient.destroy();
        await emulators.stop();
      },
    };
  } catch (error) {
    await emulators.stop();
    throw error;
  }
}
