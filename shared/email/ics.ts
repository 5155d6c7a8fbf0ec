import { addDays, type CalendarDate, instantMs, isCalendarDate } from '#shared/domain/calendar.ts';
import type { Attachment } from '#shared/ports/mail.ts';

/**
 * The deadline as an RFC 5545 calendar file. One all-day event per review and stage, with a
 * UID that stays the same for that stage (re-entries included) and a SEQUENCE the caller bumps
 * whenever it sends a new version: calendars then update the event instead of adding a second
 * one. A stage left behind gets a `METHOD:CANCEL` file for the same UID.
 */

/**
 * Who publishes the event: the mail's sender. RFC 5546 requires an ORGANIZER in both methods we
 * send (§3.2.1 PUBLISH: "The "Organizer" MUST be present in a published iCalendar component";
 * §3.2.5 CANCEL: ORGANIZER presence 1), and a CANCEL "is sent by the Organizer of the event",
 * so both files name the same one. PUBLISH forbids ATTENDEE, so neither file has one.
 */
export interface IcsOrganizer {
  /** A plain address (`no-reply@example.org`), written as a `mailto:` URI. */
  email: string;
  /** Written as the CN parameter (e.g. `UNODC Review Mechanism`); omitted when empty. */
  name?: string;
}

/** What the calendar event says. */
export interface DeadlineIcsInput {
  /** Stable per review and stage: see `icsUid`. */
  uid: string;
  deadline: CalendarDate;
  summary: string;
  description: string;
  /**
   * Higher than every SEQUENCE published before for this UID, cancellations included (RFC 5546
   * §2.1.4), or calendars keep the older version. Stage epoch plus ledger length is such a
   * number: both only grow, and every transition (so every CANCEL) raises the epoch.
   */
  sequence: number;
  /** When this version was made, an ISO instant. */
  dtstamp: string;
  organizer: IcsOrganizer;
  url?: string;
}

/** What the cancellation of a stage's event says: the same UID, a higher SEQUENCE. */
export interface CancelIcsInput {
  /** The UID of the event being cancelled: `icsUid` of the same review and stage. */
  uid: string;
  /** The deadline the cancelled event had, so a client showing the cancellation can place it. */
  deadline: CalendarDate;
  summary: string;
  /**
   * RFC 5546 §3.2.5: "When a VEVENT is cancelled, the SEQUENCE property value MUST be
   * incremented". The caller passes one higher than the last one published for this UID (so at
   * least 1); this module keeps no state to know it.
   */
  sequence: number;
  /** When this cancellation was made, an ISO instant. */
  dtstamp: string;
  /** The same organizer the published event named. */
  organizer: IcsOrganizer;
}

const PRODID = '-//UNODC//untoc-review-tracker//EN';
const CRLF = '\r\n';
/** RFC 5545 §3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break. */
const MAX_OCTETS = 75;

/**
 * The event UID of a review's stage: the same for every entry into that stage (a rework re-entry
 * updates the event instead of adding a second one) and unchanged when its deadline moves. Review
 * ids are UUIDs, which hold no dot, so the pair reads back unambiguously.
 */
export function icsUid(reviewId: string, stageId: string): string {
  return `${reviewId}.${stageId}@untoc-review-tracker`;
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
  return `${new Date(instantMs(instant)).toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}

/** A URI value carries no escaping, so it must be a real URL; it is normalised by `URL`. */
function uri(value: string): string {
  const url = new URL(value.trim());
  return url.href.replace(/\p{Cc}/gu, '');
}

const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
const MAILTO_ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/;

/**
 * `ORGANIZER;CN="…":mailto:…`. The CN is a quoted parameter value, which can hold neither a
 * DQUOTE nor a control character: RFC 6868 carets carry `"` and `^`, controls and bidi
 * overrides are dropped. The address goes into a `mailto:` URI with `%`, `?`, `#` and the like
 * percent-encoded (RFC 6068).
 */
function organizerLine(organizer: IcsOrganizer): string {
  const email = organizer.email.trim();
  if (!MAILTO_ADDRESS.test(email)) throw new RangeError('ORGANIZER: not a plain ASCII e-mail address');
  const uri = `mailto:${email.replace(/[%/?#&]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
  const name = icsTextContent(organizer.name ?? '')
    .replace(BIDI_CONTROLS, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\^/g, '^^')
    .replace(/"/g, "^'");
  return name === '' ? `ORGANIZER:${uri}` : `ORGANIZER;CN="${name}":${uri}`;
}

function checkDate(deadline: CalendarDate): void {
  if (!isCalendarDate(deadline)) throw new RangeError(`not a calendar date: ${deadline}`);
}

function checkSequence(sequence: number, min: number): void {
  if (!Number.isInteger(sequence) || sequence < min) {
    throw new RangeError(`SEQUENCE must be an integer of at least ${min}: ${sequence}`);
  }
}

function calendar(method: 'PUBLISH' | 'CANCEL', event: string[]): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${PRODID}`,
    'CALSCALE:GREGORIAN',
    `METHOD:${method}`,
    'BEGIN:VEVENT',
    ...event,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join(CRLF) + CRLF;
}

/** What a published event and its cancellation both say: which event, which version, which day. */
function eventLines(input: CancelIcsInput): string[] {
  return [
    `UID:${escapeIcsText(input.uid)}`,
    `DTSTAMP:${basicUtc(input.dtstamp)}`,
    `SEQUENCE:${input.sequence}`,
    organizerLine(input.organizer),
    `DTSTART;VALUE=DATE:${basicDate(input.deadline)}`,
    `DTEND;VALUE=DATE:${basicDate(addDays(input.deadline, 1))}`,
    `SUMMARY:${escapeIcsText(input.summary)}`,
  ];
}

/** A VCALENDAR with one all-day VEVENT on the deadline date; CRLF line ends, folded lines. */
export function buildDeadlineIcs(input: DeadlineIcsInput): string {
  checkDate(input.deadline);
  checkSequence(input.sequence, 0);
  return calendar('PUBLISH', [
    ...eventLines(input),
    `DESCRIPTION:${escapeIcsText(input.description)}`,
    ...(input.url === undefined ? [] : [`URL:${uri(input.url)}`]),
    'TRANSP:TRANSPARENT',
    'STATUS:CONFIRMED',
  ]);
}

/**
 * A `METHOD:CANCEL` calendar withdrawing the event of a stage left behind (RFC 5546 §3.2.5):
 * the same UID, `STATUS:CANCELLED`, and the SEQUENCE the caller passes, which must be higher
 * than the last one published for that UID. A whole non-recurring event is cancelled, so there
 * is no RECURRENCE-ID; the published event had no ATTENDEE, so neither has this.
 */
export function buildCancelIcs(input: CancelIcsInput): string {
  checkDate(input.deadline);
  checkSequence(input.sequence, 1);
  return calendar('CANCEL', [...eventLines(input), 'TRANSP:TRANSPARENT', 'STATUS:CANCELLED']);
}

/** The `.ics` as a mail attachment, typed so calendar clients offer to add it. */
export function deadlineIcsAttachment(ics: string, filename = 'deadline.ics'): Attachment {
  return { filename, contentType: 'text/calendar; charset=UTF-8; method=PUBLISH', content: ics };
}

/** The cancellation `.ics` as a mail attachment, its `method` parameter matching the METHOD inside (iMIP, RFC 6047). */
export function cancelIcsAttachment(ics: string, filename = 'cancelled.ics'): Attachment {
  return { filename, contentType: 'text/calendar; charset=UTF-8; method=CANCEL', content: ics };
}
