import { SESClient } from '@aws-sdk/client-ses';
import { SQSClient } from '@aws-sdk/client-sqs';

/**
 * SQS and SES clients, created once per module scope (STYLE.md item 8). Region and
 * credentials come from the SDK's chain; SQS takes its endpoint explicitly when one is given
 * (local mode), because the emulator's queue URLs name a host that does not resolve.
 */
export function createSqsClient(endpoint?: string): SQSClient {
  return new SQSClient(endpoint ? { endpoint } : {});
}

/**
 * One attempt per send: a throttled send fails at once and the queue retries the message
 * later (with the claim given back), instead of the SDK sleeping inside the function.
 */
export function createSesClient(): SESClient {
  return new SESClient({ maxAttempts: 1 });
}
