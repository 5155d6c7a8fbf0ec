import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import type { UndeliverableAddresses } from '#shared/ports/mail.ts';
import { addressHash } from './address-hash.ts';

/** The item marking an address undeliverable: `ADDRESS#<hash>` / `UNDELIVERABLE`. */
export function undeliverableKey(email: string): { pk: string; sk: string } {
  return { pk: `ADDRESS#${addressHash(email)}`, sk: 'UNDELIVERABLE' };
}

/**
 * Undeliverable addresses in the Reviews table, keyed by a hash of the address: the address
 * itself is not stored again. The planner's stream filter (sk = REVIEW) ignores these items.
 */
export class DynamoDbUndeliverableAddresses implements UndeliverableAddresses {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async undeliverableAmong(emails: string[]): Promise<Set<string>> {
    const unique = [...new Set(emails.map((e) => e.trim().toLowerCase()))];
    const found = new Set<string>();
    for (let start = 0; start < unique.length; start += 100) {
      const chunk = unique.slice(start, start + 100);
      const byKey = new Map(chunk.map((email) => [undeliverableKey(email).pk, email]));
      let keys: Record<string, unknown>[] | undefined = chunk.map((email) => undeliverableKey(email));
      while (keys && keys.length > 0) {
        const result: BatchGetCommandOutput = await this.documents.send(
          new BatchGetCommand({
            RequestItems: { [this.tableName]: { Keys: keys, ProjectionExpression: 'pk' } },
          }),
        );
        for (const item of result.Responses?.[this.tableName] ?? []) {
          const email = byKey.get(String(item.pk));
          if (email) found.add(email);
        }
        keys = result.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return found;
  }

  async mark(email: string, reason: string, now: string): Promise<boolean> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...undeliverableKey(email), type: 'undeliverable', reason, at: now },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
