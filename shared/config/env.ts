import { DEFAULT_TIME_ZONE, isTimeZone } from '#shared/domain/calendar.ts';
import * as z from '#shared/domain/zod.ts';

/**
 * Environment schemas, parsed once at cold start (STYLE.md item 6); `process.env` is read
 * nowhere else. A missing or malformed variable fails the cold start with its name. Each
 * schema's keys are exactly the variables its function's manifest binds (`shared/manifest`),
 * and the deployment's context values are checked with the same setting schemas at synth.
 */

const TableName = z.string().check(z.minLength(3), z.maxLength(255));
const QueueUrl = z.url();

/** The deployment settings a function may receive, with the rules `cdk synth` checks too. */
export const Settings = {
  /** IANA time zone in which deadlines are calendar dates. */
  timeZone: z.string().check(z.refine(isTimeZone, 'must be an IANA time zone')),
  /** An address SES will take: one `@`, a dotted domain, no spaces or consecutive dots. */
  email: z.email().check(z.maxLength(254)),
  /** The `From` display name: one line of plain text. */
  displayName: z
    .string()
    .check(
      z.trim(),
      z.minLength(1),
      z.maxLength(100),
      z.regex(
        /^[^\p{Cc}\u202a-\u202e\u2066-\u2069]+$/u,
        'must be one line without control or bidi characters',
      ),
    ),
  /** The name of a JWT claim (`cognito:groups`, `groups`, `https://example.org/roles`). */
  claimName: z
    .string()
    .check(z.regex(/^[\x21-\x7e]{1,200}$/, 'must be a claim name of printable characters')),
} as const;

const TimeZone = z._default(Settings.timeZone, DEFAULT_TIME_ZONE);

export const ApiEnv = z.object({
  REVIEWS_TABLE: TableName,
  NOTIFICATIONS_TABLE: TableName,
  IDEMPOTENCY_TABLE: TableName,
  /** The Secrets Manager secret that signs listing cursors. */
  SIGNING_SECRET_ARN: z.string().check(z.startsWith('arn:')),
  TIME_ZONE_OF_RECORD: TimeZone,
  /** The token claim that lists the caller's groups (`cognito:groups`, or an organisation's `groups`). */
  GROUPS_CLAIM: Settings.claimName,
  /** The deployment's Secretariat address: the officer of reviews that name none (`GET /reports/digest`). */
  SECRETARIAT_EMAIL: Settings.email,
});
export type ApiEnv = z.infer<typeof ApiEnv>;

export const PlannerEnv = z.object({
  NOTIFICATIONS_TABLE: TableName,
  FOCAL_POINT_QUEUE_URL: QueueUrl,
  /** The Secretariat's notices the planner sends at once ("all submissions received"). */
  ESCALATION_QUEUE_URL: QueueUrl,
  /** Where stream records the planner cannot handle are parked whole (its dead-letter queue). */
  PLANNER_DLQ_URL: QueueUrl,
  TIME_ZONE_OF_RECORD: TimeZone,
});

export const SweepEnv = z.object({
  NOTIFICATIONS_TABLE: TableName,
  FOCAL_POINT_QUEUE_URL: QueueUrl,
  ESCALATION_QUEUE_URL: QueueUrl,
});

export const SenderEnv = z.object({
  REVIEWS_TABLE: TableName,
  NOTIFICATIONS_TABLE: TableName,
  SENDER_EMAIL: Settings.email,
  SENDER_NAME: Settings.displayName,
  SECRETARIAT_EMAIL: Settings.email,
  SES_CONFIGURATION_SET: z.string().check(z.minLength(1)),
  TIME_ZONE_OF_RECORD: TimeZone,
});

/**
 * The mailer: a sender that also signs each focal point's personal link (DESIGN §10) with the
 * deployment's signing secret, under the API's public address.
 */
export const MailerEnv = z.extend(SenderEnv, {
  SIGNING_SECRET_ARN: z.string().check(z.startsWith('arn:')),
  /** Where `/respond/{token}` is served: the API's own endpoint (local mode: the running API's URL). */
  RESPOND_BASE_URL: z.url({ protocol: /^https?$/ }),
});

/** The weekly Secretariat digest (Monday 08:00 in the time zone of record). */
export const DigestEnv = z.object({
  REVIEWS_TABLE: TableName,
  /** Where each officer's digest of a week is claimed, so a retried run sends it once. */
  NOTIFICATIONS_TABLE: TableName,
  SENDER_EMAIL: Settings.email,
  SENDER_NAME: Settings.displayName,
  SECRETARIAT_EMAIL: Settings.email,
  SES_CONFIGURATION_SET: z.string().check(z.minLength(1)),
  TIME_ZONE_OF_RECORD: TimeZone,
});

export const FeedbackEnv = z.object({
  REVIEWS_TABLE: TableName,
  NOTIFICATIONS_TABLE: TableName,
  ESCALATION_QUEUE_URL: QueueUrl,
});

/** Parses the environment with a schema, or throws naming every bad variable. */
export function parseEnv<T extends z.ZodMiniType>(
  schema: T,
  env: Record<string, string | undefined> = process.env,
): z.infer<T> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid environment: ${problems}`);
  }
  return result.data;
}
