import { describe, expect, it } from 'vitest';
import { businessDayOf, hallLocalTime, isValidTimeZone } from '../../../core/calendar/business-day.ts';

// The machine runs in a zone far from the hall's, so any use of the machine's zone shows up.
process.env.TZ = 'America/Los_Angeles';

describe('business day', () => {
  it('runs on the hall clock, not the machine clock', () => {
    const justBefore = Date.parse('2026-11-25T15:59:59.999Z'); // 23:59:59.999 in Shanghai
    const midnight = Date.parse('2026-11-25T16:00:00.000Z'); // 00:00 on the 26th in Shanghai
    expect(new Date(midnight).getTimezoneOffset()).toBe(480); // the machine is in Los Angeles
    expect(new Date(midnight).getDate()).toBe(25); // where it is still the 25th
    expect(businessDayOf(justBefore, 'Asia/Shanghai')).toBe('2026-11-25');
    expect(businessDayOf(midnight, 'Asia/Shanghai')).toBe('2026-11-26');
  });

  it('gives the hall wall-clock time', () => {
    expect(hallLocalTime(Date.parse('2026-11-25T01:30:05Z'), 'Asia/Shanghai')).toEqual({ day: '2026-11-25', time: '09:30:05' });
    expect(hallLocalTime(Date.parse('2026-11-25T16:00:00Z'), 'Asia/Shanghai').time).toBe('00:00:00');
  });

  it('follows another hall zone when configured', () => {
    const t = Date.parse('2026-11-25T16:00:00Z');
    expect(businessDayOf(t, 'Asia/Urumqi')).toBe('2026-11-25'); // UTC+6: 22:00 on the 25th
  });

  it('recognises IANA zones', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});
