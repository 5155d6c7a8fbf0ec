import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import * as z from 'zod';
import { redactAddresses } from '#shared/observability/logger.ts';
import { publishMetrics } from '#shared/observability/metrics.ts';

/**
 * One chain per kind of trigger (STYLE.md item 2): SQS batches, DynamoDB stream batches,
 * schedules and SNS. Each parses its event with zod at the edge and reports failures the
 * way its event source mapping expects.
 */

const SqsEvent = z.object({
  Records: z.array(z.object({ messageId: z.string(), body: z.string() })),
});

/** SQS records handled at once within a batch: enough to overlap I/O, few enough to stay near the SES send rate. */
const SQS_RECORD_CONCURRENCY = 4;

/** Runs `work` over the items with at most `limit` at a time. */
async function forEachConcurrently<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/**
 * SQS consumer with partial batch responses: a record whose body does not parse, or whose
 * processing throws, is reported as failed and left to the queue's retry and redrive; the
 * others are deleted.
 */
export function sqsBatchChain<T>(options: {
  body: z.ZodType<T>;
  process: (message: T) => Promise<void>;
  logger: Logger;
}) {
  return middy<unknown, BatchResponse>()
    .use(publishMetrics())
    .handler(async function sqsBatch(event) {
      const { Records } = SqsEvent.parse(event);
      const failed = new Set<string>();
      await forEachConcurrently(Records, SQS_RECORD_CONCURRENCY, async (record) => {
        try {
          let json: unknown;
          try {
            json = JSON.parse(record.body);
          } catch {
            throw new Error('message body is not JSON');
          }
          await options.process(options.body.parse(json));
        } catch (error) {
          options.logger.warn('message failed', {
            messageId: record.messageId,
            error: (error as Error).name,
            reason: redactAddresses((error as Error).message),
          });
          failed.add(record.messageId);
        }
      });
      const batchItemFailures = Records.filter((r) => failed.has(r.messageId)).map((r) => ({
        itemIdentifier: r.messageId,
      }));
      return { batchItemFailures };
    });
}

const AttributeValue: z.ZodType<Record<string, unknown>> = z.record(z.string(), z.unknown());
const StreamEvent = z.object({
  Records: z.array(
    z.object({
      eventName: z.enum(['INSERT', 'MODIFY', 'REMOVE']),
      dynamodb: z.object({
        SequenceNumber: z.string(),
        Keys: z.record(z.string(), AttributeValue).optional(),
        NewImage: z.record(z.string(), AttributeValue).optional(),
        OldImage: z.record(z.string(), AttributeValue).optional(),
      }),
    }),
  ),
});
export type StreamRecord = z.infer<typeof StreamEvent>['Records'][number];

/**
 * DynamoDB stream consumer: records in order; at the first failure it stops and reports
 * that record's sequence number, so the mapping retries from there (and bisects).
 */
export function streamBatchChain(options: {
  process: (record: StreamRecord) => Promise<void>;
  logger: Logger;
}) {
  return middy<unknown, BatchResponse>()
    .use(publishMetrics())
    .handler(async function streamBatch(event) {
      const { Records } = StreamEvent.parse(event);
      // Records of one item stay in order; different items (reviews) proceed side by side.
      const byItem = new Map<string, StreamRecord[]>();
      for (const record of Records) {
        const key = JSON.stringify(record.dynamodb.Keys ?? record.dynamodb.SequenceNumber);
        byItem.set(key, [...(byItem.get(key) ?? []), record]);
      }
      const failedAt: number[] = [];
      await Promise.all(
        [...byItem.values()].map(async (records) => {
          for (const record of records) {
            try {
              await options.process(record);
            } catch (error) {
              options.logger.error('stream record failed', error as Error);
              failedAt.push(Records.indexOf(record));
              return;
            }
          }
        }),
      );
      // The mapping retries from the earliest failure; the records after it are replayed,
      // which the consumer must (and the planner does) take as no change.
      const first = Records[Math.min(...failedAt)];
      return { batchItemFailures: first ? [{ itemIdentifier: first.dynamodb.SequenceNumber }] : [] };
    });
}

const ScheduledEvent = z.object({ time: z.iso.datetime({ offset: true }) });

/** EventBridge schedule: `now` is the event's own `time`, never the wall clock. */
export function scheduleChain<R>(options: { run: (now: string) => Promise<R>; logger: Logger }) {
  return middy<unknown, R>()
    .use(publishMetrics())
    .handler(async function schedule(event) {
      const { time } = ScheduledEvent.parse(event);
      return options.run(new Date(time).toISOString());
    });
}

const SnsEvent = z.object({ Records: z.array(z.object({ Sns: z.object({ Message: z.string() }) })) });

/** SNS subscriber: every message parsed with the schema; a failure throws for SNS's own retry. */
export function snsChain<T>(options: {
  message: z.ZodType<T>;
  process: (message: T) => Promise<void>;
  logger: Logger;
}) {
  return middy<unknown, void>()
    .use(publishMetrics())
    .handler(async function sns(event) {
      const { Records } = SnsEvent.parse(event);
      for (const record of Records) {
        await options.process(options.message.parse(JSON.parse(record.Sns.Message)));
      }
    });
}
