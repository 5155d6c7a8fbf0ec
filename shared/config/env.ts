import * as z from 'zod';
import { DEFAULT_TIME_ZONE, isTimeZone } from '#shared/domain/calendar.ts';

/**
 * Environment schemas, parsed once at cold start (STYLE.md item 6); `process.env` is read
 * nowhere else. A missing or malformed variable fails the cold start with its name.
 */

const TableName = z.string().min(3).max(255);

export const ApiEnv = z.object({
  REVIEWS_TABLE: TableName,
  NOTIFICATIONS_TABLE: TableName,
  IDEMPOTENCY_TABLE: TableName,
  /** The Secrets Manager secret that signs listing cursors. */
  SIGNING_SECRET_ARN: z.string().startsWith('arn:'),
  TIME_ZONE_OF_RECORD: z.string().refine(isTimeZone, 'must be an IANA time zone').default(DEFAULT_TIME_ZONE),
});
export type ApiEnv = z.infer<typeof ApiEnv>;

const TimeZone = z.string().refine(isTimeZone, 'must be an IANA time zone').default(DEFAULT_TIME_ZONE);
const QueueUrl = z.url();
const Email = z.email();
/** Set only locally: the SQS client must be given its endpoint explicitly (fauxqs queue URLs). */
const SqsEndpoint = { AWS_ENDPOINT_URL_SQS: z.url().optional() };

export const PlannerEnv = z.object({
  NOTIFICATIONS_TABLE: TableName,
  FOCAL_POINT_QUEUE_URL: QueueUrl,
  /** Where stream records the planner cannot handle are parked whole (its dead-letter queue). */
  PLANNER_DLQ_URL: QueueUrl,
  TIME_ZONE_OF_RECORD: TimeZone,
  ...SqsEndpoint,
});

export const SweepEnv = z.object({
  NOTIFICATIONS_TABLE: TableName,
  FOCAL_POINT_QUEUE_URL: QueueUrl,
  ESCALATION_QUEUE_URL: QueueUrl,
  ...SqsEndpoint,
});

export const SenderEnv = z.object({
  REVIEWS_TABLE: TableName,
  NOTIFICATIONS_TABLE: TableName,
  SENDER_EMAIL: Email,
  SECRETARIAT_EMAIL: Email,
  SES_CONFIGURATION_SET: z.string().min(1).optional(),
  TIME_ZONE_OF_RECORD: TimeZone,
});

export const FeedbackEnv = z.object({
  REVIEWS_TABLE: TableName,
  NOTIFICATIONS_TABLE: TableName,
  ESCALATION_QUEUE_URL: QueueUrl,
  ...SqsEndpoint,
});

/** Parses the environment with a schema, or throws naming every bad variable. */
export function parseEnv<T extends z.ZodType>(
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
