import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { traced } from '#shared/observability/tracer.ts';
import type { SigningKeyring } from '#shared/ports/signing-keyring.ts';
import { API_DYNAMODB, clientSettings } from './client-timeouts.ts';
import { withUnavailability } from './sdk-errors.ts';

/** How long a warm function waits before it reads the secret again after an unknown token. */
const RELOAD_AFTER_MS = 60_000;
/** How long a warm function signs and verifies with the keys it read. */
const KEEP_KEYS_MS = 15 * 60_000;

/**
 * The signing secret's current and previous versions (`AWSCURRENT`, `AWSPREVIOUS`): rotating it
 * (`aws secretsmanager put-secret-value`, README) moves the old value to `AWSPREVIOUS`, so links
 * signed before still verify while new ones are signed with the new value. Read on first use and
 * kept for 15 minutes; read again at most once a minute when a token verifies with neither (a
 * rotation since). Rotate at most once per link lifetime (stage deadline + 60 days): a link signed
 * two rotations ago is refused.
 */
export class SecretsManagerSigningKeyring implements SigningKeyring {
  private read: Promise<Uint8Array[]> | undefined;
  private readAt = 0;
  private readonly client = withUnavailability(
    traced(new SecretsManagerClient(clientSettings(API_DYNAMODB))),
    'secretsmanager',
  );

  /** @param secretId the secret's ARN */
  constructor(
    private readonly secretId: string,
    private readonly nowMs: () => number = Date.now,
  ) {}

  keys(): Promise<Uint8Array[]> {
    // Re-read now and then, so a warm mailer signs with a rotated secret, not the one it started with.
    if (this.read && this.nowMs() - this.readAt >= KEEP_KEYS_MS) this.read = undefined;
    this.read ??= this.readBoth();
    return this.read;
  }

  async reload(): Promise<Uint8Array[] | undefined> {
    if (this.nowMs() - this.readAt < RELOAD_AFTER_MS) return undefined;
    const before = await this.keys();
    this.read = this.readBoth();
    const after = await this.read;
    const same =
      before.length === after.length &&
      before.every((key, i) => Buffer.compare(Buffer.from(key), Buffer.from(after[i] ?? [])) === 0);
    return same ? undefined : after;
  }

  private readBoth(): Promise<Uint8Array[]> {
    this.readAt = this.nowMs();
    const current = this.version('AWSCURRENT');
    const previous = this.version('AWSPREVIOUS').catch((error: unknown) => {
      // Never rotated: there is no previous version.
      if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
      throw error;
    });
    const both = Promise.all([current, previous]).then(([c, p]) => {
      if (!c) throw new Error('the signing secret is missing or too short');
      return p ? [c, p] : [c];
    });
    return both.catch((error: unknown) => {
      this.read = undefined;
      throw error;
    });
  }

  private async version(stage: 'AWSCURRENT' | 'AWSPREVIOUS'): Promise<Uint8Array | undefined> {
    const { SecretString } = await this.client.send(
      new GetSecretValueCommand({ SecretId: this.secretId, VersionStage: stage }),
    );
    if (!SecretString || SecretString.length < 32) return undefined;
    return new TextEncoder().encode(SecretString);
  }
}
