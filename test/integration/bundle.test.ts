import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '#infra/app.ts';
import { createTablesFromTemplate } from '#infra/local/create-tables.ts';
import { clientConfig, type LocalEmulators, startEmulators } from '#infra/local/emulators.ts';
import { startLocalSecrets } from '#infra/local/local-secrets.ts';
import { type CfnTemplate, TemplateResolver } from '#infra/local/template.ts';
import { apiRoutes } from '#shared/http/api-routes.ts';
import { openApiDocument } from '#shared/http/openapi.ts';

/**
 * The artefact Lambda runs: the API function bundled by the house construct (ESM, minified,
 * SDK bundled, credentials from the environment only), imported as Lambda would and called
 * against DynamoDB Local.
 */
let emulators: LocalEmulators;
let outdir: string;
let bundlePath = '';
/** Every function's bundle directory in cdk.out, by source entry. */
const bundleDirs = new Map<string, string>();
let stopSecrets: (() => Promise<void>) | undefined;
const env: Record<string, string> = {};

beforeAll(async () => {
  emulators = await startEmulators();
  outdir = mkdtempSync(join(tmpdir(), 'untoc-bundle-'));
  const { app, stateless } = buildApp({}, { outdir });
  const assembly = app.synth();
  const stateful = assembly.stacks.find((s) => s.stackName.endsWith('Stateful'));
  const ddb = new DynamoDBClient(clientConfig(emulators, 'dynamodb'));
  const tables = await createTablesFromTemplate(ddb, stateful?.template);
  ddb.destroy();
  const name = (prefix: string) => [...tables].find(([id]) => id.startsWith(prefix))?.[1].tableName ?? '';
  const stacks = assembly.stacks.map((s) => ({
    stackName: s.stackName,
    template: s.template as CfnTemplate,
  }));
  const resolver = new TemplateResolver(stacks, emulators.region);
  const secrets = await startLocalSecrets(stacks, resolver, emulators.region);
  stopSecrets = secrets.stop;
  const secretId = Object.keys(stateful?.template.Resources ?? {}).find((id) =>
    id.startsWith('SigningSecret'),
  );
  Object.assign(env, {
    REVIEWS_TABLE: name('ReviewsTable'),
    NOTIFICATIONS_TABLE: name('NotificationsTable'),
    IDEMPOTENCY_TABLE: name('IdempotencyTable'),
    SIGNING_SECRET_ARN: resolver.resolveString(stateful?.stackName ?? '', { Ref: secretId }),
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
    GROUPS_CLAIM: 'cognito:groups',
    SECRETARIAT_EMAIL: 'untoc.review@un.org',
  });
  const fnResource = Object.entries(assembly.getStackByName(stateless.stackName).template.Resources).find(
    ([, r]) =>
      (r as { Metadata?: Record<string, string> }).Metadata?.['untoc:entry'] === 'functions/api.handler.ts',
  );
  // The asset's S3 key is its hash; the bundle sits in cdk.out under that name.
  const resource = fnResource?.[1] as { Properties?: { Code?: { S3Key?: string } } } | undefined;
  const key = resource?.Properties?.Code?.S3Key ?? '';
  bundlePath = join(outdir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs');
  for (const stack of assembly.stacks) {
    for (const r of Object.values(stack.template.Resources ?? {})) {
      const fn = r as {
        Type?: string;
        Metadata?: Record<string, string>;
        Properties?: { Code?: { S3Key?: string } };
      };
      const entry = fn.Metadata?.['untoc:entry'];
      const s3Key = fn.Properties?.Code?.S3Key;
      if (fn.Type === 'AWS::Lambda::Function' && entry && s3Key)
        bundleDirs.set(entry, join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`));
    }
  }
}, 180_000);
afterAll(async () => {
  await stopSecrets?.();
  await emulators?.stop();
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe('every bundled function', () => {
  it('ships zod/mini only: no classic zod, and no JSON Schema code', () => {
    expect([...bundleDirs.keys()].sort()).toEqual(
      expect.arrayContaining(['functions/api.handler.ts', 'functions/planner.handler.ts']),
    );
    for (const [entry, dir] of bundleDirs) {
      // The source map lists every module the bundle took code from.
      const { sources } = JSON.parse(readFileSync(join(dir, 'index.mjs.map'), 'utf8')) as {
        sources: string[];
      };
      expect(
        sources.some((s) => s.includes('node_modules/zod/v4/mini/')),
        entry,
      ).toBe(true);
      const unwanted = sources.filter((s) =>
        /node_modules\/zod\/v4\/(classic\/|core\/(to-json-schema|json-schema-processors))|shared\/http\/openapi\.ts/.test(
          s,
        ),
      );
      expect(unwanted, entry).toEqual([]);
    }
  });
});

describe('the bundled API function', () => {
  it('starts and serves a request with credentials from the environment', async () => {
    Object.assign(process.env, env, {
      AWS_REGION: emulators.region,
      AWS_ACCESS_KEY_ID: emulators.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: emulators.credentials.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: emulators.endpoints.dynamodb,
    });
    const { handler } = (await import(pathToFileURL(bundlePath).href)) as {
      handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }>;
    };
    const event = (routeKey: string) => ({
      routeKey,
      headers: {},
      requestContext: {
        timeEpoch: Date.now(),
        authorizer: { jwt: { claims: { sub: 'u1', 'cognito:groups': '[viewer]' } } },
      },
    });
    const code = readFileSync(bundlePath, 'utf8');
    // The default credential chain's STS web-identity client is aliased away.
    expect(code).not.toContain('AssumeRoleWithWebIdentity');
    // The processes' words ship as UTF-8, not as \u escapes (a sixth of their bytes).
    expect(code).toContain('Самооценка');
    expect(code).not.toMatch(/\\u04[0-9a-f]{2}/i);
    // The SDK's event-stream codec is aliased away (no client used here streams events).
    expect(code).not.toContain('MessageDecoderStream');
    expect(code).toContain('event streams are not bundled');
    const health = await handler(event('GET /health'), {});
    expect(health.statusCode).toBe(200);
    // The OpenAPI document was built at synth from the same schemas: the bundle answers it
    // without zod's JSON Schema code, and it is exactly what the schemas give.
    expect(code).not.toContain('draft-2020-12');
    const document = await handler(event('GET /openapi.json'), {});
    expect([document.statusCode, JSON.parse(document.body)]).toEqual([200, openApiDocument(apiRoutes)]);
    // zod/mini with its English locale set: clients read the messages classic zod gave.
    const unknownKey = await handler(
      { ...event('GET /reviews'), queryStringParameters: { limit: '101', colour: 'red' } },
      {},
    );
    expect([unknownKey.statusCode, JSON.parse(unknownKey.body).issues]).toEqual([
      400,
      [
        { path: 'query.limit', message: 'Too big: expected number to be <=100' },
        { path: 'query', message: 'Unrecognized key: "colour"' },
      ],
    ]);
    const list = await handler(event('GET /reviews'), {});
    expect([list.statusCode, JSON.parse(list.body)]).toEqual([200, { items: [], nextCursor: null }]);
    // A listing reads the signing secret through the bundled Secrets Manager client.
    const forged = await handler(
      { ...event('GET /reviews'), queryStringParameters: { cursor: 'eyJ9.AAAA' } },
      {},
    );
    expect([forged.statusCode, JSON.parse(forged.body).error]).toEqual([400, 'VALIDATION_FAILED']);
  });
});
