import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { StreamCheckpoints } from './stream-poller.ts';

/**
 * What local mode keeps between `npm start` runs besides DynamoDB Local's own data directory
 * (DESIGN §5): the local clock's offset, since the data was planned on that clock, and each
 * stream mapping's checkpoint, so a restart resumes the streams where the last run left them
 * instead of handling the kept stream records again. fauxqs and the SES emulator keep
 * everything in memory, so after a restart the queues are empty: the notifications that were
 * on a queue are put back ({@link requeueInFlight}).
 */
export class LocalState implements StreamCheckpoints {
  /** The files a fresh start removes, besides DynamoDB Local's data directory. */
  static readonly FILES = ['clock.json', 'stream-checkpoints.json'] as const;
  private readonly clockFile: string;
  private readonly checkpointFile: string;
  private readonly checkpoints: Record<string, string>;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.clockFile = join(dir, 'clock.json');
    this.checkpointFile = join(dir, 'stream-checkpoints.json');
    this.checkpoints = readJson(this.checkpointFile) ?? {};
  }

  get(streamArn: string, shardId: string): string | undefined {
    const saved = this.checkpoints[`${streamArn} ${shardId}`];
    return typeof saved === 'string' ? saved : undefined;
  }

  set(streamArn: string, shardId: string, sequenceNumber: string): void {
    this.checkpoints[`${streamArn} ${shardId}`] = sequenceNumber;
    writeFileSync(this.checkpointFile, `${JSON.stringify(this.checkpoints, null, 1)}\n`);
  }

  /** The clock offset saved by the last run, in ms (0 for a fresh start). */
  clockOffsetMs(): number {
    const saved = readJson(this.clockFile) as { offsetMs?: unknown } | undefined;
    return typeof saved?.offsetMs === 'number' && saved.offsetMs > 0 ? saved.offsetMs : 0;
  }

  saveClockOffset(offsetMs: number): void {
    writeFileSync(this.clockFile, `${JSON.stringify({ offsetMs })}\n`);
  }
}

/** A kept JSON object, or undefined when the file is missing or unreadable (then nothing was kept). */
function readJson(file: string): Record<string, string> | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return value !== null && typeof value === 'object' ? (value as Record<string, string>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * After a restart on kept data: every notification still `queued` or `sending` lost its
 * message with the previous SQS emulator, so it goes back on its queue. A `sending` one was
 * claimed by a sender of the previous run, which is gone: its claim is given back first, as
 * its message's redelivery would have found it stale. This reads the whole local
 * Notifications table once at start: local tooling only, never a path of the deployed
 * functions (which never scan).
 * @returns how many were put back
 */
export async function requeueInFlight(
  dynamodb: DynamoDBClient,
  sqs: SQSClient,
  notificationsTable: string,
  queueUrls: { focalPoint: string; escalation: string },
): Promise<number> {
  const refs: { queueUrl: string; body: string }[] = [];
  let startKey: Record<string, never> | undefined;
  do {
    const page = await dynamodb.send(
      new ScanCommand({
        TableName: notificationsTable,
        FilterExpression: '#status IN (:queued, :sending)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':queued': { S: 'queued' }, ':sending': { S: 'sending' } },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const raw of page.Items ?? []) {
      const item = unmarshall(raw);
      if (item.status === 'sending') {
        try {
          await dynamodb.send(
            new UpdateItemCommand({
              TableName: notificationsTable,
              Key: { pk: raw.pk as never, sk: raw.sk as never },
              UpdateExpression: 'SET #status = :queued REMOVE claimedAt',
              ConditionExpression: '#status = :sending',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':queued': { S: 'queued' }, ':sending': { S: 'sending' } },
            }),
          );
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      }
      refs.push({
        queueUrl: item.audience === 'secretariat' ? queueUrls.escalation : queueUrls.focalPoint,
        body: JSON.stringify({ reviewId: item.reviewId, stageEpoch: item.stageEpoch, id: item.id }),
      });
    }
    startKey = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (startKey);
  for (const queueUrl of new Set(refs.map((r) => r.queueUrl))) {
    const bodies = refs.filter((r) => r.queueUrl === queueUrl).map((r) => r.body);
    for (let i = 0; i < bodies.length; i += 10) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: bodies.slice(i, i + 10).map((MessageBody, j) => ({ Id: String(j), MessageBody })),
        }),
      );
    }
  }
  return refs.length;
}
