import {
  type _Record,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { normalizeImage } from '#shared/adapters/stream-image.ts';
import { passesFilters } from './event-pattern.ts';
import type { LocalFunction } from './local-functions.ts';

/** An event source mapping from a DynamoDB stream, as the template declares it. */
export interface StreamMappingConfig {
  streamArn: string;
  region: string;
  fn: LocalFunction;
  batchSize: number;
  filterCriteria?: unknown;
  bisectOnError: boolean;
  maxRetries: number;
  reportBatchItemFailures: boolean;
  /** SQS queue URL of the on-failure destination. */
  onFailureQueueUrl?: string | undefined;
  /** Where the mapping's position in each shard is kept, so a new run resumes after it. */
  checkpoints?: StreamCheckpoints | undefined;
}

/**
 * A mapping's position per shard: the sequence number of the last record handled (delivered,
 * or given up to the on-failure destination). Lambda keeps it with the event source mapping;
 * locally it is kept with the data (see `LocalState`).
 */
export interface StreamCheckpoints {
  get(streamArn: string, shardId: string): string | undefined;
  set(streamArn: string, shardId: string, sequenceNumber: string): void;
}

type LambdaStreamRecord = Record<string, unknown> & { dynamodb: { SequenceNumber?: string } };

/**
 * Lambda's DynamoDB stream poller, locally: reads every shard about every 100 ms from its
 * checkpoint (or the trim horizon), applies the mapping's filters, invokes the function with
 * Lambda-shaped records (creation time in epoch seconds), honours `batchItemFailures`, bisects
 * a failing batch, retries up to the limit and then hands the batch's description to the
 * on-failure destination, as Lambda does. The checkpoint moves only past a page handled to the
 * end; `stop()` abandons a batch still being retried, which the next run then reads again.
 */
export class StreamPoller {
  private readonly iterators = new Map<string, string | undefined>();
  private readonly seenShards = new Set<string>();
  /** The sequence number of the last record read from each shard. */
  private readonly lastSequence = new Map<string, string>();
  private running = true;
  private busy = false;
  private lastEmpty = false;
  private completedCycles = 0;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly streams: DynamoDBStreamsClient,
    private readonly sqs: SQSClient,
    private readonly config: StreamMappingConfig,
    private readonly log: (message: string, error?: unknown) => void,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  /** True when the last read of every shard found nothing new and no batch is being handled. */
  get idle(): boolean {
    return !this.busy && this.lastEmpty;
  }

  /** Full read cycles over every shard so far (settle waits for fresh ones). */
  get cycles(): number {
    return this.completedCycles;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async discoverShards(): Promise<void> {
    const description = await this.streams.send(
      new DescribeStreamCommand({ StreamArn: this.config.streamArn }),
    );
    for (const shard of description.StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId;
      if (!shardId || this.seenShards.has(shardId)) continue;
      const checkpoint = this.config.checkpoints?.get(this.config.streamArn, shardId);
      if (checkpoint) this.lastSequence.set(shardId, checkpoint);
      this.iterators.set(shardId, await this.iteratorAfterLast(shardId));
      this.seenShards.add(shardId);
    }
  }

  /** An iterator just after the last record handled in the shard, or at its trim horizon. */
  private async iteratorAfterLast(shardId: string): Promise<string | undefined> {
    const last = this.lastSequence.get(shardId);
    const from = (type: 'TRIM_HORIZON' | 'AFTER_SEQUENCE_NUMBER') =>
      this.streams.send(
        new GetShardIteratorCommand({
          StreamArn: this.config.streamArn,
          ShardId: shardId,
          ShardIteratorType: type,
          ...(type === 'AFTER_SEQUENCE_NUMBER' ? { SequenceNumber: last } : {}),
        }),
      );
    if (!last) return (await from('TRIM_HORIZON')).ShardIterator;
    try {
      return (await from('AFTER_SEQUENCE_NUMBER')).ShardIterator;
    } catch (error) {
      // The checkpoint left the stream (older than its 24 hours): everything still there is new.
      if ((error as Error)?.name !== 'TrimmedDataAccessException') throw error;
      return (await from('TRIM_HORIZON')).ShardIterator;
    }
  }

  /**
   * One page of a shard. DynamoDB Local numbers stream records across every table of its shared
   * database, so an iterator taken on an empty shard points at the next number; once another
   * table's write takes it, reading fails with `TrimmedDataAccessException` although nothing was
   * trimmed. (An iterator unused for 15 minutes expires the same way.) The shard is then read
   * again from just after the last record handled, or from its trim horizon if none was: what
   * Lambda's poller does with a stale iterator, and nothing is skipped or read twice.
   */
  private async readShard(shardId: string, iterator: string) {
    try {
      return await this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    } catch (error) {
      const name = (error as Error)?.name;
      if (name !== 'TrimmedDataAccessException' && name !== 'ExpiredIteratorException') throw error;
      const renewed = await this.iteratorAfterLast(shardId);
      if (!renewed) return { Records: [], NextShardIterator: undefined };
      return await this.streams.send(new GetRecordsCommand({ ShardIterator: renewed, Limit: 1000 }));
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      let found = false;
      try {
        await this.discoverShards();
        for (const [shardId, iterator] of this.iterators) {
          if (!iterator) continue;
          this.busy = true;
          const page = await this.readShard(shardId, iterator);
          const records = (page.Records ?? []).map((r) => this.toLambdaRecord(r));
          if (records.length > 0) found = true;
          const passing = records.filter((r) => passesFilters(this.config.filterCriteria, r));
          let handled = true;
          for (let i = 0; handled && i < passing.length; i += this.config.batchSize) {
            handled = await this.deliver(passing.slice(i, i + this.config.batchSize), 0);
          }
          // Stopped mid-page: the position stays before the page, for the next run to read again.
          if (!handled) {
            this.busy = false;
            break;
          }
          this.iterators.set(shardId, page.NextShardIterator);
          const last = page.Records?.at(-1)?.dynamodb?.SequenceNumber;
          if (last) {
            this.lastSequence.set(shardId, last);
            this.config.checkpoints?.set(this.config.streamArn, shardId, last);
          }
          this.busy = false;
        }
        this.lastEmpty = !found;
        this.completedCycles++;
      } catch (error) {
        this.busy = false;
        this.lastEmpty = false;
        if (this.running) this.log('stream poller error', error);
      }
      if (this.running) await new Promise((resolve) => setTimeout(resolve, found ? 0 : 100));
    }
  }

  private toLambdaRecord(record: _Record): LambdaStreamRecord {
    const created = record.dynamodb?.ApproximateCreationDateTime;
    // DynamoDB Local writes an empty map as `{}` where AWS writes `{ "M": {} }`: hand the
    // functions what AWS would.
    const images = Object.fromEntries(
      (['Keys', 'NewImage', 'OldImage'] as const).flatMap((name) => {
        const value = record.dynamodb?.[name];
        return value ? [[name, normalizeImage(value as Record<string, unknown>)]] : [];
      }),
    );
    return {
      eventID: record.eventID,
      eventName: record.eventName,
      eventVersion: record.eventVersion ?? '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: this.config.region,
      eventSourceARN: this.config.streamArn,
      dynamodb: {
        ...record.dynamodb,
        ...images,
        ...(created ? { ApproximateCreationDateTime: Math.floor(new Date(created).getTime() / 1000) } : {}),
      },
    };
  }

  /**
   * Invokes with one batch; on failure retries from the reported record, bisecting, then gives
   * up to the destination.
   * @returns false when the poller was stopped before the batch was handled
   */
  private async deliver(batch: LambdaStreamRecord[], attempt: number): Promise<boolean> {
    if (batch.length === 0) return true;
    let failedFrom = -1;
    try {
      const result = (await this.config.fn.invoke({ Records: batch })) as
        | { batchItemFailures?: { itemIdentifier?: string }[] }
        | undefined;
      const failures = this.config.reportBatchItemFailures ? (result?.batchItemFailures ?? []) : [];
      if (failures.length > 0) {
        const ids = new Set(failures.map((f) => f.itemIdentifier));
        failedFrom = batch.findIndex((r) => ids.has(r.dynamodb.SequenceNumber));
        if (failedFrom < 0) failedFrom = 0;
      }
    } catch (error) {
      this.log(`${this.config.fn.logicalId} failed on a stream batch`, error);
      failedFrom = 0;
    }
    if (failedFrom < 0) return true;
    const rest = batch.slice(failedFrom);
    if (attempt >= this.config.maxRetries) {
      await this.giveUp(rest);
      return true;
    }
    if (!this.running) return false;
    if (this.config.bisectOnError && rest.length > 1) {
      const half = Math.ceil(rest.length / 2);
      return (
        (await this.deliver(rest.slice(0, half), attempt + 1)) &&
        (await this.deliver(rest.slice(half), attempt + 1))
      );
    }
    await this.pause(50 * 2 ** Math.min(attempt, 5));
    return this.running && (await this.deliver(rest, attempt + 1));
  }

  /** Waits, or less when the poller is stopped meanwhile. */
  private async pause(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = undefined;
  }

  private async giveUp(records: LambdaStreamRecord[]): Promise<void> {
    const first = records[0]?.dynamodb.SequenceNumber;
    const last = records.at(-1)?.dynamodb.SequenceNumber;
    this.log(
      `${this.config.fn.logicalId}: stream records ${first}..${last} sent to the on-failure destination`,
    );
    if (!this.config.onFailureQueueUrl) return;
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.config.onFailureQueueUrl,
        MessageBody: JSON.stringify({
          requestContext: { condition: 'RetryAttemptsExhausted', functionArn: this.config.fn.logicalId },
          DDBStreamBatchInfo: {
            shardId: 'local',
            startSequenceNumber: first,
            endSequenceNumber: last,
            batchSize: records.length,
            streamArn: this.config.streamArn,
          },
        }),
      }),
    );
  }
}
