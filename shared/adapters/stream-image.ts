import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/**
 * DynamoDB stream images, decoded whatever the stream's dialect. AWS writes an empty map as
 * `{ "M": {} }`; DynamoDB Local's stream writes it as `{}` (measured: its `GetItem` answers
 * `{ "M": {} }` for the same attribute), which the SDK's `unmarshall` refuses with
 * "No value defined: {}". An attribute value with no type at all can only be that empty map.
 */

type Image = Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One attribute value in AWS's own shape (nested maps and lists included). */
export function normalizeAttributeValue(value: unknown): unknown {
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 0) return { M: {} };
  if (isRecord(value.M)) return { M: normalizeImage(value.M) };
  if (Array.isArray(value.L)) return { L: value.L.map(normalizeAttributeValue) };
  return value;
}

/** A whole image (or `Keys`) in AWS's own shape. */
export function normalizeImage(image: Image): Image {
  return Object.fromEntries(
    Object.entries(image).map(([name, value]) => [name, normalizeAttributeValue(value)]),
  );
}

/** A stream image as a plain item, as a read would return it. */
export function itemFromStreamImage(image: Image): Image {
  return unmarshall(normalizeImage(image) as Record<string, AttributeValue>);
}
