import { addDays, atLocalTime, dayOfWeek, localDate } from '#shared/domain/calendar.ts';

/**
 * EventBridge Scheduler schedules in local mode (`AWS::Scheduler::Schedule`): a `cron(…)`
 * expression read in its `ScheduleExpressionTimezone`, as Scheduler reads it, so Monday 08:00
 * in Vienna is 07:00 UTC in winter and 06:00 UTC in summer. The local runtime asks, each time
 * its clock moves, for the latest firing time since it last asked, and fires the target once
 * with that time: a clock moved on by three weeks runs a weekly schedule once, as of its last
 * Monday, the way the sweep runs once for a long jump.
 */

const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** The values one cron field allows (`*` and `?` allow all); names are upper-case day or month names. */
function field(text: string, min: number, max: number, names: string[] = [], nameBase = min): Set<number> {
  const values = new Set<number>();
  const value = (token: string): number => {
    const named = names.indexOf(token.toUpperCase());
    const n = named >= 0 ? named + nameBase : Number(token);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`cron field value ${token} is not supported`);
    return n;
  };
  for (const part of text.split(',')) {
    if (part === '*' || part === '?') {
      for (let n = min; n <= max; n++) values.add(n);
    } else if (part.includes('-')) {
      const [from = '', to = ''] = part.split('-');
      for (let n = value(from); n <= value(to); n++) values.add(n);
    } else {
      values.add(value(part));
    }
  }
  return values;
}

/** A parsed `cron(minutes hours day-of-month month day-of-week year)` in a time zone. */
export interface CronSchedule {
  /** The latest firing time in (`after`, `upTo`], or undefined when none falls in it. */
  latestBetween(after: Date, upTo: Date): Date | undefined;
}

/**
 * Parses a Scheduler `cron(…)` expression: numbers, lists, ranges, `*` and `?`, day and month
 * names (day-of-week 1 = Sunday, as EventBridge counts). Steps, `L`, `W` and `#` are refused
 * (no schedule of this app uses them), so a new one fails local mode loudly instead of firing
 * at the wrong time.
 * @throws Error for anything else
 */
export function parseCronSchedule(expression: string, timeZone: string): CronSchedule {
  const match = /^cron\((.+)\)$/.exec(expression.trim());
  const parts = match?.[1]?.trim().split(/\s+/) ?? [];
  if (parts.length !== 6) throw new Error(`not a cron expression: ${expression}`);
  const [minutesText = '', hoursText = '', domText = '', monthText = '', dowText = '', yearText = ''] = parts;
  const minutes = [...field(minutesText, 0, 59)].sort((a, b) => b - a);
  const hours = [...field(hoursText, 0, 23)].sort((a, b) => b - a);
  const daysOfMonth = field(domText, 1, 31);
  const months = field(monthText, 1, 12, MONTH_NAMES);
  const daysOfWeek = field(dowText, 1, 7, DAY_NAMES);
  const years = field(yearText, 1970, 2199);
  const matchesDate = (date: string): boolean => {
    const [y, m, d] = date.split('-').map(Number);
    // ISO counts Monday 1 … Sunday 7; EventBridge Sunday 1 … Saturday 7.
    const eventBridgeDay = (dayOfWeek(date) % 7) + 1;
    return (
      years.has(y ?? 0) && months.has(m ?? 0) && daysOfMonth.has(d ?? 0) && daysOfWeek.has(eventBridgeDay)
    );
  };
  return {
    latestBetween(after, upTo) {
      if (upTo.getTime() <= after.getTime()) return undefined;
      const first = localDate(after.toISOString(), timeZone);
      // From the last local day back to the first: the first firing found is the latest.
      for (let date = localDate(upTo.toISOString(), timeZone); date >= first; date = addDays(date, -1)) {
        if (!matchesDate(date)) continue;
        for (const hour of hours) {
          for (const minute of minutes) {
            const time = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
            const at = new Date(atLocalTime(date, time, timeZone));
            if (at.getTime() > after.getTime() && at.getTime() <= upTo.getTime()) return at;
          }
        }
      }
      return undefined;
    },
  };
}

/**
 * The event a Scheduler target receives: its `Input` with the context attributes filled in
 * (`<aws.scheduler.scheduled-time>` and the others), or, without an input, an empty object.
 */
export function schedulerEvent(
  input: string | undefined,
  context: { scheduledTime: Date; scheduleArn: string; executionId: string; attemptNumber?: number },
): unknown {
  if (input === undefined) return {};
  const values: Record<string, string> = {
    'scheduled-time': context.scheduledTime.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'schedule-arn': context.scheduleArn,
    'execution-id': context.executionId,
    'attempt-number': String(context.attemptNumber ?? 1),
  };
  const filled = input.replace(
    /<aws\.scheduler\.([a-z-]+)>/g,
    (whole, name: string) => values[name] ?? whole,
  );
  return JSON.parse(filled);
}
