import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { LOCAL_CLOCK_OFFSET } from '#shared/adapters/system-clock.ts';
import { addToInstant, isInstant, isIsoDuration } from '#shared/domain/calendar.ts';
import { QUEUE_IDS } from '../topology.ts';
import { createTablesFromTemplate } from './create-tables.ts';
import { clientConfig, type LocalEmulators, startEmulators } from './emulators.ts';
import { LOCAL_TOKENS, localRoutes, serveApiRequest } from './local-api-gateway.ts';
import { CONSOLE_PATH, serveConsole } from './local-console.ts';
import { type LocalFunction, type LocalInvocation, localFunctions } from './local-functions.ts';
import { clearMailbox, readMailbox } from './local-mailbox.ts';
import { createQueuesFromTemplate } from './local-queues.ts';
import { parseCronSchedule, schedulerEvent } from './local-schedules.ts';
import { startLocalSecrets } from './local-secrets.ts';
import { feedbackSubscribers, registerSesResources, type Subscriber, startSesFront } from './local-ses.ts';
import { LocalState, requeueInFlight } from './local-state.ts';
import { LOCAL_POWERTOOLS_ENVIRONMENT } from './powertools-environment.ts';
import { SqsPoller } from './sqs-poller.ts';
import { StreamPoller } from './stream-poller.ts';
import {
  LOCAL_ACCOUNT,
  resourcesOfType,
  type StackTemplate,
  synthesizeTemplates,
  TemplateResolver,
} from './template.ts';

/**
 * Local mode (DESIGN §5): the emulators, and everything the synthesized templates declare:
 * tables, queues, the HTTP API's routes, the event source mappings (stream and SQS pollers),
 * the schedules (driven by a movable clock) and SES feedback, all calling the same handler
 * modules as Lambda would.
 */

const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface StartLocalOptions {
  /** @default 3000; 0 picks a free port. */
  port?: number;
  /** Persist DynamoDB data here; in memory when absent. */
  dynamoDbPath?: string;
  /**
   * Keep local mode's own state here (the clock's offset, the stream checkpoints) between runs,
   * and put back on their queues the notifications a previous run left in flight.
   * @default - nothing kept: the clock starts at real time
   */
  stateDir?: string;
  /** Emulator logs go here. @default 'ignore' */
  logDir?: string;
  /** CDK context values, as `-c` would give them. */
  context?: Record<string, unknown>;
  /** Run the schedules every real minute too. @default true */
  realTimeSchedules?: boolean;
  /** Where runtime problems are reported. @default console.error */
  log?: (message: string, error?: unknown) => void;
  /**
   * Test seam: puts something (a fault-injecting proxy, say) between the handlers' SDK clients
   * and an endpoint; returns the endpoint the handlers should call instead. The runtime's own
   * machinery (pollers, table creation) keeps talking to the emulators directly, as Lambda's
   * pollers are not behind the functions' network.
   * @default - the handlers call the emulators directly
   */
  interpose?: (service: 'dynamodb' | 'sqs' | 'ses', endpoint: string) => string | Promise<string>;
  /**
   * Test seam: sees every function invocation (event and environment) before it runs; the
   * bench replays them in fresh processes to measure cold starts.
   * @default - nothing observes
   */
  observeInvocation?: (invocation: LocalInvocation) => void;
}

export interface LocalRuntime {
  url: string;
  emulators: LocalEmulators;
  templates: StackTemplate[];
  /** The template's functions, by `<stack>/<logical id>`. */
  functions: ReadonlyMap<string, LocalFunction>;
  /** The template's queues, by `<stack>/<logical id>`. */
  queues: Map<string, { url: string; arn: string }>;
  /** The local "now": real time plus an offset that only grows. */
  now(): Date;
  /** Moves the clock forward, runs the schedules and waits until everything has settled. */
  advanceTo(instant: Date): Promise<void>;
  /** Waits (at most `timeoutMs`) until streams, queues and feedback are drained. */
  settle(timeoutMs?: number): Promise<boolean>;
  stop(): Promise<void>;
}

const ClockMove = z.union([
  z.strictObject({
    advance: z.string().refine(isIsoDuration, 'must be a positive ISO 8601 duration such as P7D or PT1H'),
  }),
  z.strictObject({ now: z.string().refine(isInstant, 'must be an ISO 8601 instant') }),
]);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The local clock never passes the end of 2100-12-31 (UTC). */
const LAST_CLOCK_INSTANT_MS = Date.parse('2101-01-01T00:00:00Z');

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

function functionByRef(
  functions: Map<string, LocalFunction>,
  resolver: TemplateResolver,
  stackName: string,
  value: unknown,
) {
  const name = resolver.resolveString(stackName, value);
  for (const fn of functions.values()) {
    if (resolver.resolveString(fn.stackName, { Ref: fn.logicalId }) === name) return fn;
    if (resolver.resolveString(fn.stackName, { 'Fn::GetAtt': [fn.logicalId, 'Arn'] }) === name) return fn;
  }
  throw new Error(`local runtime: no local function for ${name}`);
}

/** Starts local mode; resolves when the API answers. */
export async function startLocal(options: StartLocalOptions = {}): Promise<LocalRuntime> {
  const log =
    options.log ??
    ((message: string, error?: unknown) => console.error(`local runtime: ${message}`, error ?? ''));
  const emulators = await startEmulators({
    ...(options.dynamoDbPath ? { dynamoDbPath: options.dynamoDbPath } : {}),
    ...(options.logDir ? { logDir: options.logDir } : {}),
  });
  const stoppers: (() => Promise<void>)[] = [];
  try {
    let subscribers: Subscriber[] = [];
    const ses = await startSesFront({
      emulatorEndpoint: emulators.endpoints.ses,
      subscribers: () => subscribers,
      log,
    });
    stoppers.push(ses.stop);
    const endpointFor = async (service: 'dynamodb' | 'sqs' | 'ses', endpoint: string) =>
      options.interpose ? await options.interpose(service, endpoint) : endpoint;
    const dynamodbEndpoint = await endpointFor('dynamodb', emulators.endpoints.dynamodb);
    const sqsEndpoint = await endpointFor('sqs', emulators.endpoints.sqs);
    const sesEndpoint = await endpointFor('ses', ses.endpoint);
    const baseEnvironment: Record<string, string> = {
      AWS_REGION: emulators.region,
      AWS_DEFAULT_REGION: emulators.region,
      AWS_ACCESS_KEY_ID: emulators.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: emulators.credentials.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint,
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: dynamodbEndpoint,
      AWS_ENDPOINT_URL_SQS: sqsEndpoint,
      AWS_ENDPOINT_URL_SES: sesEndpoint,
      AWS_ENDPOINT_URL_SESV2: sesEndpoint,
      ...LOCAL_POWERTOOLS_ENVIRONMENT,
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
    const sqs = new SQSClient(clientConfig(emulators, 'sqs'));
    const queues = await createQueuesFromTemplate(sqs, templates, resolver);
    const state = options.stateDir ? new LocalState(options.stateDir) : undefined;
    if (state) {
      const urlOf = (id: string) =>
        [...queues].find(([key]) => key.split('/')[1]?.startsWith(id))?.[1].url ?? '';
      const notificationsTable = resourcesOfType(templates, 'AWS::DynamoDB::Table').find((t) =>
        t.logicalId.startsWith('NotificationsTable'),
      );
      if (notificationsTable) {
        const requeued = await requeueInFlight(
          dynamodb,
          sqs,
          resolver.resolveString(notificationsTable.stackName, { Ref: notificationsTable.logicalId }),
          { focalPoint: urlOf(QUEUE_IDS.focalPointMail), escalation: urlOf(QUEUE_IDS.escalation) },
        );
        if (requeued > 0)
          log(`put ${requeued} notifications left in flight by the last run back on their queues`);
      }
    }
    dynamodb.destroy();

    registerSesResources(templates, resolver, emulators.region);
    const secrets = await startLocalSecrets(templates, resolver, emulators.region);
    stoppers.push(secrets.stop);
    baseEnvironment.AWS_ENDPOINT_URL_SECRETS_MANAGER = secrets.endpoint;
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = secrets.endpoint;

    // The API's port is taken before the functions are made: its URL is the HTTP API's endpoint
    // (`ApiEndpoint`), which the mailer's personal links point at, as on AWS (DESIGN §10).
    let serve: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) =>
      send(res, 503, { error: 'UNAVAILABLE', message: 'Local mode is starting.' });
    const server: Server = createServer((req, res) => serve(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 3000, '127.0.0.1', () => resolve());
    });
    stoppers.unshift(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}`;
    for (const { stackName, logicalId } of resourcesOfType(templates, 'AWS::ApiGatewayV2::Api')) {
      resolver.register(stackName, logicalId, {
        ref: 'local',
        attributes: { ApiEndpoint: url, ApiId: 'local' },
      });
    }
    const functions = localFunctions(
      templates,
      resolver,
      PROJECT_ROOT,
      baseEnvironment,
      options.observeInvocation,
    );
    subscribers = feedbackSubscribers(templates, resolver, functions);
    const routes = localRoutes(templates, resolver, functions);

    let offsetMs = state?.clockOffsetMs() ?? 0;
    (globalThis as Record<symbol, unknown>)[LOCAL_CLOCK_OFFSET] = offsetMs;
    const now = () => new Date(Date.now() + offsetMs);

    // Event source mappings: stream pollers and SQS pollers, configured as declared.
    const streams = new DynamoDBStreamsClient(clientConfig(emulators, 'dynamodb'));
    const streamPollers: StreamPoller[] = [];
    const sqsPollers: SqsPoller[] = [];
    for (const { stackName, resource } of resourcesOfType(templates, 'AWS::Lambda::EventSourceMapping')) {
      const props = resource.Properties ?? {};
      const fn = functionByRef(functions, resolver, stackName, props.FunctionName);
      const sourceArn = resolver.resolveString(stackName, props.EventSourceArn);
      const reportBatchItemFailures = ((props.FunctionResponseTypes as string[] | undefined) ?? []).includes(
        'ReportBatchItemFailures',
      );
      if (sourceArn.includes(':dynamodb:') || sourceArn.includes('/stream/')) {
        const onFailure = (props.DestinationConfig as { OnFailure?: { Destination?: unknown } } | undefined)
          ?.OnFailure?.Destination;
        const onFailureArn = onFailure ? resolver.resolveString(stackName, onFailure) : undefined;
        const poller = new StreamPoller(
          streams,
          sqs,
          {
            streamArn: sourceArn,
            region: emulators.region,
            fn,
            batchSize: Number(props.BatchSize ?? 100),
            filterCriteria: props.FilterCriteria,
            bisectOnError: props.BisectBatchOnFunctionError === true,
            // -1 (the default) is Lambda's "until the record expires".
            maxRetries:
              props.MaximumRetryAttempts === undefined || Number(props.MaximumRetryAttempts) < 0
                ? Number.POSITIVE_INFINITY
                : Number(props.MaximumRetryAttempts),
            reportBatchItemFailures,
            onFailureQueueUrl: [...queues.values()].find((q) => q.arn === onFailureArn)?.url,
            checkpoints: state,
          },
          log,
        );
        streamPollers.push(poller);
      } else {
        const queue = [...queues.values()].find((q) => q.arn === sourceArn);
        if (!queue) throw new Error(`local runtime: no local queue ${sourceArn}`);
        const declared = resourcesOfType(templates, 'AWS::SQS::Queue').find(
          (q) => resolver.lookup(q.stackName, q.logicalId)?.attributes.Arn === sourceArn,
        );
        const poller = new SqsPoller(
          sqs,
          {
            queueUrl: queue.url,
            queueArn: sourceArn,
            region: emulators.region,
            fn,
            batchSize: Number(props.BatchSize ?? 10),
            reportBatchItemFailures,
            concurrency: Number(
              (props.ScalingConfig as { MaximumConcurrency?: number } | undefined)?.MaximumConcurrency ?? 2,
            ),
            visibilityTimeoutSeconds: Number(declared?.resource.Properties?.VisibilityTimeout ?? 30),
          },
          now,
          log,
        );
        sqsPollers.push(poller);
      }
    }
    for (const poller of [...streamPollers, ...sqsPollers]) poller.start();
    stoppers.push(async () => {
      await Promise.all([...streamPollers, ...sqsPollers].map((p) => p.stop()));
      streams.destroy();
      sqs.destroy();
    });

    // Schedules: each rule's function targets, invoked with the local clock's time.
    const schedules = resourcesOfType(templates, 'AWS::Events::Rule').flatMap(
      ({ stackName, logicalId, resource }) => {
        const props = resource.Properties ?? {};
        if (!props.ScheduleExpression || props.State === 'DISABLED') return [];
        const targets = (props.Targets as { Arn: unknown; Input?: string }[] | undefined) ?? [];
        return targets.map((t) => ({
          ruleArn: `arn:aws:events:${emulators.region}:${LOCAL_ACCOUNT}:rule/${logicalId}`,
          fn: functionByRef(functions, resolver, stackName, t.Arn),
          input: t.Input,
        }));
      },
    );
    // EventBridge Scheduler schedules (the weekly digest): each `cron(…)` in its own time zone,
    // fired once with its latest firing time whenever the clock has passed one since the last look.
    const cronSchedules = resourcesOfType(templates, 'AWS::Scheduler::Schedule').flatMap(
      ({ stackName, logicalId, resource }) => {
        const props = resource.Properties ?? {};
        const expression = props.ScheduleExpression;
        if (typeof expression !== 'string' || props.State === 'DISABLED') return [];
        const target = props.Target as { Arn: unknown; Input?: unknown };
        return [
          {
            scheduleArn: `arn:aws:scheduler:${emulators.region}:${LOCAL_ACCOUNT}:schedule/default/${logicalId}`,
            cron: parseCronSchedule(expression, String(props.ScheduleExpressionTimezone ?? 'UTC')),
            fn: functionByRef(functions, resolver, stackName, target.Arn),
            input: target.Input === undefined ? undefined : resolver.resolveString(stackName, target.Input),
            checkedUntil: now(),
          },
        ];
      },
    );
    let scheduleRun: Promise<void> = Promise.resolve();
    const runSchedules = (): Promise<void> => {
      scheduleRun = scheduleRun.then(async () => {
        const time = now();
        for (const s of cronSchedules) {
          const at = s.cron.latestBetween(s.checkedUntil, time);
          s.checkedUntil = new Date(time.getTime());
          if (!at) continue;
          const event = schedulerEvent(s.input, {
            scheduledTime: at,
            scheduleArn: s.scheduleArn,
            executionId: crypto.randomUUID(),
          });
          await s.fn
            .invoke(event)
            .catch((error: unknown) => log(`schedule target ${s.fn.logicalId} failed`, error));
        }
        time.setUTCSeconds(0, 0);
        for (const s of schedules) {
          const event = s.input
            ? JSON.parse(s.input)
            : {
                version: '0',
                id: crypto.randomUUID(),
                'detail-type': 'Scheduled Event',
                source: 'aws.events',
                account: LOCAL_ACCOUNT,
                time: time.toISOString().replace('.000Z', 'Z'),
                region: emulators.region,
                resources: [s.ruleArn],
                detail: {},
              };
          await s.fn
            .invoke(event)
            .catch((error: unknown) => log(`schedule target ${s.fn.logicalId} failed`, error));
        }
      });
      return scheduleRun;
    };
    const timer =
      options.realTimeSchedules === false ? undefined : setInterval(() => void runSchedules(), 60_000);
    stoppers.push(async () => {
      if (timer) clearInterval(timer);
      await scheduleRun;
    });

    const settle = async (timeoutMs = 10_000): Promise<boolean> => {
      const deadline = Date.now() + timeoutMs;
      let calm = 0;
      let cyclesAtCalm = streamPollers.map((p) => p.cycles);
      while (Date.now() < deadline) {
        await scheduleRun;
        const idle =
          ses.idle() &&
          streamPollers.every((p) => p.idle) &&
          (await Promise.all(sqsPollers.map((p) => p.idle()))).every(Boolean);
        if (!idle) {
          calm = 0;
          cyclesAtCalm = streamPollers.map((p) => p.cycles);
        } else if (streamPollers.every((p, i) => p.cycles >= (cyclesAtCalm[i] ?? 0) + 2) && ++calm >= 2) {
          return true;
        }
        await sleep(50);
      }
      return false;
    };

    const setOffset = (value: number) => {
      offsetMs = value;
      (globalThis as Record<symbol, unknown>)[LOCAL_CLOCK_OFFSET] = offsetMs;
      state?.saveClockOffset(offsetMs);
    };
    const advanceTo = async (target: Date): Promise<void> => {
      setOffset(offsetMs + Math.max(0, target.getTime() - now().getTime()));
      await settle();
      for (const poller of sqsPollers) await poller.expireVisibility();
      await runSchedules();
      await settle();
    };
    stoppers.push(async () => {
      (globalThis as Record<symbol, unknown>)[LOCAL_CLOCK_OFFSET] = 0;
    });

    serve = (req, res) => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      const local = async (): Promise<void> => {
        if (path === '/_local/mailbox' && req.method === 'GET') {
          const messages = await readMailbox(emulators.endpoints.ses, ses.tagsOf, ses.destinationsOf);
          send(res, 200, {
            messages: messages.map(({ attachments, ...m }) => ({
              ...m,
              attachments: attachments.map(({ content: _, ...a }) => a),
            })),
          });
        } else if (path.startsWith('/_local/mailbox/') && path.endsWith('.eml') && req.method === 'GET') {
          // The message as sent, headers and all: open it in a mail client, or parse it.
          const raw = ses.rawOf(decodeURIComponent(path.slice('/_local/mailbox/'.length, -'.eml'.length)));
          if (raw === undefined) send(res, 404, { error: 'NOT_FOUND', message: 'No such message.' });
          else {
            res.writeHead(200, { 'content-type': 'message/rfc822' });
            res.end(raw);
          }
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
          let target: Date;
          try {
            target = new Date(
              'advance' in move.data
                ? addToInstant(current.toISOString(), move.data.advance, 'UTC')
                : move.data.now,
            );
          } catch {
            target = new Date(Number.NaN);
          }
          // Every date the system stores lies before 2101 (DESIGN §4): a clock past it could
          // only make the sweep fail every minute for good.
          if (!(target.getTime() < LAST_CLOCK_INSTANT_MS)) {
            const path = 'advance' in move.data ? 'advance' : 'now';
            send(res, 400, {
              error: 'VALIDATION_FAILED',
              message: 'The local clock stops at the end of 2100-12-31.',
              issues: [{ path, message: 'must not take the clock past 2100-12-31' }],
            });
            return;
          }
          if (target.getTime() < current.getTime()) {
            send(res, 409, {
              error: 'CLOCK_BACKWARDS',
              message: 'The local clock only moves forward.',
              now: current.toISOString(),
            });
            return;
          }
          await advanceTo(target);
          send(res, 200, { now: now().toISOString() });
        } else if (path === '/_local/settle' && req.method === 'POST') {
          send(res, 200, { settled: await settle() });
        } else {
          send(res, 404, { error: 'NOT_FOUND', message: 'No such local endpoint.' });
        }
      };
      const work = path.startsWith('/_local/')
        ? local()
        : path === '/console' || path.startsWith(CONSOLE_PATH)
          ? serveConsole(req, res, path)
          : serveApiRequest(routes, req, res, now);
      work.catch((error: unknown) => {
        log('request failed', error);
        if (!res.headersSent) send(res, 500, { error: 'INTERNAL', message: 'Local runtime error.' });
      });
    };
    let stopped: Promise<void> | undefined;
    return {
      url,
      emulators,
      templates,
      functions,
      queues,
      now,
      advanceTo,
      settle,
      stop() {
        stopped ??= (async () => {
          for (const stop of stoppers) await stop().catch((error: unknown) => log('stop failed', error));
          await emulators.stop();
        })();
        return stopped;
      },
    };
  } catch (error) {
    for (const stop of stoppers) await stop().catch(() => undefined);
    await emulators.stop();
    throw error;
  }
}

export { LOCAL_TOKENS };
