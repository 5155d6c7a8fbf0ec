import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from '#shared/domain/zod.ts';
import type {
  IdempotencyBegin,
  IdempotencyClaim,
  IdempotencyCompletion,
  IdempotencyStore,
  StoredResponse,
} from '#shared/ports/idempotency-store.ts';
import { fitsPartitionKey } from './dynamodb-keys.ts';

/** How long a key is remembered. */
const RECORD_TTL_SECONDS = 24 * 60 * 60;
/**
 * How long a claim holds before a retry may take it over: API Gateway gives up on a request
 * after 30 s. A change of the request that lands even later finds the claim taken (its
 * transaction is conditional on the claim's token) and writes nothing.
 */
const IN_PROGRESS_TTL_SECONDS = 30;

const IN_PROGRESS = 'IN_PROGRESS';
const COMPLETED = 'COMPLETED';

/*
 * The record a failed condition hands back comes in the low-level attribute-value shape (the document
 * client translates results, not exceptions), so the few attributes read here are translated by their schema.
 */
const S = z.pipe(
  z.object({ S: z.string() }),
  z.transform(({ S }: { S: string }) => S),
);
const N = z.pipe(
  z.pipe(
    z.object({ N: z.string() }),
    z.transform(({ N }: { N: string }) => Number(N)),
  ),
  z.number().check(z.int()),
);

const ExistingRecord = z.object({
  status: S,
  fingerprint: S,
  token: z.optional(S),
  inProgressExpiry: z.optional(N),
  response: z.optional(
    z.pipe(
      z.object({
        M: z.object({
          statusCode: N,
          headers: z.pipe(
            z.object({ M: z.record(z.string(), S) }),
            z.transform(({ M }: { M: Record<string, string> }) => M),
          ),
          body: S,
        }),
      }),
      z.transform(({ M }: { M: StoredResponse }): StoredResponse => M),
    ),
  ),
});

/** Attribute values of a completion, shared by `complete` and the guarded transactions. */
function completionValues(completion: IdempotencyCompletion) {
  const { response } = completion;
  return {
    ':completed': COMPLETED,
    ':inProgress': IN_PROGRESS,
    ':token': completion.claim.token,
    ':response': { statusCode: response.statusCode, headers: response.headers, body: response.body },
    ':expiration': completion.nowEpochSeconds + RECORD_TTL_SECONDS,
  };
}

const COMPLETION_UPDATE = {
  UpdateExpression: 'SET #status = :completed, #response = :response, #expiration = :expiration',
  ConditionExpression: '#status = :inProgress AND #token = :token',
  ExpressionAttributeNames: {
    '#status': 'status',
    '#response': 'response',
    '#expiration': 'expiration',
    '#token': 'token',
  },
};

/**
 * The {@link IdempotencyStore} on the Idempotency table (`id` key, `expiration` TTL in epoch seconds).
 * `begin` is one conditional PutItem that also takes over an expired record: DynamoDB deletes expired
 * items only eventually (DynamoDB Local never), so expiry is part of the condition. Each claim carries a
 * token of its request; completing and releasing are conditional on it.
 */
export class DynamoDbIdempotencyStore implements IdempotencyStore {
  /**
   * @param client a document client
   * @param tableName the Idempotency table
   * @param newToken makes each request's token (random)
   */
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly newToken: () => string = randomUUID,
  ) {}

  async begin(key: string, fingerprint: string, nowEpochSeconds: number): Promise<IdempotencyBegin> {
    checkKey(key);
    const token = this.newToken();
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            id: key,
            status: IN_PROGRESS,
            fingerprint,
            token,
            expiration: nowEpochSeconds + RECORD_TTL_SECONDS,
            inProgressExpiry: nowEpochSeconds + IN_PROGRESS_TTL_SECONDS,
          },
          ConditionExpression:
            'attribute_not_exists(#id) OR #expiration < :now OR (#status = :inProgress AND #inProgressExpiry < :now)',
          ExpressionAttributeNames: {
            '#id': 'id',
            '#expiration': 'expiration',
            '#status': 'status',
            '#inProgressExpiry': 'inProgressExpiry',
          },
          ExpressionAttributeValues: { ':now': nowEpochSeconds, ':inProgress': IN_PROGRESS },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { outcome: 'started', claim: { key, token } };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException) || error.Item === undefined) throw error;
      const existing = ExistingRecord.parse(error.Item);
      if (existing.fingerprint !== fingerprint) return { outcome: 'mismatch' };
      // The SDK retried our own put after its answer was lost: the claim is ours.
      if (existing.status === IN_PROGRESS && existing.token === token) {
        return { outcome: 'started', claim: { key, token } };
      }
      if (existing.status !== COMPLETED) {
        const left = (existing.inProgressExpiry ?? nowEpochSeconds + 1) - nowEpochSeconds;
        return { outcome: 'in_progress', retryAfterSeconds: Math.max(1, left) };
      }
      if (existing.response === undefined) throw new Error('completed idempotency record without a response');
      return { outcome: 'replay', response: existing.response };
    }
  }

  /**
   * The write that completes a claim, for a repository to put into the transaction of the change
   * it guards.
   */
  completionItem(completion: IdempotencyCompletion) {
    checkKey(completion.claim.key);
    return {
      Update: {
        TableName: this.tableName,
        Key: { id: completion.claim.key },
        ...COMPLETION_UPDATE,
        ExpressionAttributeValues: completionValues(completion),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
      },
    };
  }

  /**
   * Whether a guarded transaction that was refused on the completion item had in fact landed
   * before (the SDK retried it, or DynamoDB answered late): the record is then completed with
   * this claim's token.
   * @param item the `Item` of the completion's cancellation reason (low-level shape)
   */
  completedBy(item: unknown, claim: IdempotencyClaim): boolean {
    const parsed = ExistingRecord.safeParse(item);
    return parsed.success && parsed.data.status === COMPLETED && parsed.data.token === claim.token;
  }

  async complete(completion: IdempotencyCompletion): Promise<void> {
    checkKey(completion.claim.key);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id: completion.claim.key },
          ...COMPLETION_UPDATE,
          ExpressionAttributeValues: completionValues(completion),
        }),
      );
    } catch (error) {
      // Completed already (a retried update) or taken over: either way not ours to write.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async release(claim: IdempotencyClaim): Promise<void> {
    checkKey(claim.key);
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { id: claim.key },
          ConditionExpression: '#status = :inProgress AND #token = :token',
          ExpressionAttributeNames: { '#status': 'status', '#token': 'token' },
          ExpressionAttributeValues: { ':inProgress': IN_PROGRESS, ':token': claim.token },
        }),
      );
    } catch (error) {
      // A change that landed meanwhile completed the claim: the key must keep its response.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

/** DynamoDB would refuse the key anyway; saying so here names the cause (the caller should bound the header). */
function checkKey(key: string): void {
  if (key.length === 0 || !fitsPartitionKey(key)) {
    throw new RangeError('idempotency key must be 1 to 2048 bytes of well-formed text');
  }
}
