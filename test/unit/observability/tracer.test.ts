import { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type middy from '@middy/core';
import type { Segment, Subsegment } from 'aws-xray-sdk-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { traced, traceInvocation, tracer } from '#shared/observability/tracer.ts';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const stackOf = (client: DynamoDBClient) => client.middlewareStack.identify().join('\n');

/** Tracing switched on as in Lambda, with a facade segment standing in for Lambda's. */
function tracingOn() {
  vi.spyOn(tracer, 'isTracingEnabled').mockReturnValue(true);
  const handlerSegment = { name: '## handler', close: vi.fn() };
  const lambdaSegment = { addNewSubsegment: vi.fn(() => handlerSegment) };
  vi.spyOn(tracer, 'getSegment').mockReturnValue(lambdaSegment as unknown as Segment);
  vi.spyOn(tracer, 'setSegment').mockImplementation(() => {});
  vi.spyOn(tracer, 'putAnnotation').mockImplementation(() => {});
  const recordedError = vi.spyOn(tracer, 'addErrorAsMetadata').mockImplementation(() => {});
  const recordedResponse = vi.spyOn(tracer, 'addResponseAsMetadata').mockImplementation(() => {});
  return {
    handlerSegment: handlerSegment as unknown as Subsegment & { close: typeof handlerSegment.close },
    recordedError,
    recordedResponse,
  };
}

function request(response?: unknown, error?: Error): middy.Request {
  return { event: {}, context: {}, response, error, internal: {} } as unknown as middy.Request;
}

describe('tracer', () => {
  it('is off outside Lambda (unit tests, local mode): every call is a no-op', () => {
    expect(tracer.isTracingEnabled()).toBe(false);
  });

  it('is off in Lambda too when POWERTOOLS_TRACE_ENABLED is false (what local mode sets)', () => {
    vi.stubEnv('AWS_EXECUTION_ENV', 'AWS_Lambda_nodejs22.x');
    expect(new Tracer({ captureHTTPsRequests: false }).isTracingEnabled()).toBe(true);
    vi.stubEnv('POWERTOOLS_TRACE_ENABLED', 'false');
    expect(new Tracer({ captureHTTPsRequests: false }).isTracingEnabled()).toBe(false);
  });
});

describe('traced', () => {
  it('leaves a client as it is while tracing is off', () => {
    const client = new DynamoDBClient({ region: 'eu-central-1' });
    const before = stackOf(client);
    expect(traced(client)).toBe(client);
    expect(stackOf(client)).toBe(before);
  });

  it('makes each call of the client a subsegment while tracing is on', () => {
    tracingOn();
    const client = new DynamoDBClient({ region: 'eu-central-1' });
    expect(traced(client)).toBe(client);
    expect(stackOf(client)).toContain('XRaySDKInstrumentation');
  });
});

describe('traceInvocation', () => {
  it('closes the handler subsegment without recording the response, which carries names and addresses', () => {
    const { handlerSegment, recordedResponse, recordedError } = tracingOn();
    const middleware = traceInvocation();
    const req = request({ statusCode: 200, body: '{"focalPoints":{}}' });

    middleware.before?.(req);
    middleware.after?.(req);

    expect(handlerSegment.close).toHaveBeenCalledTimes(1);
    expect(recordedResponse).not.toHaveBeenCalled();
    expect(recordedError).not.toHaveBeenCalled();
  });

  it('takes a refusal the HTTP chain answered (below 500) as an answer, not a fault', () => {
    const { handlerSegment, recordedError } = tracingOn();
    const middleware = traceInvocation();
    const req = request({ statusCode: 404 }, new Error('No such route.'));

    middleware.before?.(req);
    middleware.onError?.(req);

    expect(recordedError).not.toHaveBeenCalled();
    expect(handlerSegment.close).toHaveBeenCalledTimes(1);
  });

  it('records the error of a 500 and of a failed invocation', () => {
    const { handlerSegment, recordedError } = tracingOn();
    const middleware = traceInvocation();
    const answered = request({ statusCode: 500 }, new Error('bug'));
    const failed = request(undefined, new Error('table unavailable'));

    for (const req of [answered, failed]) {
      middleware.before?.(req);
      middleware.onError?.(req);
    }

    expect(recordedError.mock.calls.map(([error]) => error.message)).toEqual(['bug', 'table unavailable']);
    expect(handlerSegment.close).toHaveBeenCalledTimes(2);
  });
});
