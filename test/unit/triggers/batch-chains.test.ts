import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { scheduleChain, sqsBatchChain, streamBatchChain } from '#shared/triggers/batch-chains.ts';

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
  it("keeps one item's records in order, stops that item at a failure, and reports the earliest failure", async () => {
    const { logger } = capturingLogger();
    const seen: string[] = [];
    const handler = streamBatchChain({
      logger,
      process: async (record) => {
        seen.push(record.dynamodb.SequenceNumber);
        if (record.dynamodb.SequenceNumber === '2') throw new Error('boom');
      },
    });
    const keys = (pk: string) => ({ pk: { S: pk }, sk: { S: 'REVIEW' } });
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
