import { describe, expect, it } from 'vitest';
import { daysOfMonth, monthlyBulletin, onRosterAt } from '../../../core/attendance/bulletin.ts';
import type { BulletinPerson } from '../../../core/attendance/bulletin.ts';
import { attendanceOfDay, isOnTime, spotCheckOutcome } from '../../../core/attendance/rules.ts';
import type { AttendanceAbsence, AttendanceMark, SessionAttendance } from '../../../core/attendance/rules.ts';
import { defaultWorkSchedule, workScheduleSchema } from '../../../core/attendance/schedule.ts';
import type { WorkSchedule } from '../../../core/attendance/schedule.ts';
import { epochAtWallTime } from '../../../core/calendar/wall-clock.ts';
import { demoHallRules } from '../../support/demo-hall.ts';

// The machine runs far from the hall: any use of its zone instead of the hall's shows up.
process.env.TZ = 'America/Los_Angeles';

const zone = 'Asia/Shanghai';
const rules = demoHallRules;
const hall = defaultWorkSchedule(rules); // winter: 09:00–12:00, 13:30–17:00; grace 5 min
const at = (day: string, time: string) => epochAtWallTime(day, time, zone);
const minute = 60_000;

const mark = (kind: AttendanceMark['kind'], day: string, time: string, clockOffsetMs = 0, extra: Partial<AttendanceMark> = {}): AttendanceMark => ({
  kind,
  // the device clock: the instant minus the offset the kiosk measured
  at: at(day, time) - clockOffsetMs,
  clockOffsetMs,
  ...extra,
});
/** A normal day's four touches. */
const fullDay = (day: string): AttendanceMark[] => [mark('sign-in', day, '08:52'), mark('sign-out', day, '12:01'), mark('sign-in', day, '13:20'), mark('sign-out', day, '17:02')];

function day(d: string, marks: AttendanceMark[], absences: AttendanceAbsence[] = [], schedule: WorkSchedule = hall, asOf = at('2026-12-31', '00:00')) {
  return attendanceOfDay({ rules, schedule, day: d, timeZone: zone, marks, absences, asOf });
}
const session = (sessions: SessionAttendance[], id: string) => sessions.find((s) => s.sessionId === id)!;

describe('attendance rules: one day, session by session', () => {
  const monday = '2026-03-02';

  it('judges a normal day on time', () => {
    const d = day(monday, fullDay(monday));
    expect(d).toMatchObject({ workday: true, adjustedWorkday: false });
    expect(d.sessions.map((s) => [s.sessionId, s.status, s.lateMinutes, s.earlyMinutes])).toEqual([
      ['morning', 'attended', 0, 0],
      ['afternoon', 'attended', 0, 0],
    ]);
    expect(d.sessions.every(isOnTime)).toBe(true);
    expect(d.sessions[0]!.signIn).toBe(at(monday, '08:52'));
  });

  it('is late only past the grace: 09:05:00 is on time, 09:05:01 is late', () => {
    const lateBy = (time: string) => session(day(monday, [mark('sign-in', monday, time), mark('sign-out', monday, '12:00')]).sessions, 'morning');
    expect(lateBy('09:05:00')).toMatchObject({ status: 'attended', lateMinutes: 0 });
    expect(isOnTime(lateBy('09:05:00'))).toBe(true);
    // A started minute counts: 5 min 1 s late is reported as 6 minutes.
    expect(lateBy('09:05:01')).toMatchObject({ status: 'attended', lateMinutes: 6 });
    expect(lateBy('09:20')).toMatchObject({ lateMinutes: 20 });
    expect(isOnTime(lateBy('09:20'))).toBe(false);
  });

  it('judges by the corrected time (device time + offset), not the device clock', () => {
    // The kiosk's clock is 5 minutes slow: it shows 09:03 when the server's clock says 09:08.
    const slow = session(day(monday, [mark('sign-in', monday, '09:08', 5 * minute), mark('sign-out', monday, '12:00')]).sessions, 'morning');
    expect(slow.lateMinutes).toBe(8);
    expect(slow.signIn).toBe(at(monday, '09:08'));
    // The kiosk's clock is 7 minutes fast: it shows 09:10 at 09:03 true time.
    const fast = session(day(monday, [mark('sign-in', monday, '09:03', -7 * minute), mark('sign-out', monday, '12:00')]).sessions, 'morning');
    expect(fast.lateMinutes).toBe(0);
  });

  it('finds leaving early, and a missing sign-out', () => {
    const d = day(monday, [mark('sign-in', monday, '08:50'), mark('sign-out', monday, '11:40'), mark('sign-in', monday, '13:25')]);
    expect(session(d.sessions, 'morning')).toMatchObject({ status: 'attended', earlyMinutes: 20, missingSignOut: false });
    expect(session(d.sessions, 'afternoon')).toMatchObject({ status: 'attended', earlyMinutes: 0, missingSignOut: true });
    expect(isOnTime(session(d.sessions, 'afternoon'))).toBe(false);
  });

  it('is absent from a session with no check-in at all', () => {
    const d = day(monday, [mark('sign-in', monday, '08:55'), mark('sign-out', monday, '12:00')]);
    expect(session(d.sessions, 'morning').status).toBe('attended');
    expect(session(d.sessions, 'afternoon')).toMatchObject({ status: 'absent', signIn: null, signOut: null });
  });

  it('counts a sign-in at 12:05 for the afternoon and a sign-out at 12:05 for the morning', () => {
    const d = day(monday, [mark('sign-in', monday, '09:00'), mark('sign-out', monday, '12:05'), mark('sign-in', monday, '12:06'), mark('sign-out', monday, '17:00')]);
    expect(session(d.sessions, 'morning')).toMatchObject({ signOut: at(monday, '12:05'), earlyMinutes: 0 });
    expect(session(d.sessions, 'afternoon')).toMatchObject({ signIn: at(monday, '12:06'), lateMinutes: 0 });
  });

  it('puts a whole leave day on leave, not absent', () => {
    const leave: AttendanceAbsence = { id: 'L1', kind: 'leave', from: at(monday, '00:00'), to: at('2026-03-03', '00:00') };
    const d = day(monday, [], [leave]);
    expect(d.sessions.map((s) => [s.status, s.absenceId])).toEqual([
      ['on-leave', 'L1'],
      ['on-leave', 'L1'],
    ]);
  });

  it('marks a session an outing covers as out, and judges the rest of the day as usual', () => {
    const outing: AttendanceAbsence = { id: 'O1', kind: 'outing', from: at(monday, '13:00'), to: at(monday, '17:30') };
    const d = day(monday, [mark('sign-in', monday, '08:58'), mark('sign-out', monday, '12:00')], [outing]);
    expect(session(d.sessions, 'morning')).toMatchObject({ status: 'attended', lateMinutes: 0 });
    expect(session(d.sessions, 'afternoon')).toMatchObject({ status: 'out', absenceId: 'O1' });
  });

  it('expects a person back from a morning leave at its end, with the same grace', () => {
    const leave: AttendanceAbsence = { id: 'L2', kind: 'leave', from: at(monday, '09:00'), to: at(monday, '10:30') };
    const back = (time: string) => session(day(monday, [mark('sign-in', monday, time), mark('sign-out', monday, '12:00')], [leave]).sessions, 'morning');
    expect(back('10:34')).toMatchObject({ status: 'attended', dueFrom: at(monday, '10:30'), lateMinutes: 0 });
    expect(back('10:40')).toMatchObject({ lateMinutes: 10 });
  });

  it('does not count a holiday, even with check-ins', () => {
    const qingming = '2026-04-06'; // a Monday
    const d = day(qingming, fullDay(qingming));
    expect(d).toMatchObject({ workday: false, closedReason: 'holiday', sessions: [] });
    expect(d.holiday?.zh).toBe('清明节');
  });

  it('counts a 调休 Saturday as a workday, and not an ordinary Saturday', () => {
    const makeUp = '2026-02-28'; // 春节调休上班, worked as a Friday
    const d = day(makeUp, []);
    expect(d).toMatchObject({ workday: true, adjustedWorkday: true });
    expect(d.sessions.map((s) => s.status)).toEqual(['absent', 'absent']);
    expect(day('2026-03-07', [])).toMatchObject({ workday: false, closedReason: 'weekend' });
  });

  it('leaves sessions that are not over yet undecided', () => {
    const d = day(monday, [mark('sign-in', monday, '09:12')], [], hall, at(monday, '10:00'));
    expect(session(d.sessions, 'morning')).toMatchObject({ status: 'not-over', lateMinutes: 12 });
    expect(session(d.sessions, 'afternoon').status).toBe('not-over');
  });

  it('follows a schedule with its own sessions and grace', () => {
    const early = workScheduleSchema.parse({
      id: 'counter-staff',
      name: '窗口人员',
      sessions: [
        { id: 'morning', name: { zh: '上午', en: 'Morning' }, start: '08:50', end: '12:00' },
        { id: 'afternoon', name: { zh: '下午', en: 'Afternoon' }, start: '13:20', end: '17:00' },
      ],
      lateGraceMinutes: 0,
    });
    const d = day(monday, [mark('sign-in', monday, '08:52'), mark('sign-out', monday, '12:00')], [], early);
    expect(session(d.sessions, 'morning')).toMatchObject({ start: at(monday, '08:50'), lateMinutes: 2 });
    // Holidays still come from the hall calendar.
    expect(day('2026-04-06', [], [], early).workday).toBe(false);
  });
});

describe('spot checks (抽查)', () => {
  const monday = '2026-03-02';
  const check = { id: '019cac6e-8000-7000-8000-000000000001', departmentId: null, startedAt: at(monday, '10:00'), endsAt: at(monday, '10:30') };
  const outcome = (marks: AttendanceMark[], absences: AttendanceAbsence[] = [], c = check) => spotCheckOutcome({ rules, schedule: hall, timeZone: zone, check: c, marks, absences });

  it('finds a person present by any check-in during the check, absent without one', () => {
    expect(outcome([mark('spot-check', monday, '10:10')])).toBe('present');
    expect(outcome([mark('sign-in', monday, '08:55')])).toBe('absent');
    // A kiosk whose clock ran past the end still answered this check by naming it.
    expect(outcome([mark('spot-check', monday, '10:45', 0, { spotCheckId: check.id })])).toBe('present');
  });

  it('excuses leave and outings, and does not check people who were not due', () => {
    expect(outcome([], [{ id: 'O', kind: 'outing', from: at(monday, '09:30'), to: at(monday, '11:00') }])).toBe('out');
    expect(outcome([], [{ id: 'L', kind: 'leave', from: at(monday, '00:00'), to: at('2026-03-03', '00:00') }])).toBe('on-leave');
    expect(outcome([], [], { ...check, startedAt: at(monday, '12:30'), endsAt: at(monday, '12:50') })).toBe('not-due');
  });
});

describe('the monthly bulletin (考勤通报)', () => {
  it('counts late arrivals, leaving early, absences, leave days and spot-check absences per person and department', () => {
    const workdays = daysOfMonth('2026-03').filter((d) => day(d, []).workday);
    expect(workdays).toHaveLength(22);
    const zhang: BulletinPerson = {
      member: { id: '1001', name: '张伟', departmentId: 'market', counter: '3号窗口' },
      schedule: hall,
      // Every workday in full, but late on the 3rd and on leave on the 4th.
      marks: workdays.flatMap((d) => (d === '2026-03-04' ? [] : d === '2026-03-03' ? [mark('sign-in', d, '09:17'), ...fullDay(d).slice(1)] : fullDay(d))),
      absences: [{ id: 'L', kind: 'leave', from: at('2026-03-04', '00:00'), to: at('2026-03-05', '00:00') }],
    };
    const li: BulletinPerson = {
      member: { id: '1002', name: '李娜', departmentId: 'market', counter: null },
      schedule: hall,
      // Absent all afternoon on the 2nd, left early on the 5th, half a day of leave on the 6th.
      marks: workdays.flatMap((d) =>
        d === '2026-03-02' ? fullDay(d).slice(0, 2) : d === '2026-03-05' ? [...fullDay(d).slice(0, 3), mark('sign-out', d, '16:30')] : d === '2026-03-06' ? fullDay(d).slice(0, 2) : fullDay(d),
      ),
      absences: [{ id: 'L2', kind: 'leave', from: at('2026-03-06', '13:30'), to: at('2026-03-06', '17:00') }],
    };
    const wang: BulletinPerson = { member: { id: '2001', name: '王芳', departmentId: 'social', counter: '21号窗口' }, schedule: hall, from: '2026-03-30', marks: [], absences: [] };
    const spotChecks = [
      { id: '019cac6e-8000-7000-8000-000000000002', departmentId: 'market', startedAt: at('2026-03-10', '10:00'), endsAt: at('2026-03-10', '10:20') },
    ];
    // Zhang answered the spot check; Li did not.
    zhang.marks = [...zhang.marks, mark('spot-check', '2026-03-10', '10:05')];

    const b = monthlyBulletin({ month: '2026-03', rules, timeZone: zone, asOf: at('2026-04-01', '00:00'), people: [li, wang, zhang], spotChecks });
    const byId = Object.fromEntries(b.people.map((p) => [p.staffId, p]));
    expect(byId['1001']).toMatchObject({ late: 1, lateMinutes: 17, leftEarly: 0, absent: 0, leaveDays: 1, sessionsDue: 42, spotChecks: 1, spotCheckAbsences: 0 });
    expect(byId['1002']).toMatchObject({ late: 0, leftEarly: 1, earlyMinutes: 30, absent: 1, leaveDays: 0.5, sessionsDue: 43, spotChecks: 1, spotCheckAbsences: 1 });
    // On the roster from the 30th: two workdays (30th, 31st), all four sessions absent.
    expect(byId['2001']).toMatchObject({ absent: 4, sessionsDue: 4, spotChecks: 0 });
    expect(b.people.map((p) => p.staffId)).toEqual(['1001', '1002', '2001']);
    expect(b.departments).toMatchObject([
      { departmentId: 'market', people: 2, late: 1, leftEarly: 1, absent: 1, leaveDays: 1.5, spotCheckAbsences: 1 },
      { departmentId: 'social', people: 1, absent: 4 },
    ]);
    expect(b.totals).toMatchObject({ people: 3, late: 1, absent: 5, leaveDays: 1.5 });
  });

  it('is due from the first session that starts after joining the roster, spot checks too', () => {
    const joined = (time: string): BulletinPerson => ({
      member: { id: time, name: 'x', departmentId: 'market', counter: null },
      schedule: hall,
      from: '2026-03-02',
      joinedAt: at('2026-03-02', time),
      marks: [],
      absences: [],
    });
    const spotChecks = [{ id: '019cac6e-8000-7000-8000-000000000003', departmentId: null, startedAt: at('2026-03-02', '10:00'), endsAt: at('2026-03-02', '10:20') }];
    const b = monthlyBulletin({ month: '2026-03', rules, timeZone: zone, asOf: at('2026-03-03', '20:00'), people: [joined('16:42'), joined('12:30'), joined('08:00')], spotChecks });
    const due = Object.fromEntries(b.people.map((p) => [p.staffId, [p.sessionsDue, p.absent, p.spotChecks]]));
    // Added at 16:42 on the 2nd: the 3rd only. At lunch: the 2nd's afternoon too. Before opening: all of it.
    expect(due).toEqual({ '16:42': [2, 2, 0], '12:30': [3, 3, 0], '08:00': [4, 4, 1] });
    expect(onRosterAt({}, 0)).toBe(true);
  });

  it('judges nothing after the instant it is asked at', () => {
    const person: BulletinPerson = { member: { id: '1', name: 'x', departmentId: 'market', counter: null }, schedule: hall, marks: [], absences: [] };
    const b = monthlyBulletin({ month: '2026-03', rules, timeZone: zone, asOf: at('2026-03-03', '13:10'), people: [person], spotChecks: [] });
    // 2 March in full and 3 March's morning (its sign-out window closed at 13:00); not the afternoon.
    expect(b.people[0]).toMatchObject({ sessionsDue: 3, absent: 3 });
  });
});
