import { type SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { buildRawMessage, mailboxAddress } from '#shared/email/mime.ts';
import { errorLabel } from '#shared/observability/error-label.ts';
import { countEvent } from '#shared/observability/metrics.ts';
import type { Clock } from '#shared/ports/clock.ts';
import {
  type Mailer,
  MailOutcomeUnknownError,
  MailThrottledError,
  type OutgoingMail,
} from '#shared/ports/mail.ts';

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'LimitExceededException',
]);

/**
 * Errors after which the request may have reached SES: the answer timed out or the connection
 * broke mid-answer. A refused connection never reached it.
 */
const OUTCOME_UNKNOWN_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const OUTCOME_UNKNOWN_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

/** SES tag values allow letters, digits, `_`, `-` and `.` only. */
function tagValue(value: string): string {
  return value.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 256);
}

/**
 * SES v1 `SendRawEmail`, so mail can carry the `.ics` file. Throttling becomes
 * MailThrottledError for the queue to retry; the configuration set routes bounces and
 * complaints to the feedback function.
 */
export class SesMailer implements Mailer {
  constructor(
    private readonly ses: SESClient,
    private readonly clock: Clock,
    private readonly configurationSet?: string,
  ) {}

  async send(mail: OutgoingMail): Promise<string> {
    // From/To display names, Reply-To and our Message-ID travel in the raw message itself; SES
    // replaces that Message-ID with its own (see mime.ts), whose value is the one returned here.
    const data = buildRawMessage({ ...mail, messageDate: this.clock.now() });
    try {
      const result = await this.ses.send(
        new SendRawEmailCommand({
          RawMessage: { Data: data },
          Destinations: [mailboxAddress(mail.to)],
          ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
          Tags: Object.entries(mail.tags ?? {}).map(([Name, Value]) => ({ Name, Value: tagValue(Value) })),
        }),
      );
      if (!result.MessageId) throw new Error('SES returned no message id');
      return result.MessageId;
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      const code = (error as { code?: string }).code ?? '';
      const message = (error as { message?: string }).message ?? '';
      if (THROTTLING.has(name) || /maximum sending rate/i.test(message))
        throw new MailThrottledError(message);
      if (OUTCOME_UNKNOWN_NAMES.has(name) || OUTCOME_UNKNOWN_CODES.has(code)) {
        countEvent('MailSendOutcomeUnknown');
        throw new MailOutcomeUnknownError(errorLabel(error), { cause: error });
      }
      throw error;
    }
  }
}
