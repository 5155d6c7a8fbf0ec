import { type LocalRuntime, startLocal } from '#infra/local/local-runtime.ts';

/** A client of local mode over HTTP, as the README's curl examples use it. */
export interface ApiClient {
  runtime: LocalRuntime;
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
