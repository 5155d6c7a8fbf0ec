import type { LocalRuntime } from '#infra/local/local-runtime.ts';
import { addDays, localDate } from '#shared/domain/calendar.ts';

/** The local HTTP API as a Secretariat officer uses it (README's curl examples). */
export interface LocalApi {
  request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; json: T }>;
}

export function localApi(runtime: LocalRuntime): LocalApi {
  return {
    async request(method, path, body, headers = {}) {
      const response = await fetch(`${runtime.url}${path}`, {
        method,
        headers: {
          authorization: 'Bearer local-secretariat',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, json: (text ? JSON.parse(text) : null) as never };
    },
  };
}

export const TIME_ZONE = 'Europe/Vienna';
export const STATES = ['GRC', 'AUT', 'BRA'] as const;

/** The local clock's date in the time zone of record, `offset` days on. */
export function localDay(runtime: LocalRuntime, offset = 0): string {
  return addDays(localDate(runtime.now().toISOString(), TIME_ZONE), offset);
}

/** Addresses of one review's three focal points and its Secretariat officer, unique per `tag`. */
export function addressesFor(tag: string): Record<(typeof STATES)[number] | 'secretariat', string> {
  return {
    GRC: `grc-${tag}@bench.example`,
    AUT: `aut-${tag}@bench.example`,
    BRA: `bra-${tag}@bench.example`,
    secretariat: `officer-${tag}@bench.example`,
  };
}

/** Creates a review with a focal point for every participant; resolves to its id. */
export async function createReview(api: LocalApi, runtime: LocalRuntime, tag: string): Promise<string> {
  const addresses = addressesFor(tag);
  const res = await api.request<{ id: string }>('POST', '/reviews', {
    stateUnderReview: 'GRC',
    cluster: 2,
    instruments: ['UNTOC'],
    reviewingStates: [
      { state: 'AUT', instruments: ['UNTOC'] },
      { state: 'BRA', instruments: ['UNTOC'] },
    ],
    language: 'en',
    launchedAt: localDay(runtime),
    secretariatEmail: addresses.secretariat,
    // Its own reference: the made one (GRC-C2-<year>) runs out of suffixes after 50 reviews.
    reference: `BENCH-${tag}`.replace(/[^A-Za-z0-9._/-]/g, '-').slice(0, 40),
    focalPoints: Object.fromEntries(
      STATES.map((state) => [
        state,
        { name: `Focal point ${state}`, email: addresses[state], language: 'en' },
      ]),
    ),
  });
  if (res.status !== 201)
    throw new Error(`creating a review answered ${res.status}: ${JSON.stringify(res.json)}`);
  return res.json.id;
}
