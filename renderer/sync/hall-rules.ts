import type { HallRules } from '../../core/calendar/calendar-rules.ts';
import type { KioskApi } from '../../core/kiosk/kiosk-api.ts';

export interface LoadedHallRules {
  rules: HallRules;
  /**
   * 'pulled': the hall server's calendar, as the privileged side last pulled and kept it; 'local':
   * the calendar file of a kiosk with no hall server; 'none': neither, and `rules` open nothing
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
 * The hall calendar the kiosk decides by, offline too. The privileged side pulls it and keeps it
 * on disk (kiosk API hall.rules; a hall-rules event brings each new one). A kiosk with no hall
 * server uses its calendar file, else the last one pulled when it had a server.
 */
export async function loadHallRules(kiosk: Pick<KioskApi, 'hall'>, choice: { local: HallRules | null; synced: boolean } = { local: null, synced: true }): Promise<LoadedHallRules> {
  if (!choice.synced && choice.local) return { rules: choice.local, source: 'local' };
  const { rules } = await kiosk.hall.rules();
  return rules ? { rules, source: 'pulled' } : { rules: noHallRules, source: 'none' };
}

/** Each hall calendar the privileged side pulls from now on. */
export function onHallRules(kiosk: Pick<KioskApi, 'events'>, listener: (rules: HallRules) => void): () => void {
  return kiosk.events.subscribe((event) => {
    if (event.type === 'hall-rules') listener(event.rules);
  });
}
