import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { traced } from '#shared/observability/tracer.ts';
import { type ClientTimeouts, clientSettings, PIPELINE_AWS } from './client-timeouts.ts';
import { withUnavailability } from './sdk-errors.ts';

/**
 * The DynamoDB document client every adapter shares. The SDK takes region, credentials and
 * (locally) `AWS_ENDPOINT_URL_DYNAMODB` from its own default chain. Call once per module
 * scope (STYLE.md item 8). Timeouts are explicit (the SDK's default waits forever for a
 * stalled table); what still fails after the SDK's retries leaves as
 * `DependencyUnavailableError`. Each call is an X-Ray subsegment (the document client shares
 * its base client's middleware stack, which is the one traced).
 * @param timeouts the function's profile (`API_DYNAMODB` for the API)
 */
export function createDocumentClient(timeouts: ClientTimeouts = PIPELINE_AWS): DynamoDBDocumentClient {
  const client = withUnavailability(traced(new DynamoDBClient(clientSettings(timeouts))), 'dynamodb');
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
