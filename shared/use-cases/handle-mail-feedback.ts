import { participants } from '#shared/domain/review.ts';
import { maskAddress } from '#shared/email/templates.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { NotificationQueue, UndeliverableAddresses } from '#shared/ports/mail.ts';
import type { MailFeedback } from '#shared/ports/mail-feedback.ts';
import type { NotificationStore } from '#shared/ports/notification-store.ts';
import type { ReviewRepository } from '#shared/ports/review-repository.ts';
import { queueAtOnce } from './plan-notifications.ts';

export interface FeedbackDeps {
  notifications: NotificationStore;
  undeliverable: UndeliverableAddresses;
  reviews: Pick<ReviewRepository, 'get'>;
  queue: NotificationQueue;
  clock: Clock;
}

/** What handling one piece of feedback did. */
export interface FeedbackOutcome {
  /** Addresses newly marked undeliverable. */
  marked: number;
  /** Notices to the Secretariat queued about them. */
  noticesQueued: number;
}

/**
 * A permanent bounce or a complaint marks the address undeliverable (later mail to it is
 * skipped) and tells the Secretariat at once, through the escalation queue. An address already
 * marked changes nothing.
 */
export async function handleMailFeedback(
  deps: FeedbackDeps,
  feedback: MailFeedback,
): Promise<FeedbackOutcome> {
  const now = deps.clock.now();
  const mailId = feedback.mailId ?? `unidentified-${now}`;
  const outcome: FeedbackOutcome = { marked: 0, noticesQueued: 0 };
  for (const [index, address] of feedback.addresses.entries()) {
    const newly = await deps.undeliverable.mark(address, feedback.cause, now);
    if (!newly) continue;
    outcome.marked++;
    const review = feedback.reviewId ? await deps.reviews.get(feedback.reviewId) : undefined;
    if (!review) continue;
    // Whose address it is: a focal point's, or a governmental expert's (the same rules apply).
    const same = (email: string | undefined) => email?.trim().toLowerCase() === address.trim().toLowerCase();
    const state = participants(review).find(
      (s) => same(review.focalPoints[s]?.email) || (review.experts[s] ?? []).some((e) => same(e.email)),
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
      detail: { state, cause: feedback.cause, addressHint: maskAddress(address) },
    };
    const written = await deps.notifications.addPlanned([notice], now);
    outcome.noticesQueued += await queueAtOnce(deps, 'escalation', written);
  }
  return outcome;
}
