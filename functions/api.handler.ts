import { randomUUID } from 'node:crypto';
import { API_DYNAMODB } from '#shared/adapters/client-timeouts.ts';
import { createDocumentClient } from '#shared/adapters/dynamodb-client.ts';
import { DynamoDbIdempotencyStore } from '#shared/adapters/dynamodb-idempotency-store.ts';
import { DynamoDbNotificationReader } from '#shared/adapters/dynamodb-notification-reader.ts';
import { DynamoDbReviewRepository } from '#shared/adapters/dynamodb-review-repository.ts';
import { SecretsManagerSigningKey } from '#shared/adapters/secrets-manager-signing-key.ts';
import { parseEnv } from '#shared/config/env.ts';
import { UNTOC_PROCESS } from '#shared/domain/process-definition.ts';
import { apiRoutes } from '#shared/http/api-routes.ts';
import { httpChain } from '#shared/http/http-chain.ts';
import { apiFunction } from '#shared/manifest/api.ts';
import { logger } from '#shared/observability/logger.ts';
import { countEvent } from '#shared/observability/metrics.ts';

/** The Secretariat API: every route of DESIGN §4 behind one HTTP chain. */
const env = parseEnv(apiFunction.env);
const documents = createDocumentClient(API_DYNAMODB);
const process = { ...UNTOC_PROCESS, timeZone: env.TIME_ZONE_OF_RECORD };
const idempotency = new DynamoDbIdempotencyStore(documents, env.IDEMPOTENCY_TABLE);
const reviews = new DynamoDbReviewRepository(documents, env.REVIEWS_TABLE, {
  // Changes complete their request's Idempotency-Key in their own transaction (DESIGN §4).
  idempotency,
  cursorKey: new SecretsManagerSigningKey(env.SIGNING_SECRET_ARN),
  // One bad item must not take the lists down for everyone: skipped, and loud.
  onUnreadableItem: (key, error) => {
    logger.error('unreadable review item skipped', { key, error: error.name });
    countEvent('UnreadableItemSkipped');
  },
});
const notifications = new DynamoDbNotificationReader(documents, env.NOTIFICATIONS_TABLE);

export const handler = httpChain({
  routes: apiRoutes,
  depsFor: (clock) => ({ process, reviews, notifications, clock, newId: randomUUID }),
  idempotency,
  logger,
  groupsClaim: env.GROUPS_CLAIM,
});
