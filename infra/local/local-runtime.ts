import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import { addToInstant, isCalendarDuration, isInstant } from '#shared/domain/calendar.ts';
import { createTablesFromTemplate } from './create-tables.ts';
import { clientConfig, type LocalEmulators, startEmulators } from './emulators.ts';
import { LOCAL_TOKENS, localRoutes, serveApiRequest } from './local-api-gateway.ts';
import { localFunctions } from './local-functions.ts';
import { clearMailbox, readMailbox } from './local-mailbox.ts';
import { LOCAL_ACCOUNT, type StackTemplate, synthesizeTemplates, TemplateResolver } from './template.ts';

/**
 * Local mode (DESIGN §5): the emulators, the synthesized templates' tables, and the
 * template's HTTP API served by the same handler modules, with a movable clock.
 */

const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface StartLocalOptions {
  /** @default 3000; 0 picks a free port. */
  port?: number;
  /** Persist DynamoDB data here; in memory when absent. */
  dynamoDbPath?: string;
  /** Emulator logs go here. @default 'ignore' */
  logDir?: string;
  /** CDK context values, as `-c` would give them. */
  context?: Record<string, unknown>;
}

export interface LocalRuntime {
  url: string;
  emulators: LocalEmulators;
  templates: StackTemplate[];
  /** The local "now": real time plus an offset that only grows. */
  now(): Date;
  stop(): Promise<void>;
}

const ClockMove = z.union([
  z.strictObject({
    advance: z.string().refine(isCalendarDuration, 'must be an ISO 8601 duration such as P7D'),
  }),
  z.strictObject({ now: z.string().refine(isInstant, 'must be an ISO 8601 instant') }),
]);

function send(res: ServerResponse, statusCode: number, body: unknown): void {
  res.writeHead(statusCode, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : JSON.parse(text);
}

/** Starts local mode; resolves when the API answers. */
export async function startLocal(options: StartLocalOptions = {}): Promise<LocalRuntime> {
  const emulators = await startEmulators({
    ...(options.dynamoDbPath ? { dynamoDbPath: options.dynamoDbPath } : {}),
    ...(options.logDir ? { logDir: options.logDir } : {}),
  });
  let server: Server | undefined;
  try {
    const baseEnvironment: Record<string, string> = {
      AWS_REGION: emulators.region,
      AWS_DEFAULT_REGION: emulators.region,
      AWS_ACCESS_KEY_ID: emulators.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: emulators.credentials.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: emulators.endpoints.dynamodb,
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: emulators.endpoints.dynamodb,
      AWS_ENDPOINT_URL_SQS: emulators.endpoints.sqs,
      AWS_ENDPOINT_URL_SES: emulators.endpoints.ses,
      AWS_ENDPOINT_URL_SESV2: emulators.endpoints.ses,
    };
    // The SDK reads credentials lazily, so the process keeps this environment while running.
    Object.assign(process.env, baseEnvironment);

    const templates = synthesizeTemplates(options.context);
    const resolver = new TemplateResolver(templates, emulators.region);
    const dynamodb = new DynamoDBClient(clientConfig(emulators, 'dynamodb'));
    for (const stack of templates) {
      const tables = await createTablesFromTemplate(dynamodb, stack.template);
      for (const [logicalId, table] of tables) {
        const arn = `arn:aws:dynamodb:${emulators.region}:${LOCAL_ACCOUNT}:table/${table.tableName}`;
        resolver.register(stack.stackName, logicalId, {
          ref: table.tableName,
          attributes: { Arn: arn, ...(table.streamArn ? { StreamArn: table.streamArn } : {}) },
        });
      }
    }
    dynamodb.destroy();

    const functions = localFunctions(templates, resolver, PROJECT_ROOT, baseEnvironment);
    const routes = localRoutes(templates, resolver, functions);

    let offsetMs = 0;
    const now = () => new Date(Date.now() + offsetMs);

    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      const local = async (): Promise<void> => {
        if (path === '/_local/mailbox' && req.method === 'GET') {
          send(res, 200, { messages: await readMailbox(emulators.endpoints.ses) });
        } else if (path === '/_local/mailbox' && req.method === 'DELETE') {
          await clearMailbox(emulators.endpoints.ses);
          send(res, 200, { messages: [] });
        } else if (path === '/_local/clock' && req.method === 'GET') {
          send(res, 200, { now: now().toISOString() });
        } else if (path === '/_local/clock' && req.method === 'POST') {
          let body: unknown;
          try {
            body = await readJson(req);
          } catch {
            send(res, 400, { error: 'MALFORMED_JSON', message: 'The body is not valid JSON.' });
            return;
          }
          const move = ClockMove.safeParse(body);
          if (!move.success) {
            send(res, 400, {
              error: 'VALIDATION_FAILED',
              message: 'Send { "advance": "P7D" } or { "now": "<ISO instant>" }.',
              issues: move.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
            });
            return;
          }
          const current = now();
          const target = new Date(
            'advance' in move.data
              ? addToInstant(current.toISOString(), move.data.advance, 'UTC')
              : move.data.now,
          );
          if (target.getTime() < current.getTime()) {
            send(res, 409, {
              error: 'CLOCK_BACKWARDS',
              message: 'The local clock only moves forward.',
              now: current.toISOString(),
            });
            return;
          }
          offsetMs += target.getTime() - current.getTime();
          send(res, 200, { now: now().toISOString() });
        } else if (path === '/_local/settle' && req.method === 'POST') {
          send(res, 200, { settled: true });
        } else {
          send(res, 404, { error: 'NOT_FOUND', message: 'No such local endpoint.' });
        }
      };
      const work = path.startsWith('/_local/') ? local() : serveApiRequest(routes, req, res, now);
      work.catch((error: unknown) => {
        console.error('local runtime: request failed', error);
        if (!res.headersSent) send(res, 500, { error: 'INTERNAL', message: 'Local runtime error.' });
      });
    });
    const listening = server;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(options.port ?? 3000, '127.0.0.1', () => resolve());
    });
    const { port } = listening.address() as AddressInfo;
    let stopped: Promise<void> | undefined;
    return {
      url: `http://127.0.0.1:${port}`,
      emulators,
      templates,
      now,
      stop() {
        stopped ??= (async () => {
          await new Promise<void>((resolve) => {
            listening.close(() => resolve());
            listening.closeAllConnections();
          });
          await emulators.stop();
        })();
        return stopped;
      },
    };
  } catch (error) {
    server?.close();
    await emulators.stop();
    throw error;
  }
}

export { LOCAL_TOKENS };
