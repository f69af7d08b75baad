import { hallLocalTime } from '../core/calendar/business-day.ts';

/** "2026-11-25 09:30" on the hall's wall clock, whatever zone the machine runs in. */
export function hallMinuteText(epochMs: number, timeZone: string): string {
  const { day, time } = hallLocalTime(epochMs, timeZone);
  return `${day} ${time.slice(0, 5)}`;
}

/**
 * The hall's IANA zone as a book or the issuer reads it: at each use, since the hall server's
 * settings may change it while the kiosk runs. A plain string (tests, a fixed zone) never changes.
 */
export type HallZone = string | (() => string);

export function zoneReader(zone: HallZone): () => string {
  return typeof zone === 'string' ? () => zone : zone;
}
