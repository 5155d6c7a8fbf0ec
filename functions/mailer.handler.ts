import { MAIL_CONSUMER_MIN_REMAINING_MS } from '#shared/adapters/client-timeouts.ts';
import { QueuedNotificationMessage } from '#shared/adapters/sqs-notification-queue.ts';
import { senderDeps } from '#shared/composition/sender.ts';
import { parseEnv } from '#shared/config/env.ts';
import { mailerFunction } from '#shared/manifest/senders.ts';
import { logger } from '#shared/observability/logger.ts';
import { countEvent } from '#shared/observability/metrics.ts';
import { sqsBatchChain } from '#shared/triggers/batch-chains.ts';
import { deliverNotification, outcomeMetric } from '#shared/use-cases/deliver-notification.ts';

/** The mailer: focal-point mail from its queue (stage notices, reminders, overdue notices). */
const env = parseEnv(mailerFunction.env);
const deps = senderDeps(env, { signingSecretArn: env.SIGNING_SECRET_ARN, baseUrl: env.RESPOND_BASE_URL });

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
