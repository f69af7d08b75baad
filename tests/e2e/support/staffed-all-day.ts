import type { HallRules, Session } from '../../../core/calendar/calendar-rules.ts';
import { demoHallRules } from '../../support/demo-hall.ts';

const everyDay = [1, 2, 3, 4, 5, 6, 7];

/**
 * The demo hall's calendar with every counter staffed from `opens` to `closes` every day of the
 * year (no holidays), split at noon into the morning and afternoon sessions that per-session
 * quotas are keyed by. `withQuotas: false` also lifts every 限号, for runs that issue thousands.
 */
export function staffedEveryDay(opens: string, closes: string, options: { withQuotas?: boolean } = {}): HallRules {
  const sessions: Session[] = [
    { id: 'morning', name: { zh: '上午', en: 'Morning' }, start: opens, end: '12:00', weekdays: everyDay },
    { id: 'afternoon', name: { zh: '下午', en: 'Afternoon' }, start: '12:00', end: closes, weekdays: everyDay },
  ];
  const withQuotas = options.withQuotas ?? true;
  return {
    ...demoHallRules,
    timetables: demoHallRules.timetables.map((t) => ({ ...t, seasons: Object.fromEntries(Object.keys(t.seasons).map((season) => [season, sessions])) })),
    services: withQuotas ? demoHallRules.services : demoHallRules.services.map(({ quota: _quota, ...rest }) => rest),
    calendar: { holidays: [], workdays: [] },
  };
}

/**
 * For end-to-end suites that run on the real clock and are about sync, not hours: the kiosk pulls
 * it on its first sync and offers every service whenever the suite runs (but the last minute
 * before midnight).
 */
export const staffedAllDay: HallRules = staffedEveryDay('00:00', '23:59');
