import { SweepEnv } from '#shared/config/env.ts';
import { SEND_TO } from './bindings.ts';
import { functionSpec } from './types.ts';

/** The one-minute sweep: what is due goes to its queue. */
export const sweepFunction = functionSpec({
  id: 'SweepFunction',
  entry: 'functions/sweep.handler.ts',
  description: 'Every minute: moves due notifications from the due index to the mail queues',
  env: SweepEnv,
  bindings: {
    // Reads the sparse due index only; marks items queued or superseded.
    NOTIFICATIONS_TABLE: {
      kind: 'table',
      table: 'notifications',
      commands: ['UpdateItem'],
      indexes: ['due'],
    },
    FOCAL_POINT_QUEUE_URL: SEND_TO('focalPointMail'),
    ESCALATION_QUEUE_URL: SEND_TO('escalation'),
  },
});
