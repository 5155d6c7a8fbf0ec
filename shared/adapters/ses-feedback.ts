import * as z from '#shared/domain/zod.ts';
import type { MailFeedback } from '#shared/ports/mail-feedback.ts';

/**
 * SES feedback as the configuration set's event destination publishes it (`eventType`), or as
 * identity notifications do (`notificationType`): only the fields acted on. Parsed into the
 * app's {@link MailFeedback}: a permanent bounce or a complaint; anything else is `undefined`
 * (a transient bounce, a delivery, an event type added later).
 */
const SesFeedbackEvent = z.object({
  eventType: z.optional(z.string()),
  notificationType: z.optional(z.string()),
  bounce: z.optional(
    z.object({
      bounceType: z.string(),
      bouncedRecipients: z.array(z.object({ emailAddress: z.string() })),
    }),
  ),
  complaint: z.optional(z.object({ complainedRecipients: z.array(z.object({ emailAddress: z.string() })) })),
  mail: z.optional(
    z.object({
      messageId: z.optional(z.string().check(z.regex(/^[\w.-]{1,200}$/))),
      tags: z.optional(z.record(z.string(), z.array(z.string()))),
    }),
  ),
});
export const SesFeedbackMessage = z.pipe(
  SesFeedbackEvent,
  z.transform((event: z.infer<typeof SesFeedbackEvent>): MailFeedback | undefined => {
    const type = event.eventType ?? event.notificationType;
    const about = { reviewId: event.mail?.tags?.reviewId?.[0], mailId: event.mail?.messageId };
    if (type === 'Bounce' && event.bounce?.bounceType === 'Permanent') {
      return {
        cause: 'bounce',
        addresses: event.bounce.bouncedRecipients.map((r) => r.emailAddress),
        ...about,
      };
    }
    if (type === 'Complaint' && event.complaint) {
      return {
        cause: 'complaint',
        addresses: event.complaint.complainedRecipients.map((r) => r.emailAddress),
        ...about,
      };
    }
    return undefined;
  }),
);
