import { DigestEnv } from '#shared/config/env.ts';
import { TIME_ZONE } from './bindings.ts';
import { functionSpec } from './types.ts';

/** The weekly Secretariat digest: Monday 08:00 in the time zone of record (its schedule is wired in CDK). */
export const digestFunction = functionSpec({
  id: 'DigestFunction',
  entry: 'functions/digest.handler.ts',
  description:
    'Mondays 08:00 (time zone of record): one digest of their open reviews to each Secretariat officer',
  env: DigestEnv,
  bindings: {
    REVIEWS_TABLE: {
      kind: 'table',
      table: 'reviews',
      // Reads the listing index only, and the undeliverable-address items in one batch.
      commands: [],
      commandsOnKeys: { commands: ['BatchGetItem'], prefix: 'ADDRESS#' },
      indexes: ['gsi1'],
    },
    NOTIFICATIONS_TABLE: {
      kind: 'table',
      table: 'notifications',
      // Claims (update), marks sent (update) and gives back (delete) its own digest items only
      // (`DIGEST_PK_PREFIX` of dynamodb-digest-claims.ts).
      commands: [],
      commandsOnKeys: { commands: ['UpdateItem', 'DeleteItem'], prefix: 'DIGEST#' },
    },
    SENDER_EMAIL: { kind: 'setting', setting: 'senderEmail' },
    SENDER_NAME: { kind: 'setting', setting: 'senderName' },
    SECRETARIAT_EMAIL: { kind: 'setting', setting: 'secretariatEmail' },
    SES_CONFIGURATION_SET: { kind: 'email', commands: ['SendRawEmail'] },
    TIME_ZONE_OF_RECORD: TIME_ZONE,
  },
});

/**
 * Timeout of the digest function, in seconds: a run reads the open reviews (a few pages) and
 * sends one mail per officer (tens), well inside it.
 */
export const DIGEST_TIMEOUT_SECONDS = 120;

/** A digest claim older than the function's timeout is a dead run's: a retry takes it over. */
export const DIGEST_CLAIM_TIMEOUT_MS = DIGEST_TIMEOUT_SECONDS * 1000;
