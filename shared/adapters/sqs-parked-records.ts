import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ParkedRecords, ParkedStreamRecord } from '#shared/ports/parked-records.ts';

/**
 * Parks stream records the planner could not handle on its dead-letter queue (alarmed), whole
 * and with their images, so they can be replayed by invoking the planner with `event` once
 * the cause is fixed (README, "Dead letters").
 */
export class SqsParkedRecords implements ParkedRecords {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async park(parked: ParkedStreamRecord): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(parked) }),
    );
  }
}
