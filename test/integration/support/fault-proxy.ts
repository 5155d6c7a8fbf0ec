import { randomUUID } from 'node:crypto';
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fault-injecting HTTP proxy in front of one emulator (DESIGN §6 "Reliability"): it forwards every
 * request and, when a rule matches, stalls it, hangs it, answers with the service's own throttling or
 * 5xx error, or forwards it and then drops the client's connection instead of answering (the write
 * landed, the reply was lost). Rules match the operation: the `x-amz-target` header for DynamoDB and
 * SQS (`DynamoDB_20120810.TransactWriteItems`, `AmazonSQS.SendMessageBatch`), the `Action` form field
 * for SES (`SendRawEmail`).
 */

export type Service = 'dynamodb' | 'sqs' | 'ses';

export type Fault =
  /** Hold the request this long, then forward it (even if the client has given up meanwhile). */
  | { kind: 'stall'; ms: number }
  /** Never answer; the request is dropped when the client gives up. */
  | { kind: 'hang' }
  /** The service's throttling error; `code` defaults to the service's usual one. */
  | { kind: 'throttle'; code?: string }
  | { kind: '5xx'; status?: 500 | 503 }
  /** Forward, wait for the upstream answer, then destroy the client's socket without answering. */
  | { kind: 'reply-lost' };

export type FaultKind = Fault['kind'];
export const FAULT_KINDS: readonly FaultKind[] = ['stall', 'hang', 'throttle', '5xx', 'reply-lost'];

export interface FaultRule {
  operation: string;
  fault: Fault;
  /** Only requests whose body passes this. */
  when?: (body: string) => boolean;
  /** How many requests it hits; until removed when absent. */
  times?: number;
}

export interface InjectedRule {
  /** Requests this rule has hit so far. */
  readonly hits: number;
  remove(): void;
}

export interface FaultProxy {
  url: string;
  inject(rule: FaultRule): InjectedRule;
  /**
   * Runs `action` when a matching request arrives and forwards the request only once it is done, so a
   * test can act at a precise point of a handler's work (stop an emulator just before a claim, say).
   * Resolves once `action` has run; not counted as a fault.
   */
  before(
    operation: string,
    when: (body: string) => boolean,
    action: () => void | Promise<void>,
  ): Promise<void>;
  /** Removes every rule. */
  clear(): void;
  /** Requests seen for one operation, or for all when none is named. */
  calls(operation?: string): number;
  /** Faults injected so far, by kind. */
  readonly injected: Record<FaultKind, number>;
  close(): Promise<void>;
}

interface ActiveRule extends FaultRule {
  hits: number;
}

const DEFAULT_THROTTLE: Record<Service, string> = {
  dynamodb: 'ProvisionedThroughputExceededException',
  sqs: 'ThrottlingException',
  ses: 'Throttling',
};
const JSON_NAMESPACE: Record<Exclude<Service, 'ses'>, string> = {
  dynamodb: 'com.amazonaws.dynamodb.v20120810',
  sqs: 'com.amazonaws.sqs',
};
const SERVER_ERROR = { 500: 'InternalServerError', 503: 'ServiceUnavailable' } as const;

function operationOf(req: IncomingMessage, body: string): string {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return target;
  return new URLSearchParams(body).get('Action') ?? `${req.method} ${req.url}`;
}

/** An error answered the way the service answers it: JSON with `__type`, or SES's query-protocol XML. */
function answerError(service: Service, res: ServerResponse, status: number, code: string, message: string) {
  const requestId = randomUUID();
  if (service === 'ses') {
    const type = status >= 500 ? 'Receiver' : 'Sender';
    res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
    res.end(
      `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    );
    return;
  }
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'x-amzn-requestid': requestId,
    // SQS's JSON protocol also names the query-protocol code, which the SDK prefers.
    ...(service === 'sqs'
      ? { 'x-amzn-query-error': `${code};${status >= 500 ? 'Receiver' : 'Sender'}` }
      : {}),
  });
  res.end(JSON.stringify({ __type: `${JSON_NAMESPACE[service]}#${code}`, message }));
}

/** Starts a proxy on a free loopback port in front of `upstream` (an `http://127.0.0.1:port` URL). */
export async function startFaultProxy(service: Service, upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  const agent = new Agent({ keepAlive: true });
  const rules: ActiveRule[] = [];
  const callCounts = new Map<string, number>();
  const injected = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  const held = new Set<IncomingMessage>();
  const hooks: { operation: string; when: (body: string) => boolean; run: () => Promise<void> }[] = [];

  /** Sends the request upstream; resolves with the whole answer, or undefined if upstream failed. */
  const forward = (req: IncomingMessage, body: Buffer) =>
    new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer } | undefined>(
      (resolve) => {
        const upstreamReq = request(
          {
            host: target.hostname,
            port: target.port,
            method: req.method,
            path: req.url,
            headers: { ...req.headers, host: target.host },
            agent,
          },
          (upstreamRes) => {
            const chunks: Buffer[] = [];
            upstreamRes.on('data', (chunk: Buffer) => chunks.push(chunk));
            upstreamRes.on('end', () =>
              resolve({
                status: upstreamRes.statusCode ?? 502,
                headers: upstreamRes.headers,
                body: Buffer.concat(chunks),
              }),
            );
            upstreamRes.on('error', () => resolve(undefined));
          },
        );
        upstreamReq.on('error', () => resolve(undefined));
        upstreamReq.end(body);
      },
    );

  const relay = async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const answer = await forward(req, body);
    if (!answer) {
      req.socket.destroy();
      return;
    }
    if (res.destroyed) return;
    const { 'transfer-encoding': _, connection: __, ...headers } = answer.headers;
    res.writeHead(answer.status, { ...headers, 'content-length': answer.body.length });
    res.end(answer.body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const text = body.toString('utf8');
    const operation = operationOf(req, text);
    callCounts.set(operation, (callCounts.get(operation) ?? 0) + 1);
    const hook = hooks.find((h) => h.operation === operation && h.when(text));
    if (hook) {
      hooks.splice(hooks.indexOf(hook), 1);
      await hook.run();
    }

    const rule = rules.find(
      (r) =>
        r.operation === operation && (r.times === undefined || r.hits < r.times) && (r.when?.(text) ?? true),
    );
    if (!rule) return relay(req, res, body);
    rule.hits++;
    const { fault } = rule;
    injected[fault.kind]++;
    switch (fault.kind) {
      case 'stall':
        await new Promise((resolve) => setTimeout(resolve, fault.ms));
        return relay(req, res, body);
      case 'hang':
        held.add(req);
        res.on('close', () => held.delete(req));
        return;
      case 'throttle': {
        const code = fault.code ?? DEFAULT_THROTTLE[service];
        return answerError(service, res, 400, code, 'Rate of requests exceeds the allowed throughput.');
      }
      case '5xx': {
        const status = fault.status ?? 500;
        return answerError(service, res, status, SERVER_ERROR[status], 'The server encountered an error.');
      }
      case 'reply-lost':
        await forward(req, body);
        req.socket.destroy();
        return;
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    inject(rule) {
      const active: ActiveRule = { ...rule, hits: 0 };
      rules.push(active);
      return {
        get hits() {
          return active.hits;
        },
        remove() {
          const at = rules.indexOf(active);
          if (at >= 0) rules.splice(at, 1);
        },
      };
    },
    before(operation, when, action) {
      return new Promise<void>((resolve, reject) => {
        hooks.push({
          operation,
          when,
          run: async () => {
            try {
              await action();
              resolve();
            } catch (error) {
              reject(error);
            }
          },
        });
      });
    },
    clear() {
      rules.length = 0;
      hooks.length = 0;
    },
    calls(operation) {
      if (operation !== undefined) return callCounts.get(operation) ?? 0;
      return [...callCounts.values()].reduce((a, b) => a + b, 0);
    },
    injected,
    async close() {
      for (const req of held) req.socket.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      agent.destroy();
    },
  };
}
