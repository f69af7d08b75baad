import type { Clock } from '../../../core/calendar/clock.ts';

/** For tests that share a database with spawned servers, which run on the real clock. */
export const systemClockForTests: Clock = { now: () => Date.now() };
