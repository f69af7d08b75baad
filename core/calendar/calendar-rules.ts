import { z } from 'zod';
import { allMonthDays, isCalendarDay, isMonthDay, isoWeekday } from './calendar-day.ts';
import { localizedTextSchema } from '../text/localized.ts';

/**
 * The hall's rules for when each service issues numbers. They are edited on the central server
 * and pulled by every kiosk, which applies them offline, so they are plain JSON with one schema
 * that both sides validate. All times are the hall's wall clock; the zone comes from the kiosk
 * config (hall.timeZone), so one rule set serves any hall in the same zone.
 */

export const hallRulesVersion = 1;

const hhmmPattern = /^([01]\d|2[0-3]):[0-5]\d$/;
const hhmm = z.string().regex(hhmmPattern, 'time must be HH:MM between 00:00 and 23:59');
// zod 4 still runs refinements after a failed format check; these guards keep one mistake to
// one error instead of a cascade of comparisons against the malformed value.
const isTime = (t: string | undefined): t is string => t !== undefined && hhmmPattern.test(t);
const calendarDay = z.string().refine(isCalendarDay, 'not a calendar date (YYYY-MM-DD)');
const monthDay = z.string().refine(isMonthDay, 'not a month-day (MM-DD)');
/** ISO weekday, 1 = Monday … 7 = Sunday */
const weekday = z.number().int().min(1).max(7);
const id = z.string().min(1);

/** Weekdays a session runs on when it does not say. */
export const defaultWeekdays: readonly number[] = [1, 2, 3, 4, 5];

export const sessionSchema = z
  .object({
    /** Stable across seasons (morning/afternoon): per-session quotas are keyed by it. */
    id,
    name: localizedTextSchema,
    start: hhmm,
    end: hhmm,
    /** 取号截止: numbers stop before the counters close so the queue can be served; default `end`. */
    issueUntil: hhmm.optional(),
    weekdays: z.array(weekday).min(1).optional(),
  })
  .superRefine((s, ctx) => {
    if (!isTime(s.start) || !isTime(s.end)) return;
    if (s.end <= s.start) ctx.addIssue({ code: 'custom', path: ['end'], message: `end ${s.end} is not after start ${s.start}` });
    if (isTime(s.issueUntil) && (s.issueUntil <= s.start || s.issueUntil > s.end)) {
      ctx.addIssue({ code: 'custom', path: ['issueUntil'], message: `issueUntil ${s.issueUntil} is outside the session ${s.start}–${s.end}` });
    }
  });
export type Session = z.infer<typeof sessionSchema>;

/** A part of the year with its own timetable, e.g. summer 05-01–09-30; may wrap past new year. */
export const seasonSchema = z.object({ id, name: localizedTextSchema, from: monthDay, to: monthDay });
export type Season = z.infer<typeof seasonSchema>;

export const timetableSchema = z.object({
  id,
  name: localizedTextSchema,
  /** Sessions by season id; every season must be listed ([] = closed that season). */
  seasons: z.record(z.string(), z.array(sessionSchema)),
});
export type Timetable = z.infer<typeof timetableSchema>;

/** A group of counters (窗口) sharing hours, e.g. one department's row of windows. */
export const counterGroupSchema = z.object({ id, name: localizedTextSchema, timetableId: id });
export type CounterGroup = z.infer<typeof counterGroupSchema>;

export const quotaSchema = z.object({
  /** 限号 for the business day */
  perDay: z.number().int().positive().optional(),
  /** 限号 per session, by session id */
  perSession: z.record(z.string(), z.number().int().positive()).optional(),
});
export type Quota = z.infer<typeof quotaSchema>;

/**
 * How one catalog service keeps hours: its own timetable, else its counter group's, else the
 * hall's; or around the clock (24小时服务窗口 / 自助服务区), which ignores weekends and holidays.
 */
export const serviceRuleSchema = z.object({
  serviceId: id,
  counterGroupId: id.optional(),
  timetableId: id.optional(),
  aroundTheClock: z.boolean().optional(),
  quota: quotaSchema.optional(),
});
export type ServiceRule = z.infer<typeof serviceRuleSchema>;

export const holidaySchema = z.object({ name: localizedTextSchema, from: calendarDay, to: calendarDay });
export type Holiday = z.infer<typeof holidaySchema>;

/** 调休: a Saturday or Sunday the hall works, keeping the hours of the weekday it stands in for. */
export const adjustedWorkdaySchema = z.object({
  date: calendarDay,
  asWeekday: z.number().int().min(1).max(5),
  name: localizedTextSchema.optional(),
});
export type AdjustedWorkday = z.infer<typeof adjustedWorkdaySchema>;

export const hallRulesSchema = z
  .object({
    schemaVersion: z.literal(hallRulesVersion),
    /** Raised by the server on every edit; a kiosk keeps the highest it has seen. */
    revision: z.number().int().nonnegative(),
    /** The hall's own hours: for services and groups that name no timetable. */
    hallTimetableId: id,
    seasons: z.array(seasonSchema).min(1),
    timetables: z.array(timetableSchema).min(1),
    counterGroups: z.array(counterGroupSchema),
    services: z.array(serviceRuleSchema),
    calendar: z.object({
      holidays: z.array(holidaySchema),
      workdays: z.array(adjustedWorkdaySchema),
    }),
  })
  .superRefine((rules, ctx) => {
    const issue = (path: (string | number)[], message: string): void => {
      ctx.addIssue({ code: 'custom', path, message });
    };
    const uniqueIds = <T>(items: readonly T[], key: (t: T) => string, path: string, field: string): Set<string> => {
      const seen = new Set<string>();
      items.forEach((item, i) => {
        const k = key(item);
        if (seen.has(k)) issue([path, i, field], `duplicate ${field} ${k}`);
        seen.add(k);
      });
      return seen;
    };

    const seasonIds = uniqueIds(rules.seasons, (s) => s.id, 'seasons', 'id');
    if (rules.seasons.every((s) => isMonthDay(s.from) && isMonthDay(s.to))) checkSeasonCoverage(rules.seasons, issue);

    const timetableIds = uniqueIds(rules.timetables, (t) => t.id, 'timetables', 'id');
    if (!timetableIds.has(rules.hallTimetableId)) issue(['hallTimetableId'], `unknown timetable ${rules.hallTimetableId}`);
    rules.timetables.forEach((t, i) => {
      for (const seasonId of Object.keys(t.seasons)) {
        if (!seasonIds.has(seasonId)) issue(['timetables', i, 'seasons', seasonId], `unknown season ${seasonId}`);
      }
      for (const seasonId of seasonIds) {
        const sessions = t.seasons[seasonId];
        if (!sessions) issue(['timetables', i, 'seasons'], `no sessions for season ${seasonId} (use [] if closed all season)`);
        else checkSessions(sessions, ['timetables', i, 'seasons', seasonId], issue);
      }
    });

    const groupIds = uniqueIds(rules.counterGroups, (g) => g.id, 'counterGroups', 'id');
    rules.counterGroups.forEach((g, i) => {
      if (!timetableIds.has(g.timetableId)) issue(['counterGroups', i, 'timetableId'], `unknown timetable ${g.timetableId}`);
    });

    uniqueIds(rules.services, (s) => s.serviceId, 'services', 'serviceId');
    rules.services.forEach((s, i) => {
      const at = (...rest: (string | number)[]): (string | number)[] => ['services', i, ...rest];
      if (s.counterGroupId !== undefined && !groupIds.has(s.counterGroupId)) issue(at('counterGroupId'), `unknown counter group ${s.counterGroupId}`);
      if (s.timetableId !== undefined && !timetableIds.has(s.timetableId)) issue(at('timetableId'), `unknown timetable ${s.timetableId}`);
      if (s.aroundTheClock && s.timetableId !== undefined) issue(at('timetableId'), 'an around-the-clock service has no timetable');
      const perSession = s.quota?.perSession;
      if (!perSession) return;
      if (s.aroundTheClock) {
        issue(at('quota', 'perSession'), 'an around-the-clock service has no sessions to limit');
        return;
      }
      const timetableId = s.timetableId ?? rules.counterGroups.find((g) => g.id === s.counterGroupId)?.timetableId ?? rules.hallTimetableId;
      const timetable = rules.timetables.find((t) => t.id === timetableId);
      if (!timetable) return; // reported above
      const sessionIds = new Set(Object.values(timetable.seasons).flat().map((x) => x.id));
      for (const sessionId of Object.keys(perSession)) {
        if (!sessionIds.has(sessionId)) issue(at('quota', 'perSession', sessionId), `timetable ${timetable.id} has no session ${sessionId}`);
      }
    });

    const holidays = rules.calendar.holidays.filter((h) => isCalendarDay(h.from) && isCalendarDay(h.to));
    rules.calendar.holidays.forEach((h, i) => {
      if (holidays.includes(h) && h.to < h.from) issue(['calendar', 'holidays', i, 'to'], `holiday ends ${h.to}, before it starts ${h.from}`);
    });
    const workdays = new Set<string>();
    rules.calendar.workdays.forEach((w, i) => {
      if (!isCalendarDay(w.date)) return;
      const at = ['calendar', 'workdays', i, 'date'];
      if (workdays.has(w.date)) issue(at, `duplicate adjusted workday ${w.date}`);
      workdays.add(w.date);
      if (isoWeekday(w.date) <= 5) issue(at, `${w.date} is a weekday already; an adjusted workday (调休) is a Saturday or Sunday`);
      const holiday = holidays.find((h) => h.from <= w.date && w.date <= h.to);
      if (holiday) issue(at, `${w.date} falls in the holiday ${holiday.name.zh} (${holiday.from}–${holiday.to})`);
    });
  });
export type HallRules = z.infer<typeof hallRulesSchema>;

type Report = (path: (string | number)[], message: string) => void;

export function seasonCovers(season: Pick<Season, 'from' | 'to'>, monthDay: string): boolean {
  return season.from <= season.to
    ? season.from <= monthDay && monthDay <= season.to
    : monthDay >= season.from || monthDay <= season.to;
}

/** Every day of the year, 02-29 included, must fall in exactly one season. */
function checkSeasonCoverage(seasons: readonly Season[], issue: Report): void {
  const gaps: string[][] = [];
  const overlaps = new Map<number, { other: number; days: string[] }>();
  let previousCovered = true;
  for (const md of allMonthDays()) {
    const covering = seasons.flatMap((s, i) => (seasonCovers(s, md) ? [i] : []));
    if (covering.length === 0) {
      if (previousCovered) gaps.push([]);
      gaps.at(-1)!.push(md);
    }
    previousCovered = covering.length > 0;
    for (const i of covering.slice(1)) {
      const o = overlaps.get(i) ?? { other: covering[0]!, days: [] };
      o.days.push(md);
      overlaps.set(i, o);
    }
  }
  for (const days of gaps) issue(['seasons'], `no season covers ${span(days)}`);
  for (const [i, o] of overlaps) issue(['seasons', i, 'from'], `overlaps season ${seasons[o.other]!.id} on ${span(o.days)}`);
}

function span(days: readonly string[]): string {
  return days.length === 1 ? days[0]! : `${days[0]}–${days.at(-1)}`;
}

function checkSessions(sessions: readonly Session[], path: (string | number)[], issue: Report): void {
  sessions.forEach((s, k) => {
    if (!isTime(s.start) || !isTime(s.end)) return;
    const days = new Set(s.weekdays ?? defaultWeekdays);
    for (let j = 0; j < k; j++) {
      const other = sessions[j]!;
      if (!isTime(other.start) || !isTime(other.end)) continue;
      // The same id on different weekdays is one session (a Saturday "morning" shares the
      // morning quota); on a shared weekday it would be ambiguous.
      if (!(other.weekdays ?? defaultWeekdays).some((d) => days.has(d))) continue;
      if (other.id === s.id) issue([...path, k, 'id'], `session id ${s.id} is used twice on the same weekday`);
      if (s.start < other.end && other.start < s.end) {
        issue([...path, k, 'start'], `session ${s.id} (${s.start}–${s.end}) overlaps session ${other.id} (${other.start}–${other.end})`);
      }
    }
  });
}

export type HallRulesLoad = { ok: true; rules: HallRules } | { ok: false; errors: string[] };

/** Validate rules pulled from the server; every error names the path it is about. */
export function parseHallRules(raw: unknown): HallRulesLoad {
  const parsed = hallRulesSchema.safeParse(raw);
  if (parsed.success) return { ok: true, rules: parsed.data };
  return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) };
}
