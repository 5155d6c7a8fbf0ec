import * as fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import * as calendar from '#shared/domain/calendar.ts';

/**
 * The calendar runs on `Date` and `Intl` (no polyfill in the bundles); Temporal, the standard's
 * own model of dates and zones (temporal-polyfill, a dev dependency), is the oracle: every
 * function gives Temporal's answer, across zones with odd rules (half-hour and 45-minute
 * offsets, DST at midnight, a 30-minute DST, a skipped day), month ends, leap years and DST
 * switches.
 */
const ZONES = [
  'Europe/Vienna',
  'UTC',
  'America/New_York',
  'America/Santiago',
  'America/St_Johns',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Pacific/Apia',
  'Asia/Beirut',
  'Africa/Casablanca',
];
const RUNS = { numRuns: 1000 };

const zone = fc.constantFrom(...ZONES);
const date = fc
  .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
/** Instants near the DST switches more often than chance would pick them. */
const instant = fc
  .oneof(
    fc.date({
      min: new Date('1970-01-01T00:00:00Z'),
      max: new Date('2100-12-31T00:00:00Z'),
      noInvalidDate: true,
    }),
    fc
      .tuple(
        fc.integer({ min: 1990, max: 2060 }),
        fc.constantFrom(2, 3, 9, 10, 11),
        fc.integer({ min: 0, max: 31 * 24 * 60 }),
      )
      .map(([y, m, minutes]) => new Date(Date.UTC(y, m, 1) + minutes * 60_000)),
  )
  .map((d) =>
    new Date(Math.floor(d.getTime() / 1000) * 1000 + (d.getTime() % 7 === 0 ? 250 : 0)).toISOString(),
  );
const time = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45, 59))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const dateDuration = fc
  .tuple(fc.nat(3), fc.nat(14), fc.nat(5), fc.nat(40))
  .filter((parts) => parts.some((n) => n > 0))
  .map(([y, m, w, d]) => `P${y ? `${y}Y` : ''}${m ? `${m}M` : ''}${w ? `${w}W` : ''}${d ? `${d}D` : ''}`);
const timeDuration = fc
  .tuple(fc.nat(48), fc.nat(90), fc.nat(90))
  .filter((parts) => parts.some((n) => n > 0))
  .map(([h, m, s]) => `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s ? `${s}S` : ''}`);

const T = Temporal;

describe('the calendar against Temporal', () => {
  it('adds durations, days and counts days between dates as Temporal does', () => {
    fc.assert(
      fc.property(date, date, dateDuration, fc.integer({ min: -800, max: 800 }), (a, b, duration, days) => {
        const pa = T.PlainDate.from(a);
        expect(calendar.addDuration(a, duration)).toBe(
          pa.add(T.Duration.from(duration), { overflow: 'constrain' }).toString(),
        );
        expect(calendar.addDays(a, days)).toBe(pa.add({ days }).toString());
        expect(calendar.daysBetween(a, b)).toBe(pa.until(T.PlainDate.from(b), { largestUnit: 'days' }).days);
        expect(calendar.dayOfWeek(a)).toBe(pa.dayOfWeek);
      }),
      RUNS,
    );
  });

  it('reads the local date of an instant, and the instant of a local time, as Temporal does', () => {
    fc.assert(
      fc.property(instant, date, time, zone, (at, day, hhmm, tz) => {
        expect(calendar.localDate(at, tz)).toBe(
          T.Instant.from(at).toZonedDateTimeISO(tz).toPlainDate().toString(),
        );
        expect(calendar.atLocalTime(day, hhmm, tz)).toBe(
          T.PlainDate.from(day)
            .toZonedDateTime({ timeZone: tz, plainTime: T.PlainTime.from(hhmm) })
            .toInstant()
            .toString(),
        );
        expect(calendar.deadlineInstant(day, tz)).toBe(
          T.PlainDate.from(day).add({ days: 1 }).toZonedDateTime({ timeZone: tz }).toInstant().toString(),
        );
      }),
      RUNS,
    );
  });

  it('adds a duration to an instant in a zone as a ZonedDateTime does', () => {
    fc.assert(
      fc.property(instant, fc.oneof(dateDuration, timeDuration), zone, (at, duration, tz) => {
        expect(calendar.addToInstant(at, duration, tz)).toBe(
          T.Instant.from(at).toZonedDateTimeISO(tz).add(T.Duration.from(duration)).toInstant().toString(),
        );
      }),
      RUNS,
    );
  });

  it('writes, compares and checks instants as Temporal does, whatever offset they were written with', () => {
    const offset = fc
      .tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 14 }), fc.constantFrom(0, 30, 45))
      .map(([sign, h, m]) => `${sign}${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    const fraction = fc.constantFrom('', '.5', '.250', '.123456', '.000');
    fc.assert(
      fc.property(instant, instant, offset, fraction, (a, b, off, frac) => {
        const local = T.Instant.from(a)
          .toZonedDateTimeISO(off)
          .toPlainDateTime()
          .toString({ smallestUnit: 'second' });
        const written = `${local}${frac}${off}`;
        expect(calendar.isInstant(written)).toBe(true);
        expect(calendar.utcInstant(written)).toBe(T.Instant.from(written).toString());
        expect(Math.sign(calendar.compareInstants(written, b))).toBe(
          T.Instant.compare(T.Instant.from(written), T.Instant.from(b)),
        );
        expect(calendar.utcInstant(a)).toBe(T.Instant.from(a).toString());
      }),
      RUNS,
    );
  });

  it('tells real dates, instants, durations and zones apart as Temporal does', () => {
    const digits = (n: number) =>
      fc.integer({ min: 0, max: 10 ** n - 1 }).map((v) => String(v).padStart(n, '0'));
    const dateLike = fc.tuple(digits(4), digits(2), digits(2)).map(([y, m, d]) => `${y}-${m}-${d}`);
    const temporalDate = (value: string) => {
      try {
        return T.PlainDate.from(value, { overflow: 'reject' }).toString() === value;
      } catch {
        return false;
      }
    };
    fc.assert(
      fc.property(dateLike, (value) => {
        expect(calendar.isCalendarDate(value)).toBe(temporalDate(value));
      }),
      RUNS,
    );
    for (const value of ['P7D', 'PT4M', 'P1M2DT3H', 'PT0.5S', 'P0D', 'PT0S', 'P', 'PT', '7D', 'P1H', '-P1D'])
      expect(calendar.isIsoDuration(value), value).toBe(
        (() => {
          try {
            return T.Duration.from(value).sign > 0;
          } catch {
            return false;
          }
        })(),
      );
    for (const value of [...ZONES, 'Mars/Olympus', '', 'Europe/Vienna '])
      expect(calendar.isTimeZone(value), value).toBe(
        (() => {
          try {
            T.Now.zonedDateTimeISO(value);
            return true;
          } catch {
            return false;
          }
        })(),
      );
    for (const value of [
      '2027-13-01T00:00:00Z',
      '2027-02-29T00:00:00Z',
      '2027-01-01T24:00:00Z',
      '2027-01-01T00:00:00',
    ])
      expect(calendar.isInstant(value), value).toBe(false);
  });
});
