import * as z from '#shared/domain/zod.ts';

/**
 * The part of an API Gateway HTTP API (payload 2.0) event the chain reads, parsed once at
 * the edge. The JWT authorizer's claims arrive as strings; `cognito:groups` as `[a b]`.
 */
export const ApiEvent = z.object({
  routeKey: z.string(),
  rawPath: z.optional(z.string()),
  headers: z.optional(z.record(z.string(), z.optional(z.string()))),
  queryStringParameters: z.optional(z.record(z.string(), z.optional(z.string()))),
  pathParameters: z.optional(z.record(z.string(), z.optional(z.string()))),
  body: z.optional(z.string()),
  isBase64Encoded: z.optional(z.boolean()),
  requestContext: z.object({
    requestId: z.optional(z.string()),
    timeEpoch: z.number(),
    authorizer: z.optional(
      z.object({
        jwt: z.optional(z.object({ claims: z.optional(z.record(z.string(), z.unknown())) })),
      }),
    ),
  }),
});
export type ApiEvent = z.infer<typeof ApiEvent>;

/** An HTTP API (payload 2.0) response. */
export interface ApiResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** The claim that lists the caller's groups when the deployment names no other (Cognito's). */
export const DEFAULT_GROUPS_CLAIM = 'cognito:groups';

/** Roles, from the groups claim (`cognito:groups` by default). */
export type Role = 'secretariat' | 'viewer';

/** Groups from a claim that is an array, a JSON array string, `[a b]`, or `a,b`. */
export function groupsFromClaim(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((g): g is string => typeof g === 'string');
  if (typeof claim !== 'string') return [];
  const trimmed = claim.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return groupsFromClaim(parsed);
    } catch {
      // Not JSON: API Gateway's own `[a b]` rendering.
    }
    return trimmed
      .slice(1, -1)
      .split(/[\s,]+/)
      .filter(Boolean);
  }
  return trimmed.split(/[\s,]+/).filter(Boolean);
}
