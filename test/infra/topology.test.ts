import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REVIEW_SK } from '#shared/adapters/dynamodb-keys.ts';
import {
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

  it.each(Object.values(FUNCTION_ENTRIES))('points at an existing handler module, %s', (entry) => {
    expect(existsSync(join(process.cwd(), entry))).toBe(true);
  });
});
