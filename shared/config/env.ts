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
  TIME_ZONE_OF_RECORD: z.string().refine(isTimeZone, 'must be an IANA time zone').default(DEFAULT_TIME_ZONE),
});
export type ApiEnv = z.infer<typeof ApiEnv>;

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
