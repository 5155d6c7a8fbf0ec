import { MAIL_CONSUMER_MIN_REMAINING_MS } from '#shared/adapters/client-timeouts.ts';
import { QueuedNotificationMessage } from '#shared/adapters/sqs-notification-queue.ts';
import { senderDeps } from '#shared/composition/sender.ts';
import { parseEnv } from '#shared/config/env.ts';
import { escalatorFunction } from '#shared/manifest/senders.ts';
import { logger } from '#shared/observability/logger.ts';
import { countEvent } from '#shared/observability/metrics.ts';
import { sqsBatchChain } from '#shared/triggers/batch-chains.ts';
import { deliverNotification, outcomeMetric } from '#shared/use-cases/deliver-notification.ts';

/** The escalator: Secretariat mail from its queue (escalations, undeliverable notices). */
const deps = senderDeps(parseEnv(escalatorFunction.env));

export const handler = sqsBatchChain({
  body: QueuedNotificationMessage,
  logger,
  minRemainingMs: MAIL_CONSUMER_MIN_REMAINING_MS,
  logKeys: (ref) => ({ reviewId: ref.reviewId, notificationId: ref.id }),
  process: async (ref) => {
    const result = await deliverNotification(deps, ref);
    countEvent(outcomeMetric(result));
    logger.info('notification handled', { reviewId: ref.reviewId, notificationId: ref.id, ...result });
  },
});
