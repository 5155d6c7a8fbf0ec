import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * Two ways of counting AWS calls without touching production code:
 * - {@link DynamoDbCallCounter}, a middleware on a DynamoDB client the bench builds and hands
 *   to the real adapters (calls, retried attempts, items read, consumed capacity);
 * - {@link HttpCallCounter}, Node's `http.client.request.start` diagnostics channel, which sees
 *   every request the SDK (on `node:http`) sends from this process, including the handlers'
 *   own clients in local mode, which the bench cannot reach.
 */

interface ConsumedCapacity {
  CapacityUnits?: number;
}
interface ReadOutput {
  ScannedCount?: number;
  ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[];
}

/** Counts the DynamoDB calls made through one client, by command. */
export class DynamoDbCallCounter {
  /** Command names in call order (`GetItemCommand`, `TransactWriteItemsCommand` …). */
  calls: string[] = [];
  /** HTTP attempts, retries included. */
  attempts = 0;
  /** Sum of `ScannedCount` (Query, Scan): items DynamoDB read, before any filter. */
  itemsRead = 0;
  /** Sum of consumed capacity units, when the emulator reports them. */
  capacityUnits = 0;

  /** Adds the counting middleware to `client` (shared by a document client made `from` it). */
  attach(client: DynamoDBClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        this.calls.push(String(context.commandName));
        // Asking for consumed capacity changes nothing the adapters see but tells what was read.
        const input = args.input as { ReturnConsumedCapacity?: string };
        input.ReturnConsumedCapacity ??= 'TOTAL';
        const result = await next(args);
        const output = result.output as ReadOutput;
        this.itemsRead += output.ScannedCount ?? 0;
        const capacity = output.ConsumedCapacity;
        for (const c of Array.isArray(capacity) ? capacity : capacity ? [capacity] : []) {
          this.capacityUnits += c.CapacityUnits ?? 0;
        }
        return result;
      },
      { step: 'initialize', name: 'benchDynamoDbCallCounter' },
    );
    // After the retry middleware: one count per attempt on the wire.
    client.middlewareStack.add(
      (next) => async (args) => {
        this.attempts++;
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'benchDynamoDbAttemptCounter' },
    );
  }

  reset(): void {
    this.calls = [];
    this.attempts = 0;
    this.itemsRead = 0;
    this.capacityUnits = 0;
  }

  /** `GetItem ×1, TransactWriteItems ×1`: the calls, grouped, in first-call order. */
  summary(): string {
    return groupCounts(this.calls.map((c) => c.replace(/Command$/, '')));
  }
}

/** Operations the local runtime's event source mappings call: Lambda's work on AWS, not the app's. */
const POLLER_OPERATIONS = new Set([
  'AmazonSQS.ReceiveMessage',
  'AmazonSQS.DeleteMessage',
  'AmazonSQS.DeleteMessageBatch',
  'AmazonSQS.GetQueueAttributes',
  'AmazonSQS.ChangeMessageVisibility',
  'AmazonSQS.ChangeMessageVisibilityBatch',
]);

export interface HttpCallSnapshot {
  /** `<service> <operation>` → requests started. */
  started: Map<string, number>;
  /** `<service> <operation>` → responses received. */
  finished: Map<string, number>;
}

/**
 * Counts SDK requests to known endpoints by service and operation (`x-amz-target`; SES speaks
 * the query protocol, whose action is in the body, so its requests count as `ses request`).
 */
export class HttpCallCounter {
  private started = new Map<string, number>();
  private finished = new Map<string, number>();
  /** `<service> <operation>` → when its latest response arrived (`performance.now()`). */
  private readonly lastFinishedAt = new Map<string, number>();
  private readonly onStart = (message: unknown) => this.count(this.started, message);
  private readonly onFinish = (message: unknown) => {
    const key = this.count(this.finished, message);
    if (key) this.lastFinishedAt.set(key, performance.now());
  };

  /** @param services `host:port` → service label */
  constructor(private readonly services: Map<string, string>) {}

  start(): void {
    subscribe('http.client.request.start', this.onStart);
    subscribe('http.client.response.finish', this.onFinish);
  }

  stop(): void {
    unsubscribe('http.client.request.start', this.onStart);
    unsubscribe('http.client.response.finish', this.onFinish);
  }

  snapshot(): HttpCallSnapshot {
    return { started: new Map(this.started), finished: new Map(this.finished) };
  }

  /** Responses received for `key` since `since`. */
  finishedSince(since: HttpCallSnapshot, key: string): number {
    return (this.finished.get(key) ?? 0) - (since.finished.get(key) ?? 0);
  }

  /** Requests started since `since`, by key, split into the app's calls and the pollers'. */
  startedSince(since: HttpCallSnapshot): { app: Map<string, number>; pollers: Map<string, number> } {
    const app = new Map<string, number>();
    const pollers = new Map<string, number>();
    for (const [key, total] of this.started) {
      const delta = total - (since.started.get(key) ?? 0);
      if (delta === 0) continue;
      const operation = key.split(' ')[1] ?? '';
      const isPoller = POLLER_OPERATIONS.has(operation) || operation.startsWith('DynamoDBStreams_');
      (isPoller ? pollers : app).set(key, delta);
    }
    return { app, pollers };
  }

  /** When the latest response for `key` arrived (`performance.now()`), if any did. */
  lastFinished(key: string): number | undefined {
    return this.lastFinishedAt.get(key);
  }

  private count(into: Map<string, number>, message: unknown): string | undefined {
    const request = (message as { request?: ClientRequest }).request;
    if (!request) return undefined;
    const service = this.services.get(String(request.getHeader('host') ?? ''));
    if (!service) return undefined;
    const target = request.getHeader('x-amz-target');
    const key = `${service} ${typeof target === 'string' ? target : 'request'}`;
    into.set(key, (into.get(key) ?? 0) + 1);
    return key;
  }
}

/** `a ×2, b ×1` in first-seen order. */
export function groupCounts(names: string[]): string {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].map(([name, n]) => `${name} ×${n}`).join(', ');
}

export function total(counts: Map<string, number>): number {
  let n = 0;
  for (const value of counts.values()) n += value;
  return n;
}
