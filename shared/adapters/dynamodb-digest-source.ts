import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Review } from '#shared/domain/review.ts';
import type { DigestSource } from '#shared/ports/digest-source.ts';
import { ALL_REVIEWS_GSI1PK, REVIEWS_INDEXES } from './dynamodb-keys.ts';
import { reviewFromItem } from './dynamodb-review-repository.ts';

type Item = Record<string, unknown>;

/** Options of {@link DynamoDbDigestSource}. */
export interface DigestSourceOptions {
  /**
   * Told about a stored item that is not a well-formed review: the digest skips it rather than
   * fail for every officer.
   * @default - skipped silently
   */
  onUnreadableItem?: (key: { pk: string; sk: string }, error: Error) => void;
}

/**
 * The {@link DigestSource} on the Reviews table: the `gsi1` listing partition that holds every
 * review item (`REVIEWS`), read page by page with `Query`, the closed stages filtered out by
 * DynamoDB. Paused reviews are not in the open-deadlines index (`gsi2`), so the listing is the
 * one index that has them all. One query per page of about a megabyte (hundreds of reviews):
 * the cost grows with the pages, never with a call per review.
 */
export class DynamoDbDigestSource implements DigestSource {
  /**
   * @param client a document client
   * @param tableName the Reviews table
   */
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: DigestSourceOptions = {},
  ) {}

  async openReviews(closedStages: readonly string[]): Promise<Review[]> {
    const stages = [...new Set(closedStages)];
    const values: Item = { ':pk': ALL_REVIEWS_GSI1PK };
    stages.forEach((stage, i) => {
      values[`:closed${i}`] = stage;
    });
    const filter =
      stages.length === 0
        ? {}
        : { FilterExpression: `NOT (#stage IN (${stages.map((_, i) => `:closed${i}`).join(', ')}))` };
    const reviews: Review[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: REVIEWS_INDEXES.list,
          KeyConditionExpression: 'gsi1pk = :pk',
          ...filter,
          ...(stages.length === 0 ? {} : { ExpressionAttributeNames: { '#stage': 'stage' } }),
          ExpressionAttributeValues: values,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const review = this.readable(item);
        if (review) reviews.push(review);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return reviews;
  }

  private readable(item: Item): Review | undefined {
    try {
      return reviewFromItem(item);
    } catch (error) {
      this.options.onUnreadableItem?.({ pk: String(item.pk), sk: String(item.sk) }, error as Error);
      return undefined;
    }
  }
}
