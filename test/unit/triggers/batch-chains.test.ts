import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from '#shared/domain/zod.ts';
import { DependencyUnavailableError } from '#shared/ports/dependency.ts';
import {
  type ParkedStreamRecord,
  type StreamRecord,
  scheduleChain,
  snsChain,
  sqsBatchChain,
  streamBatchChain,
} from '#shared/triggers/batch-chains.ts';

function capturingLogger() {
  const lines: string[] = [];
  // Powertools writes to the process streams through its own console: capture those.
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
  }
  const logger = new Logger({ serviceName: 'test', logLevel: 'INFO' });
  return { logger, lines };
}
const ctx = {} as Context;

/** A Lambda context as the runtime passes it (the fields Powertools' logger reads). */
function lambdaContext(awsRequestId: string): Context {
  return {
    awsRequestId,
    functionName: 'untoc-mailer',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-central-1:123456789012:function:untoc-mailer',
    memoryLimitInMB: '512',
    getRemainingTimeInMillis: () => 10_000,
  } as unknown as Context;
}

/** The JSON log lines among what was written. */
function logRecords(lines: string[]): Record<string, unknown>[] {
  return lines
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const ADDRESS = 'eleni.papadopoulou@mfa.example.gr';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('sqsBatchChain', () => {
  it('reports only the failed records, including bodies that do not parse', async () => {
    const { logger } = capturingLogger();
    const handler = sqsBatchChain({
      body: z.object({ n: z.number() }),
      logger,
      process: async ({ n }) => {
        if (n === 2) throw new Error('no');
      },
    });
    const result = await handler(
      {
        Records: [
          { messageId: 'm1', body: '{"n":1}' },
          { messageId: 'm2', body: '{"n":2}' },
          { messageId: 'm3', body: 'not json' },
          { messageId: 'm4', body: '{"x":1}' },
        ],
      },
      ctx,
    );
    expect(result.batchItemFailures).toEqual([
      { itemIdentifier: 'm2' },
      { itemIdentifier: 'm3' },
      { itemIdentifier: 'm4' },
    ]);
  });

  it("logs a failure's error name and code, so a stall is told from a refusal", async () => {
    const { logger, lines } = capturingLogger();
    const handler = sqsBatchChain({
      body: z.object({}),
      logger,
      process: async () => {
        throw Object.assign(new Error('socket timed out'), { name: 'TimeoutError', code: 'ETIMEDOUT' });
      },
    });
    await handler({ Records: [{ messageId: 'm1', body: '{}' }] }, ctx);
    expect(lines.join('\n')).toContain('"error":"TimeoutError/ETIMEDOUT"');
  });

  it('never logs an e-mail address quoted by an error', async () => {
    const { logger, lines } = capturingLogger();
    const handler = sqsBatchChain({
      body: z.object({}),
      logger,
      process: async () => {
        throw new Error('Email address is not verified: eleni.papadopoulou@mfa.example.gr');
      },
    });
    await handler({ Records: [{ messageId: 'm1', body: '{}' }] }, ctx);
    expect(lines.join('\n')).toContain('***@mfa.example.gr');
    expect(lines.join('\n')).not.toContain('eleni.papadopoulou');
  });

  it('puts the Lambda context on every line: request id, cold start, function name', async () => {
    // Arrange: an on-demand instance, as Lambda tells it.
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const { logger, lines } = capturingLogger();
    const handler = sqsBatchChain({
      body: z.object({}),
      logger,
      process: async () => {
        logger.info('working');
      },
    });

    // Act
    await handler({ Records: [{ messageId: 'm1', body: '{}' }] }, lambdaContext('req-a'));
    await handler({ Records: [{ messageId: 'm2', body: '{}' }] }, lambdaContext('req-b'));

    // Assert
    const working = logRecords(lines).filter((r) => r.message === 'working');
    expect(working).toMatchObject([
      { function_request_id: 'req-a', cold_start: true, function_name: 'untoc-mailer' },
      { function_request_id: 'req-b', cold_start: false, function_name: 'untoc-mailer' },
    ]);
  });

  it("names the failed message's review on its line, and no other message's", async () => {
    // Arrange: two messages at once, one of them failing.
    const { logger, lines } = capturingLogger();
    const handler = sqsBatchChain({
      body: z.object({ reviewId: z.string(), id: z.string() }),
      logger,
      logKeys: (ref) => ({ reviewId: ref.reviewId, notificationId: ref.id }),
      process: async ({ reviewId }) => {
        await new Promise((resolve) => setTimeout(resolve, reviewId === 'rev-1' ? 5 : 0));
        if (reviewId === 'rev-1') throw new Error('refused');
      },
    });
    const body = (reviewId: string, id: string) => JSON.stringify({ reviewId, id });

    // Act
    await handler(
      {
        Records: [
          { messageId: 'm1', body: body('rev-1', 'n-1') },
          { messageId: 'm2', body: body('rev-2', 'n-2') },
        ],
      },
      lambdaContext('req-a'),
    );

    // Assert
    const failures = logRecords(lines).filter((r) => r.message === 'message failed');
    expect(failures).toEqual([
      expect.objectContaining({
        messageId: 'm1',
        reviewId: 'rev-1',
        notificationId: 'n-1',
        function_request_id: 'req-a',
      }),
    ]);
  });

  it('leaves with a masked error when the event itself cannot be read', async () => {
    const { logger, lines } = capturingLogger();
    const handler = sqsBatchChain({ body: z.object({}), logger, process: async () => {} });
    await expect(handler({ Records: 'not records' }, ctx)).rejects.toThrow();
    expect(logRecords(lines).map((r) => r.message)).toContain('invocation failed');
  });
});

describe('streamBatchChain', () => {
  const keys = (pk: string) => ({ pk: { S: pk }, sk: { S: 'REVIEW' } });
  const unavailable = () => new DependencyUnavailableError('dynamodb', 'TimeoutError/ETIMEDOUT');

  it("keeps one item's records in order, stops that item at an unavailable dependency, and reports the earliest", async () => {
    const { logger } = capturingLogger();
    const seen: string[] = [];
    const parked: ParkedStreamRecord[] = [];
    const handler = streamBatchChain({
      logger,
      now: () => '2027-01-01T00:00:00.000Z',
      park: async (p) => {
        parked.push(p);
      },
      process: async (record) => {
        seen.push(record.dynamodb.SequenceNumber);
        if (record.dynamodb.SequenceNumber === '2') throw unavailable();
      },
    });
    const records = [
      { eventName: 'MODIFY', dynamodb: { SequenceNumber: '1', Keys: keys('a') } },
      { eventName: 'MODIFY', dynamodb: { SequenceNumber: '2', Keys: keys('a') } },
      { eventName: 'MODIFY', dynamodb: { SequenceNumber: '3', Keys: keys('b') } },
      { eventName: 'MODIFY', dynamodb: { SequenceNumber: '4', Keys: keys('a') } },
    ];
    expect(await handler({ Records: records }, ctx)).toEqual({
      batchItemFailures: [{ itemIdentifier: '2' }],
    });
    expect(seen.sort()).toEqual(['1', '2', '3']);
    expect(parked).toEqual([]);
  });

  it('parks a record that fails for any other reason whole, images and all, and goes on', async () => {
    // Arrange
    const { logger, lines } = capturingLogger();
    const parked: ParkedStreamRecord[] = [];
    const seen: string[] = [];
    const handler = streamBatchChain({
      logger,
      now: () => '2027-01-01T00:00:00.000Z',
      park: async (p) => {
        parked.push(p);
      },
      process: async (record) => {
        seen.push(record.dynamodb.SequenceNumber);
        if (record.dynamodb.SequenceNumber === '1')
          throw new Error('corrupt review item for eleni@mfa.example.gr');
      },
    });
    const poison = {
      eventID: 'e1',
      eventName: 'INSERT',
      eventSourceARN: 'arn:aws:dynamodb:us-east-1:1:table/Reviews/stream/x',
      dynamodb: { SequenceNumber: '1', Keys: keys('a'), NewImage: { ...keys('a'), focalPoints: {} } },
    };

    // Act
    const result = await handler(
      { Records: [poison, { eventName: 'MODIFY', dynamodb: { SequenceNumber: '2', Keys: keys('a') } }] },
      ctx,
    );

    // Assert
    expect(result).toEqual({ batchItemFailures: [] });
    expect(seen).toEqual(['1', '2']);
    expect(parked).toEqual([
      { parkedAt: '2027-01-01T00:00:00.000Z', error: 'Error', event: { Records: [poison] } },
    ]);
    expect(lines.join('\n')).not.toContain('eleni@');
  });

  it('retries a record it could not park', async () => {
    const { logger } = capturingLogger();
    const handler = streamBatchChain({
      logger,
      now: () => '2027-01-01T00:00:00.000Z',
      park: async () => {
        throw unavailable();
      },
      process: async () => {
        throw new Error('bug');
      },
    });
    const result = await handler(
      { Records: [{ eventName: 'INSERT', dynamodb: { SequenceNumber: '7', Keys: keys('a') } }] },
      ctx,
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '7' }] });
  });
});

describe('streamBatchChain: logs', () => {
  const keys = (pk: string) => ({ pk: { S: pk }, sk: { S: 'REVIEW' } });
  const reviewIdOf = (record: StreamRecord) => {
    const pk = record.dynamodb.Keys?.pk?.S;
    return typeof pk === 'string' ? pk.replace('REVIEW#', '') : undefined;
  };
  const record = (sequenceNumber: string, pk: string) => ({
    eventName: 'MODIFY',
    dynamodb: { SequenceNumber: sequenceNumber, Keys: keys(pk) },
  });

  it('masks an address quoted by an error on every failure line: parked, not parked, retried', async () => {
    // Arrange: one record parked, one whose parking fails, one whose dependency is unavailable.
    const { logger, lines } = capturingLogger();
    const handler = streamBatchChain({
      logger,
      now: () => '2027-01-01T00:00:00.000Z',
      logKeys: (r) => ({ reviewId: reviewIdOf(r) }),
      park: async (parked) => {
        const sequence = parked.event.Records[0]?.dynamodb.SequenceNumber;
        if (sequence === '2') throw new DependencyUnavailableError('sqs', 'TimeoutError');
      },
      process: async (r) => {
        const sequence = r.dynamodb.SequenceNumber;
        if (sequence === '3') {
          throw new DependencyUnavailableError('dynamodb', 'ThrottlingException', {
            cause: new Error(`throttled while writing for ${ADDRESS}`),
          });
        }
        throw new Error(`no focal point ${ADDRESS} in this review`);
      },
    });

    // Act
    await handler(
      { Records: [record('1', 'REVIEW#rev-1'), record('2', 'REVIEW#rev-2'), record('3', 'REVIEW#rev-3')] },
      lambdaContext('req-s'),
    );

    // Assert
    const written = lines.join('\n');
    expect(written).not.toContain('eleni.papadopoulou');
    const failures = logRecords(lines).filter((r) => String(r.message).startsWith('stream record'));
    expect(failures).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          message: 'stream record parked',
          reviewId: 'rev-1',
          reason: 'no focal point ***@mfa.example.gr in this review',
        }),
        expect.objectContaining({ message: 'stream record could not be parked', reviewId: 'rev-2' }),
        expect.objectContaining({
          message: 'stream record failed',
          reviewId: 'rev-3',
          reason: 'dynamodb is unavailable (ThrottlingException)',
        }),
      ]),
    );
    expect(failures).toHaveLength(3);
    expect(failures.every((r) => r.function_request_id === 'req-s')).toBe(true);
  });
});

describe('scheduleChain', () => {
  it("runs with the event's own time, never the wall clock", async () => {
    const { logger } = capturingLogger();
    const handler = scheduleChain({ logger, run: async (now) => now });
    expect(await handler({ time: '2030-01-15T09:01:00Z' }, ctx)).toBe('2030-01-15T09:01:00.000Z');
    await expect(handler({ time: 'yesterday' }, ctx)).rejects.toThrow();
  });

  it("tells the run what is left of the invocation, from Lambda's context", async () => {
    const { logger } = capturingLogger();
    const handler = scheduleChain({ logger, run: async (_now, remainingMs) => remainingMs() });
    expect(await handler({ time: '2030-01-15T09:01:00Z' }, lambdaContext('req-r'))).toBe(10_000);
  });

  it('logs a failed run once, masked, and leaves with a masked error of the same name', async () => {
    // Arrange
    const { logger, lines } = capturingLogger();
    const handler = scheduleChain({
      logger,
      run: async () => {
        throw Object.assign(new Error(`cannot queue mail for ${ADDRESS}`), {
          name: 'ValidationException',
          Item: { email: ADDRESS },
        });
      },
    });

    // Act
    const failure = await handler({ time: '2030-01-15T09:01:00Z' }, lambdaContext('req-t')).catch(
      (error: unknown) => error as Error,
    );

    // Assert
    expect(failure).toBeInstanceOf(Error);
    expect(failure).toMatchObject({
      name: 'ValidationException',
      message: 'cannot queue mail for ***@mfa.example.gr',
    });
    expect(JSON.stringify(failure)).not.toContain('eleni.papadopoulou');
    expect(String((failure as Error).stack)).not.toContain('eleni.papadopoulou');
    expect(lines.join('\n')).not.toContain('eleni.papadopoulou');
    expect(logRecords(lines).filter((r) => r.message === 'invocation failed')).toEqual([
      expect.objectContaining({ error: 'ValidationException', function_request_id: 'req-t' }),
    ]);
  });
});

describe('snsChain', () => {
  const event = (message: unknown) => ({ Records: [{ Sns: { Message: JSON.stringify(message) } }] });

  it("logs a failed message once with its review, masked, and leaves with a masked error for SNS's retry", async () => {
    // Arrange
    const { logger, lines } = capturingLogger();
    const handler = snsChain({
      message: z.object({ reviewId: z.string() }),
      logger,
      logKeys: (message) => ({ reviewId: message.reviewId }),
      process: async () => {
        throw new Error(`could not mark ${ADDRESS}`);
      },
    });

    // Act
    const failure = await handler(event({ reviewId: 'rev-9' }), lambdaContext('req-f')).catch(
      (error: unknown) => error as Error,
    );

    // Assert
    expect(failure).toMatchObject({ message: 'could not mark ***@mfa.example.gr' });
    expect(lines.join('\n')).not.toContain('eleni.papadopoulou');
    const errors = logRecords(lines).filter((r) => r.level === 'ERROR');
    expect(errors).toEqual([
      expect.objectContaining({
        message: 'message failed',
        reviewId: 'rev-9',
        reason: 'could not mark ***@mfa.example.gr',
        function_request_id: 'req-f',
      }),
    ]);
  });

  it('passes every parsed message on', async () => {
    const { logger } = capturingLogger();
    const seen: string[] = [];
    const handler = snsChain({
      message: z.object({ reviewId: z.string() }),
      logger,
      process: async ({ reviewId }) => {
        seen.push(reviewId);
      },
    });
    await handler(event({ reviewId: 'rev-1' }), ctx);
    expect(seen).toEqual(['rev-1']);
  });
});

describe('streamBatchChain near the end of the stream', () => {
  it('parks a record that still fails for want of a dependency when it is about to leave the stream', async () => {
    // Arrange: created 23 h 30 min before now; the stream keeps records 24 hours.
    const { logger } = capturingLogger();
    const parked: ParkedStreamRecord[] = [];
    const now = '2027-01-02T00:00:00.000Z';
    const created = Date.parse(now) / 1000 - 23.5 * 3600;
    const handler = streamBatchChain({
      logger,
      now: () => now,
      park: async (p) => {
        parked.push(p);
      },
      process: async () => {
        throw new DependencyUnavailableError('dynamodb', 'TimeoutError/ETIMEDOUT');
      },
    });
    const keys = { pk: { S: 'REVIEW#old' }, sk: { S: 'REVIEW' } };
    const old = {
      eventName: 'MODIFY',
      dynamodb: { SequenceNumber: '9', Keys: keys, ApproximateCreationDateTime: created },
    };
    const young = {
      eventName: 'MODIFY',
      dynamodb: {
        SequenceNumber: '10',
        Keys: { ...keys, pk: { S: 'REVIEW#young' } },
        ApproximateCreationDateTime: created + 7200,
      },
    };

    // Act
    const result = await handler({ Records: [old, young] }, ctx);

    // Assert: the old one is kept whole; the young one is retried by the mapping.
    expect(parked.map((p) => p.event.Records[0]?.dynamodb.SequenceNumber)).toEqual(['9']);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '10' }] });
  });
});
