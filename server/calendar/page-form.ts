import { isCalendarDay, isoWeekday } from '../../core/calendar/calendar-day.ts';
import { hallRulesSchema, type HallRules, type Quota, type ServiceRule, type Session } from '../../core/calendar/calendar-rules.ts';
import type { LocalizedText } from '../../core/text/localized.ts';
import { hoursOf } from '../../core/calendar/opening-hours.ts';

/**
 * The hall calendar page's edit form: field names, and turning a posted form into the next
 * calendar. Every refusal is a Chinese sentence keyed by the field it is about, so the page shows
 * it beside the input; the candidate then passes the same schema as the JSON API before it is
 * saved. Fields the form does not send keep their value, so a form that only adds a holiday
 * changes nothing else.
 */

export type FormValues = Readonly<Record<string, string>>;
/** Chinese message by field name; `generalError` for what belongs to no one field. */
export type FieldErrors = Record<string, string>;

export const generalError = '_';

export type SessionPart = 'start' | 'end' | 'issueUntil';

/** Indexes, not ids, so no id a hall chose (with dots or spaces) can break a field name. */
export const field = {
  session: (timetable: number, season: number, session: number, part: SessionPart) => `session.${timetable}.${season}.${session}.${part}`,
  quotaDay: (service: number) => `quota.${service}.day`,
  quotaSession: (service: number, session: number) => `quota.${service}.session.${session}`,
  removeHoliday: (holiday: number) => `holiday.${holiday}.remove`,
  removeWorkday: (workday: number) => `workday.${workday}.remove`,
  newHolidayFrom: 'newHoliday.from',
  newHolidayTo: 'newHoliday.to',
  newHolidayName: 'newHoliday.name',
  newHolidayNameEn: 'newHoliday.nameEn',
  newWorkdayDate: 'newWorkday.date',
  newWorkdayAsWeekday: 'newWorkday.asWeekday',
  newWorkdayName: 'newWorkday.name',
  baseRevision: 'baseRevision',
} as const;

export const weekdayText: Record<number, string> = { 1: '周一', 2: '周二', 3: '周三', 4: '周四', 5: '周五', 6: '周六', 7: '周日' };

/** The largest 限号 the form takes: a typo of an extra zero or two is still caught. */
export const maxQuota = 100_000;

/**
 * The sessions a service's per-session quota can name: every session id of its timetable, in
 * the order they first appear. Around-the-clock services have none.
 */
export function quotaSessions(rules: HallRules, service: ServiceRule): { id: string; name: LocalizedText }[] {
  if (service.aroundTheClock) return [];
  const hours = hoursOf(rules, service.serviceId);
  if (hours.kind !== 'timetable') return [];
  const seen = new Map<string, LocalizedText>();
  for (const season of rules.seasons) for (const s of hours.timetable.seasons[season.id] ?? []) if (!seen.has(s.id)) seen.set(s.id, s.name);
  return [...seen].map(([id, name]) => ({ id, name }));
}

const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;
const timeMessage = '时间应为 HH:MM（00:00–23:59），如 09:00';
const dayMessage = '日期应为 YYYY-MM-DD，如 2026-10-01';

/** A time as typed: 9:00 is read as 09:00, because that is what people type. */
function normalTime(text: string): string {
  const t = text.trim().replace('：', ':');
  return /^\d:\d\d$/.test(t) ? `0${t}` : t;
}

export type CalendarEdit = { ok: true; rules: HallRules; changed: boolean } | { ok: false; errors: FieldErrors };

/** The calendar `base` becomes under the posted `form`, or every problem with it by field. */
export function applyCalendarForm(base: HallRules, form: FormValues): CalendarEdit {
  const errors: FieldErrors = {};
  const fail = (name: string, message: string) => {
    errors[name] ??= message;
  };
  const has = (name: string) => Object.hasOwn(form, name);
  const text = (name: string) => (has(name) ? form[name]!.trim() : '');

  const timetables = base.timetables.map((timetable, t) => ({
    ...timetable,
    seasons: Object.fromEntries(
      base.seasons.map((season, j) => [
        season.id,
        (timetable.seasons[season.id] ?? []).map((session, k) => editSession(session, (part) => field.session(t, j, k, part))),
      ]),
    ),
  }));

  function editSession(session: Session, name: (part: SessionPart) => string): Session {
    const read = (part: SessionPart, current: string | undefined): string | undefined => (has(name(part)) ? normalTime(form[name(part)]!) : current);
    const start = read('start', session.start)!;
    const end = read('end', session.end)!;
    const issueUntil = read('issueUntil', session.issueUntil);
    const startOk = hhmm.test(start);
    const endOk = hhmm.test(end);
    if (!startOk) fail(name('start'), timeMessage);
    if (!endOk) fail(name('end'), timeMessage);
    if (startOk && endOk && end <= start) fail(name('end'), `结束时间须晚于开始时间 ${start}`);
    // Blank: numbers are taken until the session ends.
    const until = issueUntil === '' ? undefined : issueUntil;
    if (until !== undefined) {
      if (!hhmm.test(until)) fail(name('issueUntil'), `${timeMessage}；留空表示到时段结束`);
      else if (startOk && endOk && (until <= start || until > end)) fail(name('issueUntil'), `取号截止须晚于开始时间 ${start}，且不晚于结束时间 ${end}`);
    }
    const { issueUntil: _old, ...rest } = session;
    return { ...rest, start, end, ...(until !== undefined ? { issueUntil: until } : {}) };
  }

  const quotaValue = (name: string, current: number | undefined): number | undefined => {
    if (!has(name)) return current;
    const value = text(name);
    if (value === '') return undefined;
    if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > maxQuota) {
      fail(name, `限号应为 1–${maxQuota} 的整数；留空表示不限`);
      return current;
    }
    return Number(value);
  };

  const services = base.services.map((service, i): ServiceRule => {
    const perDay = quotaValue(field.quotaDay(i), service.quota?.perDay);
    const perSession: Record<string, number> = { ...service.quota?.perSession };
    quotaSessions(base, service).forEach((session, n) => {
      const value = quotaValue(field.quotaSession(i, n), perSession[session.id]);
      if (value === undefined) delete perSession[session.id];
      else perSession[session.id] = value;
    });
    const quota: Quota = { ...(perDay !== undefined ? { perDay } : {}), ...(Object.keys(perSession).length ? { perSession } : {}) };
    const { quota: _old, ...rest } = service;
    return Object.keys(quota).length ? { ...rest, quota } : rest;
  });

  const holidays = base.calendar.holidays.filter((_h, i) => !has(field.removeHoliday(i)));
  const workdays = base.calendar.workdays.filter((_w, i) => !has(field.removeWorkday(i)));
  const holidayOn = (day: string) => holidays.find((h) => h.from <= day && day <= h.to);

  if ([field.newHolidayFrom, field.newHolidayTo, field.newHolidayName].some((n) => text(n) !== '')) {
    const from = text(field.newHolidayFrom);
    const to = text(field.newHolidayTo) || from;
    const name = text(field.newHolidayName);
    const fromOk = isCalendarDay(from);
    const toOk = isCalendarDay(to);
    if (!fromOk) fail(field.newHolidayFrom, dayMessage);
    if (!toOk) fail(field.newHolidayTo, dayMessage);
    if (fromOk && toOk) {
      const clash = holidays.find((h) => h.from <= to && from <= h.to);
      const workday = workdays.find((w) => from <= w.date && w.date <= to);
      if (to < from) fail(field.newHolidayTo, `结束日期不能早于开始日期 ${from}`);
      else if (clash) fail(field.newHolidayFrom, `与已有节假日「${clash.name.zh}」（${clash.from} 至 ${clash.to}）重叠`);
      else if (workday) fail(field.newHolidayFrom, `${workday.date} 是调休上班日，请先删除该调休日`);
    }
    if (name === '') fail(field.newHolidayName, '请填写节假日名称，如 国庆节');
    if (!errors[field.newHolidayFrom] && !errors[field.newHolidayTo] && !errors[field.newHolidayName]) {
      holidays.push({ name: { zh: name, en: text(field.newHolidayNameEn) || name }, from, to });
      holidays.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
    }
  }

  if ([field.newWorkdayDate, field.newWorkdayName].some((n) => text(n) !== '')) {
    const date = text(field.newWorkdayDate);
    const asWeekday = Number(text(field.newWorkdayAsWeekday));
    const name = text(field.newWorkdayName);
    if (!isCalendarDay(date)) fail(field.newWorkdayDate, dayMessage);
    else if (isoWeekday(date) <= 5) fail(field.newWorkdayDate, `${date} 是${weekdayText[isoWeekday(date)]}，本来就上班；调休上班日须为周六或周日`);
    else if (workdays.some((w) => w.date === date)) fail(field.newWorkdayDate, `${date} 已是调休上班日`);
    else if (holidayOn(date)) fail(field.newWorkdayDate, `${date} 在节假日「${holidayOn(date)!.name.zh}」内`);
    if (!Number.isInteger(asWeekday) || asWeekday < 1 || asWeekday > 5) fail(field.newWorkdayAsWeekday, '请选择这一天按周几的作息上班（周一至周五）');
    if (!errors[field.newWorkdayDate] && !errors[field.newWorkdayAsWeekday]) {
      workdays.push({ date, asWeekday, ...(name ? { name: { zh: name, en: 'Make-up workday' } } : {}) });
      workdays.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    }
  }

  if (Object.keys(errors).length) return { ok: false, errors };
  const rules: HallRules = { ...base, timetables, services, calendar: { holidays, workdays } };
  // The checks above are the common mistakes in words; the schema has the last word (overlapping
  // sessions, quotas naming a session that no longer runs), and its verdict lands on a field too.
  const parsed = hallRulesSchema.safeParse(rules);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) fail(fieldOfIssue(base, rules, issue.path), chineseIssue(issue.message));
    return { ok: false, errors };
  }
  return { ok: true, rules: parsed.data, changed: JSON.stringify(parsed.data) !== JSON.stringify(base) };
}

/** The form field a schema issue is about, or the general slot. */
function fieldOfIssue(base: HallRules, edited: HallRules, path: readonly PropertyKey[]): string {
  const [section, a, b, c, d, e] = path;
  if (section === 'timetables' && typeof a === 'number' && b === 'seasons' && typeof c === 'string' && typeof d === 'number') {
    const season = base.seasons.findIndex((s) => s.id === c);
    const part = e === 'end' || e === 'issueUntil' ? e : 'start';
    if (season >= 0) return field.session(a, season, d, part);
  }
  if (section === 'services' && typeof a === 'number' && b === 'quota') {
    if (c === 'perDay') return field.quotaDay(a);
    const service = base.services[a];
    const n = service ? quotaSessions(base, service).findIndex((s) => s.id === d) : -1;
    if (n >= 0) return field.quotaSession(a, n);
  }
  if (section === 'calendar' && a === 'workdays' && typeof b === 'number') {
    const date = edited.calendar.workdays[b]?.date;
    const original = base.calendar.workdays.findIndex((w) => w.date === date);
    return original >= 0 ? field.removeWorkday(original) : field.newWorkdayDate;
  }
  if (section === 'calendar' && a === 'holidays') return field.newHolidayFrom;
  return generalError;
}

/** The schema speaks English for the JSON API; the page says the common ones in Chinese. */
function chineseIssue(message: string): string {
  const overlap = /^session \S+ \(([^)]+)\) overlaps session (\S+) \(([^)]+)\)$/.exec(message);
  if (overlap) return `时段 ${overlap[1]} 与时段「${overlap[2]}」（${overlap[3]}）重叠`;
  const noSession = /^timetable (\S+) has no session (\S+)$/.exec(message);
  if (noSession) return `作息「${noSession[1]}」没有时段「${noSession[2]}」`;
  return `不符合规则：${message}`;
}
