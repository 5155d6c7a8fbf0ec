import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one Powertools logger. Service name and level come from POWERTOOLS_* variables that
 * the house function construct sets. Never log an e-mail address or a name at INFO.
 */
export const logger = new Logger({ serviceName: 'untoc-review-tracker' });

/** Masks e-mail addresses in free text (error messages from SES can quote them) before logging. */
export function redactAddresses(text: string): string {
  return text.replace(/[^\s<>"'(),;:]+@([^\s<>"'(),;:]+)/g, '***@$1');
}

/**
 * A copy of an error that is safe to log or to leave the function with: its name and code,
 * its message and stack with addresses masked. Nothing else: an SDK error's other fields (a
 * failed condition's item, the request's metadata) and its cause may quote stored data.
 */
export function redactedError(error: unknown): Error {
  const source = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    stack?: unknown;
  };
  const copy = new Error(redactAddresses(typeof source.message === 'string' ? source.message : ''));
  copy.name = typeof source.name === 'string' && source.name !== '' ? source.name : 'Error';
  copy.stack = typeof source.stack === 'string' ? redactAddresses(source.stack) : undefined;
  if (typeof source.code === 'string') Object.assign(copy, { code: source.code });
  return copy;
}
