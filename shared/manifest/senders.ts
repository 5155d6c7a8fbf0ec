import { MailerEnv, SenderEnv } from '#shared/config/env.ts';
import { TIME_ZONE } from './bindings.ts';
import { type FunctionSpec, functionSpec } from './types.ts';

/** What the mailer and the escalator bind: one handler module's wiring, two functions (own queue, concurrency, alarms). */
const senderBindings: FunctionSpec<typeof SenderEnv>['bindings'] = {
  REVIEWS_TABLE: {
    kind: 'table',
    table: 'reviews',
    // Read the review at send time (in one batch with the notification); in the write before a
    // send, check that the address has no undeliverable item, and nothing else of the table.
    commands: ['BatchGetItem'],
    commandsOnKeys: { commands: ['ConditionCheckItem'], prefix: 'ADDRESS#' },
  },
  NOTIFICATIONS_TABLE: {
    kind: 'table',
    table: 'notifications',
    // Read the notification (in one batch with its review); claim it and record deliveries, with
    // the person's stage notice claim on the epoch's recipients item (updates, one transaction);
    // a sent escalation's finish also counts it in its stage epoch's tally; read a slice of the
    // stage's notifications for an escalation.
    commands: ['BatchGetItem', 'Query', 'UpdateItem'],
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
  env: MailerEnv,
  bindings: {
    ...senderBindings,
    // Each focal point's personal link is signed with the deployment's secret (DESIGN §10) …
    SIGNING_SECRET_ARN: { kind: 'secret', secret: 'signing', commands: ['GetSecretValue'] },
    // … under the API's own public address.
    RESPOND_BASE_URL: { kind: 'setting', setting: 'publicApiUrl' },
  },
});

/** Secretariat mail (escalations, undeliverable notices) from its queue. */
export const escalatorFunction = functionSpec({
  id: 'EscalatorFunction',
  entry: 'functions/escalator.handler.ts',
  description: 'Sends escalations to the Secretariat',
  env: SenderEnv,
  bindings: senderBindings,
});
