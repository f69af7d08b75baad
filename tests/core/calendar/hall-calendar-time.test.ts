import { describe, expect, it } from 'vitest';
import { hallLocalTime } from '../../../core/calendar/business-day.ts';
import { addDays, allMonthDays, isCalendarDay, isMonthDay, isoWeekday } from '../../../core/calendar/calendar-day.ts';
import { epochAtWallTime } from '../../../core/calendar/wall-clock.ts';

// The machine runs in a zone far from the hall's, so any use of the machine's zone shows up.
process.env.TZ = 'America/Los_Angeles';

describe('calendar days', () => {
  it('adds days across months, years and leap days', () => {
    expect(addDays('2026-09-30', 1)).toBe('2026-10-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-03-08', 1)).toBe('2026-03-09'); // a DST day in the machine's zone changes nothing
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });

  it('gives ISO weekdays', () => {
    expect(isoWeekday('2026-10-01')).toBe(4); // Thursday
    expect(isoWeekday('2026-10-10')).toBe(6);
    expect(isoWeekday('2026-09-20')).toBe(7);
    expect(isoWeekday('2026-06-15')).toBe(1);
  });

  it('accepts real dates and month-days only', () => {
    expect(isCalendarDay('2028-02-29')).toBe(true);
    for (const bad of ['2026-02-29', '2026-13-01', '2026-04-31', '2026-1-01', '2026-01-01T00:00', '']) expect(isCalendarDay(bad), bad).toBe(false);
    expect(isMonthDay('02-29')).toBe(true);
    for (const bad of ['02-30', '13-01', '00-10', '5-01', '05/01']) expect(isMonthDay(bad), bad).toBe(false);
    expect(allMonthDays()).toHaveLength(366);
  });
});

describe('hall wall clock to instant', () => {
  it('inverts hallLocalTime for every day of a year in several zones', () => {
    const zones = ['Asia/Shanghai', 'Asia/Urumqi', 'Asia/Kolkata', 'Europe/Berlin', 'America/Los_Angeles', 'Australia/Lord_Howe'];
    // 02:00–03:00 can be skipped on a spring-forward day; none of these times falls there.
    const times = ['00:00', '09:00', '13:30', '17:59:59', '23:59'];
    for (const zone of zones) {
      for (let day = '2026-01-01'; day < '2027-01-01'; day = addDays(day, 1)) {
        for (const time of times) {
          const t = epochAtWallTime(day, time, zone);
          expect(hallLocalTime(t, zone), `${zone} ${day} ${time}`).toEqual({ day, time: time.length === 5 ? `${time}:00` : time });
        }
      }
    }
  });

  it('matches a fixed offset for Shanghai', () => {
    expect(epochAtWallTime('2026-10-01', '09:00', 'Asia/Shanghai')).toBe(Date.parse('2026-10-01T09:00:00+08:00'));
    expect(epochAtWallTime('2026-06-11', '00:00', 'Asia/Shanghai')).toBe(Date.parse('2026-06-10T16:00:00Z'));
  });

  it('takes the earlier instant for a repeated time and pushes a skipped time forward', () => {
    // Los Angeles 2026-11-01: 01:00–02:00 happens twice; 2026-03-08: 02:00–03:00 never happens.
    expect(epochAtWallTime('2026-11-01', '01:30', 'America/Los_Angeles')).toBe(Date.parse('2026-11-01T01:30:00-07:00'));
    expect(epochAtWallTime('2026-03-08', '02:30', 'America/Los_Angeles')).toBe(Date.parse('2026-03-08T03:30:00-07:00'));
    expect(epochAtWallTime('2026-03-08', '09:00', 'America/Los_Angeles')).toBe(Date.parse('2026-03-08T09:00:00-07:00'));
    expect(epochAtWallTime('2026-03-08', '01:59', 'America/Los_Angeles')).toBe(Date.parse('2026-03-08T01:59:00-08:00'));
  });
});
