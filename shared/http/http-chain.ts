import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import * as z from '#shared/domain/zod.ts';
import { observeInvocation } from '#shared/observability/invocation.ts';
import { fixedClock } from '#shared/ports/clock.ts';
import type { IdempotencyStore } from '#shared/ports/idempotency-store.ts';
import type { ReviewDeps } from '#shared/use-cases/deps.ts';
import type { ApiResponse } from './api-event.ts';
import {
  type ApiContext,
  authorize,
  errorResponse,
  idempotency,
  jsonResponse,
  parseInput,
  resolveRoute,
  textResponse,
} from './http-middlewares.ts';
import type { Route } from './route.ts';

export interface HttpChainOptions {
  routes: Route[];
  /** Builds the use cases' dependencies around the request's clock. */
  depsFor(clock: ReturnType<typeof fixedClock>): ReviewDeps;
  idempotency: IdempotencyStore;
  logger: Logger;
  /**
   * The token claim that lists the caller's groups.
   * @default 'cognito:groups'
   */
  groupsClaim?: string;
}

const RequestIds = z.object({ requestContext: z.object({ requestId: z.string().check(z.minLength(1)) }) });
const ReviewParams = z.object({ id: z.string().check(z.minLength(1)) });

/**
 * API Gateway's request id as the correlation id (`correlation_id`) of every line the request
 * logs, read from the raw event so that even a request refused at once carries it. It is the
 * id API Gateway's access log and the client's `apigw-requestid` header show.
 */
function correlateRequest(logger: Logger): middy.MiddlewareObj<unknown, ApiResponse, Error, ApiContext> {
  return {
    before: function correlateRequestBefore(request) {
      const ids = RequestIds.safeParse(request.event);
      if (ids.success) logger.setCorrelationId(ids.data.requestContext.requestId);
    },
  };
}

/**
 * A request about one review (`/reviews/{id}…`) carries its `reviewId` on every later line,
 * once the path has passed its schema. One request per invocation: the key is the request's,
 * and the Lambda context middleware drops it at the end.
 */
function correlateReview(logger: Logger): middy.MiddlewareObj<unknown, ApiResponse, Error, ApiContext> {
  return {
    before: function correlateReviewBefore(request) {
      const params = ReviewParams.safeParse(request.context.api?.input.params);
      if (params.success) logger.appendKeys({ reviewId: params.data.id });
    },
  };
}

/**
 * The one middleware chain for HTTP triggers (STYLE.md item 2), in a fixed order: tracing,
 * the Lambda context and correlation id in the logs, metrics, then route, role, input,
 * idempotency, and the route's use case. The error handler is used before the request's
 * middlewares so that, as middy runs `onError` in reverse, it sees every failure of theirs.
 */
export function httpChain(options: HttpChainOptions) {
  return middy<unknown, ApiResponse, Error, ApiContext>()
    .use(observeInvocation(options.logger))
    .use(correlateRequest(options.logger))
    .use(errorResponse(options.logger))
    .use(resolveRoute(options.routes))
    .use(authorize(options.groupsClaim))
    .use(parseInput())
    .use(correlateReview(options.logger))
    .use(idempotency(options.idempotency, options.logger))
    .handler(async function dispatch(_event, context) {
      const api = context.api;
      if (!api) throw new Error('API state missing: the chain order is broken');
      const clock = fixedClock(new Date(api.event.requestContext.timeEpoch).toISOString());
      const deps = options.depsFor(clock);
      const held = api.idempotency;
      const present = api.route.present;
      let carried = false;
      if (held && present) {
        // The change's transaction completes the key with the very answer given below.
        deps.completion = (review) => {
          carried = true;
          held.writeAttempted = true;
          const answer = present(deps, review);
          return {
            claim: held.claim,
            response: jsonResponse(answer.statusCode, answer.body, answer.headers),
            nowEpochSeconds: Math.floor(api.event.requestContext.timeEpoch / 1000),
          };
        };
      }
      const result = await api.route.run(deps, { ...api.input, caller: api.caller });
      if (held && carried) held.completedByWrite = true;
      options.logger.info('request served', { routeKey: api.route.routeKey, statusCode: result.statusCode });
      // An answer that depends on Accept says so, whichever type it took, for caches in between.
      const headers = api.route.response.alternatives
        ? { vary: 'Accept', ...result.headers }
        : result.headers;
      if (result.mediaType === undefined) return jsonResponse(result.statusCode, result.body, headers);
      const alternative = api.route.response.alternatives?.[result.mediaType];
      if (!alternative || typeof result.body !== 'string') {
        throw new Error(`${api.route.routeKey} answered in ${result.mediaType}, which it does not declare`);
      }
      return textResponse(result.statusCode, alternative.contentType, result.body, headers);
    });
}
