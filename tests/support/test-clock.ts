import type { Clock } from '../../core/calendar/clock.ts';

/** 09:00 on Monday 2 March 2026 in the hall (Asia/Shanghai): a staffed working day. */
export const defaultTestStart = Date.parse('2026-03-02T01:00:00Z');

/**
 * The one fake clock of the tests. It starts where the test says (an epoch or an ISO time), so a
 * test picks the hall's business day instead of depending on today's date, and the test moves it
 * with advance() and setTo().
 *
 * `ticking` (the default): real time also runs on from the start, for code that waits on real
 * timers (rate-limit buckets refill, timeouts fire). `ticking: false`: time stands still between
 * the test's moves, for exact times in assertions.
 */
export class TestClock implements Clock {
  private readonly startedAt = Date.now();
  private offsetMs: number;

  constructor(
    start: number | string = defaultTestStart,
    private readonly options: { ticking?: boolean } = {},
  ) {
    this.offsetMs = typeof start === 'string' ? Date.parse(start) : start;
    if (Number.isNaN(this.offsetMs)) throw new Error(`TestClock: not a time: ${String(start)}`);
  }

  now(): number {
    return this.offsetMs + (this.options.ticking === false ? 0 : Date.now() - this.startedAt);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  setTo(time: number | string): void {
    const target = typeof time === 'string' ? Date.parse(time) : time;
    if (Number.isNaN(target)) throw new Error(`TestClock: not a time: ${String(time)}`);
    this.offsetMs += target - this.now();
  }
}
