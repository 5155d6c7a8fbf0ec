import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type middy from '@middy/core';

/**
 * The one Powertools metrics instance (namespace from POWERTOOLS_METRICS_NAMESPACE, set by
 * the house function). Metrics are past-tense business events with no dimensions beyond the
 * service, so cardinality stays low. Alarms and the dashboard match on the namespace, the
 * `service` dimension and these names: rename one here and there, or not at all.
 */
export const metrics = new Metrics({ serviceName: 'untoc-review-tracker' });

/** Every business event a function counts. */
export type MetricName =
  // The API: one per change that succeeded.
  | 'ReviewCreated'
  | 'ReviewImported'
  | 'TransitionApplied'
  | 'FocalPointRegistered'
  | 'ExpertsSet'
  | 'SubmissionRecorded'
  | 'SubmissionWithdrawn'
  | 'ExtensionDecided'
  // The focal-point page: one per action that changed the review, and per refused link.
  | 'FocalPointAnswered'
  | 'ResponseLinkRefused'
  | 'DeadlineChanged'
  | 'ReviewPaused'
  | 'ReviewResumed'
  // The API: a stored review item no list could read (skipped, not a 500).
  | 'UnreadableItemSkipped'
  // The API: a 500 it answered itself (Lambda's `Errors` never moves for those).
  | 'InternalErrorAnswered'
  // The planner: per review change.
  | 'NotificationsPlanned'
  | 'NotificationsCancelled'
  // A stream record the planner could not handle, kept for replay.
  | 'StreamRecordParked'
  // The sweep: once per completed run, even when nothing was due (its heartbeat).
  | 'SweepRan'
  | 'NotificationsQueued'
  | 'NotificationsSuperseded'
  // Due items a sweep left for the next tick because its time ran low (the 09:00 burst).
  | 'NotificationsLeftForNextSweep'
  // The mailer and the escalator: what became of each queued notification.
  | 'StageNoticeSent'
  | 'ReminderSent'
  | 'OverdueNoticeSent'
  | 'EscalationSent'
  | 'UndeliverableNoticeSent'
  | 'AllSubmissionsNoticeSent'
  | 'ChangeNoticeSent'
  | 'NotificationSkipped'
  | 'DuplicateDeliveryIgnored'
  // A send whose answer was lost: it may have gone out (DESIGN §3 accepts that one window).
  | 'MailSendOutcomeUnknown'
  // Mail feedback: addresses newly marked undeliverable, and the notices to the Secretariat about them.
  | 'AddressMarkedUndeliverable'
  | 'UndeliverableNoticeQueued'
  // The weekly digest: per officer, a digest sent, or none because there was nothing to report.
  | 'DigestSent'
  | 'DigestNothingToReport';

/** Counts one business event (`value` times; nothing when it is 0). */
export function countEvent(name: MetricName, value = 1): void {
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
