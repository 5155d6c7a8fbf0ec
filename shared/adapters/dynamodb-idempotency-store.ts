import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { IdempotencyBegin, IdempotencyStore, StoredResponse } from '#shared/ports/idempotency-store.ts';
import { fitsPartitionKey } from './dynamodb-keys.ts';

/** How long a key is remembered. */
const RECORD_TTL_SECONDS = 24 * 60 * 60;
/** How long a claim holds before a retry may take it over (the request's Lambda is long gone by then). */
const IN_PROGRESS_TTL_SECONDS = 60;

const IN_PROGRESS = 'IN_PROGRESS';
const COMPLETED = 'COMPLETED';

/*
 * The record a failed condition hands back comes in the low-level attribute-value shape (the document
 * client translates results, not exceptions). `@aws-sdk/util-dynamodb` is not a dependency of this
 * project, so the few attributes read here are translated by their schema.
 */
const S = z.object({ S: z.string() }).transform(({ S }) => S);
const N = z
  .object({ N: z.string() })
  .transform(({ N }) => Number(N))
  .pipe(z.number().int());

const ExistingRecord = z.object({
  status: S,
  fingerprint: S,
  response: z
    .object({
      M: z.object({
        statusCode: N,
        headers: z.object({ M: z.record(z.string(), S) }).transform(({ M }) => M),
        body: S,
      }),
    })
    .transform(({ M }): StoredResponse => M)
    .optional(),
});

/**
 * The {@link IdempotencyStore} on the Idempotency table (`id` key, `expiration` TTL in epoch seconds).
 * `begin` is one conditional PutItem that also takes over an expired record: DynamoDB deletes expired
 * items only eventually (DynamoDB Local never), so expiry is part of the condition.
 */
export class DynamoDbIdempotencyStore implements IdempotencyStore {
  /**
   * @param client a document client
   * @param tableName the Idempotency table
   */
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async begin(key: string, fingerprint: string, nowEpochSeconds: number): Promise<IdempotencyBegin> {
    checkKey(key);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            id: key,
            status: IN_PROGRESS,
            fingerprint,
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
      return { outcome: 'started' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException) || error.Item === undefined) throw error;
      const existing = ExistingRecord.parse(error.Item);
      if (existing.fingerprint !== fingerprint) return { outcome: 'mismatch' };
      if (existing.status !== COMPLETED) return { outcome: 'in_progress' };
      if (existing.response === undefined) throw new Error('completed idempotency record without a response');
      return { outcome: 'replay', response: existing.response };
    }
  }

  async complete(key: string, response: StoredResponse, nowEpochSeconds: number): Promise<void> {
    checkKey(key);
    // Unconditional, as in Powertools: only the request holding the claim gets here, and failing after the
    // work is done would turn a success into an error.
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { id: key },
        UpdateExpression: 'SET #status = :completed, #response = :response, #expiration = :expiration',
        ExpressionAttributeNames: {
          '#status': 'status',
          '#response': 'response',
          '#expiration': 'expiration',
        },
        ExpressionAttributeValues: {
          ':completed': COMPLETED,
          ':response': { statusCode: response.statusCode, headers: response.headers, body: response.body },
          ':expiration': nowEpochSeconds + RECORD_TTL_SECONDS,
        },
      }),
    );
  }

  async release(key: string): Promise<void> {
    checkKey(key);
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { id: key } }));
  }
}

/** DynamoDB would refuse the key anyway; saying so here names the cause (the caller should bound the header). */
function checkKey(key: string): void {
  if (key.length === 0 || !fitsPartitionKey(key)) {
    throw new RangeError('idempotency key must be 1 to 2048 bytes of well-formed text');
  }
}
