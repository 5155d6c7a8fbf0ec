import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { clientConfig, type LocalEmulators, startEmulators } from '#infra/local/emulators.ts';

/** The part of aws-ses-v2-local's `GET /store` answer these tests read. */
const SesStoreSchema = z.object({
  emails: z.array(
    z.object({
      messageId: z.string(),
      from: z.string(),
      destination: z.object({ to: z.array(z.string()) }),
      subject: z.string(),
      body: z.object({ text: z.string().optional() }),
      attachments: z.array(z.object({ filename: z.string(), contentType: z.string(), content: z.string() })),
    }),
  ),
});

describe('local emulators', () => {
  let emulators: LocalEmulators | undefined;

  function running(): LocalEmulators {
    if (emulators === undefined) throw new Error('emulators did not start');
    return emulators;
  }

  beforeAll(async () => {
    emulators = await startEmulators();
  });

  afterAll(async () => {
    await emulators?.stop();
  });

  describe('DynamoDB Local', () => {
    it('streams an INSERT carrying the new image of a written item', async () => {
      // Arrange
      const dynamodb = new DynamoDBClient(clientConfig(running(), 'dynamodb'));
      const streams = new DynamoDBStreamsClient(clientConfig(running(), 'dynamodb'));
      const tableName = uniqueName('reviews');
      const created = await dynamodb.send(
        new CreateTableCommand({
          TableName: tableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        }),
      );
      const streamArn = created.TableDescription?.LatestStreamArn;
      expect(streamArn).toBeDefined();
      const item = { pk: { S: 'REVIEW#UNTOC-42' }, stage: { S: 'self-assessment' }, version: { N: '1' } };

      // Act
      await dynamodb.send(new PutItemCommand({ TableName: tableName, Item: item }));
      const records = await readStreamFromStart(streams, streamArn ?? '');

      // Assert
      expect(records).toHaveLength(1);
      expect(records[0]?.eventName).toBe('INSERT');
      expect(records[0]?.dynamodb?.Keys).toEqual({ pk: { S: 'REVIEW#UNTOC-42' } });
      expect(records[0]?.dynamodb?.NewImage).toEqual(item);
      dynamodb.destroy();
      streams.destroy();
    });

    it('writes nothing when one condition in a transaction fails', async () => {
      // Arrange
      const dynamodb = new DynamoDBClient(clientConfig(running(), 'dynamodb'));
      const tableName = uniqueName('transitions');
      await dynamodb.send(
        new CreateTableCommand({
          TableName: tableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        }),
      );
      await dynamodb.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: 'REVIEW#1' } } }));

      // Act
      const transaction = dynamodb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: tableName, Item: { pk: { S: 'OUTBOX#1' } } } },
            {
              ConditionCheck: {
                TableName: tableName,
                Key: { pk: { S: 'REVIEW#1' } },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );

      // Assert
      const error = await transaction.then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(TransactionCanceledException);
      const reasons = error instanceof TransactionCanceledException ? error.CancellationReasons : undefined;
      expect(reasons?.map(({ Code }) => Code)).toEqual(['None', 'ConditionalCheckFailed']);
      const outbox = await dynamodb.send(
        new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'OUTBOX#1' } }, ConsistentRead: true }),
      );
      expect(outbox.Item).toBeUndefined();
      dynamodb.destroy();
    });
  });

  describe('fauxqs (SQS)', () => {
    it('delivers a sent message once and leaves the queue empty after it is deleted', async () => {
      // Arrange
      const sqs = new SQSClient(clientConfig(running(), 'sqs'));
      const { QueueUrl: queueUrl } = await sqs.send(
        new CreateQueueCommand({ QueueName: uniqueName('reminders') }),
      );
      expect(queueUrl).toBeDefined();
      const body = JSON.stringify({ reviewId: 'UNTOC-42', kind: 'deadline-reminder' });

      // Act
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
      const received = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      const [message] = received.Messages ?? [];
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message?.ReceiptHandle }));

      // Assert
      expect(received.Messages).toHaveLength(1);
      expect(message?.Body).toBe(body);
      const { Attributes: counts } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      expect(counts).toEqual({
        ApproximateNumberOfMessages: '0',
        ApproximateNumberOfMessagesNotVisible: '0',
      });
      const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 0 }));
      expect(again.Messages ?? []).toHaveLength(0);
      sqs.destroy();
    });
  });

  describe('aws-ses-v2-local (SES)', () => {
    it('records a raw multipart e-mail with its calendar attachment', async () => {
      // Arrange
      const ses = new SESClient(clientConfig(running(), 'ses'));
      const recipient = `focal.point+${randomUUID()}@example.org`;
      const subject = 'Deadline reminder: UNTOC-42 self-assessment';
      const calendar = [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//untoc-review-tracker//EN',
        'BEGIN:VEVENT',
        'UID:untoc-42-self-assessment',
        'DTSTART;VALUE=DATE:20270115',
        'SUMMARY:UNTOC-42 self-assessment due',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n');
      const raw = multipartMessage({
        from: 'secretariat@untoc.example',
        to: recipient,
        subject,
        text: 'The self-assessment for review UNTOC-42 is due on 15 January 2027.',
        attachment: {
          filename: 'deadline.ics',
          contentType: 'text/calendar; method=PUBLISH',
          content: calendar,
        },
      });

      // Act
      const { MessageId: messageId } = await ses.send(
        new SendRawEmailCommand({ RawMessage: { Data: new TextEncoder().encode(raw) } }),
      );
      const store = SesStoreSchema.parse(await getJson(`${running().endpoints.ses}/store`));

      // Assert
      const email = store.emails.find((candidate) => candidate.messageId === messageId);
      expect(email).toBeDefined();
      expect(email?.subject).toBe(subject);
      expect(email?.destination.to).toEqual([recipient]);
      expect(email?.body.text?.trim()).toBe(
        'The self-assessment for review UNTOC-42 is due on 15 January 2027.',
      );
      expect(email?.attachments).toHaveLength(1);
      expect(email?.attachments[0]?.filename).toBe('deadline.ics');
      expect(email?.attachments[0]?.contentType).toBe('text/calendar');
      expect(Buffer.from(email?.attachments[0]?.content ?? '', 'base64').toString('utf8')).toBe(calendar);
      ses.destroy();
    });
  });
});

describe('startEmulators', () => {
  it('gives parallel starts distinct ports that each serve their own data, and stops both', async () => {
    // Arrange
    const tableName = uniqueName('isolation');

    // Act
    const [first, second] = await Promise.all([startEmulators(), startEmulators()]);
    try {
      const ports = [first, second].flatMap(({ endpoints }) => Object.values(endpoints).map(portOf));
      const firstDynamoDb = new DynamoDBClient(clientConfig(first, 'dynamodb'));
      const secondDynamoDb = new DynamoDBClient(clientConfig(second, 'dynamodb'));
      await firstDynamoDb.send(
        new CreateTableCommand({
          TableName: tableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        }),
      );
      const firstTables = await firstDynamoDb.send(new ListTablesCommand({}));
      const secondTables = await secondDynamoDb.send(new ListTablesCommand({}));
      const firstSqs = new SQSClient(clientConfig(first, 'sqs'));
      const secondSqs = new SQSClient(clientConfig(second, 'sqs'));
      await firstSqs.send(new CreateQueueCommand({ QueueName: 'only-in-first' }));
      const firstQueues = await firstSqs.send(new ListQueuesCommand({}));
      const secondQueues = await secondSqs.send(new ListQueuesCommand({}));
      const sesHealth = await Promise.all(
        [first, second].map(({ endpoints }) => statusOf(`${endpoints.ses}/health-check`)),
      );
      for (const client of [firstDynamoDb, secondDynamoDb, firstSqs, secondSqs]) client.destroy();

      // Assert
      expect(new Set(ports).size).toBe(6);
      expect(firstTables.TableNames).toContain(tableName);
      expect(secondTables.TableNames ?? []).not.toContain(tableName);
      expect(firstQueues.QueueUrls).toHaveLength(1);
      expect(secondQueues.QueueUrls ?? []).toHaveLength(0);
      expect(sesHealth).toEqual([200, 200]);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
    const afterStop = await Promise.all(
      [first, second].flatMap(({ endpoints }) => Object.values(endpoints).map((url) => statusOf(url))),
    );
    expect(afterStop).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});

function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

/** Follows the first shard from TRIM_HORIZON until it yields records (DynamoDB Local needs a few ms). */
async function readStreamFromStart(
  streams: DynamoDBStreamsClient,
  streamArn: string,
): Promise<StreamRecord[]> {
  const { StreamDescription: description } = await streams.send(
    new DescribeStreamCommand({ StreamArn: streamArn }),
  );
  const shardId = description?.Shards?.[0]?.ShardId;
  let { ShardIterator: iterator } = await streams.send(
    new GetShardIteratorCommand({
      StreamArn: streamArn,
      ShardId: shardId,
      ShardIteratorType: 'TRIM_HORIZON',
    }),
  );
  for (let poll = 0; poll < 50 && iterator !== undefined; poll += 1) {
    const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
    if ((page.Records ?? []).length > 0) return page.Records ?? [];
    iterator = page.NextShardIterator;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return [];
}

interface MultipartMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  attachment: { filename: string; contentType: string; content: string };
}

/** A multipart/mixed MIME message as an SES raw send carries it: a text part and one base64 attachment. */
function multipartMessage({ from, to, subject, text, attachment }: MultipartMessage): string {
  const boundary = `untoc-${randomUUID()}`;
  const base64 = Buffer.from(attachment.content, 'utf8').toString('base64');
  return [
    `From: ${from}`,
    `To: ${to}`,
    `Subject: ${subject}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: 7bit',
    '',
    text,
    `--${boundary}`,
    `Content-Type: ${attachment.contentType}; charset=UTF-8; name="${attachment.filename}"`,
    `Content-Disposition: attachment; filename="${attachment.filename}"`,
    'Content-Transfer-Encoding: base64',
    '',
    ...(base64.match(/.{1,76}/g) ?? []),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return response.json();
}

/** The HTTP status of a GET, or undefined when nothing listens there. */
function statusOf(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}
