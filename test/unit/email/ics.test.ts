import fc from 'fast-check';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import {
  buildCancelIcs,
  buildDeadlineIcs,
  type CancelIcsInput,
  cancelIcsAttachment,
  type DeadlineIcsInput,
  deadlineIcsAttachment,
  icsTextContent,
  icsUid,
} from '#shared/email/ics.ts';

const octets = (line: string) => new TextEncoder().encode(line).length;

function anIcs(overrides: Partial<DeadlineIcsInput> = {}): DeadlineIcsInput {
  return {
    uid: icsUid('rev-1', 'desk_review'),
    deadline: '2027-05-31',
    summary: 'Deadline: Desk review, review of GRC',
    description: 'Written feedback sent.\nDeadline: 31 May 2027, end of day, Vienna time',
    sequence: 0,
    dtstamp: '2027-05-01T07:00:00.250Z',
    organizer: { email: 'no-reply@review.example', name: 'UNODC Review Mechanism' },
    ...overrides,
  };
}

function aCancel(overrides: Partial<CancelIcsInput> = {}): CancelIcsInput {
  return {
    uid: icsUid('rev-1', 'desk_review'),
    deadline: '2027-05-31',
    summary: 'Deadline: Desk review, review of GRC',
    sequence: 4,
    dtstamp: '2027-06-02T07:00:00Z',
    organizer: { email: 'no-reply@review.example', name: 'UNODC Review Mechanism' },
    ...overrides,
  };
}

function parseEvent(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const vevent = calendar.getFirstSubcomponent('vevent');
  if (!vevent) throw new Error('no VEVENT');
  return { calendar, vevent, event: new ICAL.Event(vevent) };
}

/** Every physical line ends with CRLF, has no other CR or LF, and is at most 75 octets. */
function expectWellFormedLines(ics: string): void {
  expect(ics.endsWith('\r\n')).toBe(true);
  const lines = ics.slice(0, -2).split('\r\n');
  for (const line of lines) {
    expect(line).not.toMatch(/[\r\n]/);
    expect(octets(line)).toBeLessThanOrEqual(75);
  }
}

describe('buildDeadlineIcs', () => {
  it('makes a calendar that ical.js parses into one all-day event on the deadline date', () => {
    const ics = buildDeadlineIcs(anIcs({ url: 'https://tracker.example/reviews/rev-1' }));

    const { calendar, vevent, event } = parseEvent(ics);

    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(calendar.getFirstPropertyValue('calscale')).toBe('GREGORIAN');
    expect(calendar.getFirstPropertyValue('prodid')).toBe('-//UNODC//untoc-review-tracker//EN');
    expect(calendar.getAllSubcomponents('vevent')).toHaveLength(1);
    expect(event.startDate.isDate).toBe(true);
    expect(event.startDate.toString()).toBe('2027-05-31');
    expect(event.endDate.isDate).toBe(true);
    expect(event.endDate.toString()).toBe('2027-06-01');
    expect(event.uid).toBe('rev-1.desk_review@untoc-review-tracker');
    expect(event.sequence).toBe(0);
    expect(event.summary).toBe('Deadline: Desk review, review of GRC');
    expect(event.description).toBe('Written feedback sent.\nDeadline: 31 May 2027, end of day, Vienna time');
    expect(vevent.getFirstPropertyValue('transp')).toBe('TRANSPARENT');
    expect(vevent.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(vevent.getFirstPropertyValue('organizer')).toBe('mailto:no-reply@review.example');
    expect(vevent.getFirstProperty('organizer')?.getParameter('cn')).toBe('UNODC Review Mechanism');
    expect(vevent.getAllProperties('attendee')).toHaveLength(0);
    expect(vevent.getFirstPropertyValue('url')).toBe('https://tracker.example/reviews/rev-1');
    expect(vevent.getFirstPropertyValue('dtstamp')?.toString()).toBe('2027-05-01T07:00:00Z');
    expect(ics).toContain('\r\nDTSTART;VALUE=DATE:20270531\r\n');
    expect(ics).toContain('\r\nDTEND;VALUE=DATE:20270601\r\n');
    expect(ics).toContain('\r\nDTSTAMP:20270501T070000Z\r\n');
  });

  it('keeps the UID of a review stage and carries the SEQUENCE it is given, so a moved deadline updates', () => {
    const first = parseEvent(buildDeadlineIcs(anIcs({ sequence: 0 }))).event;
    const moved = parseEvent(buildDeadlineIcs(anIcs({ sequence: 1, deadline: '2027-06-30' }))).event;

    expect(moved.uid).toBe(first.uid);
    expect(moved.sequence).toBe(1);
    expect(moved.startDate.toString()).toBe('2027-06-30');
  });

  it('ends the event on the next day across month, year and leap-day boundaries', () => {
    expect(parseEvent(buildDeadlineIcs(anIcs({ deadline: '2027-12-31' }))).event.endDate.toString()).toBe(
      '2028-01-01',
    );
    expect(parseEvent(buildDeadlineIcs(anIcs({ deadline: '2028-02-28' }))).event.endDate.toString()).toBe(
      '2028-02-29',
    );
  });

  it('escapes backslash, semicolon, comma and line breaks in TEXT values', () => {
    const description = 'a\\b;c,d\ne\r\nf\rg';

    const ics = buildDeadlineIcs(anIcs({ description }));

    expect(ics).toContain('DESCRIPTION:a\\\\b\\;c\\,d\\ne\\nf\\ng\r\n');
    expect(parseEvent(ics).event.description).toBe('a\\b;c,d\ne\nf\ng');
  });

  it.each([
    ['Chinese', '请在截止日期前提交书面反馈，谢谢合作。'.repeat(20)],
    ['Arabic', 'يُرجى إرسال التعليقات المكتوبة قبل الموعد النهائي، مع خالص الشكر. '.repeat(8)],
    ['emoji and combining marks', '🇦🇹 Ŵ̃ 🧑🏽‍⚖️ e\u0301 '.repeat(30)],
  ])('round-trips a long %s description exactly through folding', (_name, description) => {
    expect(description.length).toBeGreaterThan(300);

    const ics = buildDeadlineIcs(anIcs({ summary: description.slice(0, 120), description }));

    expectWellFormedLines(ics);
    expect(ics.split('\r\n').length).toBeGreaterThan(15);
    const { event } = parseEvent(ics);
    expect(event.description).toBe(description);
    expect(event.summary).toBe(description.slice(0, 120));
  });

  it('folds every line to at most 75 octets and round-trips arbitrary Unicode text', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.string({
        unit: fc.constantFrom('\\', ';', ',', '\n', '\r', ' ', 'é', '中', '😀', 'a'),
        maxLength: 300,
      }),
    );
    fc.assert(
      fc.property(text, text, fc.nat({ max: 1000 }), (summary, description, sequence) => {
        const ics = buildDeadlineIcs(anIcs({ summary, description, sequence }));

        expectWellFormedLines(ics);
        const { event } = parseEvent(ics);
        expect(event.summary).toBe(icsTextContent(summary));
        expect(event.description).toBe(icsTextContent(description));
        expect(event.sequence).toBe(sequence);
        expect(event.startDate.isDate).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('drops control characters that TEXT may not hold and keeps tabs and line breaks', () => {
    expect(icsTextContent('a\u0000b\u0007c\td\r\ne\u007f')).toBe('abc\td\ne');
  });

  it('refuses a bad date, a negative sequence, a bad timestamp and a URL that is not one', () => {
    expect(() => buildDeadlineIcs(anIcs({ deadline: '2027-02-30' }))).toThrow(RangeError);
    expect(() => buildDeadlineIcs(anIcs({ sequence: -1 }))).toThrow(RangeError);
    expect(() => buildDeadlineIcs(anIcs({ sequence: 1.5 }))).toThrow(RangeError);
    expect(() => buildDeadlineIcs(anIcs({ dtstamp: 'yesterday' }))).toThrow(RangeError);
    expect(() => buildDeadlineIcs(anIcs({ url: 'not a url\r\nX-EVIL:1' }))).toThrow(TypeError);
  });
});

describe('icsUid', () => {
  it('is stable per review and stage, whatever the stage entry', () => {
    expect(icsUid('rev-1', 'desk_review')).toBe('rev-1.desk_review@untoc-review-tracker');
    expect(icsUid('rev-1', 'desk_review')).toBe(icsUid('rev-1', 'desk_review'));
    expect(icsUid('rev-1', 'dialogue')).not.toBe(icsUid('rev-1', 'desk_review'));
    expect(icsUid('rev-2', 'desk_review')).not.toBe(icsUid('rev-1', 'desk_review'));
  });
});

describe('ORGANIZER', () => {
  it('carries the sender as a mailto URI with its name as CN, in both methods (RFC 5546 §3.2.1, §3.2.5)', () => {
    for (const ics of [buildDeadlineIcs(anIcs()), buildCancelIcs(aCancel())]) {
      expect(ics).toContain('\r\nORGANIZER;CN="UNODC Review Mechanism":mailto:no-reply@review.example\r\n');
    }
  });

  it('writes quotes and carets in the name the RFC 6868 way and drops controls and bidi overrides', () => {
    const ics = buildDeadlineIcs(
      anIcs({ organizer: { email: 'no-reply@review.example', name: 'The "Review"\r\n^ \u202Eteam' } }),
    );

    expect(ics).toContain(`ORGANIZER;CN="The ^'Review^' ^^ team":mailto:no-reply@review.example`);
    const { vevent } = parseEvent(ics);
    expect(vevent.getFirstProperty('organizer')?.getParameter('cn')).toBe('The "Review" ^ team');
  });

  it('leaves CN out when there is no name, and percent-encodes URI delimiters in the address', () => {
    const ics = buildDeadlineIcs(anIcs({ organizer: { email: 'a%b?c#d@review.example' } }));

    expect(ics).toContain('\r\nORGANIZER:mailto:a%25b%3Fc%23d@review.example\r\n');
  });

  it('refuses an organizer that is not one plain address', () => {
    for (const email of [
      '',
      'no-reply',
      'a@b\r\nATTENDEE:mailto:x@y',
      'a b@c.example',
      'Bob <a@b.example>',
      'é@b.example',
    ]) {
      expect(() => buildDeadlineIcs(anIcs({ organizer: { email } }))).toThrow(RangeError);
      expect(() => buildCancelIcs(aCancel({ organizer: { email } }))).toThrow(RangeError);
    }
  });
});

describe('buildCancelIcs', () => {
  it('cancels the event of the same UID with a higher SEQUENCE, on the same date', () => {
    const published = parseEvent(buildDeadlineIcs(anIcs({ sequence: 3 })));

    const { calendar, vevent, event } = parseEvent(buildCancelIcs(aCancel({ sequence: 4 })));

    expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(calendar.getFirstPropertyValue('prodid')).toBe('-//UNODC//untoc-review-tracker//EN');
    expect(calendar.getAllSubcomponents('vevent')).toHaveLength(1);
    expect(event.uid).toBe(published.event.uid);
    expect(event.sequence).toBeGreaterThan(published.event.sequence);
    expect(vevent.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(event.startDate.toString()).toBe('2027-05-31');
    expect(event.startDate.isDate).toBe(true);
    expect(event.endDate.toString()).toBe('2027-06-01');
    expect(event.summary).toBe('Deadline: Desk review, review of GRC');
    expect(vevent.getFirstPropertyValue('dtstamp')?.toString()).toBe('2027-06-02T07:00:00Z');
    expect(vevent.getFirstPropertyValue('organizer')).toBe('mailto:no-reply@review.example');
    expect(vevent.getAllProperties('recurrence-id')).toHaveLength(0);
    expect(vevent.getAllProperties('attendee')).toHaveLength(0);
  });

  it('folds and escapes like the published event', () => {
    const summary = 'الموعد النهائي، الاستعراض المكتبي; a\\b,c\n'.repeat(6);

    const ics = buildCancelIcs(aCancel({ summary }));

    expectWellFormedLines(ics);
    expect(parseEvent(ics).event.summary).toBe(icsTextContent(summary));
  });

  it('refuses a SEQUENCE below 1 (a cancellation always follows a published version), and bad dates', () => {
    expect(() => buildCancelIcs(aCancel({ sequence: 0 }))).toThrow(RangeError);
    expect(() => buildCancelIcs(aCancel({ sequence: -1 }))).toThrow(RangeError);
    expect(() => buildCancelIcs(aCancel({ sequence: 2.5 }))).toThrow(RangeError);
    expect(() => buildCancelIcs(aCancel({ deadline: '2027-13-01' }))).toThrow(RangeError);
    expect(() => buildCancelIcs(aCancel({ dtstamp: 'now' }))).toThrow(RangeError);
  });
});

describe('calendar attachments', () => {
  it('types each file with the method it holds', () => {
    expect(deadlineIcsAttachment('X')).toEqual({
      filename: 'deadline.ics',
      contentType: 'text/calendar; charset=UTF-8; method=PUBLISH',
      content: 'X',
    });
    expect(cancelIcsAttachment('Y')).toEqual({
      filename: 'cancelled.ics',
      contentType: 'text/calendar; charset=UTF-8; method=CANCEL',
      content: 'Y',
    });
    expect(cancelIcsAttachment('Y', 'desk-review-cancelled.ics').filename).toBe('desk-review-cancelled.ics');
  });
});
