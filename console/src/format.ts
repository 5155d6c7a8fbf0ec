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

/** Today's date (`YYYY-MM-DD`) in the time zone. */
export function todayIn(timeZone: string, now = Date.now()): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  })
    .formatToParts(now)
    .reduce<Record<string, string>>((acc, part) => {
      acc[part.type] = part.value;
      return acc;
    }, {});
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** Whole days from date `a` to date `b` (both `YYYY-MM-DD`). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
