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
