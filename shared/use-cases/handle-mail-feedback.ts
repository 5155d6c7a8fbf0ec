import * as z from 'zod';
import { participants } from '#shared/domain/review.ts';
import { maskAddress } from '#shared/email/templates.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { NotificationQueue, UndeliverableAddresses } from '#shared/ports/mail.ts';
import type { NotificationStore } from '#shared/ports/notification-store.ts';
import type { ReviewRepository } from '#shared/ports/review-repository.ts';
import { queueAtOnce } from './plan-notifications.ts';

/**
 * SES feedback as the configuration set's event destination publishes it (`eventType`), or
 * as identity notifications do (`notificationType`). Only the fields we act on.
 */
export const SesFeedback = z.object({
  eventType: z.string().optional(),
  notificationType: z.string().optional(),
  bounce: z
    .object({
      bounceType: z.string(),
      bouncedRecipients: z.array(z.object({ emailAddress: z.string() })),
    })
    .optional(),
  complaint: z.object({ complainedRecipients: z.array(z.object({ emailAddress: z.string() })) }).optional(),
  mail: z
    .object({
      /** SES's id of the mail that bounced: names the notice, so the address itself never does. */
      messageId: z
        .string()
        .regex(/^[\w.-]{1,200}$/)
        .optional(),
      tags: z.record(z.string(), z.array(z.string())).optional(),
    })
    .optional(),
});
export type SesFeedback = z.infer<typeof SesFeedback>;

export interface FeedbackDeps {
  notifications: NotificationStore;
  undeliverable: UndeliverableAddresses;
  reviews: Pick<ReviewRepository, 'get'>;
  queue: NotificationQueue;
  clock: Clock;
}

/**
 * A permanent bounce or a complaint marks the address undeliverable (later mail to it is
 * skipped) and tells the Secretariat at once, through the escalation queue. Transient bounces
 * change nothing: SES retries those itself.
 */
export async function handleMailFeedback(deps: FeedbackDeps, feedback: SesFeedback): Promise<number> {
  const type = feedback.eventType ?? feedback.notificationType;
  const now = deps.clock.now();
  let addresses: string[] = [];
  let cause: 'bounce' | 'complaint' = 'bounce';
  if (type === 'Bounce' && feedback.bounce?.bounceType === 'Permanent') {
    addresses = feedback.bounce.bouncedRecipients.map((r) => r.emailAddress);
  } else if (type === 'Complaint' && feedback.complaint) {
    addresses = feedback.complaint.complainedRecipients.map((r) => r.emailAddress);
    cause = 'complaint';
  }
  const reviewId = feedback.mail?.tags?.reviewId?.[0];
  let escalated = 0;
  const mailId = feedback.mail?.messageId ?? `unidentified-${now}`;
  for (const [index, address] of addresses.entries()) {
    const newly = await deps.undeliverable.mark(address, cause, now);
    const review = reviewId ? await deps.reviews.get(reviewId) : undefined;
    if (!newly || !review) continue;
    const state = participants(review).find(
      (s) => review.focalPoints[s]?.email.trim().toLowerCase() === address.trim().toLowerCase(),
    );
    const notice = {
      // One notice per bounced recipient of one mail (a second bounce of the address marks
      // nothing new and plans nothing): no identifier is derived from the address.
      id: `${review.id}#${review.stageEpoch}#undeliverable#${mailId}#${index + 1}`,
      reviewId: review.id,
      stage: review.stage,
      stageEpoch: review.stageEpoch,
      deadline: review.deadline,
      kind: 'undeliverable' as const,
      occurrence: 1,
      offsetDays: 0,
      audience: 'secretariat' as const,
      dueAt: now,
      detail: { state, cause, addressHint: maskAddress(address) },
    };
    const written = await deps.notifications.addPlanned([notice], now);
    escalated += await queueAtOnce(deps, 'escalation', written, now);
  }
  return escalated;
}
