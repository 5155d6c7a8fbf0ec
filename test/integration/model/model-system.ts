import { type LocalRuntime, startLocal } from '#infra/local/local-runtime.ts';
import { type Contract, ContractViolationError, openApiContract } from '../support/openapi-contract.ts';

/** The system under test as the model test sees it: local mode over HTTP, with counters. */

export interface ApiResponse {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the model reads arbitrary JSON responses
  json: any;
}

export interface MailboxEntry {
  id: string;
  to: string[];
  subject: string;
  text: string;
  kind?: string;
  reviewId?: string;
  stageEpoch?: number;
}

/** Figures of the whole test, collected across runs. */
export interface Figures {
  runs: number;
  failedRuns: number;
  steps: number;
  apiCalls: number;
  clockMoves: number;
  checks: number;
  mailsChecked: number;
  missing: number;
  extra: number;
  duplicate: number;
  /** Mail of a kind the model does not know (none today); counted, not judged. */
  unmodelled: number;
}

export const emptyFigures = (): Figures => ({
  runs: 0,
  failedRuns: 0,
  steps: 0,
  apiCalls: 0,
  clockMoves: 0,
  checks: 0,
  mailsChecked: 0,
  missing: 0,
  extra: 0,
  duplicate: 0,
  unmodelled: 0,
});

export class ModelSystem {
  readonly figures = emptyFigures();
  private clockAt = 0;
  private clockReadAt = 0;

  private constructor(
    readonly runtime: LocalRuntime,
    private readonly contract: Contract,
  ) {}

  /** Local mode with no real-time schedules: the sweep runs only when the test moves the clock. */
  static async start(): Promise<ModelSystem> {
    const runtime = await startLocal({ port: 0, realTimeSchedules: false });
    const document = await fetch(`${runtime.url}/openapi.json`, {
      headers: { authorization: 'Bearer local-secretariat' },
    });
    if (document.status !== 200) throw new Error(`GET /openapi.json answered ${document.status}`);
    return new ModelSystem(runtime, openApiContract(await document.json()));
  }

  async stop(): Promise<void> {
    await this.runtime.stop();
  }

  /** One request; every answer of the API (not `/_local/*`) must match `/openapi.json`. */
  async request(method: string, path: string, body?: unknown): Promise<ApiResponse> {
    this.figures.apiCalls++;
    const headers: Record<string, string> = { authorization: 'Bearer local-secretariat' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.runtime.url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!path.startsWith('/_local/')) {
      const observed = { method, path, status: response.status, headers: response.headers, text };
      const problems = this.contract.responseProblems(observed);
      if (problems.length > 0) throw new ContractViolationError(observed, problems);
    }
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: response.status, json };
  }

  /** Reads the local clock (and remembers it, to estimate it between reads). */
  async readClock(): Promise<number> {
    const res = await this.request('GET', '/_local/clock');
    if (res.status !== 200) throw new Error(`GET /_local/clock answered ${res.status}`);
    this.remember(Date.parse(res.json.now));
    return this.clockAt;
  }

  /**
   * The local clock now: real time plus an offset that only clock moves change, so the last
   * reading plus the real time since is exact.
   */
  clockNow(): number {
    return this.clockAt + (Date.now() - this.clockReadAt);
  }

  /** Moves the clock to `target`; answers once the sweep's consequences have settled. */
  async moveClock(target: number): Promise<number> {
    this.figures.clockMoves++;
    const res = await this.request('POST', '/_local/clock', { now: new Date(target).toISOString() });
    if (res.status !== 200) {
      throw new Error(`POST /_local/clock ${new Date(target).toISOString()} answered ${res.status}`);
    }
    this.remember(Date.parse(res.json.now));
    return this.clockAt;
  }

  /** Waits until streams and queues are drained; false if they were not within local mode's limit. */
  async settle(): Promise<boolean> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const res = await this.request('POST', '/_local/settle');
      if (res.status === 200 && res.json.settled === true) return true;
    }
    return false;
  }

  async mailbox(): Promise<MailboxEntry[]> {
    const res = await this.request('GET', '/_local/mailbox');
    if (res.status !== 200) throw new Error(`GET /_local/mailbox answered ${res.status}`);
    return res.json.messages as MailboxEntry[];
  }

  async clearMailbox(): Promise<void> {
    const res = await this.request('DELETE', '/_local/mailbox');
    if (res.status !== 200) throw new Error(`DELETE /_local/mailbox answered ${res.status}`);
  }

  private remember(now: number): void {
    this.clockAt = now;
    this.clockReadAt = Date.now();
  }
}
