import { describe, expect, it } from 'vitest';
import { parseCronSchedule, schedulerEvent } from '#infra/local/local-schedules.ts';
import { DIGEST_SCHEDULE } from '#infra/topology.ts';

const at = (iso: string) => new Date(iso);
const latest = (after: string, upTo: string) =>
  parseCronSchedule(DIGEST_SCHEDULE, 'Europe/Vienna').latestBetween(at(after), at(upTo))?.toISOString();

describe('local Scheduler schedules', () => {
  it('fires the digest schedule at Monday 08:00 in Vienna: 07:00 UTC in winter', () => {
    expect(latest('2027-01-08T12:00:00Z', '2027-01-11T07:00:00Z')).toBe('2027-01-11T07:00:00.000Z');
    expect(latest('2027-01-08T12:00:00Z', '2027-01-11T06:59:59Z')).toBeUndefined();
  });

  it('keeps 08:00 Vienna across the changes to and from summer time (06:00 UTC in summer)', () => {
    // Summer time starts on Sunday 28 March 2027 and ends on Sunday 31 October 2027.
    expect(latest('2027-03-26T00:00:00Z', '2027-03-29T12:00:00Z')).toBe('2027-03-29T06:00:00.000Z');
    expect(latest('2027-03-29T06:00:00Z', '2027-03-29T12:00:00Z')).toBeUndefined();
    expect(latest('2027-10-29T00:00:00Z', '2027-11-01T12:00:00Z')).toBe('2027-11-01T07:00:00.000Z');
  });

  it('fires once, for the latest Monday, when the clock jumps several weeks', () => {
    expect(latest('2027-01-01T00:00:00Z', '2027-02-03T00:00:00Z')).toBe('2027-02-01T07:00:00.000Z');
  });

  it('fires nothing when the clock has not moved past a firing time', () => {
    expect(latest('2027-01-11T07:00:00Z', '2027-01-11T07:00:00Z')).toBeUndefined();
    expect(latest('2027-01-12T00:00:00Z', '2027-01-17T23:59:00Z')).toBeUndefined();
  });

  it('reads day names, ranges and lists, Sunday being day 1 as EventBridge counts', () => {
    const weekdays = parseCronSchedule('cron(30 9,17 ? * 2-6 *)', 'UTC');
    expect(
      weekdays.latestBetween(at('2027-01-08T18:00:00Z'), at('2027-01-11T10:00:00Z'))?.toISOString(),
    ).toBe('2027-01-11T09:30:00.000Z');
    const sunday = parseCronSchedule('cron(0 12 ? * SUN *)', 'UTC');
    expect(sunday.latestBetween(at('2027-01-04T00:00:00Z'), at('2027-01-11T00:00:00Z'))?.toISOString()).toBe(
      '2027-01-10T12:00:00.000Z',
    );
  });

  it('refuses what it cannot read rather than fire at the wrong time', () => {
    expect(() => parseCronSchedule('cron(0/15 * ? * MON *)', 'UTC')).toThrow(/not supported/);
    expect(() => parseCronSchedule('rate(1 minute)', 'UTC')).toThrow(/not a cron expression/);
  });

  it("fills the target input's context attributes, the scheduled time as Scheduler writes it", () => {
    const input =
      '{"id":"<aws.scheduler.execution-id>","time":"<aws.scheduler.scheduled-time>","resources":["<aws.scheduler.schedule-arn>"]}';
    expect(
      schedulerEvent(input, {
        scheduledTime: at('2027-01-11T07:00:00Z'),
        scheduleArn: 'arn:aws:scheduler:eu-central-1:000000000000:schedule/default/Digest',
        executionId: 'exec-1',
      }),
    ).toEqual({
      id: 'exec-1',
      time: '2027-01-11T07:00:00Z',
      resources: ['arn:aws:scheduler:eu-central-1:000000000000:schedule/default/Digest'],
    });
  });
});
