import { describe, expect, it } from 'vitest';
import { CreateReviewBody, FocalPointBody, ListReviewsQuery } from '#shared/api/schemas.ts';
import { ApiEnv, parseEnv } from '#shared/config/env.ts';
import { FocalPoint } from '#shared/domain/review.ts';
import * as z from '#shared/domain/zod.ts';

/**
 * The house zod (zod/mini). Nothing this file imports loads classic zod (the layering test holds
 * that for shared/), so the messages below are those the bundles give.
 */

const newReview = {
  stateUnderReview: 'GRC',
  cluster: 1,
  instruments: ['UNTOC'],
  reviewingStates: [
    { state: 'AUT', instruments: ['UNTOC'] },
    { state: 'BRA', instruments: ['UNTOC'] },
  ],
  language: 'en',
  launchedAt: '2027-01-11',
};

const messages = (result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) => result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);

describe('the house zod', () => {
  it("answers in zod's English messages, as classic zod did, not mini's bare 'Invalid input'", () => {
    const result = CreateReviewBody.safeParse({
      ...newReview,
      cluster: 9,
      language: 'de',
      group: '1',
      extra: 1,
    });
    expect(messages(result)).toEqual([
      'cluster: Too big: expected number to be <=4',
      'group: Invalid input: expected number, received string',
      'language: Invalid option: expected one of "ar"|"en"|"es"|"fr"|"ru"|"zh"',
      ': Unrecognized key: "extra"',
    ]);
    expect(messages(ListReviewsQuery.safeParse({ limit: '101', cursor: 'x'.repeat(2049) }))).toEqual([
      'limit: Too big: expected number to be <=100',
      'cursor: Too big: expected string to have <=2048 characters',
    ]);
    expect(() => parseEnv(ApiEnv, {})).toThrow(
      'REVIEWS_TABLE: Invalid input: expected string, received undefined',
    );
  });

  it('gives metadata to a copy, as classic .meta() did, leaving the schema it was made from as it was', () => {
    expect(z.globalRegistry.get(FocalPointBody)).toMatchObject({ id: 'FocalPoint' });
    expect(z.globalRegistry.get(FocalPoint)?.id).toBeUndefined();
    const described = z.withMeta(FocalPoint, { description: 'a person' });
    expect(z.globalRegistry.get(described)?.description).toBe('a person');
    expect(z.globalRegistry.get(FocalPoint)?.description).toBeUndefined();
    // A copy with metadata still parses as its original (metadata is no check).
    expect(described.def.checks ?? []).toEqual(FocalPoint.def.checks ?? []);
  });
});
