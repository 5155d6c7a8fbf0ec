import { randomUUID } from 'node:crypto';
import { createSesClient } from '#shared/adapters/aws-clients.ts';
import { createDocumentClient } from '#shared/adapters/dynamodb-client.ts';
import { DynamoDbDigestClaims } from '#shared/adapters/dynamodb-digest-claims.ts';
import { DynamoDbDigestSource } from '#shared/adapters/dynamodb-digest-source.ts';
import { DynamoDbUndeliverableAddresses } from '#shared/adapters/dynamodb-undeliverable-addresses.ts';
import { SesMailer } from '#shared/adapters/ses-mailer.ts';
import { systemClock } from '#shared/adapters/system-clock.ts';
import { parseEnv } from '#shared/config/env.ts';
import { createProcessRegistry } from '#shared/domain/process-registry.ts';
import { BUILT_IN_PROCESSES } from '#shared/domain/processes/index.ts';
import { DIGEST_CLAIM_TIMEOUT_MS, digestFunction } from '#shared/manifest/digest.ts';
import { logger } from '#shared/observability/logger.ts';
import { countEvent } from '#shared/observability/metrics.ts';
import { scheduleChain } from '#shared/triggers/batch-chains.ts';
import { sendWeeklyDigests } from '#shared/use-cases/send-weekly-digests.ts';

/** The weekly Secretariat digest: `now` is the schedule's own time (Monday 08:00, time zone of record). */
const env = parseEnv(digestFunction.env);
const documents = createDocumentClient();
const deps = {
  processes: createProcessRegistry(BUILT_IN_PROCESSES, { timeZone: env.TIME_ZONE_OF_RECORD }),
  source: new DynamoDbDigestSource(documents, env.REVIEWS_TABLE, {
    onUnreadableItem: (key, error) =>
      logger.error('unreadable review item skipped', { key, error: error.name }),
  }),
  undeliverable: new DynamoDbUndeliverableAddresses(documents, env.REVIEWS_TABLE),
  claims: new DynamoDbDigestClaims(documents, env.NOTIFICATIONS_TABLE),
  mailer: new SesMailer(createSesClient(), systemClock, env.SES_CONFIGURATION_SET),
  senderEmail: env.SENDER_EMAIL,
  senderName: env.SENDER_NAME,
  secretariatEmail: env.SECRETARIAT_EMAIL,
  claimTimeoutMs: DIGEST_CLAIM_TIMEOUT_MS,
  newToken: randomUUID,
};

export const handler = scheduleChain({
  logger,
  run: async (now) => {
    const outcome = await sendWeeklyDigests(deps, now);
    countEvent('DigestSent', outcome.sent);
    countEvent('DigestNothingToReport', outcome.nothingToReport);
    logger.info('weekly digests sent', { now, ...outcome });
    return outcome;
  },
});
