import { businessDayOf, hallLocalTime, type BusinessDay } from './business-day.ts';
import { addDays, daysBetween, isoWeekday } from './calendar-day.ts';
import type { HallRules, Timetable } from './calendar-rules.ts';
import type { LocalizedText } from '../text/localized.ts';
import {
  dayPlan, firstOpeningFrom, hoursOf, placeSessions, searchHorizonDays, serviceRuleOf, sessionWindows, timetableById, timetableDay,
  type DayClosedReason, type SessionWindow,
} from './opening-hours.ts';
import { epochAtWallTime } from './wall-clock.ts';

/**
 * What the hall offers at an instant. Every function takes the instant (epoch ms, from the
 * kiosk's corrected clock) and the hall's zone, and reads the day and time on the hall's wall
 * clock, so a kiosk whose OS runs in another zone still opens and closes with the hall.
 */

/** Tickets of one service already issued on the business day, in total and per session id. */
export interface IssuedCounts {
  day: number;
  bySession?: Readonly<Record<string, number>>;
  /** The day's numbers are gone whatever the rules' quota says: the kiosk saw the catalog's 限号 used up. */
  full?: boolean;
}

export const noneIssued: IssuedCounts = { day: 0 };

export type ClosedReason =
  | DayClosedReason
  | 'before-opening'
  /** between two sessions (午休) */
  | 'lunch-break'
  | 'after-hours'
  /** the session is still running but its numbers are handed out (取号截止) */
  | 'issue-window-closed'
  | 'quota-reached-day'
  | 'quota-reached-session';

/** Every ClosedReason, for validating one that crossed the wire (a server's refusal). */
export const closedReasons = [
  'holiday', 'weekend', 'not-a-service-day', 'before-opening', 'lunch-break', 'after-hours', 'issue-window-closed', 'quota-reached-day', 'quota-reached-session',
] as const satisfies readonly ClosedReason[];

/**
 * The error code a hall server answers with when the calendar refuses a number: the reason
 * itself travels with it, so the kiosk says exactly what it says when it decides alone.
 */
export type CalendarRefusalCode = 'quota-reached' | 'session-quota-reached' | 'outside-issue-window' | 'service-closed';

const refusalCodeOf: { readonly [R in ClosedReason]: CalendarRefusalCode } = {
  'quota-reached-day': 'quota-reached',
  'quota-reached-session': 'session-quota-reached',
  'before-opening': 'outside-issue-window',
  'lunch-break': 'outside-issue-window',
  'after-hours': 'outside-issue-window',
  'issue-window-closed': 'outside-issue-window',
  holiday: 'service-closed',
  weekend: 'service-closed',
  'not-a-service-day': 'service-closed',
};

/** The reason a kiosk shows for a code should a server send the code without its reason. */
const fallbackReasonOf: { readonly [C in CalendarRefusalCode]: ClosedReason } = {
  'quota-reached': 'quota-reached-day',
  'session-quota-reached': 'quota-reached-session',
  'outside-issue-window': 'issue-window-closed',
  'service-closed': 'not-a-service-day',
};

export function calendarRefusalCode(reason: ClosedReason): CalendarRefusalCode {
  return refusalCodeOf[reason];
}

/** The reason to show for a calendar refusal code that came without one; null for any other code. */
export function closedReasonOfCode(code: string): ClosedReason | null {
  return Object.hasOwn(fallbackReasonOf, code) ? fallbackReasonOf[code as CalendarRefusalCode] : null;
}

export type ServiceAvailability =
  | {
      open: true;
      /** null for an around-the-clock service */
      sessionId: string | null;
      /** when this session stops issuing (epoch ms); null around the clock */
      issueUntil: number | null;
      /** numbers left under the tighter of the day and session quotas; null when unlimited */
      remaining: number | null;
    }
  | {
      open: false;
      reason: ClosedReason;
      /** when numbers can next be taken (epoch ms); null if the rules never open it again */
      nextOpening: number | null;
      holiday?: LocalizedText;
    };

export type ServiceClosed = Extract<ServiceAvailability, { open: false }>;

function closed(reason: ClosedReason, nextOpening: number | null, holiday?: LocalizedText): ServiceClosed {
  return holiday ? { open: false, reason, nextOpening, holiday } : { open: false, reason, nextOpening };
}

const finiteOrNull = (n: number): number | null => (Number.isFinite(n) ? n : null);

/** Whether `serviceId` issues numbers at `epochMs`, and if not why and from when. */
export function serviceAvailability(
  rules: HallRules,
  serviceId: string,
  epochMs: number,
  timeZone: string,
  issued: IssuedCounts = noneIssued,
): ServiceAvailability {
  const hours = hoursOf(rules, serviceId);
  const quota = serviceRuleOf(rules, serviceId)?.quota;
  const today = businessDayOf(epochMs, timeZone);
  const dayLeft = issued.full ? 0 : quota?.perDay === undefined ? Infinity : quota.perDay - issued.day;

  if (hours.kind === 'around-the-clock') {
    if (dayLeft <= 0) return dayQuotaReached(rules, serviceId, epochMs, timeZone);
    return { open: true, sessionId: null, issueUntil: null, remaining: finiteOrNull(dayLeft) };
  }

  const { timetable } = hours;
  const fromTomorrow = (): number | null => firstOpeningFrom(rules, timetable, addDays(today, 1), timeZone);
  const plan = timetableDay(rules, timetable, today);
  if (plan.kind === 'closed') return closed(plan.reason, fromTomorrow(), plan.holiday);
  const windows = placeSessions(today, plan.sessions, timeZone);

  const first = windows[0]!;
  const last = windows.at(-1)!;
  if (epochMs < first.start) return closed('before-opening', first.start);
  if (epochMs >= last.end) return closed('after-hours', fromTomorrow());
  if (dayLeft <= 0) return dayQuotaReached(rules, serviceId, epochMs, timeZone);

  const sessionLeft = (w: SessionWindow): number => {
    const limit = quota?.perSession?.[w.session.id];
    return limit === undefined ? Infinity : limit - (issued.bySession?.[w.session.id] ?? 0);
  };
  const laterToday = (): number | null => windows.find((w) => w.start > epochMs && sessionLeft(w) > 0)?.start ?? fromTomorrow();

  const current = windows.find((w) => w.start <= epochMs && epochMs < w.end);
  if (!current) return closed('lunch-break', laterToday());
  if (epochMs >= current.issueUntil) return closed('issue-window-closed', laterToday());
  const left = sessionLeft(current);
  if (left <= 0) return closed('quota-reached-session', laterToday());
  return { open: true, sessionId: current.session.id, issueUntil: current.issueUntil, remaining: finiteOrNull(Math.min(dayLeft, left)) };
}

/**
 * The day's 限号 is used up: the service issues again on its next opening day (a 24-hour service
 * at the hall's midnight). Also what the hall server's counter means by "quota reached", which
 * carries no time of its own.
 */
export function dayQuotaReached(rules: HallRules, serviceId: string, epochMs: number, timeZone: string): ServiceClosed {
  const hours = hoursOf(rules, serviceId);
  const tomorrow = addDays(businessDayOf(epochMs, timeZone), 1);
  return closed('quota-reached-day', hours.kind === 'around-the-clock' ? epochAtWallTime(tomorrow, '00:00', timeZone) : firstOpeningFrom(rules, hours.timetable, tomorrow, timeZone));
}

export interface SessionNow {
  id: string;
  name: LocalizedText;
  /** epoch ms */
  start: number;
  issueUntil: number;
  end: number;
}

/**
 * The session in progress for a service (or, for `null`, for the hall's own hours), including
 * its last minutes after the issue window has closed; null at lunch, after hours, on closed days
 * and for around-the-clock services.
 */
export function currentSession(rules: HallRules, serviceId: string | null, epochMs: number, timeZone: string): SessionNow | null {
  const hours = hoursOf(rules, serviceId);
  if (hours.kind === 'around-the-clock') return null;
  const w = sessionWindows(rules, hours.timetable, businessDayOf(epochMs, timeZone), timeZone).find((x) => x.start <= epochMs && epochMs < x.end);
  return w ? { id: w.session.id, name: w.session.name, start: w.start, issueUntil: w.issueUntil, end: w.end } : null;
}

export type KioskMode = 'staffed' | 'self-service';

export interface KioskModeNow {
  mode: KioskMode;
  /** when the mode next changes (epoch ms); null if the hall never opens again under these rules */
  nextSwitch: number | null;
}

/**
 * Staffed while any counter keeps hours, from its first session's start to its last session's
 * end; the lunch break stays staffed because the hall is open and people wait in it. Otherwise
 * the kiosk serves the 24-hour self-service area.
 */
export function kioskMode(rules: HallRules, epochMs: number, timeZone: string): KioskModeNow {
  const timetables = staffedTimetables(rules);
  const today = businessDayOf(epochMs, timeZone);
  const spans = staffedSpans(rules, timetables, today, timeZone);
  const now = spans.find((s) => s.start <= epochMs && epochMs < s.end);
  if (now) return { mode: 'staffed', nextSwitch: now.end };
  const later = spans.find((s) => s.start > epochMs);
  if (later) return { mode: 'self-service', nextSwitch: later.start };
  for (let i = 1; i < searchHorizonDays; i++) {
    const next = staffedSpans(rules, timetables, addDays(today, i), timeZone)[0];
    if (next) return { mode: 'self-service', nextSwitch: next.start };
  }
  return { mode: 'self-service', nextSwitch: null };
}

function staffedTimetables(rules: HallRules): Timetable[] {
  const ids = new Set([rules.hallTimetableId, ...rules.counterGroups.map((g) => g.timetableId)]);
  for (const s of rules.services) {
    const hours = hoursOf(rules, s.serviceId);
    if (hours.kind === 'timetable') ids.add(hours.timetable.id);
  }
  return [...ids].map((id) => timetableById(rules, id));
}

/** The day's staffed stretches: each timetable's first start to last end, overlaps merged. */
function staffedSpans(rules: HallRules, timetables: readonly Timetable[], day: string, timeZone: string): { start: number; end: number }[] {
  const spans = timetables
    .map((t) => sessionWindows(rules, t, day, timeZone))
    .filter((w) => w.length > 0)
    .map((w) => ({ start: w[0]!.start, end: w.at(-1)!.end }))
    .sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  return merged;
}

/**
 * Tally a service's tickets for `serviceAvailability`: those issued on `day` (hall-local), each
 * counted against the session it was issued in.
 */
export function countIssued(rules: HallRules, serviceId: string, issuedAt: readonly number[], day: string, timeZone: string): IssuedCounts {
  const hours = hoursOf(rules, serviceId);
  const windows = hours.kind === 'timetable' ? sessionWindows(rules, hours.timetable, day, timeZone) : [];
  const bySession: Record<string, number> = {};
  let total = 0;
  for (const t of issuedAt) {
    if (businessDayOf(t, timeZone) !== day) continue;
    total++;
    const w = windows.find((x) => x.start <= t && t < x.end);
    if (w) bySession[w.session.id] = (bySession[w.session.id] ?? 0) + 1;
  }
  return { day: total, bySession };
}

/** Whether a service is one of the 24-hour ones the kiosk offers in self-service mode. */
export function isAroundTheClock(rules: HallRules, serviceId: string): boolean {
  return hoursOf(rules, serviceId).kind === 'around-the-clock';
}

/** Where an instant falls relative to now, on the hall's calendar, for "明天 9:00 开始". */
export interface OpeningMoment {
  /** 0 today, 1 tomorrow, … */
  daysAhead: number;
  day: BusinessDay;
  /** HH:MM on the hall's wall clock */
  time: string;
  /** ISO weekday of `day`, 1 = Monday */
  weekday: number;
}

export function openingMoment(nowMs: number, atMs: number, timeZone: string): OpeningMoment {
  const today = businessDayOf(nowMs, timeZone);
  const at = hallLocalTime(atMs, timeZone);
  return { daysAhead: daysBetween(today, at.day), day: at.day, time: at.time.slice(0, 5), weekday: isoWeekday(at.day) };
}

/**
 * Why the hall as a whole is closed on the hall's today, for the self-service screen: a holiday
 * (with its name), a weekend, or null on a working day (then it is before or after hours).
 */
export function hallClosedDay(rules: HallRules, epochMs: number, timeZone: string): { reason: DayClosedReason; holiday?: LocalizedText } | null {
  const plan = dayPlan(rules, null, businessDayOf(epochMs, timeZone));
  if (plan.kind !== 'closed') return null;
  return plan.holiday ? { reason: plan.reason, holiday: plan.holiday } : { reason: plan.reason };
}

/**
 * Where and from when a number issued at `issuedAt` is served: at its counters now; in the
 * 24-hour self-service area (an around-the-clock service while the staffed counters are closed,
 * so no counter will call it); or at its counters from their next opening, which the ticket must
 * say (明天 9:00 起有效) so nobody waits at a closed window.
 */
export type TicketValidity = { kind: 'now' } | { kind: 'self-service' } | { kind: 'from'; at: number };

export function ticketValidity(rules: HallRules, serviceId: string, issuedAt: number, timeZone: string): TicketValidity {
  const hours = hoursOf(rules, serviceId);
  if (hours.kind === 'around-the-clock') return kioskMode(rules, issuedAt, timeZone).mode === 'self-service' ? { kind: 'self-service' } : { kind: 'now' };
  if (currentSession(rules, serviceId, issuedAt, timeZone)) return { kind: 'now' };
  const today = businessDayOf(issuedAt, timeZone);
  const laterToday = sessionWindows(rules, hours.timetable, today, timeZone).find((w) => w.start > issuedAt)?.start;
  const at = laterToday ?? firstOpeningFrom(rules, hours.timetable, addDays(today, 1), timeZone);
  return at === null ? { kind: 'now' } : { kind: 'from', at };
}
