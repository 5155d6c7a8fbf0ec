import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

/**
 * The bench's floor (DESIGN §6): a handler bundled exactly as the house functions are that
 * only calls DynamoDB `GetItem` on the Reviews table. Its bundle size and cold start are
 * what any function here pays before doing anything of its own.
 */
const client = new DynamoDBClient({});

export const handler = async (): Promise<{ statusCode: number }> => {
  await client.send(
    new GetItemCommand({
      TableName: process.env.REVIEWS_TABLE,
      Key: { pk: { S: 'REVIEW#floor' }, sk: { S: 'REVIEW' } },
    }),
  );
  return { statusCode: 200 };
};
