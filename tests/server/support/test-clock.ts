import type { Clock } from '../../../core/calendar/clock.ts';

/**
 * Runs with real time (rate-limit buckets refill, timeouts behave) from a chosen start, and can
 * be shifted: tests pick the hall's business day instead of depending on today's date.
 */
export class TestClock implements Clock {
  private readonly startedAt = Date.now();
  private shiftMs = 0;

  constructor(private readonly start: number = Date.parse('2026-03-02T01:00:00Z')) {}

  now(): number {
    return this.start + (Date.now() - this.startedAt) + this.shiftMs;
  }

  shift(ms: number): void {
    this.shiftMs += ms;
  }

  setTo(epochMs: number): void {
    this.shiftMs += epochMs - this.now();
  }
}
