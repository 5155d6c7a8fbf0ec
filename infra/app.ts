import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type OidcIdentityProvider, StatefulStack } from './stateful-stack.ts';
import {
  DEFAULT_SECRETARIAT_EMAIL,
  DEFAULT_SENDER_EMAIL,
  DEFAULT_TIME_ZONE,
  StatelessStack,
} from './stateless-stack.ts';
import { STACK_NAMES } from './topology.ts';

/**
 * Feature flags set in code rather than in `cdk.json`, so the CLI, the tests and the local
 * runtime synthesize the same templates.
 */
export const FEATURE_FLAGS: Readonly<Record<string, unknown>> = {
  // `Fn::ImportValue`: the stateful stack cannot drop an output the stateless stack uses.
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
  // CloudFormation schema and lint findings fail the synth instead of scrolling past.
  '@aws-cdk/core:validateAgainstDefaultRules': true,
};

/** The synthesizable app and its two stacks. */
export interface BuiltApp {
  readonly app: App;
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

/**
 * Builds the CDK app without synthesizing it, so tests and the local runtime can synthesize
 * in-process (the local runtime passes `'aws:cdk:bundling-stacks': []` to skip bundling).
 *
 * Context keys (from `-c key=value`, `cdk.json` or `context`; CLI values are strings):
 * - `retainData` (default `true`): `false` for throwaway stages destroys data on teardown.
 * - `timeZone` (default `Europe/Vienna`): time zone of record.
 * - `secretariatEmail` (default `untoc.review@un.org`): where escalations go.
 * - `senderEmail` (default `no-reply@example.org`): the `From` address of every e-mail.
 *   No SES identity is created for it: operators verify the address (or its domain) in SES,
 *   and the mail functions may send from exactly those two identities.
 * - `senderDomain` (optional): create an SES domain identity (Easy DKIM) for this domain
 *   and allow sending from it only; `senderEmail` must then be an address of that domain.
 * - `oidcIssuer` and `oidcAudience` (comma-separated), both or neither: use an
 *   organisation's identity provider instead of creating a Cognito user pool (in the
 *   stateful stack).
 *
 * cdk-nag `AwsSolutions` runs as a validation plugin on synthesis.
 *
 * @param context context values, merged under those given by the CDK CLI
 * @param appProps other App properties (e.g. `outdir`)
 */
export function buildApp(
  context: Record<string, unknown> = {},
  appProps: Omit<AppProps, 'context'> = {},
): BuiltApp {
  const app = new App({ ...appProps, context: { ...FEATURE_FLAGS, ...context } });
  const settings = readSettings(app);

  const stateful = new StatefulStack(app, STACK_NAMES.stateful, {
    description: 'UNTOC review tracker: tables, queues and user pool (retained data)',
    retainData: settings.retainData,
    ...(settings.identityProvider ? { externalIdentityProvider: settings.identityProvider } : {}),
  });
  const stateless = new StatelessStack(app, STACK_NAMES.stateless, {
    description: 'UNTOC review tracker: Secretariat API, notification pipeline and alarms',
    reviewsTable: stateful.reviewsTable,
    notificationsTable: stateful.notificationsTable,
    idempotencyTable: stateful.idempotencyTable,
    focalPointMailQueue: stateful.focalPointMailQueue,
    focalPointMailDlq: stateful.focalPointMailDlq,
    escalationQueue: stateful.escalationQueue,
    escalationDlq: stateful.escalationDlq,
    plannerDlq: stateful.plannerDlq,
    feedbackDlq: stateful.feedbackDlq,
    signingSecret: stateful.signingSecret,
    timeZone: settings.timeZone,
    secretariatEmail: settings.secretariatEmail,
    senderEmail: settings.senderEmail,
    ...(settings.senderDomain ? { senderDomain: settings.senderDomain } : {}),
    identityProvider: stateful.identityProvider,
  });

  // Acknowledged findings are also written to each resource's `cdk_nag` metadata: the
  // reasons travel with the template for audit.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
  return { app, stateful, stateless };
}

interface Settings {
  readonly retainData: boolean;
  readonly timeZone: string;
  readonly secretariatEmail: string;
  readonly senderEmail: string;
  readonly senderDomain: string | undefined;
  readonly identityProvider: OidcIdentityProvider | undefined;
}

const EMAIL_ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DOMAIN_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;

/** Reads and checks the context once, failing the synth on a bad value. */
function readSettings(app: App): Settings {
  const get = (key: string): unknown => app.node.tryGetContext(key);

  const retainRaw = get('retainData');
  const retainData = retainRaw === undefined || retainRaw === true || retainRaw === 'true';
  if (!retainData && retainRaw !== false && retainRaw !== 'false') {
    throw new Error(`context retainData must be true or false, got ${JSON.stringify(retainRaw)}`);
  }

  const timeZone = optionalString(get('timeZone'), 'timeZone') ?? DEFAULT_TIME_ZONE;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new Error(`context timeZone must be an IANA time zone, got '${timeZone}'`);
  }

  const secretariatEmail =
    optionalString(get('secretariatEmail'), 'secretariatEmail') ?? DEFAULT_SECRETARIAT_EMAIL;
  if (!EMAIL_ADDRESS.test(secretariatEmail)) {
    throw new Error(`context secretariatEmail must be an e-mail address, got '${secretariatEmail}'`);
  }

  const senderEmail = optionalString(get('senderEmail'), 'senderEmail') ?? DEFAULT_SENDER_EMAIL;
  if (!EMAIL_ADDRESS.test(senderEmail)) {
    throw new Error(`context senderEmail must be an e-mail address, got '${senderEmail}'`);
  }
  const senderDomain = optionalString(get('senderDomain'), 'senderDomain');
  if (senderDomain !== undefined && !DOMAIN_NAME.test(senderDomain)) {
    throw new Error(`context senderDomain must be a domain name, got '${senderDomain}'`);
  }

  const issuer = optionalString(get('oidcIssuer'), 'oidcIssuer');
  const audienceRaw = get('oidcAudience');
  const audience = Array.isArray(audienceRaw)
    ? audienceRaw.map(String)
    : (optionalString(audienceRaw, 'oidcAudience')
        ?.split(',')
        .map((value) => value.trim())
        .filter((value) => value.length > 0) ?? []);
  if ((issuer === undefined) !== (audience.length === 0)) {
    throw new Error('context oidcIssuer and oidcAudience must be given together (or neither)');
  }
  if (issuer !== undefined && !issuer.startsWith('https://')) {
    throw new Error(`context oidcIssuer must be an https URL, got '${issuer}'`);
  }
  const identityProvider = issuer === undefined ? undefined : { issuer, audience };

  return { retainData, timeZone, secretariatEmail, senderEmail, senderDomain, identityProvider };
}

function optionalString(value: unknown, key: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string')
    throw new Error(`context ${key} must be a string, got ${JSON.stringify(value)}`);
  return value;
}
