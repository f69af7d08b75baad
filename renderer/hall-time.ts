import { hallLocalTime } from '../core/calendar/business-day.ts';

/** "2026-11-25 09:30" on the hall's wall clock, whatever zone the machine runs in. */
export function hallMinuteText(epochMs: number, timeZone: string): string {
  const { day, time } = hallLocalTime(epochMs, timeZone);
  return `${day} ${time.slice(0, 5)}`;
}
