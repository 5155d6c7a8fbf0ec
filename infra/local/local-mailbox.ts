import * as z from 'zod';

/**
 * `/_local/mailbox`: the SES emulator's store, normalised to one entry per message with
 * recipients as arrays (its raw-mail path records `to` as one joined string).
 */

const StoredEmail = z.object({
  messageId: z.string(),
  from: z.string(),
  destination: z.object({
    to: z.array(z.string()).default([]),
    cc: z.array(z.string()).default([]),
    bcc: z.array(z.string()).default([]),
  }),
  subject: z.string().default(''),
  body: z.object({ text: z.string().optional(), html: z.string().optional() }),
  attachments: z
    .array(
      z.object({
        filename: z.string().optional(),
        contentType: z.string(),
        size: z.number().optional(),
        content: z.string(),
      }),
    )
    .default([]),
  at: z.number(),
});
const Store = z.object({ emails: z.array(StoredEmail) });

export interface MailboxMessage {
  id: string;
  receivedAt: string;
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  html: string;
  attachments: { filename: string; contentType: string; size: number; content: string }[];
  /** The notification kind the send was tagged with (`stage_notice`, `reminder` …), when known. */
  kind?: string | undefined;
  /** The review the send was tagged with, when known. */
  reviewId?: string | undefined;
  /** The stage epoch the send was tagged with, when known. */
  stageEpoch?: number | undefined;
}

/** The message tags of a send, by the emulator's message id (kept by the local SES front). */
export type TagLookup = (messageId: string) => Record<string, string> | undefined;

/** The bare addresses of address headers (`"Name" <a@b>, c@d`): display names left out. */
const split = (addresses: string[]) =>
  addresses.flatMap((a) =>
    [...a.replace(/"(?:[^"\\]|\\.)*"/g, '').matchAll(/[^\s<>,"]+@[^\s<>,"]+/g)].map((m) => m[0]),
  );

/**
 * Every message in the SES emulator, oldest first. `to` holds bare addresses: the send's own
 * `Destinations` when `destinationsOf` knows them (the emulator records the To header, display
 * names and all).
 */
export async function readMailbox(
  sesEndpoint: string,
  tagsOf?: TagLookup,
  destinationsOf?: (messageId: string) => string[] | undefined,
): Promise<MailboxMessage[]> {
  const response = await fetch(`${sesEndpoint}/store`);
  const store = Store.parse(await response.json());
  return store.emails
    .map((e) => ({
      ...taggedFields(tagsOf?.(e.messageId)),
      id: e.messageId,
      receivedAt: new Date(e.at * 1000).toISOString(),
      from: e.from,
      to: destinationsOf?.(e.messageId) ?? split(e.destination.to),
      cc: split(e.destination.cc),
      subject: e.subject,
      text: e.body.text ?? '',
      html: e.body.html ?? '',
      attachments: e.attachments.map((a) => ({
        filename: a.filename ?? '',
        contentType: a.contentType,
        size: a.size ?? Buffer.from(a.content, 'base64').length,
        content: a.content,
      })),
    }))
    .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
}

function taggedFields(tags: Record<string, string> | undefined) {
  if (!tags) return {};
  const epoch = Number(tags.stageEpoch);
  return {
    kind: tags.notificationKind,
    reviewId: tags.reviewId,
    ...(Number.isInteger(epoch) ? { stageEpoch: epoch } : {}),
  };
}

/** Empties the SES emulator's store. */
export async function clearMailbox(sesEndpoint: string): Promise<void> {
  await fetch(`${sesEndpoint}/clear-store`, { method: 'POST' });
}
