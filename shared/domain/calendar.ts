import { Temporal } from 'temporal-polyfill';

/**
 * Deadline arithmetic in the time zone of record (DESIGN §2). A deadline is a calendar date
 * (`YYYY-MM-DD`) due at the end of that day in the zone; instants travel as ISO 8601 strings
 * in UTC. Temporal does the calendar and zone work, so month ends and DST switches follow
 * the IANA database instead of hand-written offsets.
 */

/** A calendar date, `YYYY-MM-DD`. */
export type CalendarDate = string;
/** An instant, ISO 8601 in UTC (`2027-05-31T07:00:00Z`). */
export type Instant = string;

/** The Secretariat's duty station. */
export const DEFAULT_TIME_ZONE = 'Europe/Vienna';

const DATE_ONLY_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$/;

/** True for a date-only ISO 8601 duration such as `P6M`, `P14D` or `P1Y2M`. */
export function isCalendarDuration(value: string): boolean {
  return DATE_ONLY_DURATION.test(value);
}

/** True for any ISO 8601 duration with a positive length (`P7D`, `PT4M`, `P1M2DT3H`). */
export function isIsoDuration(value: string): boolean {
  try {
    return Temporal.Duration.from(value).sign > 0;
  } catch {
    return false;
  }
}

/** True when `value` is a real calendar date in `YYYY-MM-DD` form (no 31 April). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  try {
    return Temporal.PlainDate.from(value, { overflow: 'reject' }).toString() === value;
  } catch {
    return false;
  }
}

/** True when the zone is an IANA time zone this runtime knows. */
export function isTimeZone(value: string): boolean {
  try {
    Temporal.Now.zonedDateTimeISO(value);
    return true;
  } catch {
    return false;
  }
}

/** Calendar addition: 31 Aug + P6M is 28 or 29 Feb (clamped to the month's last day). */
export function addDuration(date: CalendarDate, duration: string): CalendarDate {
  return Temporal.PlainDate.from(date)
    .add(Temporal.Duration.from(duration), { overflow: 'constrain' })
    .toString();
}

/** Adds (or with a negative number subtracts) whole calendar days. */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return Temporal.PlainDate.from(from).until(Temporal.PlainDate.from(to), { largestUnit: 'days' }).days;
}

/** ISO day of week: 1 = Monday … 7 = Sunday. */
export function dayOfWeek(date: CalendarDate): number {
  return Temporal.PlainDate.from(date).dayOfWeek;
}

/** A weekend date moved to the Friday before; weekdays unchanged. */
export function previousWeekday(date: CalendarDate): CalendarDate {
  const dow = dayOfWeek(date);
  return dow >= 6 ? addDays(date, 5 - dow) : date;
}

/** A weekend date moved to the Monday after; weekdays unchanged. */
export function nextWeekday(date: CalendarDate): CalendarDate {
  const dow = dayOfWeek(date);
  return dow >= 6 ? addDays(date, 8 - dow) : date;
}

/** The calendar date an instant falls on in the zone. */
export function localDate(instant: Instant, timeZone: string): CalendarDate {
  return Temporal.Instant.from(instant).toZonedDateTimeISO(timeZone).toPlainDate().toString();
}

/**
 * The instant of a wall-clock time (`HH:MM`) on a date in the zone. A time skipped by a
 * spring-forward switch moves later, a repeated one takes the earlier instant
 * (Temporal's `compatible` disambiguation, as calendars do).
 */
export function atLocalTime(date: CalendarDate, time: string, timeZone: string): Instant {
  const zoned = Temporal.PlainDate.from(date).toZonedDateTime({
    timeZone,
    plainTime: Temporal.PlainTime.from(time),
  });
  return zoned.toInstant().toString();
}

/** The instant a deadline passes: the end of its day in the zone (the next day's start). */
export function deadlineInstant(deadline: CalendarDate, timeZone: string): Instant {
  return Temporal.PlainDate.from(deadline)
    .add({ days: 1 })
    .toZonedDateTime({ timeZone })
    .toInstant()
    .toString();
}

/** Compares two instants: negative, zero or positive. */
export function compareInstants(a: Instant, b: Instant): number {
  return Temporal.Instant.compare(Temporal.Instant.from(a), Temporal.Instant.from(b));
}

/** The same instant in UTC (`…Z`), however its offset was written. */
export function utcInstant(instant: Instant): Instant {
  return Temporal.Instant.from(instant).toString();
}

/** True when the string parses as an ISO 8601 instant with an offset or `Z`. */
export function isInstant(value: string): boolean {
  try {
    Temporal.Instant.from(value);
    return true;
  } catch {
    return false;
  }
}

/** Adds an ISO 8601 duration to an instant; calendar units apply in the zone. */
export function addToInstant(instant: Instant, duration: string, timeZone: string): Instant {
  return Temporal.Instant.from(instant)
    .toZonedDateTimeISO(timeZone)
    .add(Temporal.Duration.from(duration))
    .toInstant()
    .toString();
}

/** Elapsed time between two instants in whole days, rounded up (one second counts as a day). */
export function elapsedDaysRoundedUp(from: Instant, to: Instant): number {
  const ms = Temporal.Instant.from(to).epochMilliseconds - Temporal.Instant.from(from).epochMilliseconds;
  return ms <= 0 ? 0 : Math.ceil(ms / 86_400_000);
}

/** Whole days a deadline is overdue at `now` (0 while not yet passed). */
export function daysOverdue(deadline: CalendarDate, now: Instant, timeZone: string): number {
  if (compareInstants(now, deadlineInstant(deadline, timeZone)) < 0) return 0;
  return daysBetween(deadline, localDate(now, timeZone));
}
