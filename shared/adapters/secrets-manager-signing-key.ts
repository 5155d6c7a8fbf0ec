import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { traced } from '#shared/observability/tracer.ts';
import type { SigningKey } from '#shared/ports/signing-key.ts';
import { API_DYNAMODB, clientSettings } from './client-timeouts.ts';
import { withUnavailability } from './sdk-errors.ts';

/**
 * The signing key in AWS Secrets Manager (a generated secret of the stateful stack), read on
 * first use and kept for the life of the function instance. A failed read is not kept: the
 * next request tries again.
 */
export class SecretsManagerSigningKey implements SigningKey {
  private key: Promise<Uint8Array> | undefined;
  private readonly client = withUnavailability(
    traced(new SecretsManagerClient(clientSettings(API_DYNAMODB))),
    'secretsmanager',
  );

  /** @param secretId the secret's ARN */
  constructor(private readonly secretId: string) {}

  get(): Promise<Uint8Array> {
    this.key ??= this.read().catch((error: unknown) => {
      this.key = undefined;
      throw error;
    });
    return this.key;
  }

  private async read(): Promise<Uint8Array> {
    const { SecretString } = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
    if (!SecretString || SecretString.length < 32)
      throw new Error('the signing secret is missing or too short');
    return new TextEncoder().encode(SecretString);
  }
}
