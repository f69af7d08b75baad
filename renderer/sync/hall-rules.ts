import { demoHallRules } from '../../demo/hall-calendar.ts';
import type { HallRules } from '../../core/calendar/calendar-rules.ts';
import type { KioskApi } from '../../core/kiosk/kiosk-api.ts';

export interface LoadedHallRules {
  rules: HallRules;
  /** 'pulled': the hall server's calendar, as the privileged side last pulled and kept it */
  source: 'pulled' | 'bundled';
}

/**
 * The hall calendar the kiosk decides by, offline too. The privileged side pulls it and keeps it
 * on disk (kiosk API hall.rules; a hall-rules event brings each new one); before it ever had one,
 * the rules the kiosk ships with stand in.
 */
export async function loadHallRules(kiosk: Pick<KioskApi, 'hall'>): Promise<LoadedHallRules> {
  const { rules } = await kiosk.hall.rules();
  return rules ? { rules, source: 'pulled' } : { rules: demoHallRules, source: 'bundled' };
}

/** Each hall calendar the privileged side pulls from now on. */
export function onHallRules(kiosk: Pick<KioskApi, 'events'>, listener: (rules: HallRules) => void): () => void {
  return kiosk.events.subscribe((event) => {
    if (event.type === 'hall-rules') listener(event.rules);
  });
}
