import { DependencyUnavailableError } from '#shared/ports/dependency.ts';

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/**
 * `Name/CODE` of an error (`TimeoutError/ETIMEDOUT`, `Unknown/HTTP 502`), for logs and
 * reasons: never its message, which may quote an address. A translated error names its cause.
 */
export function errorLabel(error: unknown): string {
  if (error instanceof DependencyUnavailableError)
    return `${error.name}: ${error.dependency} ${error.reason}`;
  if (typeof error !== 'object' || error === null) return typeof error;
  const { name, code, $metadata } = error as ErrorShape;
  const label = typeof name === 'string' && name !== '' ? name : 'Error';
  if (typeof code === 'string' && code !== '' && code !== label) return `${label}/${code}`;
  const status = $metadata?.httpStatusCode;
  return typeof status === 'number' ? `${label}/HTTP ${status}` : label;
}
