import fc from 'fast-check';
import ICAL from 'ical.js';
import PostalMime, { type Email } from 'postal-mime';
import { describe, expect, it } from 'vitest';
import {
  buildCancelIcs,
  buildDeadlineIcs,
  cancelIcsAttachment,
  deadlineIcsAttachment,
  icsUid,
} from '#shared/email/ics.ts';
import { buildRawMessage, cleanDisplayName, messageIdFor } from '#shared/email/mime.ts';
import type { OutgoingMail } from '#shared/ports/mail.ts';
import { readAddressHeader, readMime } from './mime-reader.ts';

/**
 * Raw messages read by postal-mime, a MIME parser written independently of ours (and of our
 * test reader, which the last property holds to the same answers).
 */

const organizer = { email: 'no-reply@review.example', name: 'UNODC Review Mechanism' };
const uid = icsUid('0b9f6f7e-2c1a-4c55-9a0e-5d3f1f0c2a11', 'desk_review');
const publishIcs = buildDeadlineIcs({
  uid,
  deadline: '2027-09-30',
  summary: 'Срок: Диалог, обзор GRC',
  description: 'Этап «Диалог».',
  sequence: 9,
  dtstamp: '2027-06-02T07:00:00Z',
  organizer,
});
const cancelIcs = buildCancelIcs({
  uid: icsUid('0b9f6f7e-2c1a-4c55-9a0e-5d3f1f0c2a11', 'self_assessment'),
  deadline: '2027-05-31',
  summary: 'Срок: Самооценка, обзор GRC',
  sequence: 8,
  dtstamp: '2027-06-02T07:00:00Z',
  organizer,
});
const messageId = messageIdFor(
  '0b9f6f7e-2c1a-4c55-9a0e-5d3f1f0c2a11#4#2027-09-30#stage_notice#1',
  'GRC',
  'review.example',
);

type Mail = OutgoingMail & { messageDate: string };

function aMail(overrides: Partial<Mail> = {}): Mail {
  return {
    from: 'no-reply@review.example',
    fromName: 'UNODC Review Mechanism',
    to: 'ana@mfa.example',
    toName: 'Ana Pérez',
    replyTo: 'officer@unodc.example',
    messageId,
    subject: 'Обзор GRC: начался этап «Диалог»',
    text: 'Здравствуйте, Ana Pérez.\nЭтап «Диалог» начался.',
    html: '<p>Здравствуйте, <b>Ana Pérez</b>.</p>',
    attachments: [deadlineIcsAttachment(publishIcs), cancelIcsAttachment(cancelIcs)],
    messageDate: '2027-06-02T07:00:00Z',
    ...overrides,
  };
}

const parse = (mail: Mail): Promise<Email> => PostalMime.parse(buildRawMessage(mail));
const decoder = new TextDecoder();
const asText = (content: ArrayBuffer | Uint8Array | string) =>
  typeof content === 'string' ? content : decoder.decode(content);

describe('raw messages, as postal-mime reads them', () => {
  it('reads From, To, Reply-To, Message-ID, References, subject and both bodies', async () => {
    const mail = aMail();

    const email = await parse(mail);

    expect(email.from).toEqual({ name: 'UNODC Review Mechanism', address: 'no-reply@review.example' });
    expect(email.to).toEqual([{ name: 'Ana Pérez', address: 'ana@mfa.example' }]);
    expect(email.replyTo).toEqual([{ name: '', address: 'officer@unodc.example' }]);
    expect(email.messageId).toBe(`<${messageId}>`);
    expect(email.references).toBe(`<${messageId}>`);
    expect(email.subject).toBe(mail.subject);
    expect(email.text).toBe(mail.text);
    expect(email.html).toBe(mail.html);
    expect(email.date).toBe('2027-06-02T07:00:00.000Z');
    expect(email.headers.find((h) => h.key === 'auto-submitted')?.value).toBe('auto-generated');
  });

  it('reads both calendar attachments with their method, and the calendars inside them', async () => {
    const email = await parse(aMail());

    expect(email.attachments.map((a) => [a.filename, a.mimeType, a.disposition, a.method])).toEqual([
      ['deadline.ics', 'text/calendar', 'attachment', 'PUBLISH'],
      ['cancelled.ics', 'text/calendar', 'attachment', 'CANCEL'],
    ]);
    // postal-mime hands calendar parts back with LF line ends; the bytes are otherwise ours.
    const [publish, cancel] = email.attachments.map((a) => asText(a.content));
    expect(publish).toBe(publishIcs.replaceAll('\r\n', '\n'));
    expect(cancel).toBe(cancelIcs.replaceAll('\r\n', '\n'));
    const methods = [publish, cancel].map((ics) =>
      new ICAL.Component(ICAL.parse(ics ?? '')).getFirstPropertyValue('method'),
    );
    expect(methods).toEqual(['PUBLISH', 'CANCEL']);
  });

  it.each([
    ['a Spanish name', 'Ana Pérez'],
    ['an Arabic name', 'أحمد عبد الله المصري'],
    ['a Chinese name', '王小明'],
    ['a name with a comma and quotes', 'Pérez, Ana "la jefa"'],
    ['an ASCII name with a comma, quotes and a backslash', 'Perez, Ana "the \\ boss"'],
    ['a name with an address in it', 'Ana <boss@corp.example>'],
    ['a long Russian name', 'Анна Сергеевна Иванова-Петровская, Постоянное представительство'],
  ])('reads %s in To and From exactly', async (_label, name) => {
    const email = await parse(aMail({ toName: name, fromName: name }));

    expect(email.to).toEqual([{ name, address: 'ana@mfa.example' }]);
    expect(email.from).toEqual({ name, address: 'no-reply@review.example' });
  });

  it('reads a Reply-To with a display name, and a bare To', async () => {
    const email = await parse(
      aMail({ replyTo: 'María Gómez <maria.gomez@unodc.example>', toName: undefined }),
    );

    expect(email.replyTo).toEqual([{ name: 'María Gómez', address: 'maria.gomez@unodc.example' }]);
    expect(email.to).toEqual([{ name: '', address: 'ana@mfa.example' }]);
  });

  it('finds no Message-ID, References or Reply-To when none is given', async () => {
    const email = await parse(aMail({ messageId: undefined, replyTo: undefined }));

    expect(email.messageId).toBeUndefined();
    expect(email.references).toBeUndefined();
    expect(email.replyTo).toBeUndefined();
  });

  it('reads any display name back as its cleaned form, and no name adds a header or a recipient', async () => {
    const name = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.string({ unit: 'grapheme', maxLength: 60 }),
      fc.string({ unit: 'grapheme-ascii', maxLength: 120 }),
      fc.string({
        unit: fc.constantFrom(
          '"',
          ',',
          '\\',
          '\r\n',
          '\n',
          '\r',
          ' ',
          '\t',
          '<',
          '>',
          '@',
          ';',
          ':',
          '(',
          ')',
          '=?',
          '?=',
          '=?UTF-8?B?QQ==?=',
          'Bcc: evil@attacker.example',
          'é',
          '中',
          'ا',
          '\u202E',
          '\u2066',
          '\u00A0',
          'a',
        ),
        maxLength: 40,
      }),
    );
    await fc.assert(
      fc.asyncProperty(name, name, async (toName, fromName) => {
        const raw = buildRawMessage(aMail({ toName, fromName }));

        const email = await PostalMime.parse(raw);

        expect(email.to).toEqual([{ name: cleanDisplayName(toName), address: 'ana@mfa.example' }]);
        expect(email.from).toEqual({ name: cleanDisplayName(fromName), address: 'no-reply@review.example' });
        expect(email.headers.map((h) => h.key)).toEqual([
          'from',
          'to',
          'reply-to',
          'subject',
          'date',
          'message-id',
          'references',
          'mime-version',
          'auto-submitted',
          'content-type',
        ]);
        expect(email.cc).toBeUndefined();
        expect(email.bcc).toBeUndefined();
        expect(email.attachments).toHaveLength(2);
        // The project's own test reader agrees with postal-mime.
        const own = readMime(decoder.decode(raw));
        expect(readAddressHeader(own.headers.to ?? '')).toEqual(email.to?.[0]);
        expect(readAddressHeader(own.headers.from ?? '')).toEqual(email.from);
      }),
      { numRuns: 300 },
    );
  });
});
