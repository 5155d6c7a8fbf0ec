import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type middy from '@middy/core';
import { publishMetrics } from './metrics.ts';
import { traceInvocation } from './tracer.ts';

/**
 * What every trigger chain starts with, in this order: the invocation's trace subsegment, the
 * Lambda context on every log line (`function_request_id`, `cold_start`, `function_name`),
 * and the metrics flush. Their `onError`s run in reverse, after the chain's own: the flush
 * sees what the error handler counted, the logger keeps the keys appended during the
 * invocation until its last line and then drops them (`resetKeys`), and the trace closes last.
 * The event is never logged: it carries names and addresses.
 */
export function observeInvocation(logger: Logger): middy.MiddlewareObj[] {
  return [
    traceInvocation(),
    injectLambdaContext(logger, { resetKeys: true, logEvent: false }) as middy.MiddlewareObj,
    publishMetrics(),
  ];
}
