import { createSqsClient } from '#shared/adapters/aws-clients.ts';
import { createDocumentClient } from '#shared/adapters/dynamodb-client.ts';
import { DynamoDbNotificationStore } from '#shared/adapters/dynamodb-notification-store.ts';
import { DynamoDbReviewRepository } from '#shared/adapters/dynamodb-review-repository.ts';
import { DynamoDbUndeliverableAddresses } from '#shared/adapters/dynamodb-undeliverable-addresses.ts';
import { SesFeedbackMessage } from '#shared/adapters/ses-feedback.ts';
import { SqsNotificationQueue } from '#shared/adapters/sqs-notification-queue.ts';
import { systemClock } from '#shared/adapters/system-clock.ts';
import { parseEnv } from '#shared/config/env.ts';
import { feedbackFunction } from '#shared/manifest/feedback.ts';
import { logger } from '#shared/observability/logger.ts';
import { countEvent } from '#shared/observability/metrics.ts';
import { snsChain } from '#shared/triggers/batch-chains.ts';
import { handleMailFeedback } from '#shared/use-cases/handle-mail-feedback.ts';

/** SES bounces and complaints (through SNS): mark the address undeliverable, tell the Secretariat. */
const env = parseEnv(feedbackFunction.env);
const documents = createDocumentClient();
const deps = {
  notifications: new DynamoDbNotificationStore(documents, env.NOTIFICATIONS_TABLE),
  undeliverable: new DynamoDbUndeliverableAddresses(documents, env.REVIEWS_TABLE),
  reviews: new DynamoDbReviewRepository(documents, env.REVIEWS_TABLE),
  queue: new SqsNotificationQueue(createSqsClient(), {
    escalation: env.ESCALATION_QUEUE_URL,
  }),
  clock: systemClock,
};

export const handler = snsChain({
  message: SesFeedbackMessage,
  logger,
  logKeys: (feedback) => ({ reviewId: feedback?.reviewId }),
  process: async (feedback) => {
    // Transient bounces, deliveries and other events: nothing to do.
    if (!feedback) return;
    const outcome = await handleMailFeedback(deps, feedback);
    countEvent('AddressMarkedUndeliverable', outcome.marked);
    countEvent('UndeliverableNoticeQueued', outcome.noticesQueued);
    logger.info('mail feedback handled', { cause: feedback.cause, reviewId: feedback.reviewId, ...outcome });
  },
});
