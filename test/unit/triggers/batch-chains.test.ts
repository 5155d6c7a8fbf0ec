import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { DependencyUnavailableError } from '#shared/ports/dependency.ts';
import {
  type ParkedStreamRecord,
  scheduleChain,
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
afterEach(() => {
  vi.restoreAllMocks();
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

describe('scheduleChain', () => {
  it("runs with the event's own time, never the wall clock", async () => {
    const { logger } = capturingLogger();
    const handler = scheduleChain({ logger, run: async (now) => now });
    expect(await handler({ time: '2030-01-15T09:01:00Z' }, ctx)).toBe('2030-01-15T09:01:00.000Z');
    await expect(handler({ time: 'yesterday' }, ctx)).rejects.toThrow();
  });
});
