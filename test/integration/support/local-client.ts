import { readFileSync } from 'node:fs';
import { type LocalRuntime, startLocal } from '#infra/local/local-runtime.ts';
import { type Contract, ContractViolationError, openApiContract } from './openapi-contract.ts';

/** A client of local mode over HTTP, as the README's curl examples use it. */
export interface ApiClient {
  runtime: LocalRuntime;
  /**
   * Sends one request. Every answer of the API (all but `/_local/*`) is checked against
   * `/openapi.json` first: one that does not match throws a {@link ContractViolationError},
   * so the test that received it fails.
   */
  request(
    method: string,
    path: string,
    options?: { token?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> },
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON responses
  ): Promise<{ status: number; headers: Headers; json: any }>;
}

/** Starts local mode on a free port (emulators included). */
export async function startLocalClient(): Promise<ApiClient> {
  const runtime = await startLocal({ port: 0 });
  let contract: Promise<Contract> | undefined;
  /** The document, fetched once per client, on first use. */
  const contractOnce = () => {
    contract ??= fetch(`${runtime.url}/openapi.json`, {
      headers: { authorization: 'Bearer local-secretariat' },
    }).then(async (response) => {
      if (response.status !== 200) throw new Error(`GET /openapi.json answered ${response.status}`);
      return openApiContract(await response.json());
    });
    return contract;
  };
  return {
    runtime,
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      const token = options.token === undefined ? 'local-secretariat' : options.token;
      if (token) headers.authorization = `Bearer ${token}`;
      let body: string | undefined = options.rawBody;
      if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
      const response = await fetch(`${runtime.url}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
      });
      const text = await response.text();
      if (!path.startsWith('/_local/')) {
        const observed = { method, path, status: response.status, headers: response.headers, text };
        const problems = (await contractOnce()).responseProblems(observed);
        if (problems.length > 0) throw new ContractViolationError(observed, problems);
      }
      let json: unknown = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = text;
      }
      return { status: response.status, headers: response.headers, json };
    },
  };
}

/** Imports `infra/local/sample-caseload.csv` (34 reviews, most of them late) through the API. */
export async function importSampleCaseload(api: ApiClient): Promise<void> {
  const csv = readFileSync(new URL('../../../infra/local/sample-caseload.csv', import.meta.url), 'utf8');
  const imported = await api.request('POST', '/reviews/import', {
    rawBody: csv,
    headers: { 'content-type': 'text/csv' },
  });
  if (imported.status !== 200) throw new Error(`importing the sample caseload answered ${imported.status}`);
}
