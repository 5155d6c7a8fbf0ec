/**
 * Deadline arithmetic in the time zone of record (DESIGN §2). A deadline is a calendar date
 * (`YYYY-MM-DD`) due at the end of that day in the zone; instants travel as ISO 8601 strings
 * in UTC. Dates are counted on the proleptic Gregorian calendar in UTC, and zones are read
 * from the runtime's own IANA database through `Intl` (no polyfill in the bundles): month
 * ends and DST switches follow it instead of hand-written offsets. The tests hold every
 * function here to Temporal's answers (temporal-polyfill, a dev dependency).
 */

/** A calendar date, `YYYY-MM-DD`. */
export type CalendarDate = string;
/** An instant, ISO 8601 in UTC (`2027-05-31T07:00:00Z`). */
export type Instant = string;

/** The Secretariat's duty station. */
export const DEFAULT_TIME_ZONE = 'Europe/Vienna';

const DAY_MS = 86_400_000;
const DATE_ONLY_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$/;
const DURATION =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?!$)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:[.,](\d{1,9}))?S)?)?$/i;
const DATE = /^(\d{4}|[+-]\d{6})-(\d{2})-(\d{2})$/;
const INSTANT =
  /^(\d{4}|[+-]\d{6})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

/** True for a date-only ISO 8601 duration such as `P6M`, `P14D` or `P1Y2M`. */
export function isCalendarDuration(value: string): boolean {
  return DATE_ONLY_DURATION.test(value);
}

interface Duration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  /** The time part, in milliseconds. */
  timeMs: number;
}

function parseDuration(value: string): Duration | undefined {
  const m = DURATION.exec(value);
  if (!m) return undefined;
  const n = (i: number) => Number(m[i] ?? 0);
  const fraction = m[8] ? Number(`0.${m[8]}`) : 0;
  return {
    years: n(1),
    months: n(2),
    weeks: n(3),
    days: n(4),
    timeMs: ((n(5) * 60 + n(6)) * 60 + n(7) + fraction) * 1000,
  };
}

const isZero = (d: Duration) => d.years + d.months + d.weeks + d.days + d.timeMs === 0;

/** True for any ISO 8601 duration with a positive length (`P7D`, `PT4M`, `P1M2DT3H`). */
export function isIsoDuration(value: string): boolean {
  const duration = parseDuration(value);
  return duration !== undefined && !isZero(duration);
}

function daysInMonth(year: number, month: number): number {
  return new Date(utcMs(year, month + 1, 0)).getUTCDate();
}

/** Milliseconds of a UTC date-time; `setUTCFullYear` so years 0–99 are not read as 1900–1999. */
function utcMs(year: number, month: number, day: number, ms = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime() + ms;
}

interface Ymd {
  year: number;
  month: number;
  day: number;
}

function parseDate(value: CalendarDate): Ymd {
  const m = DATE.exec(value);
  if (!m) throw new RangeError(`not a calendar date: ${value}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** `YYYY-MM-DD`, with an extended year (`+010000`, `-000001`) outside 0000–9999 as ISO 8601 writes it. */
function formatYear(year: number): string {
  if (year >= 0 && year <= 9999) return pad(year, 4);
  return `${year < 0 ? '-' : '+'}${pad(Math.abs(year), 6)}`;
}

function formatDate(ms: number): CalendarDate {
  const d = new Date(ms);
  return `${formatYear(d.getUTCFullYear())}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

const dateMs = (date: CalendarDate) => {
  const { year, month, day } = parseDate(date);
  return utcMs(year, month, day);
};

/** True when `value` is a real calendar date in `YYYY-MM-DD` form (no 31 April). */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone: building one costs far more than using it. */
function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when the zone is an IANA time zone this runtime knows. */
export function isTimeZone(value: string): boolean {
  if (value.trim() === '') return false;
  try {
    zoneFormatter(value);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time in the zone at an instant, as milliseconds of the same reading in UTC. */
function wallMs(epochMs: number, timeZone: string): number {
  const parts: Record<string, string> = {};
  for (const part of zoneFormatter(timeZone).formatToParts(new Date(epochMs))) parts[part.type] = part.value;
  const year = parts.era === 'BC' ? 1 - Number(parts.year) : Number(parts.year);
  const ms = ((epochMs % 1000) + 1000) % 1000;
  return utcMs(
    year,
    Number(parts.month),
    Number(parts.day),
    ((Number(parts.hour) * 60 + Number(parts.minute)) * 60 + Number(parts.second)) * 1000 + ms,
  );
}

/** The zone's offset from UTC at an instant, in milliseconds. */
const offsetAt = (epochMs: number, timeZone: string) => wallMs(epochMs, timeZone) - epochMs;

/**
 * The instant of a wall-clock reading in the zone, with Temporal's `compatible`
 * disambiguation: a reading skipped by a spring-forward switch moves later by the gap, a
 * repeated one takes the earlier instant.
 */
function instantOfWall(wall: number, timeZone: string): number {
  const before = wall - offsetAt(wall - DAY_MS, timeZone);
  const after = wall - offsetAt(wall + DAY_MS, timeZone);
  const valid = [before, after].filter((t) => wallMs(t, timeZone) === wall);
  if (valid.length > 0) return Math.min(...valid);
  // In a gap: the offset from before the switch carries the reading past it.
  return before;
}

/** Calendar addition: 31 Aug + P6M is 28 or 29 Feb (clamped to the month's last day). */
export function addDuration(date: CalendarDate, duration: string): CalendarDate {
  const d = parseDuration(duration);
  if (d?.timeMs !== 0) throw new RangeError(`not a date-only duration: ${duration}`);
  return formatDate(addDateUnits(dateMs(date), d));
}

/** Years and months first (the day clamped to the month's end), then weeks and days, as Temporal adds. */
function addDateUnits(ms: number, d: Duration): number {
  const date = new Date(ms);
  const months = date.getUTCMonth() + d.years * 12 + d.months;
  const year = date.getUTCFullYear() + Math.floor(months / 12);
  const month = (((months % 12) + 12) % 12) + 1;
  const day = Math.min(date.getUTCDate(), daysInMonth(year, month));
  const timeOfDay = ((ms % DAY_MS) + DAY_MS) % DAY_MS;
  return utcMs(year, month, day + d.weeks * 7 + d.days, timeOfDay);
}

/** Adds (or with a negative number subtracts) whole calendar days. */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  return formatDate(dateMs(date) + days * DAY_MS);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return Math.round((dateMs(to) - dateMs(from)) / DAY_MS);
}

/** ISO day of week: 1 = Monday … 7 = Sunday. */
export function dayOfWeek(date: CalendarDate): number {
  return ((new Date(dateMs(date)).getUTCDay() + 6) % 7) + 1;
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
  return formatDate(wallMs(epochMsOf(instant), timeZone));
}

/**
 * The instant of a wall-clock time (`HH:MM`) on a date in the zone. A time skipped by a
 * spring-forward switch moves later, a repeated one takes the earlier instant
 * (Temporal's `compatible` disambiguation, as calendars do).
 */
export function atLocalTime(date: CalendarDate, time: string, timeZone: string): Instant {
  const m = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!m) throw new RangeError(`not a time: ${time}`);
  const wall = dateMs(date) + ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3] ?? 0)) * 1000;
  return formatInstant(instantOfWall(wall, timeZone));
}

/** The instant a deadline passes: the end of its day in the zone (the next day's start). */
export function deadlineInstant(deadline: CalendarDate, timeZone: string): Instant {
  return formatInstant(instantOfWall(dateMs(deadline) + DAY_MS, timeZone));
}

interface ParsedInstant {
  epochMs: number;
  /** The fraction of a second as written, trailing zeros dropped (`5`, `123456`); '' for none. */
  fraction: string;
}

function parseInstant(value: string): ParsedInstant | undefined {
  const m = INSTANT.exec(value);
  if (!m) return undefined;
  const [month, day, hour, minute, second] = [m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const year = Number(m[1]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  // Groups: 7 the fraction, 8 `Z`, 9–11 the offset's sign, hours and minutes.
  const utc = m[8] !== undefined;
  const offsetMinutes = utc ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  if (!utc && (Number(m[10]) > 23 || Number(m[11]) > 59)) return undefined;
  const fraction = (m[7] ?? '').replace(/0+$/, '');
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
  const local = utcMs(year, month, day, ((hour * 60 + minute) * 60 + second) * 1000 + ms);
  return { epochMs: local - offsetMinutes * 60_000, fraction };
}

function epochMsOf(instant: Instant): number {
  const parsed = parseInstant(instant);
  if (!parsed) throw new RangeError(`not an ISO 8601 instant: ${instant}`);
  return parsed.epochMs;
}

/** Temporal's form: seconds always, a fraction only as long as it needs (`…T07:00:00Z`, `…T07:00:00.5Z`). */
function formatInstant(epochMs: number, fraction?: string): Instant {
  const d = new Date(epochMs);
  const digits = fraction ?? String(d.getUTCMilliseconds()).padStart(3, '0').replace(/0+$/, '');
  const time = `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  return `${formatDate(epochMs)}T${time}${digits ? `.${digits}` : ''}Z`;
}

/** Compares two instants: negative, zero or positive. */
export function compareInstants(a: Instant, b: Instant): number {
  const x = parseInstant(a);
  const y = parseInstant(b);
  if (!x) throw new RangeError(`not an ISO 8601 instant: ${a}`);
  if (!y) throw new RangeError(`not an ISO 8601 instant: ${b}`);
  if (x.epochMs !== y.epochMs) return x.epochMs < y.epochMs ? -1 : 1;
  // Below the millisecond: the digits as written.
  const fx = x.fraction.padEnd(9, '0');
  const fy = y.fraction.padEnd(9, '0');
  return fx < fy ? -1 : fx > fy ? 1 : 0;
}

/** The same instant in UTC (`…Z`), however its offset was written. */
export function utcInstant(instant: Instant): Instant {
  const parsed = parseInstant(instant);
  if (!parsed) throw new RangeError(`not an ISO 8601 instant: ${instant}`);
  return formatInstant(parsed.epochMs, parsed.fraction);
}

/** True when the string parses as an ISO 8601 instant with an offset or `Z`. */
export function isInstant(value: string): boolean {
  return parseInstant(value) !== undefined;
}

/** Milliseconds since the epoch of an instant. */
export function instantMs(instant: Instant): number {
  return epochMsOf(instant);
}

/** Adds an ISO 8601 duration to an instant; calendar units apply in the zone. */
export function addToInstant(instant: Instant, duration: string, timeZone: string): Instant {
  const d = parseDuration(duration);
  if (!d) throw new RangeError(`not an ISO 8601 duration: ${duration}`);
  const start = epochMsOf(instant);
  const hasDateUnits = d.years + d.months + d.weeks + d.days > 0;
  const dated = hasDateUnits ? instantOfWall(addDateUnits(wallMs(start, timeZone), d), timeZone) : start;
  return formatInstant(dated + d.timeMs);
}

/** Elapsed time between two instants in whole days, rounded up (one second counts as a day). */
export function elapsedDaysRoundedUp(from: Instant, to: Instant): number {
  const ms = epochMsOf(to) - epochMsOf(from);
  return ms <= 0 ? 0 : Math.ceil(ms / DAY_MS);
}

/** Whole days a deadline is overdue at `now` (0 while not yet passed). */
export function daysOverdue(deadline: CalendarDate, now: Instant, timeZone: string): number {
  if (compareInstants(now, deadlineInstant(deadline, timeZone)) < 0) return 0;
  return daysBetween(deadline, localDate(now, timeZone));
}
