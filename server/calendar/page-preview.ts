import { hallClosedDay, kioskMode, openingMoment, serviceAvailability, type KioskModeNow, type ServiceAvailability } from '../../core/calendar/hall-calendar.ts';
import type { HallRules } from '../../core/calendar/calendar-rules.ts';
import type { LocalizedText } from '../../core/text/localized.ts';
import type { DayClosedReason } from '../../core/calendar/opening-hours.ts';
import { epochAtWallTime } from '../../core/calendar/wall-clock.ts';
import { weekdayText } from './page-form.ts';

/**
 * "预览": what a kiosk on these rules would offer at a chosen moment, worked out by the same core
 * functions the kiosk runs, with nothing issued yet that day.
 */

export interface PreviewService {
  serviceId: string;
  name: string;
  availability: ServiceAvailability;
}

export interface PreviewGroup {
  name: string;
  services: PreviewService[];
}

export interface CalendarPreview {
  day: string;
  /** HH:MM on the hall's wall clock */
  time: string;
  at: number;
  mode: KioskModeNow;
  hallClosed: { reason: DayClosedReason; holiday?: LocalizedText } | null;
  groups: PreviewGroup[];
}

/**
 * `serviceNames` is the published catalog's names by service id; catalog services the rules do
 * not mention keep the hall's own hours, as on the kiosk, and are listed too.
 */
export function calendarPreview(rules: HallRules, day: string, time: string, timeZone: string, serviceNames: ReadonlyMap<string, string>): CalendarPreview {
  const at = epochAtWallTime(day, time, timeZone);
  const entry = (serviceId: string): PreviewService => ({ serviceId, name: serviceNames.get(serviceId) ?? serviceId, availability: serviceAvailability(rules, serviceId, at, timeZone) });
  const ruled = new Set(rules.services.map((s) => s.serviceId));
  const groups: PreviewGroup[] = rules.counterGroups.map((g) => ({
    name: g.name.zh,
    services: rules.services.filter((s) => !s.aroundTheClock && s.counterGroupId === g.id).map((s) => entry(s.serviceId)),
  }));
  groups.push({ name: '24小时服务', services: rules.services.filter((s) => s.aroundTheClock).map((s) => entry(s.serviceId)) });
  const others = [...rules.services.filter((s) => !s.aroundTheClock && s.counterGroupId === undefined).map((s) => s.serviceId), ...[...serviceNames.keys()].filter((id) => !ruled.has(id))];
  groups.push({ name: '其他事项（大厅作息）', services: others.map(entry) });
  return { day, time, at, mode: kioskMode(rules, at, timeZone), hallClosed: hallClosedDay(rules, at, timeZone), groups: groups.filter((g) => g.services.length > 0) };
}

/** "今天 9:00", "明天 13:30", "10月8日（周四）9:00": as the kiosk says it. */
export function whenText(nowMs: number, atMs: number, timeZone: string): string {
  const m = openingMoment(nowMs, atMs, timeZone);
  const time = m.time.replace(/^0(\d)/, '$1');
  if (m.daysAhead === 0) return `今天 ${time}`;
  if (m.daysAhead === 1) return `明天 ${time}`;
  const [, month, date] = m.day.split('-').map(Number);
  return `${month}月${date}日（${weekdayText[m.weekday]}）${time}`;
}
