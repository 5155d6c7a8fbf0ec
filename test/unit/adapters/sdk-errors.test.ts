import {
  ConditionalCheckFailedException,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { isUnavailable, translateSdkError } from '#shared/adapters/sdk-errors.ts';
import { errorLabel } from '#shared/observability/error-label.ts';
import { DependencyUnavailableError } from '#shared/ports/dependency.ts';

const timeout = () =>
  Object.assign(new Error('request exceeded 1500 ms'), { name: 'TimeoutError', code: 'ETIMEDOUT' });

describe('isUnavailable', () => {
  it('says yes to timeouts, throttling, dropped connections and server faults', () => {
    expect(isUnavailable(timeout())).toBe(true);
    expect(
      isUnavailable(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} })),
    ).toBe(true);
    expect(isUnavailable(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(true);
    expect(
      isUnavailable(Object.assign(new Error('x'), { name: 'InternalServerError', $fault: 'server' })),
    ).toBe(true);
    expect(
      isUnavailable(Object.assign(new Error('x'), { name: 'Unknown', $metadata: { httpStatusCode: 503 } })),
    ).toBe(true);
  });

  it('says no to refusals: a failed condition, a validation error, a bug', () => {
    expect(isUnavailable(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }))).toBe(false);
    expect(
      isUnavailable(Object.assign(new Error('bad'), { name: 'ValidationException', $fault: 'client' })),
    ).toBe(false);
    expect(isUnavailable(new TypeError('undefined is not a function'))).toBe(false);
  });
});

describe('translateSdkError', () => {
  it('turns unavailability into DependencyUnavailableError with the cause, and leaves refusals alone', () => {
    const translated = translateSdkError('dynamodb', timeout());
    expect(translated).toBeInstanceOf(DependencyUnavailableError);
    expect((translated as DependencyUnavailableError).reason).toBe('TimeoutError/ETIMEDOUT');
    const refusal = new ConditionalCheckFailedException({ message: 'no', $metadata: {} });
    expect(translateSdkError('dynamodb', refusal)).toBe(refusal);
  });
});

describe('errorLabel', () => {
  it('names the error by name and code or status, never by its message', () => {
    expect(errorLabel(timeout())).toBe('TimeoutError/ETIMEDOUT');
    expect(
      errorLabel(
        Object.assign(new Error('to eleni@mfa.example.gr'), {
          name: 'Unknown',
          $metadata: { httpStatusCode: 502 },
        }),
      ),
    ).toBe('Unknown/HTTP 502');
    expect(errorLabel(new DependencyUnavailableError('ses', 'TimeoutError/ETIMEDOUT'))).toBe(
      'DependencyUnavailableError: ses TimeoutError/ETIMEDOUT',
    );
  });
});
