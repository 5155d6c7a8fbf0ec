import { FeedbackEnv } from '#shared/config/env.ts';
import { SEND_TO } from './bindings.ts';
import { functionSpec } from './types.ts';

/** SES bounces and complaints (through SNS): mark the address undeliverable, tell the Secretariat. */
export const feedbackFunction = functionSpec({
  id: 'FeedbackFunction',
  entry: 'functions/feedback.handler.ts',
  description: 'Marks bounced or complaining addresses undeliverable and escalates',
  env: FeedbackEnv,
  bindings: {
    REVIEWS_TABLE: {
      kind: 'table',
      table: 'reviews',
      // Reads the review the mail was about; writes nothing but undeliverable-address items.
      commands: ['GetItem'],
      commandsOnKeys: { commands: ['PutItem'], prefix: 'ADDRESS#' },
    },
    // Plans the Secretariat's notice (puts); it stays pending until the escalator claims it.
    NOTIFICATIONS_TABLE: { kind: 'table', table: 'notifications', commands: ['PutItem'] },
    ESCALATION_QUEUE_URL: SEND_TO('escalation'),
  },
});
