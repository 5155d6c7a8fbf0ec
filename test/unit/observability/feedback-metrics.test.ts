import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { metrics } from '#shared/observability/metrics.ts';
import { handleMailFeedback } from '#shared/use-cases/handle-mail-feedback.ts';
import { capturingLogger, lambdaContext } from './support.ts';

// The use case stands in for the tables and the queue: what is tested is what the handler counts and logs.
vi.mock('#shared/use-cases/handle-mail-feedback.ts', () => ({ handleMailFeedback: vi.fn() }));

beforeEach(() => {
  vi.stubEnv('AWS_REGION', 'eu-central-1');
  vi.stubEnv('REVIEWS_TABLE', 'untoc-reviews');
  vi.stubEnv('NOTIFICATIONS_TABLE', 'untoc-notifications');
  vi.stubEnv('ESCALATION_QUEUE_URL', 'https://sqs.eu-central-1.amazonaws.com/123456789012/escalation');
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

/** A permanent bounce as SES publishes it, through SNS. */
const bounce = (addresses: string[]) => ({
  Records: [
    {
      Sns: {
        Message: JSON.stringify({
          eventType: 'Bounce',
          bounce: {
            bounceType: 'Permanent',
            bouncedRecipients: addresses.map((emailAddress) => ({ emailAddress })),
          },
          mail: { messageId: 'ses-1', tags: { reviewId: ['rev-4'] } },
        }),
      },
    },
  ],
});

describe('the feedback handler', () => {
  it('counts the addresses it newly marked and, apart, the notices it queued about them', async () => {
    // Arrange: two addresses newly marked, one of them no focal point of the review (no notice).
    vi.mocked(handleMailFeedback).mockResolvedValue({ marked: 2, noticesQueued: 1 });
    const { records, text } = capturingLogger();
    const counted = vi.spyOn(metrics, 'addMetric');
    const { handler } = await import('#functions/feedback.handler.ts');

    // Act
    await handler(bounce(['fp@grc.example', 'old@grc.example']), lambdaContext('fb-1', 'untoc-feedback'));

    // Assert
    expect(counted.mock.calls.map(([name, , value]) => [name, value])).toEqual([
      ['AddressMarkedUndeliverable', 2],
      ['UndeliverableNoticeQueued', 1],
    ]);
    expect(records().filter((r) => r.message === 'mail feedback handled')).toEqual([
      expect.objectContaining({
        reviewId: 'rev-4',
        marked: 2,
        noticesQueued: 1,
        function_request_id: 'fb-1',
      }),
    ]);
    expect(text()).not.toContain('fp@grc.example');
  });
});
