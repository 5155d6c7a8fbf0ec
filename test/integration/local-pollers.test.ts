import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, type LocalEmulators, startEmulators } from '#infra/local/emulators.ts';
import type { LocalFunction } from '#infra/local/local-functions.ts';
import { SqsPoller } from '#infra/local/sqs-poller.ts';
import { type StreamCheckpoints, StreamPoller } from '#infra/local/stream-poller.ts';

/** The pollers that stand in for Lambda's event source mappings, against the real emulators. */
let emulators: LocalEmulators;
let ddb: DynamoDBClient;
let streams: DynamoDBStreamsClient;
let sqs: SQSClient;
const quiet = () => undefined;

beforeAll(async () => {
  emulators = await startEmulators();
  ddb = new DynamoDBClient(clientConfig(emulators, 'dynamodb'));
  streams = new DynamoDBStreamsClient(clientConfig(emulators, 'dynamodb'));
  sqs = new SQSClient(clientConfig(emulators, 'sqs'));
});
afterAll(async () => {
  for (const client of [ddb, streams, sqs]) client?.destroy();
  await emulators?.stop();
});

// biome-ignore lint/suspicious/noExplicitAny: the fake reads Lambda-shaped records loosely
type AnyRecord = Record<string, any>;
function fakeFunction(handler: (event: { Records: AnyRecord[] }) => Promise<unknown>): LocalFunction {
  return {
    stackName: 'test',
    logicalId: 'Fake',
    entry: 'none',
    handlerName: 'handler',
    environment: {},
    timeoutSeconds: 3,
    runtimeEnvironment: () => ({}),
    invoke: (event) => handler(event as { Records: AnyRecord[] }),
  };
}
async function until(check: () => Promise<boolean> | boolean, ms = 15_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met in time');
}
async function tableWithStream(name: string) {
  const created = await ddb.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  return created.TableDescription?.LatestStreamArn ?? '';
}
async function queue(name: string) {
  return (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl ?? '';
}

describe('the local DynamoDB stream poller', () => {
  it('retries from the reported record, in order, and hands records that never succeed to the on-failure queue', async () => {
    const streamArn = await tableWithStream('stream-a');
    const dlq = await queue('stream-a-dlq');
    const seen: string[] = [];
    const poller = new StreamPoller(
      streams,
      sqs,
      {
        streamArn,
        region: emulators.region,
        batchSize: 10,
        bisectOnError: true,
        maxRetries: 2,
        reportBatchItemFailures: true,
        onFailureQueueUrl: dlq,
        fn: fakeFunction(async (event) => {
          for (const record of event.Records) {
            const pk = record.dynamodb.Keys.pk.S as string;
            expect(typeof record.dynamodb.ApproximateCreationDateTime).toBe('number');
            if (pk === 'poison')
              return { batchItemFailures: [{ itemIdentifier: record.dynamodb.SequenceNumber }] };
            seen.push(pk);
          }
          return { batchItemFailures: [] };
        }),
      },
      quiet,
    );
    for (const pk of ['a', 'b', 'poison', 'c']) {
      await ddb.send(new PutItemCommand({ TableName: 'stream-a', Item: { pk: { S: pk } } }));
    }
    poller.start();
    try {
      await until(async () => {
        const attrs = await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['ApproximateNumberOfMessages'] }),
        );
        return attrs.Attributes?.ApproximateNumberOfMessages === '1' && seen.includes('c');
      });
    } finally {
      await poller.stop();
    }
    // a and b are delivered once; c still gets through while the poison record, retried
    // alone after bisecting, ends up in the on-failure queue.
    expect(seen.filter((pk) => pk === 'a')).toEqual(['a']);
    expect(seen.filter((pk) => pk === 'b')).toEqual(['b']);
    const failure = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq }));
    expect(JSON.parse(failure.Messages?.[0]?.Body ?? '{}').DDBStreamBatchInfo.batchSize).toBe(1);
  });

  it('passes only records matching the mapping filter', async () => {
    const streamArn = await tableWithStream('stream-b');
    const seen: string[] = [];
    const poller = new StreamPoller(
      streams,
      sqs,
      {
        streamArn,
        region: emulators.region,
        batchSize: 10,
        bisectOnError: false,
        maxRetries: 0,
        reportBatchItemFailures: true,
        filterCriteria: {
          Filters: [{ Pattern: JSON.stringify({ dynamodb: { Keys: { pk: { S: [{ prefix: 'keep' }] } } } }) }],
        },
        fn: fakeFunction(async (event) => {
          for (const r of event.Records) seen.push(r.dynamodb.Keys.pk.S);
          return { batchItemFailures: [] };
        }),
      },
      quiet,
    );
    for (const pk of ['keep-1', 'drop-1', 'keep-2']) {
      await ddb.send(new PutItemCommand({ TableName: 'stream-b', Item: { pk: { S: pk } } }));
    }
    poller.start();
    try {
      await until(() => seen.length === 2 && poller.idle);
    } finally {
      await poller.stop();
    }
    expect(seen).toEqual(['keep-1', 'keep-2']);
  });

  // DynamoDB Local numbers stream records across all tables of its shared database: an iterator
  // taken on an empty shard points at the next number, and once another table's write takes that
  // number, reading it fails with TrimmedDataAccessException. `npm start` met this on the first
  // create with an Idempotency-Key (the claim is written to the idempotency table first) and
  // never planned anything again.
  it("delivers a stream's first record when another table was written after reading began", async () => {
    const streamArn = await tableWithStream('stream-c');
    await ddb.send(
      new CreateTableCommand({
        TableName: 'plain-c',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      }),
    );
    const seen: string[] = [];
    const poller = new StreamPoller(
      streams,
      sqs,
      {
        streamArn,
        region: emulators.region,
        batchSize: 10,
        bisectOnError: false,
        maxRetries: 0,
        reportBatchItemFailures: true,
        fn: fakeFunction(async (event) => {
          for (const r of event.Records) seen.push(r.dynamodb.Keys.pk.S);
          return { batchItemFailures: [] };
        }),
      },
      quiet,
    );
    poller.start();
    try {
      // The poller has read the empty shard; then another table takes the next sequence number.
      await until(() => poller.cycles > 1 && poller.idle);
      await ddb.send(new PutItemCommand({ TableName: 'plain-c', Item: { pk: { S: 'elsewhere' } } }));
      await ddb.send(new PutItemCommand({ TableName: 'stream-c', Item: { pk: { S: 'first' } } }));
      await ddb.send(new PutItemCommand({ TableName: 'stream-c', Item: { pk: { S: 'second' } } }));
      await until(() => seen.length >= 2 && poller.idle, 10_000);
    } finally {
      await poller.stop();
    }
    expect(seen).toEqual(['first', 'second']);
  });

  // Ctrl-C in `npm start` while the planner retried a record (its mapping retries until the
  // record expires) never ended: stop() waited for a retry loop that could not finish.
  it('stops at once while a batch is retried without end, and hands that batch to the next run', async () => {
    const streamArn = await tableWithStream('stream-d');
    const checkpoints = memoryCheckpoints();
    let attempts = 0;
    const failing = new StreamPoller(
      streams,
      sqs,
      {
        streamArn,
        region: emulators.region,
        batchSize: 10,
        bisectOnError: false,
        maxRetries: Number.POSITIVE_INFINITY,
        reportBatchItemFailures: true,
        checkpoints,
        fn: fakeFunction(async () => {
          attempts++;
          throw new Error('dependency gone');
        }),
      },
      quiet,
    );
    await ddb.send(new PutItemCommand({ TableName: 'stream-d', Item: { pk: { S: 'stuck' } } }));
    failing.start();
    await until(() => attempts >= 3);
    const stopped = await Promise.race([
      failing.stop().then(() => 'stopped'),
      new Promise((resolve) => setTimeout(() => resolve('still retrying'), 5_000)),
    ]);
    expect(stopped).toBe('stopped');

    const seen = await deliveredByNextRun(streamArn, checkpoints);
    expect(seen).toEqual(['stuck']);
  });

  // Lambda's mapping resumes from its checkpoint; a restart of `npm start` on kept data read the
  // whole stream again and re-planned every change of the last 24 hours.
  it('resumes after the last record handled when started again on the same checkpoints', async () => {
    const streamArn = await tableWithStream('stream-e');
    const checkpoints = memoryCheckpoints();
    for (const pk of ['a', 'b']) {
      await ddb.send(new PutItemCommand({ TableName: 'stream-e', Item: { pk: { S: pk } } }));
    }
    expect(await deliveredByNextRun(streamArn, checkpoints)).toEqual(['a', 'b']);
    await ddb.send(new PutItemCommand({ TableName: 'stream-e', Item: { pk: { S: 'c' } } }));
    expect(await deliveredByNextRun(streamArn, checkpoints)).toEqual(['c']);
    expect(await deliveredByNextRun(streamArn, checkpoints)).toEqual([]);
  });
});

function memoryCheckpoints(): StreamCheckpoints {
  const saved = new Map<string, string>();
  return {
    get: (stream, shard) => saved.get(`${stream} ${shard}`),
    set: (stream, shard, sequence) => void saved.set(`${stream} ${shard}`, sequence),
  };
}

/** Runs a succeeding poller on the checkpoints until it has read every shard twice, idle. */
async function deliveredByNextRun(streamArn: string, checkpoints: StreamCheckpoints): Promise<string[]> {
  const seen: string[] = [];
  const poller = new StreamPoller(
    streams,
    sqs,
    {
      streamArn,
      region: emulators.region,
      batchSize: 10,
      bisectOnError: false,
      maxRetries: 0,
      reportBatchItemFailures: true,
      checkpoints,
      fn: fakeFunction(async (event) => {
        for (const r of event.Records) seen.push(r.dynamodb.Keys.pk.S);
        return { batchItemFailures: [] };
      }),
    },
    quiet,
  );
  poller.start();
  try {
    await until(() => poller.cycles > 2 && poller.idle);
  } finally {
    await poller.stop();
  }
  return seen;
}

describe('the local SQS poller', () => {
  it('deletes only the successes and redelivers a failure once its visibility timeout has passed on the local clock', async () => {
    const url = await queue('mail-a');
    let clock = Date.parse('2030-01-01T00:00:00Z');
    const attempts = new Map<string, number>();
    const poller = new SqsPoller(
      sqs,
      {
        queueUrl: url,
        queueArn: 'arn:aws:sqs:us-east-1:000000000000:mail-a',
        region: emulators.region,
        batchSize: 10,
        reportBatchItemFailures: true,
        concurrency: 1,
        visibilityTimeoutSeconds: 180,
        fn: fakeFunction(async (event) => {
          const failures = [];
          for (const r of event.Records) {
            attempts.set(r.body, (attempts.get(r.body) ?? 0) + 1);
            expect(r.eventSource).toBe('aws:sqs');
            if (r.body === 'bad' && (attempts.get('bad') ?? 0) < 2)
              failures.push({ itemIdentifier: r.messageId });
          }
          return { batchItemFailures: failures };
        }),
      },
      () => new Date(clock),
      quiet,
    );
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'good' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'bad' }));
    poller.start();
    try {
      await until(() => attempts.get('good') === 1 && attempts.get('bad') === 1);
      await poller.expireVisibility(); // not yet: the local clock has not moved
      await new Promise((r) => setTimeout(r, 1500));
      expect(attempts.get('bad')).toBe(1);
      clock += 181_000;
      await poller.expireVisibility();
      await until(() => attempts.get('bad') === 2);
      await until(async () => poller.idle());
    } finally {
      await poller.stop();
    }
    expect(attempts.get('good')).toBe(1);
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    expect(attrs.Attributes).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
  });
});
