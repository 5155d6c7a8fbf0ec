import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTablesFromTemplate } from '#infra/local/create-tables.ts';
import { clientConfig, type LocalEmulators } from '#infra/local/emulators.ts';
import { synthesizeTemplates } from '#infra/local/template.ts';

/** The stateful stack's tables, created in DynamoDB Local exactly as the template declares them. */
export async function createTemplateTables(emulators: LocalEmulators) {
  const client = new DynamoDBClient(clientConfig(emulators, 'dynamodb'));
  const stateful = synthesizeTemplates().find((s) => s.stackName.endsWith('Stateful'));
  if (!stateful) throw new Error('no stateful stack in the app');
  const tables = await createTablesFromTemplate(client, stateful.template);
  const name = (prefix: string) => {
    const found = [...tables].find(([logicalId]) => logicalId.startsWith(prefix));
    if (!found) throw new Error(`no table ${prefix} in the template`);
    return found[1].tableName;
  };
  return {
    reviews: name('ReviewsTable'),
    notifications: name('NotificationsTable'),
    idempotency: name('IdempotencyTable'),
    documents: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
  };
}
