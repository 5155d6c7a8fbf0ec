import fc from 'fast-check';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { buildDeadlineIcs, deadlineIcsAttachment, icsUid } from '#shared/email/ics.ts';
import { buildRawMessage } from '#shared/email/mime.ts';
import { renderFocalPointMail } from '#shared/email/templates.ts';
import type { OutgoingMail } from '#shared/ports/mail.ts';
import { aFocalPointMail } from './factories.ts';
import {
  decodeBase64Body,
  decodeHeader,
  encodedWords,
  type MimeEntity,
  readMime,
  utf8,
} from './mime-reader.ts';

const ics = buildDeadlineIcs({
  uid: icsUid('rev-1', 2),
  deadline: '2027-05-31',
  summary: 'Срок: Кабинетный обзор, GRC',
  description: 'Срок этапа «Кабинетный обзор» странового обзора GRC.',
  sequence: 0,
  dtstamp: '2027-05-01T07:00:00Z',
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
  it('writes the headers SES needs and no Message-ID', () => {
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
    expect(event.uid).toBe('rev-1-2@untoc-review-tracker');
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

  it('refuses a message date that is not an ISO instant', () => {
    expect(() => buildRawMessage(aMail({ messageDate: 'Tuesday' } as Partial<OutgoingMail>))).toThrow(
      RangeError,
    );
  });
});
