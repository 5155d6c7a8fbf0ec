import { randomUUID } from 'node:crypto';
import { API_DYNAMODB } from '#shared/adapters/client-timeouts.ts';
import { createDocumentClient } from '#shared/adapters/dynamodb-client.ts';
import { DynamoDbDigestSource } from '#shared/adapters/dynamodb-digest-source.ts';
import { DynamoDbIdempotencyStore } from '#shared/adapters/dynamodb-idempotency-store.ts';
import { DynamoDbNotificationReader } from '#shared/adapters/dynamodb-notification-reader.ts';
import { DynamoDbRequestLimiter } from '#shared/adapters/dynamodb-request-limiter.ts';
import { DynamoDbReviewRepository } from '#shared/adapters/dynamodb-review-repository.ts';
import { DynamoDbTimelinessSource } from '#shared/adapters/dynamodb-timeliness-source.ts';
import { DynamoDbUndeliverableAddresses } from '#shared/adapters/dynamodb-undeliverable-addresses.ts';
import { HmacResponseLinks } from '#shared/adapters/hmac-response-links.ts';
import { SecretsManagerSigningKeyring } from '#shared/adapters/secrets-manager-signing-key.ts';
import { parseEnv } from '#shared/config/env.ts';
import { createProcessRegistry } from '#shared/domain/process-registry.ts';
import { BUILT_IN_PROCESSES } from '#shared/domain/processes/index.ts';
import { apiRoutes } from '#shared/http/api-routes.ts';
import { httpChain } from '#shared/http/http-chain.ts';
import { apiFunction } from '#shared/manifest/api.ts';
import { logger } from '#shared/observability/logger.ts';
import { countEvent } from '#shared/observability/metrics.ts';

/** The Secretariat API: every route of DESIGN §4 behind one HTTP chain. */
const env = parseEnv(apiFunction.env);
const documents = createDocumentClient(API_DYNAMODB);
const processes = createProcessRegistry(BUILT_IN_PROCESSES, { timeZone: env.TIME_ZONE_OF_RECORD });
const idempotency = new DynamoDbIdempotencyStore(documents, env.IDEMPOTENCY_TABLE);
/** One bad item must not take the lists and reports down for everyone: skipped, and loud. */
const skipUnreadable = (key: { pk: string; sk: string }, error: Error) => {
  logger.error('unreadable review item skipped', { key, error: error.name });
  countEvent('UnreadableItemSkipped');
};
/** One read of the signing secret (current and previous) for cursors and personal links. */
const keyring = new SecretsManagerSigningKeyring(env.SIGNING_SECRET_ARN);
/** Cursors are signed with the current value; after a rotation an old one is refused (start again). */
const cursorKey = {
  get: async () => (await keyring.keys())[0] ?? Promise.reject(new Error('no signing key')),
};
const reviews = new DynamoDbReviewRepository(documents, env.REVIEWS_TABLE, {
  // Changes complete their request's Idempotency-Key in their own transaction (DESIGN §4).
  idempotency,
  cursorKey,
  onUnreadableItem: skipUnreadable,
});
const timeliness = new DynamoDbTimelinessSource(documents, env.REVIEWS_TABLE, {
  cursorKey,
  onUnreadableItem: skipUnreadable,
});
const notifications = new DynamoDbNotificationReader(documents, env.NOTIFICATIONS_TABLE);
/** The focal-point page: personal links signed with the same secret (keys derived per use), counted per token. */
const respond = {
  links: new HmacResponseLinks(keyring),
  limiter: new DynamoDbRequestLimiter(documents, env.IDEMPOTENCY_TABLE),
  secretariatEmail: env.SECRETARIAT_EMAIL,
};
const digest = {
  source: new DynamoDbDigestSource(documents, env.REVIEWS_TABLE, { onUnreadableItem: skipUnreadable }),
  undeliverable: new DynamoDbUndeliverableAddresses(documents, env.REVIEWS_TABLE),
  secretariatEmail: env.SECRETARIAT_EMAIL,
};

export const handler = httpChain({
  routes: apiRoutes,
  depsFor: (clock) => ({
    processes,
    reviews,
    notifications,
    digest,
    timeliness,
    respond,
    clock,
    newId: randomUUID,
  }),
  idempotency,
  logger,
  groupsClaim: env.GROUPS_CLAIM,
});
