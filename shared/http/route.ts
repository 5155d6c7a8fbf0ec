import type { Review } from '#shared/domain/review.ts';
import type * as z from '#shared/domain/zod.ts';
import type { Caller, ReviewDeps } from '#shared/use-cases/deps.ts';

/** Who may call a route: anyone, any Secretariat role, or only the `secretariat` role. */
export type Access = 'public' | 'read' | 'write';

/** What a route's use case returns; the chain serialises it. */
export interface RouteResult {
  statusCode: number;
  /** Sent as JSON; as is (a string) when `mediaType` is set. */
  body: unknown;
  headers?: Record<string, string>;
  /** One of the route's `response.alternatives`, when `body` is already text in it (a CSV report). */
  mediaType?: string;
}

/** Another media type a route's success answer comes in, chosen by the request's `Accept`. */
export interface AlternativeResponse {
  /** What the body holds in this type, for the OpenAPI document. */
  description: string;
  /** The `content-type` sent with it, parameters included (`text/csv; charset=utf-8`). */
  contentType: string;
}

/** A body that may come in another media type than JSON, or be larger than the house limit. */
export interface RequestOptions {
  /** The largest body accepted (413 above it). @default 64 KB */
  maxBytes?: number;
  /**
   * Media types besides JSON, each with a reader that turns the text into the JSON body's shape
   * (the body schema then checks it) or throws an `HttpError` (400) for text it cannot read.
   */
  alternatives?: Record<string, { description: string; read(text: string): unknown }>;
}

/** The parsed input a route receives. */
export interface RouteInput {
  body: unknown;
  query: unknown;
  params: unknown;
  caller: Caller;
  /**
   * The media type the success answer should take: `application/json`, or one of the route's
   * `response.alternatives` the request's `Accept` prefers.
   */
  accept: string;
}

/** One HTTP API route: its key, who may call it, its schemas and the use case it calls. */
export interface Route {
  /** `METHOD /path/{param}`, exactly as API Gateway's routeKey. */
  routeKey: string;
  access: Access;
  summary: string;
  body?: z.ZodMiniType;
  /** How the body may come besides JSON within 64 KB. */
  request?: RequestOptions;
  query?: z.ZodMiniType;
  params?: z.ZodMiniType;
  /**
   * Success status and schema, for the OpenAPI document; `alternatives` are the media types
   * other than JSON it also answers in, by media type (`text/csv`).
   */
  response: {
    status: number;
    schema?: z.ZodMiniType;
    alternatives?: Record<string, AlternativeResponse>;
    /**
     * A route that answers a page (the focal-point page): its success and these other statuses
     * come in the `alternatives` media type only, each a page saying what went wrong.
     */
    pages?: Record<number, string>;
  };
  run(deps: ReviewDeps, input: RouteInput): Promise<RouteResult>;
  /**
   * For a route whose change is one review write: its answer for the review the change
   * produces. The chain then completes the request's `Idempotency-Key` in the change's own
   * transaction with exactly this answer (DESIGN §4).
   */
  present?(deps: ReviewDeps, review: Review): RouteResult;
}

/** Defines a route with typed input (the chain has parsed it with the given schemas). */
export function route<B extends z.ZodMiniType, Q extends z.ZodMiniType, P extends z.ZodMiniType>(definition: {
  routeKey: string;
  access: Access;
  summary: string;
  body?: B;
  request?: RequestOptions;
  query?: Q;
  params?: P;
  response: Route['response'];
  run(
    deps: ReviewDeps,
    input: { body: z.infer<B>; query: z.infer<Q>; params: z.infer<P>; caller: Caller; accept: string },
  ): Promise<RouteResult>;
}): Route {
  return definition as unknown as Route;
}

/**
 * Defines a route that changes one review: `act` calls the use case, `present` maps the
 * review it returns to the answer (also what an idempotent replay answers).
 */
export function changeRoute<
  B extends z.ZodMiniType,
  Q extends z.ZodMiniType,
  P extends z.ZodMiniType,
>(definition: {
  routeKey: string;
  summary: string;
  body?: B;
  query?: Q;
  params?: P;
  response: { status: number; schema?: z.ZodMiniType };
  act(
    deps: ReviewDeps,
    input: { body: z.infer<B>; query: z.infer<Q>; params: z.infer<P>; caller: Caller },
  ): Promise<Review>;
  present(deps: ReviewDeps, review: Review): RouteResult;
}): Route {
  const { act, present, ...rest } = definition;
  return {
    ...rest,
    access: 'write',
    present,
    run: async (deps, input) =>
      present(
        deps,
        await act(deps, input as { body: z.infer<B>; query: z.infer<Q>; params: z.infer<P>; caller: Caller }),
      ),
  } as Route;
}
