import type { Clock } from '#shared/ports/clock.ts';

/**
 * Local mode moves time forward by an offset it keeps under this process-wide symbol; the
 * handlers run in its process, so their clock follows. In Lambda nothing sets it: offset 0.
 */
export const LOCAL_CLOCK_OFFSET = Symbol.for('untoc-review-tracker.localClockOffsetMs');

/** The wall clock (plus local mode's offset), for triggers that carry no time of their own. */
export const systemClock: Clock = {
  now: () => {
    const offset = (globalThis as Record<symbol, unknown>)[LOCAL_CLOCK_OFFSET];
    return new Date(Date.now() + (typeof offset === 'number' ? offset : 0)).toISOString();
  },
};
