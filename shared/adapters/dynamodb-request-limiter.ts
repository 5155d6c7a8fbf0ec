import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Instant } from '#shared/domain/calendar.ts';
import type { LimitAnswer, RequestLimiter } from '#shared/ports/request-limiter.ts';

/** At most this many requests per key and window. */
export const REQUESTS_PER_WINDOW = 30;
/** The window, in seconds. */
export const WINDOW_SECONDS = 600;

/**
 * {@link RequestLimiter} on the idempotency table (`id` key, `expiration` TTL): one item per key
 * and window, counted by a conditional `UpdateItem` that refuses the count past the limit, so
 * concurrent requests cannot overshoot it. The items expire with their window.
 */
export class DynamoDbRequestLimiter implements RequestLimiter {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly limits = { requests: REQUESTS_PER_WINDOW, windowSeconds: WINDOW_SECONDS },
  ) {}

  async take(key: string, now: Instant): Promise<LimitAnswer> {
    const seconds = Math.floor(Date.parse(now) / 1000);
    const windowStart = seconds - (seconds % this.limits.windowSeconds);
    const windowEnd = windowStart + this.limits.windowSeconds;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id: `respond-limit#${key}#${windowStart}` },
          UpdateExpression: 'ADD hits :one SET expiration = if_not_exists(expiration, :expiration)',
          ConditionExpression: 'attribute_not_exists(hits) OR hits < :max',
          ExpressionAttributeValues: {
            ':one': 1,
            ':max': this.limits.requests,
            ':expiration': windowEnd + 60,
          },
        }),
      );
      return { allowed: true };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        return { allowed: false, retryAfterSeconds: Math.max(1, windowEnd - seconds) };
      throw error;
    }
  }
}
