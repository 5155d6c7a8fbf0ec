import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from '#shared/domain/zod.ts';
import { InvalidCursorError } from '#shared/ports/review-repository.ts';
import {
  ALL_REVIEWS_GSI1PK,
  fitsPartitionKey,
  fitsSortKey,
  OPEN_GSI2PK,
  REVIEW_SK,
} from './dynamodb-keys.ts';

/**
 * The signed cursors of the `gsi1` listings (`GET /reviews`, the timeliness report) and of the
 * `gsi2` open deadlines (the overdue report): a cursor is the position of the last item listed,
 * signed with the deployment's key for one listing (its partition and filters, the `scope`), so
 * one the API did not issue, or issued for another listing, is refused.
 */

/** Longer cursors are not ours (ours hold four short keys). */
const MAX_CURSOR_LENGTH = 4096;

/** The `gsi1` position of a listed item: table keys plus index keys, as `ExclusiveStartKey` wants them. */
const ListingKey = z.strictObject({
  pk: z.string().check(z.startsWith('REVIEW#'), z.refine(fitsPartitionKey)),
  sk: z.string().check(z.refine(fitsSortKey)),
  gsi1pk: z.string().check(z.refine(fitsPartitionKey)),
  gsi1sk: z.string().check(z.minLength(1), z.refine(fitsSortKey)),
});
export type ListingKey = z.infer<typeof ListingKey>;

/** The listing position of an item read from `gsi1`. */
export function listingKey(item: Record<string, unknown>): ListingKey {
  const { pk, sk, gsi1pk, gsi1sk } = item;
  return ListingKey.parse({ pk, sk, gsi1pk, gsi1sk });
}

/** The `gsi2` position of an open review (the overdue report): table keys plus the open-deadline index keys. */
const DeadlineKey = z.strictObject({
  pk: z.string().check(z.startsWith('REVIEW#'), z.refine(fitsPartitionKey)),
  sk: z.literal(REVIEW_SK),
  gsi2pk: z.literal(OPEN_GSI2PK),
  gsi2sk: z.string().check(z.minLength(1), z.refine(fitsSortKey)),
});
export type DeadlineKey = z.infer<typeof DeadlineKey>;

/** The open-deadlines position of an item read from `gsi2`. */
export function deadlineKey(item: Record<string, unknown>): DeadlineKey {
  const { pk, sk, gsi2pk, gsi2sk } = item;
  return DeadlineKey.parse({ pk, sk, gsi2pk, gsi2sk });
}

/** A cursor's signature: HMAC-SHA256 over the listing it belongs to and the position, first 16 bytes. */
function cursorMac(payload: string, key: Uint8Array, scope: string): Buffer {
  return createHmac('sha256', key).update(`cursor\n${scope}\n${payload}`).digest().subarray(0, 16);
}

/** `<position>.<signature>`, both base64url: the position is no secret, but only we can sign one. */
export function encodeCursor(position: ListingKey | DeadlineKey, key: Uint8Array, scope: string): string {
  const payload = Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
  return `${payload}.${cursorMac(payload, key, scope).toString('base64url')}`;
}

/**
 * The position a cursor holds: signed by us for this listing, and belonging to the partition being
 * listed (a review item under `REVIEWS`, a participant item under `STATE#<iso3>`).
 * @throws InvalidCursorError for anything else
 */
export function decodeCursor(cursor: string, partition: string, key: Uint8Array, scope: string): ListingKey {
  const parsed = ListingKey.safeParse(signedPosition(cursor, key, scope));
  const expectedSk = partition === ALL_REVIEWS_GSI1PK ? REVIEW_SK : partition;
  if (!parsed.success || parsed.data.gsi1pk !== partition || parsed.data.sk !== expectedSk) {
    throw new InvalidCursorError();
  }
  return parsed.data;
}

/**
 * The open-deadlines position a cursor holds, signed by us for this listing.
 * @throws InvalidCursorError for anything else (a `gsi1` cursor included)
 */
export function decodeDeadlineCursor(cursor: string, key: Uint8Array, scope: string): DeadlineKey {
  const parsed = DeadlineKey.safeParse(signedPosition(cursor, key, scope));
  if (!parsed.success) throw new InvalidCursorError();
  return parsed.data;
}

/**
 * The JSON a cursor carries, once its signature for `scope` checks out.
 * @throws InvalidCursorError when it is not ours, or not for this listing
 */
function signedPosition(cursor: string, key: Uint8Array, scope: string): unknown {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH) throw new InvalidCursorError();
  const [payload = '', mac = '', ...rest] = cursor.split('.');
  const given = Buffer.from(mac, 'base64url');
  const expected = cursorMac(payload, key, scope);
  if (rest.length > 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new InvalidCursorError();
  }
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
}
