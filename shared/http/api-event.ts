import * as z from 'zod';

/**
 * The part of an API Gateway HTTP API (payload 2.0) event the chain reads, parsed once at
 * the edge. The JWT authorizer's claims arrive as strings; `cognito:groups` as `[a b]`.
 */
export const ApiEvent = z.object({
  routeKey: z.string(),
  rawPath: z.string().optional(),
  headers: z.record(z.string(), z.string().optional()).optional(),
  queryStringParameters: z.record(z.string(), z.string().optional()).optional(),
  pathParameters: z.record(z.string(), z.string().optional()).optional(),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().optional(),
  requestContext: z.object({
    requestId: z.string().optional(),
    timeEpoch: z.number(),
    authorizer: z
      .object({
        jwt: z
          .object({
            claims: z.record(z.string(), z.unknown()).optional(),
          })
          .optional(),
      })
      .optional(),
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
