import { createSqsClient } from '#shared/adapters/aws-clients.ts';
import { SWEEP_MIN_REMAINING_MS } from '#shared/adapters/client-timeouts.ts';
import { createDocumentClient } from '#shared/adapters/dynamodb-client.ts';
import { DynamoDbNotificationStore } from '#shared/adapters/dynamodb-notification-store.ts';
import { SqsNotificationQueue } from '#shared/adapters/sqs-notification-queue.ts';
import { parseEnv } from '#shared/config/env.ts';
import { sweepFunction } from '#shared/manifest/sweep.ts';
import { logger } from '#shared/observability/logger.ts';
import { countEvent } from '#shared/observability/metrics.ts';
import { scheduleChain } from '#shared/triggers/batch-chains.ts';
import { sweepDue } from '#shared/use-cases/sweep-due.ts';

/** The one-minute sweep: what is due goes to its queue. */
const env = parseEnv(sweepFunction.env);
const deps = {
  notifications: new DynamoDbNotificationStore(createDocumentClient(), env.NOTIFICATIONS_TABLE),
  queue: new SqsNotificationQueue(createSqsClient(), {
    focal_point: env.FOCAL_POINT_QUEUE_URL,
    escalation: env.ESCALATION_QUEUE_URL,
  }),
};

export const handler = scheduleChain({
  logger,
  run: async (now, remainingMs) => {
    // Hands over before the timeout: what it could not start, the next minute's sweep takes.
    const outcome = await sweepDue(deps, now, { budget: { remainingMs, reserveMs: SWEEP_MIN_REMAINING_MS } });
    // The heartbeat its alarm watches: every completed run, whether or not anything was due.
    countEvent('SweepRan');
    countEvent('NotificationsQueued', outcome.queued);
    countEvent('NotificationsSuperseded', outcome.superseded);
    countEvent('NotificationsLeftForNextSweep', outcome.left);
    if (outcome.due > 0) logger.info('sweep queued due notifications', { now, ...outcome });
    return outcome;
  },
});
