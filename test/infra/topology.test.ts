import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  API_DYNAMODB,
  MAIL_CONSUMER_MIN_REMAINING_MS,
  SES_SEND,
  worstCaseMs,
} from '#shared/adapters/client-timeouts.ts';
import { REVIEW_SK } from '#shared/adapters/dynamodb-keys.ts';
import { CLAIM_TIMEOUT_MS } from '#shared/composition/sender.ts';
import {
  API_TIMEOUT_SECONDS,
  FUNCTION_ENTRIES,
  MAIL_CONSUMER_TIMEOUT_SECONDS,
  MAIL_QUEUE_VISIBILITY_TIMEOUT_SECONDS,
  REVIEW_ITEM_SK,
} from '../../infra/topology.ts';

describe('topology', () => {
  it('filters the planner stream on the sort key the adapters give review items', () => {
    expect(REVIEW_ITEM_SK).toBe(REVIEW_SK);
  });

  it('sizes the mail queue visibility timeout to six consumer timeouts', () => {
    expect(MAIL_QUEUE_VISIBILITY_TIMEOUT_SECONDS).toBe(6 * MAIL_CONSUMER_TIMEOUT_SECONDS);
  });

  it("treats a sending claim as a dead sender's only once its message could be redelivered", () => {
    expect(CLAIM_TIMEOUT_MS).toBe(MAIL_QUEUE_VISIBILITY_TIMEOUT_SECONDS * 1000);
  });

  it('answers an API request (503 at worst) before API Gateway gives up at 30 s', () => {
    // At most four DynamoDB calls per request: claim, read, transaction, a re-read after a lost
    // race (a claim is not released after a timeout: it expires, and nothing can land without it).
    expect(4 * worstCaseMs(API_DYNAMODB)).toBeLessThan(API_TIMEOUT_SECONDS * 1000);
    expect(API_TIMEOUT_SECONDS).toBeLessThan(30);
  });

  it('outwaits a 20 s stall of SES in one send, and never starts one the function could not finish', () => {
    expect(SES_SEND.requestTimeout).toBeGreaterThanOrEqual(20_000);
    expect(SES_SEND.maxAttempts).toBe(1);
    expect(MAIL_CONSUMER_MIN_REMAINING_MS).toBeGreaterThan(worstCaseMs(SES_SEND));
    // Room for a wave of messages started early to finish while a late wave still may start.
    expect(MAIL_CONSUMER_TIMEOUT_SECONDS * 1000).toBeGreaterThan(2 * MAIL_CONSUMER_MIN_REMAINING_MS);
  });

  it.each(Object.values(FUNCTION_ENTRIES))('points at an existing handler module, %s', (entry) => {
    expect(existsSync(join(process.cwd(), entry))).toBe(true);
  });
});
