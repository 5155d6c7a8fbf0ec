/**
 * How long the functions wait for AWS (DESIGN §3, §4). Written once so the numbers can be
 * checked against each other: the API must answer (503 at worst) well inside API Gateway's
 * 30 s, and a mail send must outwait a stall of SES shorter than 20 s.
 *
 * `requestTimeout` is per attempt, from the request leaving to the answer (smithy's
 * `throwOnRequestTimeout` makes it an error instead of a warning); the SDK's standard retry
 * mode retries timeouts, throttling and 5xx up to `maxAttempts` in all.
 */
export interface ClientTimeouts {
  readonly connectionTimeout: number;
  readonly requestTimeout: number;
  readonly maxAttempts: number;
}

/**
 * The API's DynamoDB calls (and its one Secrets Manager read): a normal call takes tens of
 * milliseconds. A request waits on at most four calls (idempotency claim, read, transaction,
 * a re-read after a lost race; a claim is not released after a timeout, it expires), so its
 * worst case is 4 × {@link worstCaseMs} = 4 × (2 × (1 s + 1.5 s) + 1 s back-off) = 24 s, inside
 * the function's 25 s. One stalled call alone makes a 503 after 3 to 4 s.
 */
export const API_DYNAMODB: ClientTimeouts = {
  connectionTimeout: 1_000,
  requestTimeout: 1_500,
  maxAttempts: 2,
};

/** The pipeline's DynamoDB and SQS calls (planner, sweep, senders, feedback): time to spare, retried by their triggers. */
export const PIPELINE_AWS: ClientTimeouts = {
  connectionTimeout: 1_000,
  requestTimeout: 5_000,
  maxAttempts: 3,
};

/**
 * One SES send, one attempt: a throttled send goes back to the queue. SES has no idempotency
 * key, so a send that times out after the request left may have been delivered; the long
 * timeout (SES answers in well under a second) keeps that window to stalls of 20 s or more
 * (DESIGN §3).
 */
export const SES_SEND: ClientTimeouts = { connectionTimeout: 2_000, requestTimeout: 20_000, maxAttempts: 1 };

/**
 * Worst-case time of one SDK call with these settings: every attempt waits its whole timeout,
 * and each retry backs off at most as the SDK's standard mode does after throttling
 * (`500 ms × 2^attempt`, capped at 20 s).
 */
export function worstCaseMs(timeouts: ClientTimeouts): number {
  let backoff = 0;
  for (let attempt = 1; attempt < timeouts.maxAttempts; attempt++)
    backoff += Math.min(20_000, 500 * 2 ** attempt);
  return timeouts.maxAttempts * (timeouts.connectionTimeout + timeouts.requestTimeout) + backoff;
}

/** The SDK client settings for a profile. */
export function clientSettings(timeouts: ClientTimeouts) {
  return {
    maxAttempts: timeouts.maxAttempts,
    requestHandler: {
      connectionTimeout: timeouts.connectionTimeout,
      requestTimeout: timeouts.requestTimeout,
      throwOnRequestTimeout: true,
    },
  };
}

/**
 * A mail consumer starts a message only while this much of its invocation is left: one send
 * may wait out {@link SES_SEND} and a few DynamoDB calls surround it, and a send cut off by
 * the function's own timeout would leave an outcome nobody knows. Messages not started go
 * back to the queue at once.
 */
export const MAIL_CONSUMER_MIN_REMAINING_MS = worstCaseMs(SES_SEND) + 3_000;

/**
 * The sweep starts a queue batch only while this much of its invocation is left: a batch is one
 * `SendMessageBatch` and then its conditional marks side by side, each of which may wait out
 * {@link PIPELINE_AWS}; one of them stalled to the end still finishes inside the timeout, and
 * the sweep returns cleanly, leaving what it did not start for the next tick. (Two stalled one
 * after the other run into the timeout: the batch's messages are then sent but not marked, so
 * the next tick sends them again, and the mailer's claim still sends each mail once.)
 */
export const SWEEP_MIN_REMAINING_MS = worstCaseMs(PIPELINE_AWS) + 3_000;
