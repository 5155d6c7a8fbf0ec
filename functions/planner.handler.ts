import { createSqsClient } from '#shared/adapters/aws-clients.ts';
import { createDocumentClient } from '#shared/adapters/dynamodb-client.ts';
import { reviewPk } from '#shared/adapters/dynamodb-keys.ts';
import { DynamoDbNotificationStore } from '#shared/adapters/dynamodb-notification-store.ts';
import { reviewFromItem } from '#shared/adapters/dynamodb-review-repository.ts';
import { SqsNotificationQueue } from '#shared/adapters/sqs-notification-queue.ts';
import { SqsParkedRecords } from '#shared/adapters/sqs-parked-records.ts';
import { itemFromStreamImage } from '#shared/adapters/stream-image.ts';
import { systemClock } from '#shared/adapters/system-clock.ts';
import { parseEnv } from '#shared/config/env.ts';
import { createProcessRegistry } from '#shared/domain/process-registry.ts';
import { BUILT_IN_PROCESSES } from '#shared/domain/processes/index.ts';
import { plannerFunction } from '#shared/manifest/planner.ts';
import { logger } from '#shared/observability/logger.ts';
import { countEvent } from '#shared/observability/metrics.ts';
import { type StreamRecord, streamBatchChain } from '#shared/triggers/batch-chains.ts';
import { planFromReviewChange } from '#shared/use-cases/plan-notifications.ts';

/** The planner: the Reviews table's stream (review items only, by the mapping's filter). */
const env = parseEnv(plannerFunction.env);
const sqs = createSqsClient();
const deps = {
  processes: createProcessRegistry(BUILT_IN_PROCESSES, { timeZone: env.TIME_ZONE_OF_RECORD }),
  notifications: new DynamoDbNotificationStore(createDocumentClient(), env.NOTIFICATIONS_TABLE),
  queue: new SqsNotificationQueue(sqs, {
    focal_point: env.FOCAL_POINT_QUEUE_URL,
    escalation: env.ESCALATION_QUEUE_URL,
  }),
};
const parked = new SqsParkedRecords(sqs, env.PLANNER_DLQ_URL);

const image = (raw: Record<string, unknown> | undefined) =>
  raw ? reviewFromItem(itemFromStreamImage(raw)) : undefined;

/** The review a record is about, from its keys alone (its images may be what failed to read). */
const REVIEW_PK_PREFIX = reviewPk('');
const reviewIdOf = (record: StreamRecord): string | undefined => {
  const pk = record.dynamodb.Keys?.pk?.S;
  return typeof pk === 'string' && pk.startsWith(REVIEW_PK_PREFIX)
    ? pk.slice(REVIEW_PK_PREFIX.length)
    : undefined;
};

export const handler = streamBatchChain({
  logger,
  now: systemClock.now,
  park: (record) => parked.park(record),
  logKeys: (record) => ({ reviewId: reviewIdOf(record) }),
  process: async (record: StreamRecord) => {
    const newReview = image(record.dynamodb.NewImage);
    const outcome = await planFromReviewChange(deps, {
      oldReview: image(record.dynamodb.OldImage),
      newReview,
    });
    countEvent('NotificationsPlanned', outcome.planned);
    countEvent('NotificationsCancelled', outcome.cancelled);
    logger.info('review change planned', { reviewId: reviewIdOf(record), ...outcome });
  },
});
