import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Settings } from '#shared/config/env.ts';
import type * as z from '#shared/domain/zod.ts';
import { DEFAULT_GROUPS_CLAIM } from '#shared/http/api-event.ts';
import { type OidcIdentityProvider, StatefulStack } from './stateful-stack.ts';
import {
  DEFAULT_SECRETARIAT_EMAIL,
  DEFAULT_SENDER_EMAIL,
  DEFAULT_SENDER_NAME,
  DEFAULT_TIME_ZONE,
  StatelessStack,
} from './stateless-stack.ts';
import { stackNames } from './topology.ts';

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

/** The stage whose data is the real thing (DESIGN §8). */
export const PRODUCTION_STAGE = 'prod';

/** The synthesizable app and its two stacks. */
export interface BuiltApp {
  readonly app: App;
  readonly stage: string;
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

/**
 * Builds the CDK app without synthesizing it, so tests and the local runtime can synthesize
 * in-process (the local runtime passes `'aws:cdk:bundling-stacks': []` to skip bundling).
 *
 * Context keys (from `-c key=value`, `cdk.json` or `context`; CLI values are strings), each
 * checked at synth with the schema the functions parse it with at run time:
 * - `stage` (default `dev`): part of every stack name, so a throwaway stage never touches
 *   another. Stage `prod` requires `senderEmail` and `secretariatEmail` explicitly, refuses
 *   `retainData=false` and turns termination protection on.
 * - `retainData` (default `true`): `false` for throwaway stages destroys data on teardown.
 * - `timeZone` (default `Europe/Vienna`): time zone of record.
 * - `secretariatEmail` (default `untoc.review@un.org`): where escalations go.
 * - `senderEmail` (default `no-reply@example.org` outside `prod`): the `From` address of every
 *   e-mail. No SES identity is created for it unless `senderDomain` is given: operators verify
 *   the address (or its domain) in SES, and the mail functions may send from exactly those.
 * - `senderName` (default `UNODC Review Mechanism`): the `From` display name of every e-mail.
 * - `senderDomain` (optional): create an SES domain identity (Easy DKIM) for this domain and
 *   allow sending from it only; `senderEmail` must then be an address of that domain.
 * - `oidcIssuer` and `oidcAudience` (comma-separated), both or neither: use an organisation's
 *   identity provider instead of creating a Cognito user pool (in the stateful stack).
 * - `groupsClaim` (default `cognito:groups`): the token claim that lists the caller's groups.
 * - `backupCopyVaultArn` (optional, `arn:aws:backup:<region>:<account>:backup-vault:<name>`): a
 *   vault, in another Region or account, that receives a copy of every daily recovery point of
 *   the tables. The backup plan itself exists in every stage whose data is retained (always in
 *   `prod`), so the key is refused with `retainData=false` (checked by the stateful stack).
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
  const names = stackNames(settings.stage);
  const production = settings.stage === PRODUCTION_STAGE;

  const stateful = new StatefulStack(app, names.stateful, {
    description: `UNTOC review tracker (${settings.stage}): tables, queues, secrets, e-mail identity and user pool (retained data)`,
    retainData: settings.retainData,
    terminationProtection: production,
    senderEmail: settings.senderEmail,
    ...(settings.senderDomain ? { senderDomain: settings.senderDomain } : {}),
    ...(settings.identityProvider ? { externalIdentityProvider: settings.identityProvider } : {}),
    ...(settings.backupCopyVaultArn ? { backupCopyVaultArn: settings.backupCopyVaultArn } : {}),
  });
  const stateless = new StatelessStack(app, names.stateless, {
    description: `UNTOC review tracker (${settings.stage}): Secretariat API, notification pipeline and alarms`,
    terminationProtection: production,
    stateful: stateful.resources,
    timeZone: settings.timeZone,
    secretariatEmail: settings.secretariatEmail,
    senderEmail: settings.senderEmail,
    senderName: settings.senderName,
    groupsClaim: settings.groupsClaim,
  });

  // Acknowledged findings are also written to each resource's `cdk_nag` metadata: the
  // reasons travel with the template for audit.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
  return { app, stage: settings.stage, stateful, stateless };
}

interface DeploymentSettings {
  readonly stage: string;
  readonly retainData: boolean;
  readonly timeZone: string;
  readonly secretariatEmail: string;
  readonly senderEmail: string;
  readonly senderName: string;
  readonly senderDomain: string | undefined;
  readonly identityProvider: OidcIdentityProvider | undefined;
  readonly groupsClaim: string;
  readonly backupCopyVaultArn: string | undefined;
}

const STAGE_NAME = /^[a-z][a-z0-9-]{0,19}$/;
/** A backup vault's ARN in any partition, Region and account; the name as AWS Backup allows it. */
const BACKUP_VAULT_ARN =
  /^arn:aws(?:-[a-z]+)*:backup:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:backup-vault:[A-Za-z0-9_-]{2,50}$/;
const DOMAIN_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;

/** Reads and checks the context once, failing the synth on a bad or missing value, naming it. */
function readSettings(app: App): DeploymentSettings {
  const get = (key: string): unknown => app.node.tryGetContext(key);

  const stage = optionalString(get('stage'), 'stage') ?? 'dev';
  if (!STAGE_NAME.test(stage)) {
    throw new Error(
      `context stage must be a lower-case name (letters, digits, '-'; up to 20), got '${stage}'`,
    );
  }
  const production = stage === PRODUCTION_STAGE;

  const retainRaw = get('retainData');
  const retainData = retainRaw === undefined || retainRaw === true || retainRaw === 'true';
  if (!retainData && retainRaw !== false && retainRaw !== 'false') {
    throw new Error(`context retainData must be true or false, got ${JSON.stringify(retainRaw)}`);
  }
  if (production && !retainData) {
    throw new Error('context retainData=false is refused for stage prod: its data is kept');
  }

  const timeZone = checked(
    'timeZone',
    optionalString(get('timeZone'), 'timeZone') ?? DEFAULT_TIME_ZONE,
    Settings.timeZone,
  );

  if (production) {
    const missing = ['senderEmail', 'secretariatEmail'].filter(
      (key) => optionalString(get(key), key) === undefined,
    );
    if (missing.length > 0) {
      throw new Error(
        `context ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} required for stage prod (${missing.map((key) => `-c ${key}=...`).join(' ')})`,
      );
    }
  }
  const required = (key: string, fallback: string): string =>
    checked(key, optionalString(get(key), key) ?? fallback, Settings.email);
  const secretariatEmail = required('secretariatEmail', DEFAULT_SECRETARIAT_EMAIL);
  const senderEmail = required('senderEmail', DEFAULT_SENDER_EMAIL);
  const senderName = checked(
    'senderName',
    optionalString(get('senderName'), 'senderName') ?? DEFAULT_SENDER_NAME,
    Settings.displayName,
  );
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
  const groupsClaim = checked(
    'groupsClaim',
    optionalString(get('groupsClaim'), 'groupsClaim') ?? DEFAULT_GROUPS_CLAIM,
    Settings.claimName,
  );
  const backupCopyVaultArn = optionalString(get('backupCopyVaultArn'), 'backupCopyVaultArn');
  if (backupCopyVaultArn !== undefined && !BACKUP_VAULT_ARN.test(backupCopyVaultArn)) {
    throw new Error(
      `context backupCopyVaultArn must be a backup vault ARN (arn:aws:backup:<region>:<account>:backup-vault:<name>), got '${backupCopyVaultArn}'`,
    );
  }

  return {
    stage,
    retainData,
    timeZone,
    secretariatEmail,
    senderEmail,
    senderName,
    senderDomain,
    identityProvider,
    groupsClaim,
    backupCopyVaultArn,
  };
}

/** The value, if the runtime's own schema takes it; otherwise the synth fails naming the key. */
function checked(key: string, value: string, schema: z.ZodMiniType<string>): string {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const reason = parsed.error.issues[0]?.message ?? 'invalid';
    throw new Error(`context ${key} is not valid (${reason}), got '${value}'`);
  }
  return parsed.data;
}

function optionalString(value: unknown, key: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string')
    throw new Error(`context ${key} must be a string, got ${JSON.stringify(value)}`);
  return value;
}
