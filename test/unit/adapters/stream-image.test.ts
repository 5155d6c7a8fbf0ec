import { marshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { itemFromStreamImage, normalizeImage } from '#shared/adapters/stream-image.ts';

describe('itemFromStreamImage', () => {
  it("decodes DynamoDB Local's empty map `{}` as an empty map, at any depth", () => {
    // Arrange: what DynamoDB Local's stream wrote for a review created without focal points.
    const image = {
      pk: { S: 'REVIEW#1' },
      focalPoints: {},
      ledger: { L: [] },
      nested: { M: { inner: {}, list: { L: [{}, { S: 'x' }] } } },
    };

    // Act
    const item = itemFromStreamImage(image);

    // Assert
    expect(item).toEqual({
      pk: 'REVIEW#1',
      focalPoints: {},
      ledger: [],
      nested: { inner: {}, list: [{}, 'x'] },
    });
  });

  it('decodes AWS-shaped images as the SDK does, for any item', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), tie('value'), { maxKeys: 3 }),
      ),
    })).value;
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), json, { maxKeys: 5 }), (item) => {
        const image = marshall(item, { removeUndefinedValues: true });
        expect(itemFromStreamImage(image)).toEqual(item);
        expect(normalizeImage(image)).toEqual(image);
      }),
      { numRuns: 300 },
    );
  });
});
