import type { BusinessDay } from './business-day.ts';

/**
 * Arithmetic on YYYY-MM-DD calendar days. A calendar day has no zone: these functions use the
 * UTC methods of Date purely as a proleptic Gregorian calendar, never the machine's zone.
 */

const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const monthDayPattern = /^(\d{2})-(\d{2})$/;
const dayMs = 86_400_000;

function utcMidnight(day: BusinessDay): number {
  const m = dayPattern.exec(day);
  if (!m) throw new Error(`not a YYYY-MM-DD day: ${day}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

function formatUtcDay(ms: number): BusinessDay {
  return new Date(ms).toISOString().slice(0, 10);
}

/** True for a real date: 2026-02-29 and 2026-13-01 are not. */
export function isCalendarDay(text: string): boolean {
  if (!dayPattern.test(text)) return false;
  return formatUtcDay(utcMidnight(text)) === text;
}

/** True for a month-day that exists in some year, so 02-29 is accepted. */
export function isMonthDay(text: string): boolean {
  return monthDayPattern.test(text) && isCalendarDay(`2000-${text}`);
}

export function addDays(day: BusinessDay, days: number): BusinessDay {
  return formatUtcDay(utcMidnight(day) + days * dayMs);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: BusinessDay, to: BusinessDay): number {
  return Math.round((utcMidnight(to) - utcMidnight(from)) / dayMs);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: BusinessDay): number {
  const d = new Date(utcMidnight(day)).getUTCDay();
  return d === 0 ? 7 : d;
}

export function monthDayOf(day: BusinessDay): string {
  return day.slice(5);
}

/** Every month-day of a leap year in order, for checks that must hold on any date. */
export function allMonthDays(): string[] {
  const out: string[] = [];
  for (let day = '2000-01-01'; day.startsWith('2000'); day = addDays(day, 1)) out.push(monthDayOf(day));
  return out;
}
