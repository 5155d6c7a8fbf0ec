import { ApiEnv } from '#shared/config/env.ts';
import { apiRoutes } from '#shared/http/api-routes.ts';
import { TIME_ZONE } from './bindings.ts';
import { functionSpec } from './types.ts';

/** The Secretariat API: every route of DESIGN §4 behind one HTTP chain. */
export const apiFunction = functionSpec({
  id: 'ApiFunction',
  entry: 'functions/api.handler.ts',
  description: 'Secretariat API: every route of the HTTP API',
  env: ApiEnv,
  bindings: {
    REVIEWS_TABLE: {
      kind: 'table',
      table: 'reviews',
      // Get a review; list and report on the indexes; a change is one transaction of puts
      // (the review, its event, on creation its participants).
      commands: ['GetItem', 'BatchGetItem', 'Query', 'PutItem'],
      indexes: ['gsi1', 'gsi2'],
    },
    NOTIFICATIONS_TABLE: {
      kind: 'table',
      table: 'notifications',
      // A review's notifications; the overdue report's page of escalation tallies in one batch.
      commands: ['Query', 'BatchGetItem'],
    },
    IDEMPOTENCY_TABLE: {
      kind: 'table',
      table: 'idempotency',
      // Claim (put), complete (update, also inside a change's transaction), release (delete).
      commands: ['PutItem', 'UpdateItem', 'DeleteItem'],
    },
    SIGNING_SECRET_ARN: { kind: 'secret', secret: 'signing', commands: ['GetSecretValue'] },
    TIME_ZONE_OF_RECORD: TIME_ZONE,
    GROUPS_CLAIM: { kind: 'setting', setting: 'groupsClaim' },
    SECRETARIAT_EMAIL: { kind: 'setting', setting: 'secretariatEmail' },
  },
  routes: apiRoutes.map((route) => route.routeKey),
});
