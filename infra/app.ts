import { App, type AppProps, Aws, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Settings } from '#shared/config/env.ts';
import type * as z from '#shared/domain/zod.ts';
import { DEFAULT_GROUPS_CLAIM } from '#shared/http/api-event.ts';
import { type OidcIdentityProvider, StatefulStack } from './stateful-stack.ts';
import {
  type ConsoleSettings,
  DEFAULT_SECRETARIAT_EMAIL,
  DEFAULT_SENDER_EMAIL,
  DEFAULT_SENDER_NAME,
  DEFAULT_TIME_ZONE,
  type ExternalConsoleSignIn,
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
  // S3 server access logs are let in by the log bucket's policy (AWS's advice), not by an ACL.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
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
 * - `consoleDomainName` and `consoleCertificateArn` (an ACM certificate ARN in us-east-1), both or
 *   neither: serve the Secretariat console at this host name, TLS 1.2 at least
 *   (`TLSv1.2_2021`); point the name's DNS record at output `ConsoleDistributionDomainName`.
 *   Without them the console is at the distribution's `*.cloudfront.net` name (output `ConsoleUrl`).
 * - `cognitoDomainPrefix` (default `untoc-<stage>-<account>`): the user pool's Hosted UI domain
 *   prefix, unique across AWS; lower-case letters, digits and `-`, without `aws`, `amazon` or
 *   `cognito`. Refused with `oidcIssuer` (no user pool then).
 * - With `oidcIssuer`, the console signs in with the organisation's provider, which needs a
 *   public client registered for the console (authorization code flow with PKCE, no secret,
 *   redirect and sign-out URL the console's URL, an access token carrying `groupsClaim`):
 *   `oidcAuthorizationEndpoint`, `oidcTokenEndpoint` and `oidcConsoleClientId` are required,
 *   `oidcLogoutEndpoint` is optional (https URLs all), `oidcScopes` (default `openid`) is what the
 *   console asks for. The console client's id is accepted as an audience beside `oidcAudience`; a
 *   provider that puts an API identifier in the access token's `aud` needs it in `oidcAudience`.
 *   These keys are refused without `oidcIssuer`.
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
    description: `UNTOC review tracker (${settings.stage}): Secretariat API and console, notification pipeline and alarms`,
    terminationProtection: production,
    stateful: stateful.resources,
    timeZone: settings.timeZone,
    secretariatEmail: settings.secretariatEmail,
    senderEmail: settings.senderEmail,
    senderName: settings.senderName,
    groupsClaim: settings.groupsClaim,
    console: settings.console,
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
  readonly console: ConsoleSettings;
}

const STAGE_NAME = /^[a-z][a-z0-9-]{0,19}$/;
/** A backup vault's ARN in any partition, Region and account; the name as AWS Backup allows it. */
const BACKUP_VAULT_ARN =
  /^arn:aws(?:-[a-z]+)*:backup:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:backup-vault:[A-Za-z0-9_-]{2,50}$/;
const DOMAIN_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;
/** An ACM certificate in us-east-1, the one Region CloudFront reads certificates from. */
const CLOUDFRONT_CERTIFICATE_ARN = /^arn:aws(?:-[a-z]+)*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/;
/** What Cognito takes as a domain prefix. */
const COGNITO_DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Words Cognito refuses in a domain prefix. */
const COGNITO_RESERVED_WORDS = ['aws', 'amazon', 'cognito'];
/** An OAuth scope list (RFC 6749 §3.3): scope tokens separated by single spaces. */
const OAUTH_SCOPES = /^[\x21\x23-\x5b\x5d-\x7e]+(?: [\x21\x23-\x5b\x5d-\x7e]+)*$/;
/** An OAuth client id as a provider issues it: printable, no spaces. */
const OAUTH_CLIENT_ID = /^[\x21-\x7e]{1,256}$/;
/** The context keys of the console's sign-in with an external provider. */
const EXTERNAL_SIGN_IN_KEYS = [
  'oidcAuthorizationEndpoint',
  'oidcTokenEndpoint',
  'oidcConsoleClientId',
  'oidcLogoutEndpoint',
  'oidcScopes',
] as const;

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

  const consoleSettings = readConsoleSettings(get, stage, identityProvider !== undefined);

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
    console: consoleSettings,
  };
}

/**
 * The console's context values: its custom domain, and its sign-in (the Hosted UI domain prefix
 * with the user pool, the provider's endpoints and console client with `oidcIssuer`).
 */
function readConsoleSettings(
  get: (key: string) => unknown,
  stage: string,
  externalProvider: boolean,
): ConsoleSettings {
  const domainName = optionalString(get('consoleDomainName'), 'consoleDomainName');
  const certificateArn = optionalString(get('consoleCertificateArn'), 'consoleCertificateArn');
  if ((domainName === undefined) !== (certificateArn === undefined)) {
    throw new Error(
      'context consoleDomainName and consoleCertificateArn must be given together (or neither)',
    );
  }
  if (domainName !== undefined && !DOMAIN_NAME.test(domainName)) {
    throw new Error(`context consoleDomainName must be a domain name, got '${domainName}'`);
  }
  if (certificateArn !== undefined && !CLOUDFRONT_CERTIFICATE_ARN.test(certificateArn)) {
    throw new Error(
      `context consoleCertificateArn must be an ACM certificate ARN in us-east-1 (where CloudFront reads certificates), got '${certificateArn}'`,
    );
  }
  const customDomain =
    domainName !== undefined && certificateArn !== undefined
      ? { domainName: domainName.toLowerCase(), certificateArn }
      : undefined;

  const prefix = optionalString(get('cognitoDomainPrefix'), 'cognitoDomainPrefix');
  if (externalProvider) {
    if (prefix !== undefined) {
      throw new Error('context cognitoDomainPrefix is refused with oidcIssuer: there is no user pool');
    }
    return { ...(customDomain ? { customDomain } : {}), externalSignIn: readExternalSignIn(get) };
  }
  const given = EXTERNAL_SIGN_IN_KEYS.filter((key) => get(key) !== undefined);
  if (given.length > 0) {
    throw new Error(
      `context ${given.join(', ')} ${given.length > 1 ? 'are' : 'is'} refused without oidcIssuer`,
    );
  }
  if (prefix !== undefined) {
    checkDomainPrefix(prefix);
  } else {
    // `untoc-<stage>-<account>`: the stage's format is checked above and the account's twelve
    // digits (a token here) make it unique across AWS; only a reserved word can still spoil it.
    const reserved = COGNITO_RESERVED_WORDS.find((word) => stage.includes(word));
    if (reserved !== undefined) {
      throw new Error(
        `context stage '${stage}' would put '${reserved}' into the Hosted UI domain prefix, which Cognito refuses: give -c cognitoDomainPrefix=...`,
      );
    }
  }
  return {
    ...(customDomain ? { customDomain } : {}),
    cognitoDomainPrefix: prefix ?? `untoc-${stage}-${Aws.ACCOUNT_ID}`,
  };
}

/** Fails the synth unless `prefix` is a domain prefix Cognito accepts. */
function checkDomainPrefix(prefix: string): void {
  const reserved = COGNITO_RESERVED_WORDS.find((word) => prefix.includes(word));
  if (reserved !== undefined) {
    throw new Error(
      `context cognitoDomainPrefix may not contain '${reserved}' (Cognito refuses aws, amazon and cognito), got '${prefix}'`,
    );
  }
  if (!COGNITO_DOMAIN_PREFIX.test(prefix)) {
    throw new Error(
      `context cognitoDomainPrefix must be lower-case letters, digits and '-' (up to 63, not starting or ending with '-'), got '${prefix}'`,
    );
  }
}

/** The provider's endpoints and the console's client there, each key checked and named. */
function readExternalSignIn(get: (key: string) => unknown): ExternalConsoleSignIn {
  const read = (key: (typeof EXTERNAL_SIGN_IN_KEYS)[number]) => optionalString(get(key), key);
  const missing = (['oidcAuthorizationEndpoint', 'oidcTokenEndpoint', 'oidcConsoleClientId'] as const).filter(
    (key) => read(key) === undefined,
  );
  if (missing.length > 0) {
    throw new Error(
      `context ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} required with oidcIssuer: the console signs in with the provider's endpoints and a client registered for it (${missing.map((key) => `-c ${key}=...`).join(' ')})`,
    );
  }
  const clientId = read('oidcConsoleClientId') ?? '';
  if (!OAUTH_CLIENT_ID.test(clientId)) {
    throw new Error(
      `context oidcConsoleClientId must be a client id (printable, no spaces), got '${clientId}'`,
    );
  }
  const scopes = read('oidcScopes') ?? 'openid';
  if (!OAUTH_SCOPES.test(scopes)) {
    throw new Error(`context oidcScopes must be OAuth scopes separated by single spaces, got '${scopes}'`);
  }
  const logoutEndpoint = read('oidcLogoutEndpoint');
  return {
    authorizationEndpoint: httpsUrl('oidcAuthorizationEndpoint', read('oidcAuthorizationEndpoint') ?? ''),
    tokenEndpoint: httpsUrl('oidcTokenEndpoint', read('oidcTokenEndpoint') ?? ''),
    ...(logoutEndpoint === undefined
      ? {}
      : { logoutEndpoint: httpsUrl('oidcLogoutEndpoint', logoutEndpoint) }),
    clientId,
    scopes,
  };
}

/** The value, if it is an https URL without credentials or fragment; otherwise the synth fails naming the key. */
function httpsUrl(key: string, value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.hash !== '') {
    throw new Error(`context ${key} must be an https URL (no credentials, no fragment), got '${value}'`);
  }
  return value;
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
