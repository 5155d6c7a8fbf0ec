import { Temporal } from 'temporal-polyfill';
import { addDays, type CalendarDate, isCalendarDate } from '#shared/domain/calendar.ts';
import type { Attachment } from '#shared/ports/mail.ts';

/**
 * The deadline as an RFC 5545 calendar file. One all-day event per review and stage, with a
 * UID that stays the same for that stage and a SEQUENCE the caller bumps when the deadline
 * moves: calendars then update the event instead of adding a second one.
 */

/** What the calendar event says. */
export interface DeadlineIcsInput {
  /** Stable per review and stage: see `icsUid`. */
  uid: string;
  deadline: CalendarDate;
  summary: string;
  description: string;
  /** 0 for the first version; one more each time the deadline of the same stage moves. */
  sequence: number;
  /** When this version was made, an ISO instant. */
  dtstamp: string;
  url?: string;
}

const PRODID = '-//UNODC//untoc-review-tracker//EN';
const CRLF = '\r\n';
/** RFC 5545 §3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break. */
const MAX_OCTETS = 75;

/** The event UID of a review's stage: one per stage entry, unchanged when its deadline moves. */
export function icsUid(reviewId: string, stageEpoch: number): string {
  return `${reviewId}-${stageEpoch}@untoc-review-tracker`;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The text a TEXT value can carry: well-formed Unicode (a lone surrogate has no UTF-8 form),
 * line breaks as LF, and no control characters but tab and line break (RFC 5545 forbids
 * them in TEXT).
 */
export function icsTextContent(value: string): string {
  return value
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(/\r\n?/g, '\n')
    .replace(/\p{Cc}/gu, (c) => (c === '\n' || c === '\t' ? c : ''));
}

/** RFC 5545 §3.3.11 TEXT escaping: backslash, semicolon, comma; a line break becomes `\n`. */
export function escapeIcsText(value: string): string {
  return icsTextContent(value).replace(/[\\;,\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

function utf8Length(codePoint: string): number {
  const cp = codePoint.codePointAt(0) ?? 0;
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/**
 * Folds a content line at 75 octets (RFC 5545 §3.1): never inside a UTF-8 sequence (whole code
 * points move), and never between a backslash and the character it escapes, which the RFC
 * allows but some clients mishandle. Continuation lines start with one space.
 */
export function foldLine(line: string): string {
  const lines: string[] = [];
  let current = '';
  let octets = 0;
  let limit = MAX_OCTETS;
  for (const unit of line.match(/\\[\s\S]|[\s\S]/gu) ?? []) {
    let size = 0;
    for (const cp of unit) size += utf8Length(cp);
    if (octets + size > limit) {
      lines.push(current);
      current = '';
      octets = 0;
      limit = MAX_OCTETS - 1;
    }
    current += unit;
    octets += size;
  }
  lines.push(current);
  return lines.join(`${CRLF} `);
}

function basicDate(date: CalendarDate): string {
  return date.replaceAll('-', '');
}

/** `20270501T070000Z`. */
function basicUtc(instant: string): string {
  return Temporal.Instant.from(instant).toString({ smallestUnit: 'second' }).replace(/[-:]/g, '');
}

/** A URI value carries no escaping, so it must be a real URL; it is normalised by `URL`. */
function uri(value: string): string {
  const url = new URL(value.trim());
  return url.href.replace(/\p{Cc}/gu, '');
}

/** A VCALENDAR with one all-day VEVENT on the deadline date; CRLF line ends, folded lines. */
export function buildDeadlineIcs(input: DeadlineIcsInput): string {
  if (!isCalendarDate(input.deadline)) throw new RangeError(`not a calendar date: ${input.deadline}`);
  if (!Number.isInteger(input.sequence) || input.sequence < 0) {
    throw new RangeError(`SEQUENCE must be a non-negative integer: ${input.sequence}`);
  }
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${PRODID}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${escapeIcsText(input.uid)}`,
    `DTSTAMP:${basicUtc(input.dtstamp)}`,
    `SEQUENCE:${input.sequence}`,
    `DTSTART;VALUE=DATE:${basicDate(input.deadline)}`,
    `DTEND;VALUE=DATE:${basicDate(addDays(input.deadline, 1))}`,
    `SUMMARY:${escapeIcsText(input.summary)}`,
    `DESCRIPTION:${escapeIcsText(input.description)}`,
    ...(input.url === undefined ? [] : [`URL:${uri(input.url)}`]),
    'TRANSP:TRANSPARENT',
    'STATUS:CONFIRMED',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join(CRLF) + CRLF;
}

/** The `.ics` as a mail attachment, typed so calendar clients offer to add it. */
export function deadlineIcsAttachment(ics: string, filename = 'deadline.ics'): Attachment {
  return { filename, contentType: 'text/calendar; charset=UTF-8; method=PUBLISH', content: ics };
}
