import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DigestClaimOutcome, DigestClaims } from '#shared/ports/digest-claims.ts';
import { addressHash } from './address-hash.ts';

/** Partition-key prefix of digest claims in the Notifications table (the digest function may write only these). */
export const DIGEST_PK_PREFIX = 'DIGEST#';

/** `DIGEST#<hash of the officer's address>` / `WEEK#<ISO week>`: no address in a key. */
export function digestClaimKey(officer: string, week: string): { pk: string; sk: string } {
  return { pk: `${DIGEST_PK_PREFIX}${addressHash(officer)}`, sk: `WEEK#${week}` };
}

/**
 * The {@link DigestClaims} in the Notifications table, one item per officer and week. Its state
 * is `phase` (`claimed`, `sent`), not `status`: the items are no notifications, and nothing that
 * reads notification statuses (the local runtime's requeue of what was in flight) takes them
 * for one. No `duePk`, so the sparse due index never holds them.
 */
export class DynamoDbDigestClaims implements DigestClaims {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(
    officer: string,
    week: string,
    at: string,
    staleBefore: string,
    token: string,
  ): Promise<DigestClaimOutcome> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: digestClaimKey(officer, week),
          UpdateExpression:
            'SET #type = :type, #week = :week, #phase = :claimed, #token = :token, #claimedAt = :at',
          // New, or claimed by a run that died (never marked sent), or our own claim sent again by the SDK.
          ConditionExpression:
            'attribute_not_exists(pk) OR (#phase = :claimed AND (#claimedAt < :staleBefore OR #token = :token))',
          ExpressionAttributeNames: {
            '#type': 'type',
            '#week': 'week',
            '#phase': 'phase',
            '#token': 'token',
            '#claimedAt': 'claimedAt',
          },
          ExpressionAttributeValues: {
            ':type': 'digest',
            ':week': week,
            ':claimed': 'claimed',
            ':token': token,
            ':at': at,
            ':staleBefore': staleBefore,
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = error.Item ? unmarshall(error.Item) : undefined;
      return existing?.phase === 'sent' ? 'sent' : 'busy';
    }
  }

  async markSent(officer: string, week: string, token: string, messageId: string, at: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: digestClaimKey(officer, week),
          UpdateExpression: 'SET #phase = :sent, #messageId = :messageId, #sentAt = :at',
          ConditionExpression: '#token = :token',
          ExpressionAttributeNames: {
            '#phase': 'phase',
            '#messageId': 'messageId',
            '#sentAt': 'sentAt',
            '#token': 'token',
          },
          ExpressionAttributeValues: { ':sent': 'sent', ':messageId': messageId, ':at': at, ':token': token },
        }),
      );
    } catch (error) {
      // Taken over as stale while this send ran: the mail went out all the same, and the other
      // run's own send is the one window of a second copy (its claim records it).
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async release(officer: string, week: string, token: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: digestClaimKey(officer, week),
          ConditionExpression: '#phase = :claimed AND #token = :token',
          ExpressionAttributeNames: { '#phase': 'phase', '#token': 'token' },
          ExpressionAttributeValues: { ':claimed': 'claimed', ':token': token },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
