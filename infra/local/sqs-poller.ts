import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { LocalFunction } from './local-functions.ts';

/** An event source mapping from an SQS queue, as the template declares it. */
export interface SqsMappingConfig {
  queueUrl: string;
  queueArn: string;
  region: string;
  fn: LocalFunction;
  batchSize: number;
  reportBatchItemFailures: boolean;
  /** Concurrent pollers (the mapping's maximum concurrency). */
  concurrency: number;
  /** The queue's visibility timeout, seconds. */
  visibilityTimeoutSeconds: number;
}

/**
 * Lambda's SQS poller, locally: long-polls, invokes with Lambda-shaped records, deletes only
 * the successes and leaves failures to the visibility timeout, so the emulator's redrive
 * moves a poison message to the DLQ after `maxReceiveCount`. The visibility timeout runs on
 * the local clock: when the clock moves past it, the failed message becomes visible again.
 */
export class SqsPoller {
  private running = true;
  private inFlight = 0;
  private loops: Promise<void>[] = [];
  /** Failed messages waiting out their visibility timeout, by receipt handle → visible-again time (local ms). */
  private readonly waiting = new Map<string, number>();

  constructor(
    private readonly sqs: SQSClient,
    private readonly config: SqsMappingConfig,
    private readonly now: () => Date,
    private readonly log: (message: string, error?: unknown) => void,
  ) {}

  start(): void {
    this.loops = Array.from({ length: Math.max(1, this.config.concurrency) }, () => this.run());
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** True when no batch is being handled and the queue has nothing visible. */
  async idle(): Promise<boolean> {
    if (this.inFlight > 0) return false;
    const attrs = await this.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.config.queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages'],
      }),
    );
    return Number(attrs.Attributes?.ApproximateNumberOfMessages ?? '0') === 0 && this.inFlight === 0;
  }

  /** After the local clock moved: failed messages whose timeout has passed become visible at once. */
  async expireVisibility(): Promise<void> {
    const now = this.now().getTime();
    for (const [receiptHandle, visibleAt] of this.waiting) {
      if (visibleAt > now) continue;
      this.waiting.delete(receiptHandle);
      await this.sqs
        .send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: this.config.queueUrl,
            ReceiptHandle: receiptHandle,
            VisibilityTimeout: 0,
          }),
        )
        .catch(() => undefined); // Already visible again in real time, or deleted.
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const received = await this.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: this.config.queueUrl,
            MaxNumberOfMessages: Math.min(10, this.config.batchSize),
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
        );
        const messages = received.Messages ?? [];
        if (messages.length === 0 || !this.running) continue;
        this.inFlight++;
        try {
          await this.handle(messages);
        } finally {
          this.inFlight--;
        }
      } catch (error) {
        if (this.running) {
          this.log(`sqs poller error on ${this.config.queueArn}`, error);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    }
  }

  private toLambdaRecord(message: Message) {
    return {
      messageId: message.MessageId,
      receiptHandle: message.ReceiptHandle,
      body: message.Body ?? '',
      attributes: message.Attributes ?? {},
      messageAttributes: Object.fromEntries(
        Object.entries(message.MessageAttributes ?? {}).map(([k, v]) => [
          k,
          {
            stringValue: v.StringValue,
            binaryValue: v.BinaryValue,
            dataType: v.DataType,
            stringListValues: [],
            binaryListValues: [],
          },
        ]),
      ),
      md5OfBody: message.MD5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: this.config.queueArn,
      awsRegion: this.config.region,
    };
  }

  private async handle(messages: Message[]): Promise<void> {
    let failed = new Set<string>();
    try {
      const result = (await this.config.fn.invoke({
        Records: messages.map((m) => this.toLambdaRecord(m)),
      })) as { batchItemFailures?: { itemIdentifier?: string }[] } | undefined;
      if (this.config.reportBatchItemFailures) {
        failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier ?? ''));
      }
    } catch (error) {
      this.log(`${this.config.fn.logicalId} failed on an SQS batch`, error);
      failed = new Set(messages.map((m) => m.MessageId ?? ''));
    }
    const done = messages.filter((m) => !failed.has(m.MessageId ?? ''));
    if (done.length > 0) {
      await this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.config.queueUrl,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
        }),
      );
    }
    const visibleAt = this.now().getTime() + this.config.visibilityTimeoutSeconds * 1000;
    for (const m of messages)
      if (failed.has(m.MessageId ?? '') && m.ReceiptHandle) this.waiting.set(m.ReceiptHandle, visibleAt);
  }
}
