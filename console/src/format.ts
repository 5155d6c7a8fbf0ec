import { daysBetween, localDate } from '#shared/domain/calendar.ts';
import { stateName as nameOf } from '#shared/domain/countries.ts';

/**
 * How the console writes dates and States (DESIGN §10): dates in the time zone of record, labelled
 * with it; States by name with the code beside it. The console's language is English; mails to
 * focal points are in theirs.
 */

/** "Greece", or the code when it names no State. */
export function stateName(code: string): string {
  return nameOf(code, 'en');
}

/** "Greece (GRC)". */
export function stateLabel(code: string): string {
  const name = stateName(code);
  return name === code ? code : `${name} (${code})`;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withTime}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
    });
    dateFormats.set(key, format);
  }
  return format;
}

/** A calendar date (`2027-05-31`) as "31 May 2027": a date of record needs no conversion. */
export function formatDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  if (!y || !m || !d) return date;
  return dateFormat('UTC', false).format(Date.UTC(y, m - 1, d));
}

/** An instant as "31 May 2027, 09:30" in the time zone of record. */
export function formatInstant(instant: string, timeZone: string): string {
  const ms = Date.parse(instant);
  return Number.isNaN(ms) ? instant : dateFormat(timeZone, true).format(ms);
}

/** Today's date (`YYYY-MM-DD`) in the time zone, by the API's own calendar arithmetic. */
export function todayIn(timeZone: string, now = new Date()): string {
  return localDate(now.toISOString(), timeZone);
}

export { daysBetween };

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
