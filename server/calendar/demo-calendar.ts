import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseHallRules, type HallRules } from '../../core/calendar/calendar-rules.ts';

/**
 * The demo hall's calendar (demo/hall-calendar.json): the rules a server judges by and sends its
 * kiosks until the hall saved its own, and what tests and benches start from. The 2026 holidays
 * and 调休 days are the State Council's published arrangement.
 */
export const demoHallCalendarFile = fileURLToPath(new URL('../../demo/hall-calendar.json', import.meta.url));

let loaded: HallRules | null = null;

/** Read once and validated by core's schema, as a calendar the hall office saves is. */
export function readDemoHallRules(): HallRules {
  if (loaded) return loaded;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(demoHallCalendarFile, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the demo hall calendar ${demoHallCalendarFile}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = parseHallRules(raw);
  if (!parsed.ok) throw new Error(`the demo hall calendar ${demoHallCalendarFile} is not valid:\n  ${parsed.errors.join('\n  ')}`);
  loaded = parsed.rules;
  return loaded;
}
