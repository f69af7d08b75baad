import { parseHallRules, type HallRules } from '../../core/calendar/calendar-rules.ts';
import type { HallKioskDb } from '../db/hall-kiosk-db.ts';
import { readSyncMeta } from './sync-meta.ts';

export interface LoadedHallRules {
  rules: HallRules;
  /**
   * 'pulled': the hall server's calendar, cached by the last pull that carried one; 'local': the
   * calendar file of a kiosk with no hall server; 'none': neither, and `rules` open nothing
   */
  source: 'pulled' | 'local' | 'none';
}

/**
 * What a kiosk without a calendar decides by: every service closed, every day. It never invents
 * hours; the kiosk says it has no calendar instead of offering numbers (app.tsx).
 */
export const noHallRules: HallRules = {
  schemaVersion: 1,
  revision: 0,
  hallTimetableId: 'none',
  seasons: [{ id: 'all-year', name: { zh: '全年', en: 'All year' }, from: '01-01', to: '12-31' }],
  timetables: [{ id: 'none', name: { zh: '无作息', en: 'No hours' }, seasons: { 'all-year': [] } }],
  counterGroups: [],
  services: [],
  calendar: { holidays: [], workdays: [] },
};

/**
 * The hall calendar the kiosk decides by, offline too. A kiosk with a hall server uses the last
 * one pulled; one without uses its calendar file, else the last one pulled when it had a server.
 * A cached calendar that no longer validates (written by an older kiosk version, or damaged) is
 * not trusted: the kiosk waits for the next pull.
 */
export async function loadHallRules(db: HallKioskDb, choice: { local: HallRules | null; synced: boolean } = { local: null, synced: true }): Promise<LoadedHallRules> {
  if (!choice.synced && choice.local) return { rules: choice.local, source: 'local' };
  const cached = await readSyncMeta(db, 'hall.rules');
  if (cached === undefined) return { rules: noHallRules, source: 'none' };
  const parsed = parseHallRules(cached);
  if (!parsed.ok) {
    console.warn('the cached hall calendar is not valid; none until the next pull', parsed.errors.slice(0, 3));
    return { rules: noHallRules, source: 'none' };
  }
  return { rules: parsed.rules, source: 'pulled' };
}
