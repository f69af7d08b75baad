// The hall's time in a benchmark: a bench must run at any hour of the real day, so it never asks
// the hall's rules about the real clock. Every bench process and the server it spawns read this
// clock: 10:00 in the hall on the real day the bench started, flowing at the real rate.
import type { Clock } from '../../core/calendar/clock.ts';
import { businessDayOf, defaultHallTimeZone } from '../../core/calendar/business-day.ts';
import { epochAtWallTime } from '../../core/calendar/wall-clock.ts';

/** Handed to a spawned bench server, so it keeps the same time as the bench process. */
export const benchClockOffsetEnv = 'HALL_BENCH_CLOCK_OFFSET_MS';

function startOffset(): number {
  const inherited = process.env[benchClockOffsetEnv];
  if (inherited !== undefined) return Number(inherited);
  const realNow = Date.now();
  return epochAtWallTime(businessDayOf(realNow, defaultHallTimeZone), '10:00', defaultHallTimeZone) - realNow;
}

const offsetMs = startOffset();

export const benchClock: Clock = { now: () => Date.now() + offsetMs };

export function benchClockEnv(): Record<string, string> {
  return { [benchClockOffsetEnv]: String(offsetMs) };
}
