import * as z from 'zod';
import type { MailFeedback } from '#shared/ports/mail-feedback.ts';

/**
 * SES feedback as the configuration set's event destination publishes it (`eventType`), or as
 * identity notifications do (`notificationType`): only the fields acted on. Parsed into the
 * app's {@link MailFeedback}: a permanent bounce or a complaint; anything else is `undefined`
 * (a transient bounce, a delivery, an event type added later).
 */
export const SesFeedbackMessage = z
  .object({
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
        messageId: z
          .string()
          .regex(/^[\w.-]{1,200}$/)
          .optional(),
        tags: z.record(z.string(), z.array(z.string())).optional(),
      })
      .optional(),
  })
  .transform((event): MailFeedback | undefined => {
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
  });
