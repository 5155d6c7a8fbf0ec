import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type middy from '@middy/core';

/**
 * The one Powertools tracer (X-Ray; the house function turns active tracing on). Powertools
 * switches it off outside Lambda (no `AWS_EXECUTION_ENV`: unit tests, local mode) and when
 * `POWERTOOLS_TRACE_ENABLED=false`; every call below is then a no-op.
 *
 * `http`/`https` and `fetch` are not patched: every outbound call of the functions is an AWS
 * SDK call, which {@link traced} records as one subsegment with the service, operation and
 * retries; patching would add a second, anonymous subsegment per call.
 */
export const tracer = new Tracer({ serviceName: 'untoc-review-tracker', captureHTTPsRequests: false });

/**
 * Records each call of an AWS SDK v3 client as an X-Ray subsegment. Call it on the base
 * client (a DynamoDB document client shares its client's middleware stack), once, where the
 * client is created.
 */
export function traced<C>(client: C): C {
  tracer.captureAWSv3Client(client);
  return client;
}

/**
 * The invocation's `## handler` subsegment, with the cold start and service annotations.
 * Responses are not recorded (they carry names and addresses, and can exceed a segment). An
 * error the HTTP chain answered below 500 (a refused request) closes the subsegment as a
 * success: it is an answer, not a fault of the function. Use it first in a chain, so that its
 * `onError` runs last and sees the response the error handler set.
 */
export function traceInvocation(): middy.MiddlewareObj {
  const capture = captureLambdaHandler(tracer, { captureResponse: false });
  return {
    before: function traceInvocationBefore(request) {
      capture.before?.(request);
    },
    after: function traceInvocationAfter(request) {
      capture.after?.(request);
    },
    onError: function traceInvocationOnError(request) {
      const status = (request.response as { statusCode?: unknown } | null | undefined)?.statusCode;
      if (typeof status === 'number' && status < 500) capture.after?.(request);
      else capture.onError?.(request);
    },
  };
}
