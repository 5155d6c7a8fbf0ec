import { NOTIFICATIONS_DUE_INDEX, REVIEW_SK, REVIEWS_INDEXES } from '#shared/adapters/dynamodb-keys.ts';
import { apiRoutes } from '#shared/http/api-routes.ts';
import { FUNCTIONS } from '#shared/manifest/index.ts';

/**
 * Names shared by the CDK stacks and the local runtime. What the runtime code also needs
 * (index names, key layout, function entries and bindings) is defined in `shared/` and only
 * re-exported here: nothing in `shared/` imports `infra/` (DESIGN §7).
 */

/** Stack names of the deployed app: the stage is part of every one, so no stage can touch another's. */
export function stackNames(stage: string): { readonly stateful: string; readonly stateless: string } {
  return {
    stateful: `UntocReviewTracker-${stage}-Stateful`,
    stateless: `UntocReviewTracker-${stage}-Stateless`,
  };
}

export { NOTIFICATIONS_DUE_INDEX, REVIEWS_INDEXES };

/**
 * Sort key of the review item itself in the Reviews table. The planner's event source
 * mapping lets through only stream records whose `sk` equals it (history events,
 * participants and other items do not invoke the planner).
 */
export const REVIEW_ITEM_SK = REVIEW_SK;

/** Source modules of the Lambda functions, relative to the project root (`untoc:entry`), from the manifest. */
export const FUNCTION_ENTRIES = Object.fromEntries(
  Object.entries(FUNCTIONS).map(([key, spec]) => [key, spec.entry]),
) as { readonly [K in keyof typeof FUNCTIONS]: string };

/**
 * Construct ids of the queues. Their physical names are left to CloudFormation; the ids
 * name the logical resources (and the stack outputs) in both the deployed and local wiring.
 */
export const QUEUE_IDS = {
  /** Mail to focal points, consumed by the mailer. */
  focalPointMail: 'FocalPointMailQueue',
  /** Dead-letter queue of {@link QUEUE_IDS.focalPointMail}. */
  focalPointMailDlq: 'FocalPointMailDlq',
  /** Escalations to the Secretariat, consumed by the escalator. */
  escalation: 'EscalationQueue',
  /** Dead-letter queue of {@link QUEUE_IDS.escalation}. */
  escalationDlq: 'EscalationDlq',
  /** On-failure destination of the planner's stream event source mapping, and where it parks records. */
  plannerDlq: 'PlannerDlq',
  /** On-failure destination of the feedback function's asynchronous invocations (from SNS). */
  feedbackDlq: 'FeedbackDlq',
  /** Dead-letter queue of the sweep's schedule target and its failed invocations. */
  sweepScheduleDlq: 'SweepScheduleDlq',
  /** Dead-letter queue of the weekly digest's schedule target and its failed invocations. */
  digestScheduleDlq: 'DigestScheduleDlq',
} as const;

/** The sweep's schedule (EventBridge schedule expression). */
export const SWEEP_SCHEDULE = 'rate(1 minute)';

/**
 * Timeout of the sweep, in seconds: below the one-minute schedule, so a sweep is over before the
 * next one starts (two sweeps at once would both send what is due). The sweep stops taking new
 * work well before it (`SWEEP_HANDOVER_MS` in `shared/use-cases/sweep-due.ts`) and leaves the rest
 * to the next tick.
 */
export const SWEEP_TIMEOUT_SECONDS = 50;

/**
 * The weekly Secretariat digest's schedule (EventBridge Scheduler cron), Mondays 08:00, read in
 * the time zone of record (`ScheduleExpressionTimezone`), so it stays 08:00 across DST.
 */
export const DIGEST_SCHEDULE = 'cron(0 8 ? * MON *)';

/**
 * Timeout of the mail queue consumers (mailer, escalator), in seconds. Each mail queue's
 * visibility timeout is six times this (AWS guidance for Lambda consumers), so a message
 * is not redelivered while a batch that includes it is still being retried or throttled.
 */
export const MAIL_CONSUMER_TIMEOUT_SECONDS = 60;

/**
 * Timeout of the API function, in seconds: below API Gateway's 30 s, so the function answers
 * (503 at worst) before the gateway gives up; above the API's worst case of SDK calls
 * (`API_DYNAMODB` in `shared/adapters/client-timeouts.ts`).
 */
export const API_TIMEOUT_SECONDS = 25;

/** Visibility timeout of the mail queues, in seconds: 6 × {@link MAIL_CONSUMER_TIMEOUT_SECONDS}. */
export const MAIL_QUEUE_VISIBILITY_TIMEOUT_SECONDS = 6 * MAIL_CONSUMER_TIMEOUT_SECONDS;

/** Receives after which a mail queue message moves to its dead-letter queue. */
export const MAIL_QUEUE_MAX_RECEIVE_COUNT = 5;

/** Groups whose names the groups claim carries (DESIGN.md section 4). */
export const ROLE_GROUPS = ['secretariat', 'viewer'] as const;

/** How a route is authorised at the gateway. */
export type RouteAuth = 'jwt' | 'none';

/** One explicit HTTP API route. */
export interface ApiRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly auth: RouteAuth;
}

/**
 * Every route of the Secretariat API, one per method and path (no `$default`, no `ANY`):
 * derived from the routes the API function serves (`apiRoutes`), never written again.
 */
export const API_ROUTES: readonly ApiRoute[] = apiRoutes.map((route) => {
  const [method, path] = route.routeKey.split(' ');
  if ((method !== 'GET' && method !== 'POST' && method !== 'PUT' && method !== 'DELETE') || !path) {
    throw new Error(`route ${route.routeKey}: API Gateway routes here are GET, POST, PUT or DELETE`);
  }
  return { method, path, auth: route.access === 'public' ? 'none' : 'jwt' };
});
