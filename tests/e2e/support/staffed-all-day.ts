import { demoHallRules } from '../../../core/hall-calendar-demo.ts';
import type { HallRules, Session } from '../../../core/hall-calendar-rules.ts';

const everyDay = [1, 2, 3, 4, 5, 6, 7];
const sessions: Session[] = [
  { id: 'morning', name: { zh: '上午', en: 'Morning' }, start: '00:00', end: '12:00', weekdays: everyDay },
  { id: 'afternoon', name: { zh: '下午', en: 'Afternoon' }, start: '12:00', end: '23:59', weekdays: everyDay },
];

/**
 * A hall calendar whose counters issue numbers all day, every day (but the last minute before
 * midnight), for end-to-end suites that run on the real clock and are about sync, not hours: the
 * kiosk pulls it on its first sync and offers every service whenever the suite runs.
 */
export const staffedAllDay: HallRules = {
  ...demoHallRules,
  timetables: demoHallRules.timetables.map((t) => ({ ...t, seasons: Object.fromEntries(Object.keys(t.seasons).map((season) => [season, sessions])) })),
  calendar: { holidays: [], workdays: [] },
};
