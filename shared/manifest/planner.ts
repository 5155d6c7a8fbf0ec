import { PlannerEnv } from '#shared/config/env.ts';
import { SEND_TO, TIME_ZONE } from './bindings.ts';
import { functionSpec } from './types.ts';

/** The planner: the Reviews table's stream (its event source is the stream, wired in CDK). */
export const plannerFunction = functionSpec({
  id: 'PlannerFunction',
  entry: 'functions/planner.handler.ts',
  description: 'Plans, cancels and queues notifications on each review change (Reviews stream)',
  env: PlannerEnv,
  bindings: {
    NOTIFICATIONS_TABLE: {
      kind: 'table',
      table: 'notifications',
      // Plan and cancel what the old stage left (puts and updates, one transaction); when that is
      // refused (a replay, a sweep in between), find a stage's pending items (query) and write
      // each on its own.
      commands: ['PutItem', 'Query', 'UpdateItem'],
    },
    FOCAL_POINT_QUEUE_URL: SEND_TO('focalPointMail'),
    ESCALATION_QUEUE_URL: SEND_TO('escalation'),
    PLANNER_DLQ_URL: SEND_TO('plannerDlq'),
    TIME_ZONE_OF_RECORD: TIME_ZONE,
  },
});
