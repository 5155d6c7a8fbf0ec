import type { ErrorView } from '#shared/api/schemas.ts';
import type * as z from '#shared/domain/zod.ts';

/**
 * The console's one way to the API (DESIGN §10: a client of the public API and nothing more).
 * Every answer that is not 2xx becomes an {@link ApiError} carrying the contract's error body.
 */

/** The contract's error body (DESIGN §4), by the API's own schema. */
export type ErrorBody = z.infer<typeof ErrorView>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(body.message);
  }
}

export interface ApiClient {
  get<T>(path: string): Promise<T>;
  /** The body as text (CSV reports), with the response headers (the CSV's next page is one). */
  getText(path: string, accept: string): Promise<{ text: string; headers: Headers }>;
  send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, contentType?: string): Promise<T>;
}

/** Called when the API says the token is no longer good (401): the console signs out. */
export type OnUnauthenticated = () => void;

export function apiClient(baseUrl: string, token: string, onUnauthenticated: OnUnauthenticated): ApiClient {
  async function call(
    method: string,
    path: string,
    init: { body?: string; headers?: Record<string, string> },
  ) {
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...init.headers },
        ...(init.body === undefined ? {} : { body: init.body }),
      });
    } catch {
      throw new ApiError(0, { error: 'NETWORK', message: 'The API could not be reached.' }, undefined);
    }
    if (response.ok) return response;
    const text = await response.text();
    let body: ErrorBody;
    try {
      const parsed = JSON.parse(text) as Partial<ErrorBody>;
      body = {
        ...parsed,
        error: typeof parsed.error === 'string' ? parsed.error : `HTTP_${response.status}`,
        message: typeof parsed.message === 'string' ? parsed.message : response.statusText,
      };
    } catch {
      body = { error: `HTTP_${response.status}`, message: text.slice(0, 200) || response.statusText };
    }
    if (response.status === 401) onUnauthenticated();
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new ApiError(
      response.status,
      body,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
  }
  return {
    async get<T>(path: string) {
      const response = await call('GET', path, { headers: { accept: 'application/json' } });
      return (await response.json()) as T;
    },
    async getText(path: string, accept: string) {
      const response = await call('GET', path, { headers: { accept } });
      return { text: await response.text(), headers: response.headers };
    },
    async send<T>(
      method: 'POST' | 'PUT' | 'DELETE',
      path: string,
      body?: unknown,
      contentType = 'application/json',
    ) {
      const headers: Record<string, string> = {
        accept: 'application/json',
        // One key per action: a retry of the same request by the browser is answered once.
        'idempotency-key': crypto.randomUUID(),
      };
      let payload: string | undefined;
      if (body !== undefined) {
        headers['content-type'] = contentType;
        payload = typeof body === 'string' ? body : JSON.stringify(body);
      }
      if (method === 'DELETE') delete headers['idempotency-key'];
      const response = await call(method, path, {
        headers,
        ...(payload === undefined ? {} : { body: payload }),
      });
      return (await response.json()) as T;
    },
  };
}

/** Every page of a listing (`{ items, nextCursor }`), up to `maxPages`. */
export async function allPages<T>(api: ApiClient, path: string, maxPages = 50): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const separator = path.includes('?') ? '&' : '?';
    const url: string = cursor === null ? path : `${path}${separator}cursor=${encodeURIComponent(cursor)}`;
    const result: { items: T[]; nextCursor: string | null } = await api.get(url);
    items.push(...result.items);
    cursor = result.nextCursor;
    if (cursor === null) break;
  }
  return items;
}

/** A review's address in the API (`/reviews/{id}`); the id is opaque, so it is encoded. */
export function reviewPath(review: { id: string }): string {
  return `/reviews/${encodeURIComponent(review.id)}`;
}
