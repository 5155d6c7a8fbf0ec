import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SESClient } from '@aws-sdk/client-ses';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, type LocalEmulators, startEmulators } from '#infra/local/emulators.ts';
import { readMailbox } from '#infra/local/local-mailbox.ts';
import { DynamoDbDeliveryStore } from '#shared/adapters/dynamodb-delivery-store.ts';
import { DynamoDbNotificationStore } from '#shared/adapters/dynamodb-notification-store.ts';
import { DynamoDbReviewRepository } from '#shared/adapters/dynamodb-review-repository.ts';
import { SesMailer } from '#shared/adapters/ses-mailer.ts';
import { createProcessRegistry } from '#shared/domain/process-registry.ts';
import { UNTOC_PROCESS } from '#shared/domain/processes/untoc.ts';
import { createReview } from '#shared/domain/review.ts';
import { fixedClock } from '#shared/ports/clock.ts';
import { MailThrottledError } from '#shared/ports/mail.ts';
import { deliverNotification } from '#shared/use-cases/deliver-notification.ts';
import { planFromReviewChange } from '#shared/use-cases/plan-notifications.ts';
import { createTemplateTables } from './support/template-tables.ts';

/**
 * SES throttling injected at the transport, not by mocking the client: a request handler
 * sends the first N requests to a server that answers as SES does when throttling.
 */
let emulators: LocalEmulators;
let throttler: Server;
let throttlerPort = 0;
let faults = 0;
let documents: DynamoDBDocumentClient;
const tables: Record<string, string> = {};

beforeAll(async () => {
  emulators = await startEmulators();
  throttler = createServer((_req, res) => {
    res.writeHead(400, { 'content-type': 'text/xml' });
    res.end(
      '<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Maximum sending rate exceeded.</Message></Error><RequestId>x</RequestId></ErrorResponse>',
    );
  });
  await new Promise<void>((resolve) => throttler.listen(0, '127.0.0.1', () => resolve()));
  throttlerPort = (throttler.address() as AddressInfo).port;
  const created = await createTemplateTables(emulators);
  documents = created.documents;
  tables.ReviewsTable = created.reviews;
  tables.NotificationsTable = created.notifications;
});
afterAll(async () => {
  throttler?.close();
  await emulators?.stop();
});

function faultySes(): SESClient {
  const config = clientConfig(emulators, 'ses');
  const inner = new SESClient(config).config.requestHandler;
  return new SESClient({
    ...config,
    maxAttempts: 1,
    requestHandler: {
      handle: (request: { hostname: string; port?: number }, options?: unknown) => {
        if (faults > 0) {
          faults--;
          request.hostname = '127.0.0.1';
          request.port = throttlerPort;
        }
        return (inner as { handle: (r: unknown, o?: unknown) => Promise<unknown> }).handle(request, options);
      },
    } as never,
  });
}

describe('SES throttling', () => {
  it('loses nothing and sends nothing twice: the claim is given back and the retry sends only what is missing', async () => {
    const now = '2027-01-04T10:00:00Z';
    const { review, event } = createReview(
      UNTOC_PROCESS,
      {
        stateUnderReview: 'GRC',
        cluster: 1,
        instruments: ['UNTOC'],
        reviewingStates: [
          { state: 'AUT', instruments: ['UNTOC'] },
          { state: 'BRA', instruments: ['UNTOC'] },
        ],
        language: 'en',
        launchedAt: '2027-01-04',
        focalPoints: {
          GRC: { name: 'G', email: 'g@throttle.example', language: 'en' },
          AUT: { name: 'A', email: 'a@throttle.example', language: 'fr' },
          BRA: { name: 'B', email: 'b@throttle.example', language: 'es' },
        },
      },
      { id: 'rev-throttle', now, actor: { id: 'u' } },
    );
    const reviews = new DynamoDbReviewRepository(documents, tables.ReviewsTable ?? '');
    await reviews.create(review, event);
    const notifications = new DynamoDbNotificationStore(documents, tables.NotificationsTable ?? '');
    const queued: string[] = [];
    await planFromReviewChange(
      {
        processes: createProcessRegistry([UNTOC_PROCESS]),
        notifications,
        queue: {
          enqueue: async (_t, items) => {
            queued.push(...items.map((i) => i.id));
            return [];
          },
        },
      },
      { newReview: (await reviews.get('rev-throttle')) ?? review },
    );
    const ref = { reviewId: 'rev-throttle', stageEpoch: 1, id: queued[0] ?? '' };
    const clock = fixedClock('2027-01-04T10:00:05Z');
    const deps = {
      processes: createProcessRegistry([UNTOC_PROCESS]),
      notifications,
      deliveries: new DynamoDbDeliveryStore(documents, {
        notifications: tables.NotificationsTable ?? '',
        reviews: tables.ReviewsTable ?? '',
      }),
      mailer: new SesMailer(faultySes(), clock),
      clock,
      senderEmail: 'no-reply@tracker.example',
      senderName: 'UNODC Review Mechanism',
      secretariatEmail: 'secretariat@un.example',
      claimTimeoutMs: 180_000,
      newToken: () => `attempt-${Math.random()}`,
    };

    // The first send goes through, the second is throttled: the message fails and the claim is given back.
    const sendFirstThenThrottle = async () => {
      const ses = deps.mailer;
      let calls = 0;
      deps.mailer = {
        send: async (mail) => {
          calls++;
          if (calls === 2) faults = 1;
          return ses.send(mail);
        },
      } as SesMailer;
    };
    await sendFirstThenThrottle();
    await expect(deliverNotification(deps, ref)).rejects.toThrow(MailThrottledError);
    expect((await notifications.get(ref))?.status).toBe('queued');

    // The queue's retry, and then a duplicate delivery of the same message.
    expect(await deliverNotification(deps, ref)).toEqual({
      outcome: 'sent',
      kind: 'stage_notice',
      deliveries: 3,
    });
    expect(await deliverNotification(deps, ref)).toEqual({ outcome: 'duplicate' });

    const mailbox = (await readMailbox(emulators.endpoints.ses)).filter((m) =>
      m.to[0]?.endsWith('@throttle.example'),
    );
    expect(mailbox.map((m) => m.to[0]).sort()).toEqual([
      'a@throttle.example',
      'b@throttle.example',
      'g@throttle.example',
    ]);
    const record = await notifications.get(ref);
    expect(record?.status).toBe('sent');
    expect(record?.deliveries.map((d) => d.recipient)).toEqual(['GRC', 'AUT', 'BRA']);
  });
});
