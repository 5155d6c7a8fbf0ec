import fc from 'fast-check';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { buildDeadlineIcs, deadlineIcsAttachment, icsUid } from '#shared/email/ics.ts';
import { buildRawMessage, cleanDisplayName, mailboxAddress, messageIdFor } from '#shared/email/mime.ts';
import { renderFocalPointMail } from '#shared/email/templates.ts';
import type { OutgoingMail } from '#shared/ports/mail.ts';
import { aFocalPointMail } from './factories.ts';
import {
  decodeBase64Body,
  decodeHeader,
  encodedWords,
  type MimeEntity,
  readAddressHeader,
  readMime,
  utf8,
} from './mime-reader.ts';

const ics = buildDeadlineIcs({
  uid: icsUid('rev-1', 'desk_review'),
  deadline: '2027-05-31',
  summary: 'Срок: Кабинетный обзор, GRC',
  description: 'Срок этапа «Кабинетный обзор» странового обзора GRC.',
  sequence: 0,
  dtstamp: '2027-05-01T07:00:00Z',
  organizer: { email: 'no-reply@review.example', name: 'UNODC Review Mechanism' },
});

function aMail(overrides: Partial<OutgoingMail> = {}): OutgoingMail & { messageDate: string } {
  const rendered = renderFocalPointMail(aFocalPointMail({ language: 'ru', recipientName: 'Анна Иванова' }));
  return {
    from: 'UNODC Review Mechanism <no-reply@review.example>',
    to: 'anna.ivanova@mid.example',
    ...rendered,
    attachments: [deadlineIcsAttachment(ics)],
    tags: { kind: 'reminder' },
    messageDate: '2027-05-01T07:00:00.123Z',
    ...overrides,
  };
}

const decoder = new TextDecoder();
const read = (mail: OutgoingMail & { messageDate: string }) => {
  const raw = decoder.decode(buildRawMessage(mail));
  return { raw, message: readMime(raw) };
};
const textOf = (entity: MimeEntity | undefined) => utf8(decodeBase64Body(entity?.body ?? ''));

describe('buildRawMessage', () => {
  it('writes the headers SES needs, and no Reply-To or Message-ID unless given', () => {
    const { message } = read(aMail());

    expect(message.headerNames).toEqual([
      'From',
      'To',
      'Subject',
      'Date',
      'MIME-Version',
      'Auto-Submitted',
      'Content-Type',
    ]);
    expect(message.headers.from).toBe('"UNODC Review Mechanism" <no-reply@review.example>');
    expect(message.headers.to).toBe('anna.ivanova@mid.example');
    expect(message.headers.date).toBe('Sat, 01 May 2027 07:00:00 +0000');
    expect(message.headers['mime-version']).toBe('1.0');
    expect(message.headers['message-id']).toBeUndefined();
    expect(message.headers['content-type']).toMatch(/^multipart\/mixed; boundary="[^"]+"$/);
  });

  it('is ASCII with CRLF line ends only', () => {
    const bytes = buildRawMessage(aMail());
    const raw = decoder.decode(bytes);

    expect(bytes.every((b) => b < 0x80)).toBe(true);
    expect(raw).not.toMatch(/\r(?!\n)|(?<!\r)\n/);
    expect(raw.endsWith('\r\n')).toBe(true);
  });

  it('round-trips the text, the HTML and the calendar attachment', () => {
    const mail = aMail();

    const { message } = read(mail);

    const [alternative, attachment, extra] = message.parts;
    expect(extra).toBeUndefined();
    expect(alternative?.headers['content-type']).toMatch(/^multipart\/alternative; boundary="[^"]+"$/);
    const [plain, html] = alternative?.parts ?? [];
    expect(plain?.headers['content-type']).toBe('text/plain; charset=UTF-8');
    expect(plain?.headers['content-transfer-encoding']).toBe('base64');
    expect(textOf(plain)).toBe(mail.text);
    expect(html?.headers['content-type']).toBe('text/html; charset=UTF-8');
    expect(html?.headers['content-transfer-encoding']).toBe('base64');
    expect(textOf(html)).toBe(mail.html);
    expect(attachment?.headers['content-type']).toBe('text/calendar; charset=UTF-8; method=PUBLISH');
    expect(attachment?.headers['content-disposition']).toBe('attachment; filename="deadline.ics"');
    expect(attachment?.headers['content-transfer-encoding']).toBe('base64');
    const calendar = textOf(attachment);
    expect(calendar).toBe(ics);
    const event = new ICAL.Event(
      new ICAL.Component(ICAL.parse(calendar)).getFirstSubcomponent('vevent') ?? undefined,
    );
    expect(event.uid).toBe('rev-1.desk_review@untoc-review-tracker');
  });

  it('keeps nested boundaries distinct and out of every body', () => {
    const { raw, message } = read(aMail());

    const outer = /boundary="([^"]+)"/.exec(message.headers['content-type'] ?? '')?.[1] ?? '';
    const inner = /boundary="([^"]+)"/.exec(message.parts[0]?.headers['content-type'] ?? '')?.[1] ?? '';
    expect(outer).not.toBe('');
    expect(inner).not.toBe('');
    expect(inner.startsWith(outer)).toBe(false);
    expect(outer.startsWith(inner)).toBe(false);
    expect(raw.split(`--${outer}\r\n`)).toHaveLength(3);
    expect(raw.split(`--${inner}\r\n`)).toHaveLength(3);
  });

  it('is still a valid message without attachments', () => {
    const mail = aMail({ attachments: undefined });

    const { message } = read(mail);

    expect(message.parts).toHaveLength(1);
    expect(textOf(message.parts[0]?.parts[0])).toBe(mail.text);
    expect(textOf(message.parts[0]?.parts[1])).toBe(mail.html);
  });

  it('carries binary and non-ASCII-named attachments', () => {
    const bytes = new Uint8Array([0, 255, 13, 10, 128, 1]);

    const { message } = read(
      aMail({
        attachments: [
          { filename: 'пример "1".bin', contentType: 'application/octet-stream', content: bytes },
        ],
      }),
    );

    const attachment = message.parts[1];
    expect(decodeBase64Body(attachment?.body ?? '')).toEqual(bytes);
    expect(attachment?.headers['content-type']).toBe('application/octet-stream');
    expect(attachment?.headers['content-disposition']).toContain('filename="______ _1_.bin"');
    expect(attachment?.headers['content-disposition']).toContain(
      "filename*=UTF-8''%D0%BF%D1%80%D0%B8%D0%BC%D0%B5%D1%80%20_1_.bin",
    );
  });

  it('encodes a non-ASCII subject as UTF-8 words that decode to it', () => {
    const mail = aMail();

    const { message } = read(mail);

    expect(message.headers.subject).toMatch(/^=\?UTF-8\?B\?/);
    expect(decodeHeader(message.headers.subject ?? '')).toBe(mail.subject);
  });

  it('leaves a short ASCII subject readable and folds a long one at spaces', () => {
    const short = 'Review of GRC: Desk review deadline has passed';
    const long = `Reminder ${'review of GRC '.repeat(12)}end`;

    const a = read(aMail({ subject: short })).message;
    const b = read(aMail({ subject: long })).message;

    expect(a.headers.subject).toBe(short);
    expect(b.headers.subject).toBe(long);
    const subjectLines = b.headerLines.slice(b.headerLines.findIndex((l) => l.startsWith('Subject:')));
    expect(subjectLines[1]?.startsWith(' ')).toBe(true);
    for (const line of b.headerLines) expect(line.length).toBeLessThanOrEqual(78);
  });

  it('round-trips any Unicode subject through encoded words of at most 75 characters', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.string({ unit: 'grapheme', maxLength: 120 }),
          fc.string({ unit: 'grapheme-ascii', maxLength: 200 }),
          fc.string({
            unit: fc.constantFrom('=?', '?=', ' ', 'a', 'é', '中', '😀', '\r\n', '\t'),
            maxLength: 80,
          }),
        ),
        (subject) => {
          const { message } = read(aMail({ subject }));

          const expected = subject.replace(/\p{Cc}/gu, ' ');
          expect(decodeHeader(message.headers.subject ?? '')).toBe(expected);
          for (const word of encodedWords(message.headers.subject ?? '')) {
            expect(word.length).toBeLessThanOrEqual(75);
          }
          for (const line of message.headerLines) expect(line.length).toBeLessThanOrEqual(78);
          expect(message.headerNames).toHaveLength(7);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('cannot be made to write a header through CR or LF in the subject', () => {
    const { message } = read(aMail({ subject: 'Hello\r\nBcc: evil@attacker.example\r\n\r\nbody' }));

    expect(message.headerNames).not.toContain('Bcc');
    expect(message.headerNames).toHaveLength(7);
    expect(decodeHeader(message.headers.subject ?? '')).toBe('Hello  Bcc: evil@attacker.example    body');
    expect(message.parts).toHaveLength(2);
  });

  it('refuses an address that would add a header or a recipient', () => {
    expect(() => buildRawMessage(aMail({ to: 'a@x.example\r\nBcc: evil@attacker.example' }))).toThrow(
      RangeError,
    );
    expect(() => buildRawMessage(aMail({ to: 'a@x.example, evil@attacker.example' }))).toThrow(RangeError);
    expect(() => buildRawMessage(aMail({ from: 'Bob <a@x.example>, <evil@attacker.example>' }))).toThrow(
      RangeError,
    );
  });

  it('encodes a non-ASCII display name in From', () => {
    const { message } = read(aMail({ from: 'Secretaría del Mecanismo <no-reply@review.example>' }));

    expect(message.headers.from).toMatch(/^=\?UTF-8\?B\?.*\?= <no-reply@review\.example>$/);
    expect(decodeHeader(message.headers.from ?? '')).toBe(
      'Secretaría del Mecanismo <no-reply@review.example>',
    );
  });

  it('writes Reply-To, display names and our Message-ID, repeated in References, in a fixed order', () => {
    const id = messageIdFor('rev-1#2#2027-05-31#reminder#1', 'AUT', 'review.example');

    const { message } = read(
      aMail({
        from: 'no-reply@review.example',
        fromName: 'UNODC Review Mechanism',
        toName: 'Anna Ivanova',
        replyTo: 'Officer Name <officer@unodc.example>',
        messageId: id,
      }),
    );

    expect(message.headerNames).toEqual([
      'From',
      'To',
      'Reply-To',
      'Subject',
      'Date',
      'Message-ID',
      'References',
      'MIME-Version',
      'Auto-Submitted',
      'Content-Type',
    ]);
    expect(message.headers.from).toBe('"UNODC Review Mechanism" <no-reply@review.example>');
    expect(message.headers.to).toBe('"Anna Ivanova" <anna.ivanova@mid.example>');
    expect(message.headers['reply-to']).toBe('"Officer Name" <officer@unodc.example>');
    expect(message.headers['message-id']).toBe(`<${id}>`);
    expect(message.headers.references).toBe(`<${id}>`);
  });

  it('lets fromName and toName replace a name written in the address', () => {
    const { message } = read(
      aMail({ from: 'Old <no-reply@review.example>', fromName: 'New', to: 'X <a@b.example>', toName: 'Y' }),
    );

    expect(message.headers.from).toBe('"New" <no-reply@review.example>');
    expect(message.headers.to).toBe('"Y" <a@b.example>');
  });

  it.each([
    ['a Spanish name', 'Ana Pérez', 'Ana Pérez'],
    ['an Arabic name', 'أحمد المصري', 'أحمد المصري'],
    ['a Chinese name', '王小明', '王小明'],
    ['a name with a comma and quotes', 'Pérez, Ana "la jefa"', 'Pérez, Ana "la jefa"'],
    [
      'an ASCII name with a comma, quotes and a backslash',
      'Perez, Ana "the \\ boss"',
      'Perez, Ana "the \\ boss"',
    ],
    [
      'a name with CR LF and a header after it',
      'Ana\r\nBcc: evil@attacker.example',
      'Ana Bcc: evil@attacker.example',
    ],
    [
      'a name with bidi overrides, isolates and marks',
      '\u202Eanitsirhc\u202C Mallory\u2066\u200F',
      'anitsirhc Mallory',
    ],
    ['a name with edge spaces, a tab and NUL', '  Ana \t\u0000 Pérez  ', 'Ana Pérez'],
    ['a name that looks like an encoded word', '=?UTF-8?B?QQ==?=', '=?UTF-8?B?QQ==?='],
    ['a name holding an address', 'Bob <boss@corp.example>', 'Bob <boss@corp.example>'],
  ])('writes %s so that it reads back cleaned, in one To header', (_label, toName, expected) => {
    const { message } = read(aMail({ toName }));

    expect(readAddressHeader(message.headers.to ?? '')).toEqual({
      name: expected,
      address: 'anna.ivanova@mid.example',
    });
    expect(message.headerNames.filter((h) => h === 'To')).toHaveLength(1);
    expect(message.headerNames).not.toContain('Bcc');
    for (const line of message.headerLines) expect(line.length).toBeLessThanOrEqual(78);
  });

  it('quotes plain ASCII names and encodes the rest, and encodes an ASCII name too long to quote on one line', () => {
    const long = 'Permanent Mission of the Republic to the United Nations (Vienna) Office';

    expect(read(aMail({ toName: 'Ana "A" \\ B' })).message.headers.to).toBe(
      '"Ana \\"A\\" \\\\ B" <anna.ivanova@mid.example>',
    );
    expect(read(aMail({ toName: 'Ana Pérez' })).message.headers.to).toMatch(
      /^=\?UTF-8\?B\?[^?]+\?= <anna\.ivanova@mid\.example>$/,
    );
    const { message } = read(aMail({ toName: long }));
    expect(message.headers.to).toMatch(/^=\?UTF-8\?B\?/);
    expect(readAddressHeader(message.headers.to ?? '').name).toBe(long);
  });

  it('writes a bare address when the name cleans to nothing', () => {
    expect(read(aMail({ toName: ' \u202E\r\n ' })).message.headers.to).toBe('anna.ivanova@mid.example');
  });

  it('reads back any display name as its cleaned form, in exactly one To header', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 80 }),
          fc.string({
            unit: fc.constantFrom(
              '"',
              ',',
              '\\',
              '\r\n',
              '\n',
              ' ',
              '<',
              '>',
              '=?',
              'é',
              '中',
              'ا',
              '\u202E',
              'a',
            ),
            maxLength: 40,
          }),
        ),
        (toName) => {
          const { message } = read(aMail({ toName }));

          expect(readAddressHeader(message.headers.to ?? '')).toEqual({
            name: cleanDisplayName(toName),
            address: 'anna.ivanova@mid.example',
          });
          expect(message.headerNames).toHaveLength(7);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a Message-ID that is not dot-atom-text@dot-atom-text', () => {
    for (const messageId of [
      '<a@b>',
      'a@b\r\nBcc: evil@attacker.example',
      'a b@c',
      'a..b@c',
      '.a@c',
      'a@b.',
      'ab',
      'a@b@c',
      'a@[127.0.0.1]',
      'é@b',
      `${'a'.repeat(900)}@b`,
    ]) {
      expect(() => buildRawMessage(aMail({ messageId }))).toThrow(/Message-ID must be dot-atom-text/);
    }
    expect(() => buildRawMessage(aMail({ messageId: "a.b!#$%&'*+/=?^_`{|}~-@c.d" }))).not.toThrow();
  });

  it('refuses a Reply-To that is not one address', () => {
    expect(() => buildRawMessage(aMail({ replyTo: 'a@x.example, b@y.example' }))).toThrow(RangeError);
    expect(() => buildRawMessage(aMail({ replyTo: 'a@x.example\r\nBcc: b@y.example' }))).toThrow(RangeError);
  });

  it('refuses a message date that is not an ISO instant', () => {
    expect(() => buildRawMessage(aMail({ messageDate: 'Tuesday' } as Partial<OutgoingMail>))).toThrow(
      RangeError,
    );
  });
});

describe('messageIdFor', () => {
  const notification = '0b9f6f7e-2c1a-4c55-9a0e-5d3f1f0c2a11#3#2027-05-31#reminder#1';

  it('is the same for the same notification and recipient, and differs otherwise', () => {
    const id = messageIdFor(notification, 'GRC', 'untoc-review-tracker');

    expect(messageIdFor(notification, 'GRC', 'untoc-review-tracker')).toBe(id);
    expect(messageIdFor(notification, 'GRC.expert.1a2b3c', 'untoc-review-tracker')).not.toBe(id);
    expect(messageIdFor(notification.replace('#1', '#2'), 'GRC', 'untoc-review-tracker')).not.toBe(id);
    expect(messageIdFor(notification, 'GRC', 'review.example')).not.toBe(id);
    expect(id).toMatch(/^untoc\.[a-z2-7]{32}@untoc-review-tracker$/);
  });

  it('does not mistake one pair for another that joins to the same text', () => {
    expect(messageIdFor('a#b', 'c', 'x.example')).not.toBe(messageIdFor('a', 'b#c', 'x.example'));
  });

  it('makes an id buildRawMessage accepts from any notification id and recipient key', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (id, key) => {
        const messageId = messageIdFor(id, key, 'untoc-review-tracker');

        const { message } = read(aMail({ messageId }));

        expect(message.headers['message-id']).toBe(`<${messageId}>`);
        for (const line of message.headerLines) expect(line.length).toBeLessThanOrEqual(78);
      }),
      { numRuns: 100 },
    );
  });

  it('refuses a domain that is not dot-atom-text', () => {
    for (const domain of ['', 'a b', 'a..b', '[127.0.0.1]', 'x>y', 'a@b']) {
      expect(() => messageIdFor(notification, 'GRC', domain)).toThrow(RangeError);
    }
  });
});

describe('mailboxAddress', () => {
  it('is the address of a mailbox, with or without a name', () => {
    expect(mailboxAddress('a@b.example')).toBe('a@b.example');
    expect(mailboxAddress('"Ana" <a@b.example>')).toBe('a@b.example');
    expect(() => mailboxAddress('a@b.example, c@d.example')).toThrow(RangeError);
  });
});
