import type { BusinessDay } from './business-day.ts';
import { addDays, isoWeekday, monthDayOf } from './calendar-day.ts';
import { defaultWeekdays, seasonCovers, type HallRules, type Season, type ServiceRule, type Timetable } from './calendar-rules.ts';
import type { LocalizedText } from '../text/localized.ts';
import { epochAtWallTime } from './wall-clock.ts';

/**
 * Which hours apply on a given calendar day: season, holiday, 调休 and weekday resolved into the
 * list of sessions. Everything here works on wall-clock days; instants come in only through
 * `sessionWindows`, which places a day's sessions on the hall's zone.
 *
 * Rules are assumed to have passed hallRulesSchema: a broken reference is a bug, so it throws.
 */

export type Hours = { kind: 'around-the-clock' } | { kind: 'timetable'; timetable: Timetable };

export interface PlannedSession {
  id: string;
  name: LocalizedText;
  /** HH:MM on the hall's wall clock */
  start: string;
  end: string;
  /** the rule's issueUntil, or the session end when it has none */
  issueUntil: string;
}

export type DayClosedReason = 'holiday' | 'weekend' | 'not-a-service-day';

export type TimetableDayPlan =
  | { kind: 'sessions'; seasonId: string; sessions: readonly PlannedSession[]; adjustedWorkday: boolean }
  | { kind: 'closed'; reason: DayClosedReason; holiday?: LocalizedText };

export type DayPlan = { kind: 'around-the-clock' } | TimetableDayPlan;

/**
 * How far ahead to look for the next opening: a timetable may be closed for a whole season
 * (up to ~8 months) and a holiday can follow it.
 */
export const searchHorizonDays = 400;

export function serviceRuleOf(rules: HallRules, serviceId: string): ServiceRule | undefined {
  return rules.services.find((s) => s.serviceId === serviceId);
}

export function timetableById(rules: HallRules, id: string): Timetable {
  const t = rules.timetables.find((x) => x.id === id);
  if (!t) throw new Error(`hall rules have no timetable ${id}`);
  return t;
}

/**
 * A service's hours: around the clock, its own timetable, its counter group's, else the hall's.
 * `null` asks for the hall's own hours. A service the rules do not mention keeps the hall's
 * hours, so a catalog that is ahead of the rules still issues numbers in business hours.
 */
export function hoursOf(rules: HallRules, serviceId: string | null): Hours {
  const rule = serviceId === null ? undefined : serviceRuleOf(rules, serviceId);
  if (rule?.aroundTheClock) return { kind: 'around-the-clock' };
  const groupTimetable = rule?.counterGroupId === undefined ? undefined : rules.counterGroups.find((g) => g.id === rule.counterGroupId)?.timetableId;
  return { kind: 'timetable', timetable: timetableById(rules, rule?.timetableId ?? groupTimetable ?? rules.hallTimetableId) };
}

export function seasonOn(rules: HallRules, day: BusinessDay): Season {
  const md = monthDayOf(day);
  const season = rules.seasons.find((s) => seasonCovers(s, md));
  if (!season) throw new Error(`hall rules have no season covering ${md}`);
  return season;
}

export function timetableDay(rules: HallRules, timetable: Timetable, day: BusinessDay): TimetableDayPlan {
  const holiday = rules.calendar.holidays.find((h) => h.from <= day && day <= h.to);
  if (holiday) return { kind: 'closed', reason: 'holiday', holiday: holiday.name };
  const workday = rules.calendar.workdays.find((w) => w.date === day);
  const weekday = workday?.asWeekday ?? isoWeekday(day);
  const season = seasonOn(rules, day);
  const sessions = (timetable.seasons[season.id] ?? [])
    .filter((s) => (s.weekdays ?? defaultWeekdays).includes(weekday))
    .map((s): PlannedSession => ({ id: s.id, name: s.name, start: s.start, end: s.end, issueUntil: s.issueUntil ?? s.end }))
    .sort((a, b) => (a.start < b.start ? -1 : 1));
  if (sessions.length === 0) return { kind: 'closed', reason: isoWeekday(day) >= 6 && !workday ? 'weekend' : 'not-a-service-day' };
  return { kind: 'sessions', seasonId: season.id, sessions, adjustedWorkday: workday !== undefined };
}

/** The hours a service (or, for `null`, the hall) keeps on a calendar day. */
export function dayPlan(rules: HallRules, serviceId: string | null, day: BusinessDay): DayPlan {
  const hours = hoursOf(rules, serviceId);
  return hours.kind === 'around-the-clock' ? hours : timetableDay(rules, hours.timetable, day);
}

export interface SessionWindow {
  session: PlannedSession;
  /** epoch ms */
  start: number;
  issueUntil: number;
  end: number;
}

/** A day's planned sessions as instants on the hall's zone. */
export function placeSessions(day: BusinessDay, sessions: readonly PlannedSession[], timeZone: string): SessionWindow[] {
  return sessions.map((session) => ({
    session,
    start: epochAtWallTime(day, session.start, timeZone),
    issueUntil: epochAtWallTime(day, session.issueUntil, timeZone),
    end: epochAtWallTime(day, session.end, timeZone),
  }));
}

/** A day's sessions as instants, in order; empty when the timetable is closed that day. */
export function sessionWindows(rules: HallRules, timetable: Timetable, day: BusinessDay, timeZone: string): SessionWindow[] {
  const plan = timetableDay(rules, timetable, day);
  return plan.kind === 'sessions' ? placeSessions(day, plan.sessions, timeZone) : [];
}

/** The first session start on `fromDay` or after, skipping holidays, weekends and closed days. */
export function firstOpeningFrom(rules: HallRules, timetable: Timetable, fromDay: BusinessDay, timeZone: string): number | null {
  for (let i = 0; i < searchHorizonDays; i++) {
    const day = addDays(fromDay, i);
    const plan = timetableDay(rules, timetable, day);
    if (plan.kind === 'sessions') return epochAtWallTime(day, plan.sessions[0]!.start, timeZone);
  }
  return null;
}
