import { Temporal } from 'temporal-polyfill';

/**
 * The model's own calendar (DESIGN §2), written with Temporal and nothing of the project's:
 * dates are `YYYY-MM-DD` in the time zone of record, instants are epoch milliseconds.
 */

export const TIME_ZONE = 'Europe/Vienna';
export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;

/** The Vienna calendar date an instant falls on. */
export function viennaDate(ms: number): string {
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(TIME_ZONE).toPlainDate().toString();
}

export function plusDays(date: string, days: number): string {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}

/** Calendar months, clamped to the month's last day (31 Aug + 6 months = 28/29 Feb). */
export function plusMonths(date: string, months: number): string {
  return Temporal.PlainDate.from(date).add({ months }, { overflow: 'constrain' }).toString();
}

/** Whole days from `from` to `to`. */
export function daysFromTo(from: string, to: string): number {
  return Temporal.PlainDate.from(from).until(Temporal.PlainDate.from(to), { largestUnit: 'days' }).days;
}

/** The instant of a Vienna wall-clock time on a date. */
export function viennaTime(date: string, hour: number, minute = 0): number {
  return Temporal.PlainDate.from(date).toZonedDateTime({
    timeZone: TIME_ZONE,
    plainTime: Temporal.PlainTime.from({ hour, minute }),
  }).epochMilliseconds;
}

/** The instant a deadline date passes: the end of that day in Vienna. */
export function deadlinePasses(date: string): number {
  return Temporal.PlainDate.from(date).add({ days: 1 }).toZonedDateTime({ timeZone: TIME_ZONE })
    .epochMilliseconds;
}

/** ISO weekday: 1 Monday … 7 Sunday. */
export function weekday(date: string): number {
  return Temporal.PlainDate.from(date).dayOfWeek;
}

/** A Saturday or Sunday moved to the Friday before. */
export function fridayIfWeekend(date: string): string {
  const dow = weekday(date);
  return dow === 6 ? plusDays(date, -1) : dow === 7 ? plusDays(date, -2) : date;
}

/** A Saturday or Sunday moved to the Monday after. */
export function mondayIfWeekend(date: string): string {
  const dow = weekday(date);
  return dow === 6 ? plusDays(date, 2) : dow === 7 ? plusDays(date, 1) : date;
}

/** The next date on or after `date` with the given ISO weekday. */
export function nextWeekday(date: string, dow: number): string {
  return plusDays(date, (dow - weekday(date) + 7) % 7);
}

/** Instant plus calendar months in Vienna (for month-long clock moves). */
export function instantPlusMonths(ms: number, months: number): number {
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(TIME_ZONE).add({ months })
    .epochMilliseconds;
}

export const floorMinute = (ms: number) => Math.floor(ms / MINUTE_MS) * MINUTE_MS;
export const ceilMinute = (ms: number) => Math.ceil(ms / MINUTE_MS) * MINUTE_MS;

/** `2026-05-04T07:00:00.000Z (Mon 2026-05-04 09:00 Vienna)`, for readable traces. */
export function describeInstant(ms: number): string {
  const zoned = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(TIME_ZONE);
  const day = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][zoned.dayOfWeek];
  const time = zoned.toPlainTime().toString({ smallestUnit: 'second' });
  return `${day} ${zoned.toPlainDate().toString()} ${time} Vienna`;
}
