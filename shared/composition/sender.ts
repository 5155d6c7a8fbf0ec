import { randomUUID } from 'node:crypto';
import { createSesClient } from '#shared/adapters/aws-clients.ts';
import { createDocumentClient } from '#shared/adapters/dynamodb-client.ts';
import { DynamoDbDeliveryStore } from '#shared/adapters/dynamodb-delivery-store.ts';
import { DynamoDbNotificationStore } from '#shared/adapters/dynamodb-notification-store.ts';
import { HmacResponseLinks } from '#shared/adapters/hmac-response-links.ts';
import { SecretsManagerSigningKeyring } from '#shared/adapters/secrets-manager-signing-key.ts';
import { SesMailer } from '#shared/adapters/ses-mailer.ts';
import { systemClock } from '#shared/adapters/system-clock.ts';
import type { SenderEnv } from '#shared/config/env.ts';
import { createProcessRegistry } from '#shared/domain/process-registry.ts';
import { BUILT_IN_PROCESSES } from '#shared/domain/processes/index.ts';
import type * as z from '#shared/domain/zod.ts';
import type { DeliveryDeps } from '#shared/use-cases/deliver-notification.ts';

/**
 * A claim older than the mail queues' visibility timeout (6 × the 60 s consumer timeout,
 * `MAIL_QUEUE_VISIBILITY_TIMEOUT_SECONDS`; an infra test holds the two equal) is a dead sender's.
 */
export const CLAIM_TIMEOUT_MS = 360_000;

/**
 * The mailer's and the escalator's wiring (they differ in their queue, and the mailer signs the
 * focal points' personal links), built once per cold start.
 */
export function senderDeps(
  env: z.infer<typeof SenderEnv>,
  links?: { signingSecretArn: string; baseUrl: string },
): DeliveryDeps {
  const documents = createDocumentClient();
  return {
    processes: createProcessRegistry(BUILT_IN_PROCESSES, { timeZone: env.TIME_ZONE_OF_RECORD }),
    notifications: new DynamoDbNotificationStore(documents, env.NOTIFICATIONS_TABLE),
    deliveries: new DynamoDbDeliveryStore(documents, {
      notifications: env.NOTIFICATIONS_TABLE,
      reviews: env.REVIEWS_TABLE,
    }),
    mailer: new SesMailer(createSesClient(), systemClock, env.SES_CONFIGURATION_SET),
    clock: systemClock,
    senderEmail: env.SENDER_EMAIL,
    senderName: env.SENDER_NAME,
    secretariatEmail: env.SECRETARIAT_EMAIL,
    claimTimeoutMs: CLAIM_TIMEOUT_MS,
    newToken: randomUUID,
    ...(links
      ? {
          respond: {
            links: new HmacResponseLinks(new SecretsManagerSigningKeyring(links.signingSecretArn)),
            baseUrl: links.baseUrl,
          },
        }
      : {}),
  };
}
