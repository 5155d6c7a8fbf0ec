import { SESClient } from '@aws-sdk/client-ses';
import { SQSClient } from '@aws-sdk/client-sqs';
import { traced } from '#shared/observability/tracer.ts';
import { clientSettings, PIPELINE_AWS, SES_SEND } from './client-timeouts.ts';
import { withUnavailability } from './sdk-errors.ts';

/**
 * SQS and SES clients, created once per module scope (STYLE.md item 8), each call an X-Ray
 * subsegment. Region, credentials and (locally) `AWS_ENDPOINT_URL_SQS` come from the SDK's
 * own chain. SQS calls go to the regional endpoint, not to the host a queue URL names: the
 * same on AWS, and locally the emulator's queue URLs name a host that does not resolve.
 */
export function createSqsClient(): SQSClient {
  return withUnavailability(
    traced(new SQSClient({ ...clientSettings(PIPELINE_AWS), useQueueUrlAsEndpoint: false })),
    'sqs',
  );
}

/**
 * One attempt per send with a long timeout (see `SES_SEND`): a throttled send fails at once
 * and the queue retries the message later (with the claim given back), instead of the SDK
 * sleeping inside the function. Errors stay the SDK's own: the mailer tells throttling,
 * refusal and an unknown outcome apart itself.
 */
export function createSesClient(): SESClient {
  return traced(new SESClient(clientSettings(SES_SEND)));
}
