/**
 * Powertools settings of every function in local mode. CloudWatch metrics (EMF on stdout) have no
 * local reader, they would only drown the logs; X-Ray has no local daemon.
 *
 * Local mode hosts every function in one process, so the Powertools instances of `shared/` are
 * created once, when the CDK app's import of the function manifest first loads them: before any
 * function's cold start. `npm start` therefore puts these in the process environment before it
 * loads the runtime (the test runner sets them for the tests).
 */
export const LOCAL_POWERTOOLS_ENVIRONMENT = {
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_TRACE_ENABLED: 'false',
} as const;
