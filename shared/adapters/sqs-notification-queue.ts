import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import * as z from '#shared/domain/zod.ts';
import type { NotificationQueue, QueuedNotification } from '#shared/ports/mail.ts';

/** The body of a queued notification: a reference, never content or addresses. */
export const QueuedNotificationMessage = z.object({
  reviewId: z.string().check(z.minLength(1)),
  stageEpoch: z.number().check(z.int(), z.minimum(1)),
  id: z.string().check(z.minLength(1)),
});

/** SQS limit per SendMessageBatch call. */
const BATCH = 10;

/** Sends notification references to the focal-point or escalation queue, ten a call. */
export class SqsNotificationQueue implements NotificationQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrls: { focal_point?: string | undefined; escalation?: string | undefined },
  ) {}

  async enqueue(target: 'focal_point' | 'escalation', items: QueuedNotification[]): Promise<string[]> {
    const queueUrl = this.queueUrls[target];
    if (!queueUrl) throw new Error(`no ${target} queue configured for this function`);
    const failed: string[] = [];
    for (let start = 0; start < items.length; start += BATCH) {
      const chunk = items.slice(start, start + BATCH);
      try {
        const result = await this.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            // Entry ids must be short and plain; notification ids contain '#', so use positions.
            Entries: chunk.map((item, i) => ({
              Id: String(i),
              MessageBody: JSON.stringify(QueuedNotificationMessage.parse(item)),
            })),
          }),
        );
        for (const entry of result.Failed ?? []) {
          const item = chunk[Number(entry.Id)];
          if (item) failed.push(item.id);
        }
      } catch {
        // Left pending: the next sweep tries again.
        failed.push(...chunk.map((item) => item.id));
      }
    }
    return failed;
  }
}
