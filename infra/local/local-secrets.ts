import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOCAL_ACCOUNT, resourcesOfType, type StackTemplate, type TemplateResolver } from './template.ts';

/**
 * Secrets Manager for local mode: the template's secrets, each with a value generated at start
 * (as `GenerateSecretString` does on deploy), answering `GetSecretValue` (with `VersionStage`) and
 * `PutSecretValue` (a rotation: the old value becomes `AWSPREVIOUS`) in the service's own
 * JSON 1.1 protocol, so the handlers read them with the real SDK client. No npm emulator
 * covers Secrets Manager; the handlers need this one call only.
 */
export async function startLocalSecrets(
  stacks: StackTemplate[],
  resolver: TemplateResolver,
  region: string,
): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const secrets = new Map<string, { arn: string; name: string; value: string; previous?: string }>();
  for (const { stackName, logicalId, resource } of resourcesOfType(stacks, 'AWS::SecretsManager::Secret')) {
    const name = String(resource.Properties?.Name ?? `${stackName}-${logicalId}`);
    const arn = `arn:aws:secretsmanager:${region}:${LOCAL_ACCOUNT}:secret:${name}-local`;
    const value = randomBytes(32).toString('hex');
    secrets.set(arn, { arn, name, value });
    resolver.register(stackName, logicalId, { ref: arn, attributes: { Id: arn } });
  }
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(body));
    };
    const target = req.headers['x-amz-target'];
    if (target !== 'secretsmanager.GetSecretValue' && target !== 'secretsmanager.PutSecretValue') {
      reply(400, {
        __type: 'InvalidRequestException',
        message: 'local Secrets Manager answers GetSecretValue and PutSecretValue only',
      });
      return;
    }
    let request: { SecretId?: unknown; VersionStage?: unknown; SecretString?: unknown };
    try {
      request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof request;
    } catch {
      reply(400, { __type: 'InvalidRequestException', message: 'not JSON' });
      return;
    }
    const secret = [...secrets.values()].find(
      (s) => s.arn === request.SecretId || s.name === request.SecretId,
    );
    const notFound = () =>
      reply(400, {
        __type: 'ResourceNotFoundException',
        message: "Secrets Manager can't find the specified secret.",
      });
    if (!secret) return notFound();
    if (target === 'secretsmanager.PutSecretValue') {
      // A rotation as AWS does it: the new value becomes AWSCURRENT, the old one AWSPREVIOUS.
      if (typeof request.SecretString !== 'string' || request.SecretString.length === 0) {
        reply(400, { __type: 'InvalidParameterException', message: 'SecretString is required' });
        return;
      }
      secret.previous = secret.value;
      secret.value = request.SecretString;
      reply(200, { ARN: secret.arn, Name: secret.name, VersionId: 'local', VersionStages: ['AWSCURRENT'] });
      return;
    }
    const stage = request.VersionStage ?? 'AWSCURRENT';
    const value =
      stage === 'AWSCURRENT' ? secret.value : stage === 'AWSPREVIOUS' ? secret.previous : undefined;
    if (value === undefined) return notFound();
    reply(200, {
      ARN: secret.arn,
      Name: secret.name,
      SecretString: value,
      VersionId: `local-${String(stage).toLowerCase()}`,
      VersionStages: [stage],
      CreatedDate: 0,
    });
  });
  // The SDK keeps connections alive and reuses them without an idle limit of its own: a server
  // closing idle ones after Node's default 5 s races a reuse now and then (ECONNRESET, which a
  // one-attempt SES send must take as an unknown outcome). AWS's endpoints keep them far longer.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 121_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
