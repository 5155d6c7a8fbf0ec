import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from '#shared/domain/zod.ts';
import { errorLabel } from '#shared/observability/error-label.ts';
import { observeInvocation } from '#shared/observability/invocation.ts';
import { redactAddresses, redactedError } from '#shared/observability/logger.ts';
import { countEvent } from '#shared/observability/metrics.ts';
import { DependencyUnavailableError } from '#shared/ports/dependency.ts';
import type { ParkedStreamRecord as ParkedRecordOf } from '#shared/ports/parked-records.ts';

/**
 * One chain per kind of trigger (STYLE.md item 2): SQS batches, DynamoDB stream batches,
 * schedules and SNS. Each parses its event with zod at the edge and reports failures the
 * way its event source mapping expects. Every log line carries the Lambda context; a line
 * about one record carries that record's {@link RecordLogKeys}, passed with the line rather
 * than appended to the logger: records of one invocation run side by side, and a key
 * appended for one would show on the lines of the others. No line quotes an error's message
 * unmasked: SES and validation messages can name an address.
 */

/** What a record concerns, for its log lines: identifiers only, never an address or a name. */
export interface RecordLogKeys {
  reviewId?: string;
  notificationId?: string;
}

/** Errors a chain has logged with their record's keys already (logged once, not twice). */
const loggedErrors = new WeakSet<object>();

/** Why a record failed, for a log line: the error's name and code, and its message masked. */
function failure(error: unknown): { error: string; reason: string } {
  // Name and code (`TimeoutError/ETIMEDOUT`), so a stall is told from a refusal in the logs.
  return { error: errorLabel(error), reason: redactAddresses(String((error as Error)?.message ?? '')) };
}

/**
 * Innermost middleware of the batch chains: an invocation that fails is logged once (with
 * the Lambda context), and leaves the function as a masked copy of its error, so neither
 * Lambda's own `Invoke Error` line nor the trace quotes an address.
 */
function failedInvocation(logger: Logger): middy.MiddlewareObj {
  return {
    onError: function failedInvocationOnError(request) {
      const error = request.error;
      if (!(error instanceof Object && loggedErrors.has(error))) {
        logger.error('invocation failed', failure(error));
      }
      request.error = redactedError(error);
    },
  };
}

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
  body: z.ZodMiniType<T>;
  process: (message: T) => Promise<void>;
  logger: Logger;
  /**
   * What a message concerns: its failure line carries these keys.
   * @default - no keys beyond the message id
   */
  logKeys?: (message: T) => RecordLogKeys;
  /**
   * A message starts only while this much of the invocation's time is left; later ones go
   * back to the queue unprocessed, so none is cut off mid-way by the function's timeout.
   * @default 0
   */
  minRemainingMs?: number;
}) {
  return middy<unknown, BatchResponse, Error, Context>()
    .use(observeInvocation(options.logger))
    .use(failedInvocation(options.logger))
    .handler(async function sqsBatch(event, context) {
      const { Records } = SqsEvent.parse(event);
      const failed = new Set<string>();
      const remaining = () =>
        typeof context?.getRemainingTimeInMillis === 'function'
          ? context.getRemainingTimeInMillis()
          : Infinity;
      await forEachConcurrently(Records, SQS_RECORD_CONCURRENCY, async (record) => {
        if (remaining() < (options.minRemainingMs ?? 0)) {
          failed.add(record.messageId);
          return;
        }
        let keys: RecordLogKeys = {};
        try {
          let json: unknown;
          try {
            json = JSON.parse(record.body);
          } catch {
            throw new Error('message body is not JSON');
          }
          const message = options.body.parse(json);
          keys = options.logKeys?.(message) ?? {};
          await options.process(message);
        } catch (error) {
          options.logger.warn('message failed', { messageId: record.messageId, ...keys, ...failure(error) });
          failed.add(record.messageId);
        }
      });
      const batchItemFailures = Records.filter((r) => failed.has(r.messageId)).map((r) => ({
        itemIdentifier: r.messageId,
      }));
      return { batchItemFailures };
    });
}

const AttributeValue: z.ZodMiniType<Record<string, unknown>> = z.record(z.string(), z.unknown());
const StreamRecordSchema = z.looseObject({
  eventName: z.enum(['INSERT', 'MODIFY', 'REMOVE']),
  dynamodb: z.looseObject({
    SequenceNumber: z.string(),
    /** Epoch seconds (Lambda's shape). */
    ApproximateCreationDateTime: z.optional(z.number()),
    Keys: z.optional(z.record(z.string(), AttributeValue)),
    NewImage: z.optional(z.record(z.string(), AttributeValue)),
    OldImage: z.optional(z.record(z.string(), AttributeValue)),
  }),
});
const StreamEvent = z.object({ Records: z.array(StreamRecordSchema) });
export type StreamRecord = z.infer<typeof StreamRecordSchema>;

/** A stream record kept whole for a replay (see the port). */
export type ParkedStreamRecord = ParkedRecordOf<StreamRecord>;

/**
 * DynamoDB stream consumer. Records of one item run in order, items side by side. A record
 * that fails because a dependency is unavailable stops its item there: the batch reports it,
 * so the mapping retries from it (and bisects), for as long as the stream keeps it. A record
 * that fails for any other reason would fail the same way on every retry, and then leave the
 * stream with nothing but its sequence number: it is parked whole with `park` (an alarmed
 * queue) and the item goes on. So is one still failing for want of a dependency when it is
 * about to leave the stream (`parkAfterSeconds`): kept, never lost to the stream's 24 hours.
 */
export function streamBatchChain(options: {
  process: (record: StreamRecord) => Promise<void>;
  park: (parked: ParkedStreamRecord) => Promise<void>;
  logger: Logger;
  /** The invocation's time, for the parked record. */
  now: () => string;
  /**
   * A record this old (from its `ApproximateCreationDateTime`) that still fails for want of a
   * dependency is parked instead of retried: the stream keeps records 24 hours.
   * @default 23 hours
   */
  parkAfterSeconds?: number;
  /**
   * What a record concerns, from its keys (its images may be what failed): its failure
   * lines carry these keys.
   * @default - no keys beyond the sequence number
   */
  logKeys?: (record: StreamRecord) => RecordLogKeys;
}) {
  return middy<unknown, BatchResponse>()
    .use(observeInvocation(options.logger))
    .use(failedInvocation(options.logger))
    .handler(async function streamBatch(event) {
      const { Records } = StreamEvent.parse(event);
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
              const about = { sequenceNumber: record.dynamodb.SequenceNumber, ...options.logKeys?.(record) };
              const created = Number(record.dynamodb.ApproximateCreationDateTime);
              const ageSeconds = Number.isFinite(created) ? Date.parse(options.now()) / 1000 - created : 0;
              const expiring = ageSeconds >= (options.parkAfterSeconds ?? 23 * 3600);
              if (!(error instanceof DependencyUnavailableError) || expiring) {
                try {
                  await options.park({
                    parkedAt: options.now(),
                    error: errorLabel(error),
                    event: { Records: [record] },
                  });
                  options.logger.error('stream record parked', { ...about, ...failure(error) });
                  countEvent('StreamRecordParked');
                  continue;
                } catch (parkError) {
                  options.logger.error('stream record could not be parked', {
                    ...about,
                    ...failure(error),
                    parkError: errorLabel(parkError),
                  });
                }
              } else {
                options.logger.warn('stream record failed', { ...about, ...failure(error) });
              }
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

/**
 * EventBridge schedule: `now` is the event's own `time`, never the wall clock; `remainingMs`
 * tells what is left of the invocation (Lambda's context), so a run can hand over before its
 * timeout.
 */
export function scheduleChain<R>(options: {
  run: (now: string, remainingMs: () => number) => Promise<R>;
  logger: Logger;
}) {
  return middy<unknown, R, Error, Context>()
    .use(observeInvocation(options.logger))
    .use(failedInvocation(options.logger))
    .handler(async function schedule(event, context) {
      const { time } = ScheduledEvent.parse(event);
      const remainingMs = () =>
        typeof context?.getRemainingTimeInMillis === 'function'
          ? context.getRemainingTimeInMillis()
          : Number.POSITIVE_INFINITY;
      return options.run(new Date(time).toISOString(), remainingMs);
    });
}

const SnsEvent = z.object({ Records: z.array(z.object({ Sns: z.object({ Message: z.string() }) })) });

/** SNS subscriber: every message parsed with the schema; a failure throws for SNS's own retry. */
export function snsChain<T>(options: {
  message: z.ZodMiniType<T>;
  process: (message: T) => Promise<void>;
  logger: Logger;
  /**
   * What a message concerns: its failure line carries these keys.
   * @default - no keys
   */
  logKeys?: (message: T) => RecordLogKeys;
}) {
  return middy<unknown, void>()
    .use(observeInvocation(options.logger))
    .use(failedInvocation(options.logger))
    .handler(async function sns(event) {
      const { Records } = SnsEvent.parse(event);
      for (const record of Records) {
        const message = options.message.parse(JSON.parse(record.Sns.Message));
        try {
          await options.process(message);
        } catch (error) {
          options.logger.error('message failed', { ...options.logKeys?.(message), ...failure(error) });
          if (error instanceof Object) loggedErrors.add(error);
          throw error;
        }
      }
    });
}
