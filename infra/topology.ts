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

/**
 * Sort key of the review item itself in the Reviews table. The planner's event source
 * mapping lets through only stream records whose `sk` equals it (history events, focal
 * points and ledger entries do not invoke the planner).
 */
export const REVIEW_ITEM_SK = 'REVIEW';

/** Environment variable names set by the `bind*` helpers of the house function. */
export const ENV_NAMES = {
  reviewsTable: 'REVIEWS_TABLE',
  notificationsTable: 'NOTIFICATIONS_TABLE',
  idempotencyTable: 'IDEMPOTENCY_TABLE',
  /** ARN of the deployment's signing secret (Secrets Manager). */
  signingSecretArn: 'SIGNING_SECRET_ARN',
  timeZoneOfRecord: 'TIME_ZONE_OF_RECORD',
  secretariatEmail: 'SECRETARIAT_EMAIL',
  /** URL of the focal-point mail queue (stage notices, reminders, overdue notices). */
  focalPointQueueUrl: 'FOCAL_POINT_QUEUE_URL',
  /** URL of the escalation queue (mail to the Secretariat). */
  escalationQueueUrl: 'ESCALATION_QUEUE_URL',
  /** URL of the planner's dead-letter queue, where it parks stream records it cannot handle. */
  plannerDlqUrl: 'PLANNER_DLQ_URL',
  /** The `From` address of every e-mail. */
  senderEmail: 'SENDER_EMAIL',
  /** Name of the SES configuration set every e-mail is sent with (bounce/complaint events). */
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  /** Number of partitions (`duePk` shards) of the sparse `due` index the sweep reads. */
} as const;

/** Source modules of the Lambda functions, relative to the project root (`untoc:entry`). */
export const FUNCTION_ENTRIES = {
  /** Every route of the Secretariat API. */
  api: 'functions/api.handler.ts',
  /** Reviews table stream consumer: plans, cancels and queues notifications. */
  planner: 'functions/planner.handler.ts',
  /** Every minute: moves due notifications from the `due` index to the mail queues. */
  sweep: 'functions/sweep.handler.ts',
  /** Focal-point mail queue consumer: sends stage notices, reminders and overdue notices. */
  mailer: 'functions/mailer.handler.ts',
  /** Escalation queue consumer: sends escalations to the Secretariat. */
  escalator: 'functions/escalator.handler.ts',
  /** SES bounce and complaint events (through SNS): marks addresses undeliverable, escalates. */
  feedback: 'functions/feedback.handler.ts',
} as const;

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
  /** On-failure destination of the planner's stream event source mapping. */
  plannerDlq: 'PlannerDlq',
  /** On-failure destination of the feedback function's asynchronous invocations (from SNS). */
  feedbackDlq: 'FeedbackDlq',
  /** Dead-letter queue of the sweep's schedule target. */
  sweepScheduleDlq: 'SweepScheduleDlq',
} as const;

/** The sweep's schedule (EventBridge schedule expression). */
export const SWEEP_SCHEDULE = 'rate(1 minute)';

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
