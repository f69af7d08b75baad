/**
 * The business day is the hall's local calendar date, never the machine's: a kiosk whose OS
 * runs in UTC must still restart numbering at midnight in the hall's zone.
 */
export type BusinessDay = string; // YYYY-MM-DD

export const defaultHallTimeZone = 'Asia/Shanghai';

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface HallLocalTime {
  day: BusinessDay;
  /** HH:MM:SS on the hall's wall clock */
  time: string;
}

export function hallLocalTime(epochMs: number, timeZone: string): HallLocalTime {
  const parts = partsFormatter(timeZone).formatToParts(new Date(epochMs));
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '00';
  return {
    day: `${get('year')}-${get('month')}-${get('day')}`,
    time: `${get('hour')}:${get('minute')}:${get('second')}`,
  };
}

export function businessDayOf(epochMs: number, timeZone: string): BusinessDay {
  return hallLocalTime(epochMs, timeZone).day;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
