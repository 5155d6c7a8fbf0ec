import fc from 'fast-check';
import ICAL from 'ical.js';
import ical, { type CalendarResponse, type ParameterValue, type VEvent } from 'node-ical';
import { describe, expect, it } from 'vitest';
import {
  buildCancelIcs,
  buildDeadlineIcs,
  type CancelIcsInput,
  type DeadlineIcsInput,
  icsTextContent,
  icsUid,
} from '#shared/email/ics.ts';

/**
 * The calendar files read by two parsers written independently of each other and of ours:
 * Mozilla's ical.js (Thunderbird's) and node-ical. What both read back is what a calendar
 * client will most likely show.
 */

const organizer = { email: 'no-reply@review.example', name: 'UNODC Review Mechanism' };

function aPublish(overrides: Partial<DeadlineIcsInput> = {}): DeadlineIcsInput {
  return {
    uid: icsUid('0b9f6f7e-2c1a-4c55-9a0e-5d3f1f0c2a11', 'desk_review'),
    deadline: '2027-05-31',
    summary: 'Deadline: Desk review, review of GRC',
    description: 'Written feedback sent.\nDeadline: 31 May 2027, end of day, Vienna time',
    sequence: 3,
    dtstamp: '2027-05-01T07:00:00Z',
    organizer,
    ...overrides,
  };
}

function aCancel(overrides: Partial<CancelIcsInput> = {}): CancelIcsInput {
  return {
    uid: icsUid('0b9f6f7e-2c1a-4c55-9a0e-5d3f1f0c2a11', 'desk_review'),
    deadline: '2027-05-31',
    summary: 'Deadline: Desk review, review of GRC',
    sequence: 4,
    dtstamp: '2027-06-02T07:00:00Z',
    organizer,
    ...overrides,
  };
}

/** What a parser read from a calendar with one event. */
interface Reading {
  method: string;
  uid: string;
  sequence: number;
  /** DTSTART as a calendar date, and whether it is a DATE (all-day) value. */
  start: string;
  allDay: boolean;
  end: string;
  summary: string;
  description: string | undefined;
  status: string;
  organizer: string;
  organizerName: string | undefined;
  events: number;
}

function withIcalJs(ics: string): Reading {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const events = calendar.getAllSubcomponents('vevent');
  const vevent = events[0];
  if (!vevent) throw new Error('ical.js: no VEVENT');
  const event = new ICAL.Event(vevent);
  const description = vevent.getFirstPropertyValue('description');
  return {
    method: String(calendar.getFirstPropertyValue('method')),
    uid: event.uid,
    sequence: event.sequence,
    start: event.startDate.toString(),
    allDay: event.startDate.isDate,
    end: event.endDate.toString(),
    summary: event.summary,
    description: description === null ? undefined : String(description),
    status: String(vevent.getFirstPropertyValue('status')),
    organizer: String(vevent.getFirstPropertyValue('organizer')),
    organizerName: vevent.getFirstProperty('organizer')?.getParameter('cn') as string | undefined,
    events: events.length,
  };
}

const value = (
  v: ParameterValue<string, Record<string, string | undefined>> | undefined,
): string | undefined => (v === undefined ? undefined : typeof v === 'string' ? v : v.val);

/** node-ical makes an all-day date a local-midnight Date. */
const localDate = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

function withNodeIcal(ics: string): Reading {
  const parsed: CalendarResponse = ical.sync.parseICS(ics);
  const events = Object.values(parsed).filter((c): c is VEvent => c?.type === 'VEVENT');
  const event = events[0];
  if (!event?.end) throw new Error('node-ical: no VEVENT with an end');
  const organizerValue = event.organizer;
  return {
    method: String(event.method),
    uid: event.uid,
    sequence: Number(event.sequence),
    start: localDate(event.start),
    allDay: event.datetype === 'date' && event.start.dateOnly === true,
    end: localDate(event.end),
    summary: value(event.summary) ?? '',
    description: value(event.description),
    status: String(event.status),
    organizer: value(organizerValue) ?? '',
    organizerName: typeof organizerValue === 'object' ? organizerValue.params.CN : undefined,
    events: events.length,
  };
}

const parsers = [
  ['ical.js', withIcalJs],
  ['node-ical', withNodeIcal],
] as const;

describe('deadline calendar files, as independent parsers read them', () => {
  it.each(parsers)(
    '%s reads the published event: UID, SEQUENCE, all-day DTSTART, SUMMARY, METHOD, STATUS',
    (_name, read) => {
      const input = aPublish();

      const reading = read(buildDeadlineIcs(input));

      expect(reading).toEqual({
        method: 'PUBLISH',
        uid: '0b9f6f7e-2c1a-4c55-9a0e-5d3f1f0c2a11.desk_review@untoc-review-tracker',
        sequence: 3,
        start: '2027-05-31',
        allDay: true,
        end: '2027-06-01',
        summary: input.summary,
        description: input.description,
        status: 'CONFIRMED',
        organizer: 'mailto:no-reply@review.example',
        organizerName: 'UNODC Review Mechanism',
        events: 1,
      });
    },
  );

  it.each(parsers)(
    '%s reads the cancellation as the same UID, a higher SEQUENCE, CANCEL and CANCELLED',
    (_name, read) => {
      const published = read(buildDeadlineIcs(aPublish({ sequence: 3 })));

      const cancelled = read(buildCancelIcs(aCancel({ sequence: 4 })));

      expect(cancelled).toEqual({
        method: 'CANCEL',
        uid: published.uid,
        sequence: 4,
        start: '2027-05-31',
        allDay: true,
        end: '2027-06-01',
        summary: 'Deadline: Desk review, review of GRC',
        description: undefined,
        status: 'CANCELLED',
        organizer: published.organizer,
        organizerName: published.organizerName,
        events: 1,
      });
      expect(cancelled.sequence).toBeGreaterThan(published.sequence);
    },
  );

  it.each(parsers)(
    '%s reads a rework re-entry of the stage as an update of the same event',
    (_name, read) => {
      const first = read(buildDeadlineIcs(aPublish({ sequence: 3 })));
      const cancelled = read(buildCancelIcs(aCancel({ sequence: 4 })));

      const reentry = read(buildDeadlineIcs(aPublish({ sequence: 9, deadline: '2027-09-30' })));

      expect(reentry.uid).toBe(first.uid);
      expect(reentry.uid).toBe(cancelled.uid);
      expect(reentry.sequence).toBeGreaterThan(cancelled.sequence);
      expect(reentry.start).toBe('2027-09-30');
    },
  );

  it.each([
    [
      'a Russian summary with commas and semicolons',
      'Срок: Кабинетный обзор; GRC, AUT, BRA',
      'Описание.\nВторая строка',
    ],
    [
      'an Arabic summary',
      'الموعد النهائي: الاستعراض المكتبي، اليونان',
      'يُرجى إرسال التعليقات المكتوبة قبل الموعد النهائي.',
    ],
    [
      'a long Chinese description',
      '截止日期：案头审议，希腊',
      '请在截止日期前提交书面反馈，谢谢合作。'.repeat(25),
    ],
    ['emoji, flags and combining marks', '🇦🇹 Ŵ̃ 🧑🏽‍⚖️ e\u0301 deadline', '🇦🇹 Ŵ̃ 🧑🏽‍⚖️ e\u0301 '.repeat(40)],
    ['line breaks of every kind and a tab', 'one\r\ntwo\rthree\nfour\tfive', 'a\r\n\r\nb\n'],
    ['text that looks like iCalendar', 'END:VEVENT', 'BEGIN:VEVENT\nUID:evil@attacker.example\nEND:VEVENT'],
    ['control characters', 'a\u0000b\u0007c\u001bd', 'x\u007fy\u0085z'],
    ['a very long ASCII summary', `Deadline ${'review of GRC, '.repeat(40)}end`, 'short'],
  ])('both read %s the same, as written', (_label, summary, description) => {
    const ics = buildDeadlineIcs(aPublish({ summary, description }));

    const cancel = buildCancelIcs(aCancel({ summary }));

    for (const [, read] of parsers) {
      const reading = read(ics);
      expect(reading.events).toBe(1);
      expect(reading.summary).toBe(icsTextContent(summary));
      expect(reading.description).toBe(icsTextContent(description));
      expect(reading.uid).toBe(aPublish().uid);
      expect(read(cancel).summary).toBe(icsTextContent(summary));
    }
  });

  it('both read the organizer name that has quotes and carets (ical.js decodes RFC 6868; node-ical keeps the carets)', () => {
    const ics = buildDeadlineIcs(
      aPublish({ organizer: { email: organizer.email, name: 'The "Review" ^ team' } }),
    );

    expect(withIcalJs(ics).organizerName).toBe('The "Review" ^ team');
    expect(withNodeIcal(ics).organizerName).toBe("The ^'Review^' ^^ team");
    expect(withNodeIcal(ics).organizer).toBe('mailto:no-reply@review.example');
  });

  it('both read any summary and description back as written, at any SEQUENCE', () => {
    // node-ical unescapes `\,`, `\;` and `\n` before `\\` (so `\\n` becomes a backslash and a line
    // break) and strips quotes around a whole value: RFC 5545 says otherwise and ical.js agrees
    // with us, so its domain leaves out backslashes and fully quoted values.
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ unit: 'grapheme', maxLength: 150 }),
      fc.string({
        unit: fc.constantFrom(
          ';',
          ',',
          '\n',
          '\r',
          ' ',
          'é',
          '中',
          'ا',
          '😀',
          'a',
          ':',
          '"',
          '\t',
          'END:VEVENT',
        ),
        maxLength: 200,
      }),
    );
    const nodeIcalSafe = (t: string) => !t.includes('\\') && !/^".*"$/u.test(icsTextContent(t));
    fc.assert(
      fc.property(
        text.filter(nodeIcalSafe),
        text.filter(nodeIcalSafe),
        fc.nat({ max: 10_000 }),
        (summary, description, sequence) => {
          const publish = buildDeadlineIcs(aPublish({ summary, description, sequence }));
          const cancel = buildCancelIcs(aCancel({ summary, sequence: sequence + 1 }));

          for (const [, read] of parsers) {
            const published = read(publish);
            expect(published.summary).toBe(icsTextContent(summary));
            expect(published.description).toBe(icsTextContent(description));
            expect(published.sequence).toBe(sequence);
            expect(published.start).toBe('2027-05-31');
            expect(published.events).toBe(1);
            const cancelled = read(cancel);
            expect(cancelled.summary).toBe(icsTextContent(summary));
            expect(cancelled.uid).toBe(published.uid);
            expect(cancelled.sequence).toBe(sequence + 1);
            expect([cancelled.method, cancelled.status]).toEqual(['CANCEL', 'CANCELLED']);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('ical.js reads backslashes and fully quoted values exactly too', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('\\', '\\n', '\\,', '\\;', '"', 'n', ',', ';', '\n', 'é'),
          maxLength: 100,
        }),
        (summary) => {
          const reading = withIcalJs(
            buildDeadlineIcs(aPublish({ summary: `"${summary}"`, description: summary })),
          );

          expect(reading.summary).toBe(icsTextContent(`"${summary}"`));
          expect(reading.description).toBe(icsTextContent(summary));
        },
      ),
      { numRuns: 200 },
    );
  });
});
