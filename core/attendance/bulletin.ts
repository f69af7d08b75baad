import { z } from 'zod';
import type { StaffMember } from './roster.ts';
import { attendanceOfDay, isOnTime, spotCheckCovers, spotCheckOutcome } from './rules.ts';
import type { AttendanceAbsence, AttendanceMark, SpotCheckWindow } from './rules.ts';
import type { WorkSchedule } from './schedule.ts';
import type { BusinessDay } from '../calendar/business-day.ts';
import { businessDayOf } from '../calendar/business-day.ts';
import { addDays, isCalendarDay } from '../calendar/calendar-day.ts';
import type { HallRules } from '../calendar/calendar-rules.ts';

/**
 * 考勤通报: the hall's monthly attendance bulletin, per person and per department. Counts are of
 * sessions (a morning or an afternoon), except leave, which is in days: a morning's leave is half
 * a day when the day has two sessions.
 */

export const monthSchema = z
  .string()
  .regex(/^\d{4}-\d{2}$/, 'month must be YYYY-MM')
  .refine((m) => isCalendarDay(`${m}-01`), 'not a month');

/** The calendar days of a month (YYYY-MM). */
export function daysOfMonth(month: string): BusinessDay[] {
  const days: BusinessDay[] = [];
  for (let day = `${month}-01`; day.startsWith(month); day = addDays(day, 1)) days.push(day);
  return days;
}

export interface AttendanceCounts {
  /** sessions the person was due at work */
  sessionsDue: number;
  onTime: number;
  late: number;
  lateMinutes: number;
  leftEarly: number;
  earlyMinutes: number;
  /** sessions with no check-in at all (旷工) */
  absent: number;
  missingSignIn: number;
  missingSignOut: number;
  leaveDays: number;
  /** sessions spent on a registered outing (外出) */
  outings: number;
  spotChecks: number;
  spotCheckAbsences: number;
}

export interface PersonBulletin extends AttendanceCounts {
  staffId: string;
  name: string;
  departmentId: string;
  counter: string | null;
}

export interface DepartmentBulletin extends AttendanceCounts {
  departmentId: string;
  people: number;
}

export interface MonthlyBulletin {
  month: string;
  /** counted up to here: days after it are not judged yet */
  asOf: number;
  people: PersonBulletin[];
  departments: DepartmentBulletin[];
  totals: AttendanceCounts & { people: number };
}

export interface BulletinPerson {
  member: Pick<StaffMember, 'id' | 'name' | 'departmentId' | 'counter'>;
  schedule: WorkSchedule;
  /** days the person was on the roster: none judged before `from` or from `until` on */
  from?: BusinessDay;
  until?: BusinessDay;
  /**
   * When the person joined the roster: a session or spot check that started before it is not
   * theirs (someone added at 16:42 is due from the next session, not absent that morning).
   */
  joinedAt?: number;
  marks: readonly AttendanceMark[];
  absences: readonly AttendanceAbsence[];
}

export interface BulletinQuestion {
  month: string;
  rules: HallRules;
  timeZone: string;
  asOf: number;
  people: readonly BulletinPerson[];
  /** the spot checks started in the month */
  spotChecks: readonly SpotCheckWindow[];
}

export function emptyCounts(): AttendanceCounts {
  return {
    sessionsDue: 0, onTime: 0, late: 0, lateMinutes: 0, leftEarly: 0, earlyMinutes: 0, absent: 0,
    missingSignIn: 0, missingSignOut: 0, leaveDays: 0, outings: 0, spotChecks: 0, spotCheckAbsences: 0,
  };
}

const countKeys = Object.keys(emptyCounts()) as (keyof AttendanceCounts)[];

function addInto(into: AttendanceCounts, from: AttendanceCounts): void {
  for (const k of countKeys) into[k] += from[k];
}

// Half and third days summed over a month drift in binary; the bulletin shows hundredths.
const hundredths = (n: number): number => Math.round(n * 100) / 100;

/** Whether the person was on the roster at `instant` (a session's or a spot check's start). */
export function onRosterAt(person: Pick<BulletinPerson, 'joinedAt'>, instant: number): boolean {
  return person.joinedAt === undefined || person.joinedAt <= instant;
}

export function personCounts(q: BulletinQuestion, person: BulletinPerson): AttendanceCounts {
  const c = emptyCounts();
  const lastDay = businessDayOf(q.asOf, q.timeZone);
  for (const day of daysOfMonth(q.month)) {
    if (day > lastDay) break;
    if ((person.from && day < person.from) || (person.until && day >= person.until)) continue;
    const att = attendanceOfDay({ rules: q.rules, schedule: person.schedule, day, timeZone: q.timeZone, marks: person.marks, absences: person.absences, asOf: q.asOf });
    const due = att.sessions.filter((s) => onRosterAt(person, s.start));
    let leaveSessions = 0;
    for (const s of due) {
      if (s.status === 'not-over') continue;
      if (s.status === 'on-leave') leaveSessions++;
      else if (s.status === 'out') c.outings++;
      else {
        c.sessionsDue++;
        if (s.status === 'absent') c.absent++;
        else {
          if (isOnTime(s)) c.onTime++;
          if (s.lateMinutes > 0) {
            c.late++;
            c.lateMinutes += s.lateMinutes;
          }
          if (s.earlyMinutes > 0) {
            c.leftEarly++;
            c.earlyMinutes += s.earlyMinutes;
          }
          if (s.missingSignIn) c.missingSignIn++;
          if (s.missingSignOut) c.missingSignOut++;
        }
      }
    }
    if (att.sessions.length) c.leaveDays += leaveSessions / att.sessions.length;
  }
  for (const check of q.spotChecks) {
    if (check.startedAt > q.asOf || !onRosterAt(person, check.startedAt) || !spotCheckCovers(check, person.member.departmentId)) continue;
    const day = businessDayOf(check.startedAt, q.timeZone);
    if ((person.from && day < person.from) || (person.until && day >= person.until)) continue;
    const outcome = spotCheckOutcome({ rules: q.rules, schedule: person.schedule, timeZone: q.timeZone, check, marks: person.marks, absences: person.absences });
    if (outcome === 'present' || outcome === 'absent') c.spotChecks++;
    if (outcome === 'absent') c.spotCheckAbsences++;
  }
  c.leaveDays = hundredths(c.leaveDays);
  return c;
}

export function monthlyBulletin(q: BulletinQuestion): MonthlyBulletin {
  const people: PersonBulletin[] = q.people.map((p) => ({
    staffId: p.member.id,
    name: p.member.name,
    departmentId: p.member.departmentId,
    counter: p.member.counter,
    ...personCounts(q, p),
  }));
  people.sort((a, b) => (a.departmentId === b.departmentId ? compare(a.staffId, b.staffId) : compare(a.departmentId, b.departmentId)));

  const departments = new Map<string, DepartmentBulletin>();
  const totals = { ...emptyCounts(), people: 0 };
  for (const p of people) {
    let d = departments.get(p.departmentId);
    if (!d) departments.set(p.departmentId, (d = { departmentId: p.departmentId, people: 0, ...emptyCounts() }));
    d.people++;
    addInto(d, p);
    totals.people++;
    addInto(totals, p);
  }
  for (const d of departments.values()) d.leaveDays = hundredths(d.leaveDays);
  totals.leaveDays = hundredths(totals.leaveDays);
  return { month: q.month, asOf: q.asOf, people, departments: [...departments.values()], totals };
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
