import { errorLabel } from '#shared/observability/error-label.ts';
import { DependencyUnavailableError } from '#shared/ports/dependency.ts';

/**
 * How the adapters tell "the dependency did not answer" from "the request was refused".
 * SDK clients retry the first kind themselves (standard retry mode); what still fails after
 * that leaves the adapter as {@link DependencyUnavailableError}, which the HTTP chain answers
 * with 503 and the batch chains leave to their queue or stream to retry.
 */

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'LimitExceededException',
  'SlowDown',
]);
const TIMEOUTS = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'AbortError']);
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** True when the error says the dependency was slow, throttling, unreachable or failing on its side. */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof DependencyUnavailableError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const { name, code, $fault, $metadata } = error as SdkErrorShape;
  if (typeof name === 'string' && (THROTTLING.has(name) || TIMEOUTS.has(name))) return true;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  if ($fault === 'server') return true;
  const status = $metadata?.httpStatusCode;
  return typeof status === 'number' && (status >= 500 || status === 429);
}

/** The error as the adapters' callers see it: unavailability as {@link DependencyUnavailableError}. */
export function translateSdkError(dependency: string, error: unknown): unknown {
  if (error instanceof DependencyUnavailableError || !isUnavailable(error)) return error;
  return new DependencyUnavailableError(dependency, errorLabel(error), { cause: error });
}

/** The part of an SDK v3 client this module needs (its middleware stack). */
interface HasMiddlewareStack {
  middlewareStack: {
    add(
      middleware: (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>,
      options: { step: 'initialize'; name: string; priority?: 'high' | 'low' },
    ): void;
  };
}

/**
 * Adds the translation to a client: outermost, so it sees what is left after the SDK's own
 * retries. Errors that say "refused" (a failed condition, a validation error) pass unchanged.
 */
export function withUnavailability<C>(client: C, dependency: string): C {
  (client as unknown as HasMiddlewareStack).middlewareStack.add(
    (next) =>
      async function translateUnavailability(args) {
        try {
          return await next(args);
        } catch (error) {
          throw translateSdkError(dependency, error);
        }
      },
    { step: 'initialize', name: 'untocUnavailability', priority: 'high' },
  );
  return client;
}
