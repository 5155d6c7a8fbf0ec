import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import { publishMetrics } from '#shared/observability/metrics.ts';
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

/**
 * The one middleware chain for HTTP triggers (STYLE.md item 2), in a fixed order: route,
 * role, input, idempotency, then the route's use case. The error handler is used first so
 * that, as middy runs `onError` in reverse, it runs last and sees every failure.
 */
export function httpChain(options: HttpChainOptions) {
  return middy<unknown, ApiResponse, Error, ApiContext>()
    .use(publishMetrics())
    .use(errorResponse(options.logger))
    .use(resolveRoute(options.routes))
    .use(authorize(options.groupsClaim))
    .use(parseInput())
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
      return jsonResponse(result.statusCode, result.body, result.headers);
    });
}
