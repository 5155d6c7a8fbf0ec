/**
 * Names shared by the CDK stacks, the local runtime and the AWS adapters, written once so
 * the deployed wiring and the local wiring cannot drift (DESIGN.md section 5).
 */

/** Stack names of the deployed app. */
export const STACK_NAMES = {
  stateful: 'UntocReviewTracker-Stateful',
  stateless: 'UntocReviewTracker-Stateless',
} as const;

/** Global secondary indexes of the Reviews table. */
export const REVIEWS_INDEXES = {
  /** Listing: `gsi1pk` = `REVIEWS` or `STATE#<iso3>`, `gsi1sk` orders the listing. */
  list: 'gsi1',
  /** Open deadlines, read by the overdue report: `gsi2pk` / `gsi2sk`. */
  openDeadlines: 'gsi2',
} as const;

/** Sparse index of the Notifications table holding only items waiting to be sent. */
export const NOTIFICATIONS_DUE_INDEX = 'due';

/** Environment variable names set by the `bind*` helpers of the house function. */
export const ENV_NAMES = {
  reviewsTable: 'REVIEWS_TABLE',
  notificationsTable: 'NOTIFICATIONS_TABLE',
  idempotencyTable: 'IDEMPOTENCY_TABLE',
  timeZoneOfRecord: 'TIME_ZONE_OF_RECORD',
  secretariatEmail: 'SECRETARIAT_EMAIL',
} as const;

/** Cognito groups whose names the `cognito:groups` claim carries (DESIGN.md section 4). */
export const ROLE_GROUPS = ['secretariat', 'viewer'] as const;

/** How a route is authorised at the gateway. */
export type RouteAuth = 'jwt' | 'none';

/** One explicit HTTP API route. */
export interface ApiRoute {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  readonly auth: RouteAuth;
}

/** Every route of the Secretariat API, one per method and path (no `$default`, no `ANY`). */
export const API_ROUTES: readonly ApiRoute[] = [
  { method: 'POST', path: '/reviews', auth: 'jwt' },
  { method: 'GET', path: '/reviews', auth: 'jwt' },
  { method: 'GET', path: '/reviews/{id}', auth: 'jwt' },
  { method: 'POST', path: '/reviews/{id}/transitions', auth: 'jwt' },
  { method: 'PUT', path: '/reviews/{id}/focal-points/{state}', auth: 'jwt' },
  { method: 'POST', path: '/reviews/{id}/deadline', auth: 'jwt' },
  { method: 'POST', path: '/reviews/{id}/pause', auth: 'jwt' },
  { method: 'POST', path: '/reviews/{id}/resume', auth: 'jwt' },
  { method: 'GET', path: '/reviews/{id}/history', auth: 'jwt' },
  { method: 'GET', path: '/reviews/{id}/notifications', auth: 'jwt' },
  { method: 'GET', path: '/reports/overdue', auth: 'jwt' },
  { method: 'GET', path: '/openapi.json', auth: 'jwt' },
  { method: 'GET', path: '/health', auth: 'none' },
];
