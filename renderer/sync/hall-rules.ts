import { demoHallRules } from '../../demo/hall-calendar.ts';
import { parseHallRules, type HallRules } from '../../core/calendar/calendar-rules.ts';
import type { HallKioskDb } from '../db/hall-kiosk-db.ts';
import { readSyncMeta } from '../db/sync-meta.ts';

export interface LoadedHallRules {
  rules: HallRules;
  /** 'pulled': the hall server's calendar, cached by the last pull that carried one */
  source: 'pulled' | 'bundled';
}

/**
 * The hall calendar the kiosk decides by, offline too: the last one pulled, else the rules the
 * kiosk ships with. A cached calendar that no longer validates (written by an older kiosk
 * version, or damaged) is not trusted: the bundled rules stand in until the next pull.
 */
export async function loadHallRules(db: HallKioskDb): Promise<LoadedHallRules> {
  const cached = await readSyncMeta(db, 'hall.rules');
  if (cached === undefined) return { rules: demoHallRules, source: 'bundled' };
  const parsed = parseHallRules(cached);
  if (!parsed.ok) {
    console.warn('the cached hall calendar is not valid; using the bundled one until the next pull', parsed.errors.slice(0, 3));
    return { rules: demoHallRules, source: 'bundled' };
  }
  return { rules: parsed.rules, source: 'pulled' };
}
