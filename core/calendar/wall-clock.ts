import { hallLocalTime, type BusinessDay } from './business-day.ts';

/**
 * The inverse of hallLocalTime: the instant at which the hall's wall clock shows a given day and
 * time. Opening hours are wall-clock times in the hall's zone, so every boundary the kiosk
 * compares against must be turned into an instant this way, never through the machine's zone.
 */

const hourMs = 3_600_000;

function wallAsUtc(day: BusinessDay, time: string): number {
  const [y, mo, d] = day.split('-').map(Number);
  const [h, mi, s] = time.split(':').map(Number);
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s ?? 0);
}

/** How far the zone's wall clock is ahead of UTC at an instant, in ms. */
function offsetAt(epochMs: number, timeZone: string): number {
  const local = hallLocalTime(epochMs, timeZone);
  return wallAsUtc(local.day, local.time) - Math.floor(epochMs / 1000) * 1000;
}

/**
 * The zone's offsets a day either side of `day`. A zone changes its offset at most once in a few
 * days, so these are the only candidates for any time on that day; where they agree (nearly
 * always) no further lookup is needed. Memoised because the kiosk places the same few days'
 * sessions over and over, and each lookup formats a date.
 */
const offsetMemo = new Map<string, { before: number; after: number }>();

function offsetsAround(day: BusinessDay, timeZone: string): { before: number; after: number } {
  const key = `${timeZone} ${day}`;
  let o = offsetMemo.get(key);
  if (!o) {
    const midnight = wallAsUtc(day, '00:00');
    o = { before: offsetAt(midnight - 24 * hourMs, timeZone), after: offsetAt(midnight + 48 * hourMs, timeZone) };
    if (offsetMemo.size >= 512) offsetMemo.clear();
    offsetMemo.set(key, o);
  }
  return o;
}

/**
 * `time` is HH:MM or HH:MM:SS. Around a daylight-saving change this follows Temporal's
 * 'compatible' choice: a repeated time gives the earlier instant, a skipped time is pushed forward
 * by the gap. (China has no DST today, but a hall's zone is configuration, not an assumption.)
 */
export function epochAtWallTime(day: BusinessDay, time: string, timeZone: string): number {
  const wall = wallAsUtc(day, time);
  const { before, after } = offsetsAround(day, timeZone);
  if (before === after) return wall - before;
  const valid = [wall - before, wall - after].filter((t) => offsetAt(t, timeZone) === wall - t);
  return valid.length > 0 ? Math.min(...valid) : wall - before;
}
