import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type middy from '@middy/core';

/**
 * The one Powertools metrics instance (namespace from POWERTOOLS_METRICS_NAMESPACE, set by
 * the house function). Metrics are past-tense business events with no dimensions beyond the
 * service, so cardinality stays low.
 */
export const metrics = new Metrics({ serviceName: 'untoc-review-tracker' });

/** Counts one business event. */
export function countEvent(name: string, value = 1): void {
  if (value > 0) metrics.addMetric(name, MetricUnit.Count, value);
}

/** Flushes what the invocation counted (EMF on stdout), whether it succeeded or failed; silent when nothing was counted. */
export function publishMetrics(): middy.MiddlewareObj {
  const flush = () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return {
    after: function publishMetricsAfter() {
      flush();
    },
    onError: function publishMetricsOnError() {
      flush();
    },
  };
}
