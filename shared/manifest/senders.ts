import { SenderEnv } from '#shared/config/env.ts';
import { TIME_ZONE } from './bindings.ts';
import { type FunctionSpec, functionSpec } from './types.ts';

/** What the mailer and the escalator bind: one handler module's wiring, two functions (own queue, concurrency, alarms). */
const senderBindings: FunctionSpec<typeof SenderEnv>['bindings'] = {
  // Read the review at send time; look up undeliverable addresses in one batch.
  REVIEWS_TABLE: { kind: 'table', table: 'reviews', commands: ['GetItem', 'BatchGetItem'] },
  NOTIFICATIONS_TABLE: {
    kind: 'table',
    table: 'notifications',
    // Read and claim the notification, record deliveries; list a review's for an escalation;
    // the first claim of a stage epoch's stage notice creates its recipients item.
    commands: ['GetItem', 'Query', 'UpdateItem', 'PutItem'],
  },
  SENDER_EMAIL: { kind: 'setting', setting: 'senderEmail' },
  SENDER_NAME: { kind: 'setting', setting: 'senderName' },
  SECRETARIAT_EMAIL: { kind: 'setting', setting: 'secretariatEmail' },
  SES_CONFIGURATION_SET: { kind: 'email', commands: ['SendRawEmail'] },
  TIME_ZONE_OF_RECORD: TIME_ZONE,
};

/** Focal-point mail (stage notices, reminders, overdue notices) from its queue. */
export const mailerFunction = functionSpec({
  id: 'MailerFunction',
  entry: 'functions/mailer.handler.ts',
  description: 'Sends stage notices, reminders and overdue notices to focal points',
  env: SenderEnv,
  bindings: senderBindings,
});

/** Secretariat mail (escalations, undeliverable notices) from its queue. */
export const escalatorFunction = functionSpec({
  id: 'EscalatorFunction',
  entry: 'functions/escalator.handler.ts',
  description: 'Sends escalations to the Secretariat',
  env: SenderEnv,
  bindings: senderBindings,
});
