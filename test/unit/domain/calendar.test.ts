import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addDuration,
  atLocalTime,
  daysBetween,
  daysOverdue,
  deadlineInstant,
  elapsedDaysRoundedUp,
  isCalendarDate,
  isCalendarDuration,
  localDate,
  nextWeekday,
  previousWeekday,
} from '#shared/domain/calendar.ts';

const VIENNA = 'Europe/Vienna';

describe('calendar durations', () => {
  it('clamps a month addition to the last day of a short month', () => {
    expect(addDuration('2026-08-31', 'P6M')).toBe('2027-02-28');
    expect(addDuration('2027-08-31', 'P6M')).toBe('2028-02-29');
    expect(addDuration('2027-01-31', 'P1M')).toBe('2027-02-28');
    expect(addDuration('2027-03-31', 'P3M')).toBe('2027-06-30');
  });

  it('adds days across month and year ends', () => {
    expect(addDuration('2026-12-20', 'P14D')).toBe('2027-01-03');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
  });

  it('accepts only date-only ISO durations', () => {
    expect(isCalendarDuration('P6M')).toBe(true);
    expect(isCalendarDuration('P1Y2M3W4D')).toBe(true);
    expect(isCalendarDuration('P')).toBe(false);
    expect(isCalendarDuration('PT6H')).toBe(false);
    expect(isCalendarDuration('6M')).toBe(false);
  });

  it('rejects dates that do not exist', () => {
    expect(isCalendarDate('2027-02-29')).toBe(false);
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2027-04-31')).toBe(false);
    expect(isCalendarDate('2027-4-1')).toBe(false);
  });
});

describe('deadlines in the time zone of record', () => {
  it('ends a winter deadline at midnight Vienna time (UTC+1)', () => {
    expect(deadlineInstant('2027-01-15', VIENNA)).toBe('2027-01-15T23:00:00Z');
  });

  it('ends a summer deadline at midnight Vienna time (UTC+2)', () => {
    expect(deadlineInstant('2027-05-31', VIENNA)).toBe('2027-05-31T22:00:00Z');
  });

  it('keeps 09:00 local on both sides of the spring-forward switch (28 Mar 2027)', () => {
    expect(atLocalTime('2027-03-27', '09:00', VIENNA)).toBe('2027-03-27T08:00:00Z');
    expect(atLocalTime('2027-03-28', '09:00', VIENNA)).toBe('2027-03-28T07:00:00Z');
  });

  it('keeps 09:00 local on both sides of the fall-back switch (31 Oct 2027)', () => {
    expect(atLocalTime('2027-10-30', '09:00', VIENNA)).toBe('2027-10-30T07:00:00Z');
    expect(atLocalTime('2027-10-31', '09:00', VIENNA)).toBe('2027-10-31T08:00:00Z');
  });

  it('moves a wall time skipped by the switch to after it', () => {
    expect(atLocalTime('2027-03-28', '02:30', VIENNA)).toBe('2027-03-28T01:30:00Z');
  });

  it('ends the day of a DST switch 23 or 25 hours after it began', () => {
    const start = (d: string) => Date.parse(atLocalTime(d, '00:00', VIENNA));
    expect(Date.parse(deadlineInstant('2027-03-28', VIENNA)) - start('2027-03-28')).toBe(23 * 3_600_000);
    expect(Date.parse(deadlineInstant('2027-10-31', VIENNA)) - start('2027-10-31')).toBe(25 * 3_600_000);
  });

  it('reads the local date of an instant near midnight', () => {
    expect(localDate('2027-05-31T21:59:59Z', VIENNA)).toBe('2027-05-31');
    expect(localDate('2027-05-31T22:00:00Z', VIENNA)).toBe('2027-06-01');
  });

  it('counts days overdue from the end of the deadline day', () => {
    expect(daysOverdue('2027-05-31', '2027-05-31T21:59:59Z', VIENNA)).toBe(0);
    expect(daysOverdue('2027-05-31', '2027-06-01T07:00:00Z', VIENNA)).toBe(1);
    expect(daysOverdue('2027-05-31', '2027-06-15T07:00:00Z', VIENNA)).toBe(15);
  });

  it('rounds paused time up to whole days', () => {
    expect(elapsedDaysRoundedUp('2027-01-01T10:00:00Z', '2027-01-01T10:00:00Z')).toBe(0);
    expect(elapsedDaysRoundedUp('2027-01-01T10:00:00Z', '2027-01-01T10:00:01Z')).toBe(1);
    expect(elapsedDaysRoundedUp('2027-01-01T10:00:00Z', '2027-01-03T10:00:00Z')).toBe(2);
    expect(elapsedDaysRoundedUp('2027-01-01T10:00:00Z', '2027-01-03T10:00:01Z')).toBe(3);
  });
});

describe('weekend moves', () => {
  it('moves Saturday and Sunday to the Friday before, or the Monday after', () => {
    expect(previousWeekday('2027-05-29')).toBe('2027-05-28');
    expect(previousWeekday('2027-05-30')).toBe('2027-05-28');
    expect(nextWeekday('2027-05-29')).toBe('2027-05-31');
    expect(nextWeekday('2027-05-30')).toBe('2027-05-31');
    expect(previousWeekday('2027-05-27')).toBe('2027-05-27');
  });

  it('never moves more than two days and always lands on a weekday', () => {
    const date = fc
      .date({ min: new Date('2000-01-01'), max: new Date('2100-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(date, (d) => {
        const back = previousWeekday(d);
        const forward = nextWeekday(d);
        expect(daysBetween(back, d)).toBeGreaterThanOrEqual(0);
        expect(daysBetween(back, d)).toBeLessThanOrEqual(2);
        expect(daysBetween(d, forward)).toBeGreaterThanOrEqual(0);
        expect(daysBetween(d, forward)).toBeLessThanOrEqual(2);
        expect(new Date(`${back}T12:00:00Z`).getUTCDay() % 6).not.toBe(0);
        expect(new Date(`${forward}T12:00:00Z`).getUTCDay() % 6).not.toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
