/**
 * Key layout of the Reviews and Notifications tables (DESIGN §3), written once so the
 * adapters, the stream consumers and the tests agree on it.
 */

/** Partition and sort keys may hold at most this many UTF-8 bytes (DynamoDB limits). */
const MAX_PARTITION_KEY_BYTES = 2048;
const MAX_SORT_KEY_BYTES = 1024;

/** Global secondary indexes of the Reviews table. */
export const REVIEWS_INDEXES = {
  /** Listing: `gsi1pk` = `REVIEWS` or `STATE#<iso3>`, `gsi1sk` orders the listing. */
  list: 'gsi1',
  /** Open deadlines, read by the overdue report: `gsi2pk` / `gsi2sk`. */
  openDeadlines: 'gsi2',
} as const;

/** Sparse index of the Notifications table holding only items waiting to be sent. */
export const NOTIFICATIONS_DUE_INDEX = 'due';

/** The `type` attribute that tells the items of the Reviews table apart. */
export const REVIEWS_ITEM_TYPES = {
  review: 'review',
  participant: 'participant',
  event: 'event',
  reference: 'reference',
} as const;

/** Sort key of the review item itself. */
export const REVIEW_SK = 'REVIEW';
/** `gsi1pk` of every review item: the whole listing. */
export const ALL_REVIEWS_GSI1PK = 'REVIEWS';
/** `gsi2pk` of reviews that are open (not paused, with a deadline). */
export const OPEN_GSI2PK = 'OPEN';
/** Sort-key prefix of history events. */
export const EVENT_SK_PREFIX = 'EVENT#';
/** Sort-key prefix of notification items. */
export const NOTIFICATION_SK_PREFIX = 'NOTIF#';

/** Key attributes of the Reviews table and its indexes; never part of a `Review`. */
export const REVIEWS_KEY_ATTRIBUTES = ['pk', 'sk', 'type', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk'] as const;

/** `REVIEW#<id>`: the partition of a review in both tables. */
export function reviewPk(reviewId: string): string {
  return `REVIEW#${reviewId}`;
}

/** `REFERENCE#<reference, upper case>`: the item that keeps a review reference unique. */
export function referencePk(reference: string): string {
  return `REFERENCE#${reference.toUpperCase()}`;
}
/** Sort key of a reference item. */
export const REFERENCE_SK = 'REFERENCE';

/** `STATE#<iso3>`: a participant's sort key and its listing partition in `gsi1`. */
export function stateKey(state: string): string {
  return `STATE#${state}`;
}

/** `EVENT#<version, 8 digits>`: history events sort by version. */
export function eventSk(version: number): string {
  return `${EVENT_SK_PREFIX}${String(version).padStart(8, '0')}`;
}

/** `<createdAt>#<id>`: newest first when read backwards. */
export function listingSk(createdAt: string, reviewId: string): string {
  return `${createdAt}#${reviewId}`;
}

/** `<deadline>#<id>`: oldest deadline first. */
export function deadlineSk(deadline: string, reviewId: string): string {
  return `${deadline}#${reviewId}`;
}

/** `NOTIF#<stage epoch, 6 digits>#`: the notifications of one stage epoch. */
export function notificationEpochPrefix(stageEpoch: number): string {
  return `${NOTIFICATION_SK_PREFIX}${String(stageEpoch).padStart(6, '0')}#`;
}

/**
 * True when the string can be a partition key: DynamoDB rejects a key over 2048 bytes, and
 * a lone UTF-16 surrogate cannot be encoded at all. Callers answer "not found" instead of
 * letting a strange id (from a URL path, say) become a validation error.
 */
export function fitsPartitionKey(value: string): boolean {
  return isWellFormed(value) && Buffer.byteLength(value, 'utf8') <= MAX_PARTITION_KEY_BYTES;
}

/** True when the string can be a sort key (at most 1024 bytes, well-formed). */
export function fitsSortKey(value: string): boolean {
  return isWellFormed(value) && Buffer.byteLength(value, 'utf8') <= MAX_SORT_KEY_BYTES;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isWellFormed(value: string): boolean {
  return !LONE_SURROGATE.test(value);
}

/**
 * Shards of the sparse `due` index: a notification's `duePk` is `DUE#<n>`, n from a hash of
 * its id, so no single index partition takes every write when many stages start at once.
 * Writers and the sweep share this number.
 */
export const DUE_SHARDS = 4;

/** `DUE#<shard>` for a notification id. */
export function dueShardKey(notificationId: string): string {
  let hash = 0;
  for (let i = 0; i < notificationId.length; i++) hash = (hash * 31 + notificationId.charCodeAt(i)) >>> 0;
  return `DUE#${hash % DUE_SHARDS}`;
}

/** Sort key of a notification item: `NOTIF#<stage epoch, 6 digits>#<id>`. */
export function notificationSk(stageEpoch: number, id: string): string {
  return `${notificationEpochPrefix(stageEpoch)}${id}`;
}

/**
 * Sort key of the item recording who was sent a stage epoch's stage notice:
 * `NOTICE#<stage epoch, 6 digits>`. Outside `NOTIF#`, so listings of notifications skip it.
 */
export function stageNoticeRecipientsSk(stageEpoch: number): string {
  return `NOTICE#${String(stageEpoch).padStart(6, '0')}`;
}

/**
 * Sort key of the item tallying what a stage epoch has had sent (`escalations`):
 * `TALLY#<stage epoch, 6 digits>`. Outside `NOTIF#`, so listings of notifications skip it; one
 * item per review and epoch, so the overdue report reads a page's tallies in one `BatchGetItem`.
 */
export function sentTallySk(stageEpoch: number): string {
  return `TALLY#${String(stageEpoch).padStart(6, '0')}`;
}
