import type { CheckinKind } from './checkin.ts';
import type { Absence, AbsenceKind, WorkSchedule } from './schedule.ts';
import type { BusinessDay } from '../calendar/business-day.ts';
import { businessDayOf } from '../calendar/business-day.ts';
import type { HallRules, Timetable } from '../calendar/calendar-rules.ts';
import type { LocalizedText } from '../text/localized.ts';
import { placeSessions, timetableById, timetableDay } from '../calendar/opening-hours.ts';
import type { DayClosedReason, SessionWindow } from '../calendar/opening-hours.ts';
import { correctedTime } from '../sync/clock-offset.ts';

/**
 * 考勤: whether each person was at work when due, session by session. Everything is judged on the
 * server's clock (device time + the kiosk's measured offset) and on the hall's wall clock, so a
 * kiosk with a wrong clock or a server in another zone changes nothing. Pure: the caller passes
 * the instant it asks "as of".
 */

/** One fingerprint check-in of one person, as recorded on a kiosk. */
export interface AttendanceMark {
  kind: CheckinKind;
  /** device clock */
  at: number;
  /** server − device clock when recorded */
  clockOffsetMs: number;
  /** the kiosk's session hint */
  session?: string | null;
  spotCheckId?: string | null;
}

export type AttendanceAbsence = Pick<Absence, 'id' | 'kind' | 'from' | 'to'>;

export type SessionStatus =
  /** at work: see lateMinutes, earlyMinutes and the missing flags */
  | 'attended'
  /** no check-in of any kind in the session */
  | 'absent'
  | 'on-leave'
  | 'out'
  /** the session (or its sign-out window) has not ended yet as of the question */
  | 'not-over';

export interface SessionAttendance {
  sessionId: string;
  name: LocalizedText;
  /** epoch ms: the session as scheduled */
  start: number;
  end: number;
  /** narrowed by a leave or outing covering the start or the end (back from leave at 10:30) */
  dueFrom: number;
  dueUntil: number;
  status: SessionStatus;
  /** corrected times */
  signIn: number | null;
  signOut: number | null;
  /** 0 unless late beyond the grace; a started minute counts as a minute */
  lateMinutes: number;
  /** 0 unless left early beyond the grace */
  earlyMinutes: number;
  missingSignIn: boolean;
  missingSignOut: boolean;
  /** the leave or outing that covers the session */
  absenceId: string | null;
}

export interface DayAttendance {
  day: BusinessDay;
  /** false on holidays, weekends and days the schedule has no sessions */
  workday: boolean;
  closedReason: DayClosedReason | null;
  holiday: LocalizedText | null;
  /** a 调休 Saturday or Sunday worked as a weekday */
  adjustedWorkday: boolean;
  sessions: SessionAttendance[];
}

const minuteMs = 60_000;

/** The sessions a schedule follows, as a timetable of the hall rules so seasons and 调休 apply alike. */
export function scheduleTimetable(rules: HallRules, schedule: WorkSchedule): Timetable {
  if (schedule.timetableId !== undefined) return timetableById(rules, schedule.timetableId);
  const sessions = schedule.sessions ?? [];
  return {
    id: `schedule:${schedule.id}`,
    name: { zh: schedule.name, en: schedule.name },
    seasons: Object.fromEntries(rules.seasons.map((s) => [s.id, sessions])),
  };
}

/** A day's sessions for a schedule, as instants; empty on days off. */
export function scheduledSessions(rules: HallRules, schedule: WorkSchedule, day: BusinessDay, timeZone: string): SessionWindow[] {
  const plan = timetableDay(rules, scheduleTimetable(rules, schedule), day);
  return plan.kind === 'sessions' ? placeSessions(day, plan.sessions, timeZone) : [];
}

interface Interval {
  from: number;
  to: number;
}

function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.from - b.from);
  const merged: Interval[] = [];
  for (const iv of sorted) {
    const last = merged.at(-1);
    if (last && iv.from <= last.to) last.to = Math.max(last.to, iv.to);
    else merged.push({ ...iv });
  }
  return merged;
}

function overlap(a: Interval, b: Interval): number {
  return Math.max(0, Math.min(a.to, b.to) - Math.max(a.from, b.from));
}

interface PlacedMark {
  kind: CheckinKind;
  at: number;
  session: string | null;
  spotCheckId: string | null;
}

function placeMark(m: AttendanceMark): PlacedMark {
  return { kind: m.kind, at: correctedTime(m.at, m.clockOffsetMs), session: m.session ?? null, spotCheckId: m.spotCheckId ?? null };
}

/**
 * Which of the day's sessions a mark belongs to (an index into `windows`), or -1 for none. A
 * sign-in counts for the next session to end (so 12:05 signs in for the afternoon), a sign-out
 * for the session it follows; the kiosk's session hint wins when the mark is near that session at all.
 */
export function sessionIndexOf(windows: readonly SessionWindow[], schedule: WorkSchedule, mark: { kind: CheckinKind; at: number; session: string | null }): number {
  const opens = schedule.signInOpensMinutes * minuteMs;
  const closes = schedule.signOutClosesMinutes * minuteMs;
  const hinted = windows.findIndex((w) => w.session.id === mark.session && w.start - opens <= mark.at && mark.at < w.end + closes);
  if (hinted >= 0) return hinted;
  return windows.findIndex((w, i) => {
    const previous = windows[i - 1];
    const next = windows[i + 1];
    if (mark.kind === 'sign-in') return (previous ? previous.end : w.start - opens) <= mark.at && mark.at < w.end;
    if (mark.kind === 'sign-out') return w.start <= mark.at && mark.at < Math.min(next?.start ?? Infinity, w.end + closes);
    return w.start <= mark.at && mark.at < w.end;
  });
}

/** The marks of each session of the day, by sessionIndexOf. */
export function assignMarks<M extends { kind: CheckinKind; at: number; session: string | null }>(windows: readonly SessionWindow[], schedule: WorkSchedule, marks: readonly M[]): M[][] {
  const assigned: M[][] = windows.map(() => []);
  for (const mark of marks) {
    const index = sessionIndexOf(windows, schedule, mark);
    if (index >= 0) assigned[index]!.push(mark);
  }
  return assigned;
}

export interface DayQuestion {
  rules: HallRules;
  schedule: WorkSchedule;
  day: BusinessDay;
  timeZone: string;
  /** the person's marks; any span of time, those far from the day are ignored */
  marks: readonly AttendanceMark[];
  absences: readonly AttendanceAbsence[];
  /** sessions not over by this instant are 'not-over' */
  asOf: number;
}

export function attendanceOfDay(q: DayQuestion): DayAttendance {
  const plan = timetableDay(q.rules, scheduleTimetable(q.rules, q.schedule), q.day);
  if (plan.kind === 'closed') {
    return { day: q.day, workday: false, closedReason: plan.reason, holiday: plan.holiday ?? null, adjustedWorkday: false, sessions: [] };
  }
  const windows = placeSessions(q.day, plan.sessions, q.timeZone);
  const dayStart = windows[0]!.start - q.schedule.signInOpensMinutes * minuteMs;
  const dayEnd = windows.at(-1)!.end + q.schedule.signOutClosesMinutes * minuteMs;
  const marks = q.marks.map(placeMark).filter((m) => dayStart <= m.at && m.at < dayEnd);
  const assigned = assignMarks(windows, q.schedule, marks);
  const sessions = windows.map((w, i) => judgeSession(q, w, assigned[i]!));
  return { day: q.day, workday: true, closedReason: null, holiday: null, adjustedWorkday: plan.adjustedWorkday, sessions };
}

function judgeSession(q: DayQuestion, w: SessionWindow, marks: readonly PlacedMark[]): SessionAttendance {
  const session: Interval = { from: w.start, to: w.end };
  const touching = q.absences.filter((a) => overlap(a, session) > 0);
  const covered = mergeIntervals(touching.map((a) => ({ from: Math.max(a.from, w.start), to: Math.min(a.to, w.end) })));

  let dueFrom = w.start;
  let dueUntil = w.end;
  const atStart = covered.find((iv) => iv.from <= dueFrom && dueFrom < iv.to);
  if (atStart) dueFrom = atStart.to;
  const atEnd = covered.find((iv) => iv.from < dueUntil && dueUntil <= iv.to);
  if (atEnd) dueUntil = atEnd.from;

  const signIns = marks.filter((m) => m.kind === 'sign-in').map((m) => m.at);
  const signOuts = marks.filter((m) => m.kind === 'sign-out').map((m) => m.at);
  const signIn = signIns.length ? Math.min(...signIns) : null;
  const signOut = signOuts.length ? Math.max(...signOuts) : null;
  const base = {
    sessionId: w.session.id,
    name: w.session.name,
    start: w.start,
    end: w.end,
    dueFrom,
    dueUntil,
    signIn,
    signOut,
    lateMinutes: 0,
    earlyMinutes: 0,
    missingSignIn: false,
    missingSignOut: false,
    absenceId: null,
  };

  if (dueFrom >= dueUntil) {
    // Covered from start to end: the kind that covers most of it names the session; leave wins a tie.
    const byKind = (kind: AbsenceKind) => touching.filter((a) => a.kind === kind).reduce((sum, a) => sum + overlap(a, session), 0);
    const kind: AbsenceKind = byKind('leave') >= byKind('outing') ? 'leave' : 'outing';
    const main = touching.filter((a) => a.kind === kind).sort((a, b) => overlap(b, session) - overlap(a, session))[0]!;
    return { ...base, status: kind === 'leave' ? 'on-leave' : 'out', absenceId: main.id };
  }

  const grace = q.schedule.lateGraceMinutes * minuteMs;
  const earlyGrace = q.schedule.earlyLeaveGraceMinutes * minuteMs;
  const lateMinutes = signIn !== null && signIn > dueFrom + grace ? Math.ceil((signIn - dueFrom) / minuteMs) : 0;
  const earlyMinutes = signOut !== null && signOut < dueUntil - earlyGrace ? Math.ceil((dueUntil - signOut) / minuteMs) : 0;
  const judged = { ...base, lateMinutes, earlyMinutes };

  if (q.asOf < dueUntil + q.schedule.signOutClosesMinutes * minuteMs) return { ...judged, status: 'not-over' };
  if (marks.length === 0) return { ...judged, status: 'absent' };
  return { ...judged, status: 'attended', missingSignIn: signIn === null, missingSignOut: signOut === null };
}

/** On time: signed in and out, neither late nor early. */
export function isOnTime(s: SessionAttendance): boolean {
  return s.status === 'attended' && s.lateMinutes === 0 && s.earlyMinutes === 0 && !s.missingSignIn && !s.missingSignOut;
}

/** A spot check (抽查) as the rules need it; `endsAt` is when it actually closed (or will). */
export interface SpotCheckWindow {
  id: string;
  /** null: every department */
  departmentId: string | null;
  startedAt: number;
  endsAt: number;
}

export type SpotCheckOutcome = 'present' | 'absent' | 'on-leave' | 'out' | 'not-due';

/**
 * Whether a person answered a spot check. Only those due at their window when it opened are
 * checked; a registered leave or outing excuses them. Any check-in during the check counts as
 * present, as does one that names the check (a kiosk clock may drift past its end).
 */
export function spotCheckOutcome(q: {
  rules: HallRules;
  schedule: WorkSchedule;
  timeZone: string;
  check: SpotCheckWindow;
  marks: readonly AttendanceMark[];
  absences: readonly AttendanceAbsence[];
}): SpotCheckOutcome {
  const { check } = q;
  const day = businessDayOf(check.startedAt, q.timeZone);
  const due = scheduledSessions(q.rules, q.schedule, day, q.timeZone).some((w) => w.start <= check.startedAt && check.startedAt < w.end);
  if (!due) return 'not-due';
  const away = q.absences.filter((a) => a.from <= check.startedAt && check.startedAt < a.to);
  if (away.some((a) => a.kind === 'leave')) return 'on-leave';
  if (away.length) return 'out';
  const answered = q.marks.map(placeMark).some((m) => m.spotCheckId === check.id || (check.startedAt <= m.at && m.at <= check.endsAt));
  return answered ? 'present' : 'absent';
}

/** Whether a spot check asks this department's staff: a check of the whole hall (no department) or of this department. */
export function spotCheckCovers(check: Pick<SpotCheckWindow, 'departmentId'>, departmentId: string): boolean {
  return check.departmentId === null || check.departmentId === departmentId;
}
