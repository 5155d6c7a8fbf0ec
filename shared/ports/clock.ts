import type { Instant } from '#shared/domain/calendar.ts';

/**
 * The one source of "now". Handlers build it from their trigger's own time (the API
 * request's `timeEpoch`, the schedule's `time`), so the local runtime's movable clock and AWS
 * behave alike and no handler calls `Date.now()`.
 */
export interface Clock {
  now(): Instant;
}

/** A clock fixed at one instant (the trigger's time). */
export function fixedClock(instant: Instant): Clock {
  return { now: () => instant };
}
