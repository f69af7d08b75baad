import type { Kysely } from 'kysely';
import { daysOfMonth, monthlyBulletin, onRosterAt } from '../../core/attendance/bulletin.ts';
import type { BulletinPerson, MonthlyBulletin } from '../../core/attendance/bulletin.ts';
import type { StaffMember } from '../../core/attendance/roster.ts';
import { attendanceOfDay, spotCheckCovers, spotCheckOutcome } from '../../core/attendance/rules.ts';
import type { AttendanceMark, DayAttendance, SpotCheckOutcome } from '../../core/attendance/rules.ts';
import type { BusinessDay } from '../../core/calendar/business-day.ts';
import { businessDayOf } from '../../core/calendar/business-day.ts';
import { addDays } from '../../core/calendar/calendar-day.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import type { HallRules } from '../../core/calendar/calendar-rules.ts';
import { epochAtWallTime } from '../../core/calendar/wall-clock.ts';
import type { CatalogStore } from '../catalog/catalog-store.ts';
import type { Database } from '../db/schema.ts';
import type { HallCalendarStore } from '../calendar/calendar-store.ts';
import { readHallState } from '../hall/hall-settings.ts';
import { memberOf } from '../staff/roster.ts';
import { absencesBetween } from './absences.ts';
import { scheduleResolver } from './schedules.ts';
import { spotChecksBetween } from './spot-checks.ts';
import type { SpotCheckListing } from './spot-checks.ts';

export interface AttendanceDeps {
  db: Kysely<Database>;
  clock: Clock;
  catalogs: CatalogStore;
  /** the hall calendar (holidays, 调休 and the timetables schedules refer to): its latest revision, read per report */
  calendars: HallCalendarStore;
}

/** Sign-in windows reach before midnight and sign-out windows past it; marks this near count. */
const marginMs = 6 * 60 * 60 * 1000;

interface Gathered {
  rules: HallRules;
  timeZone: string;
  asOf: number;
  people: BulletinPerson[];
  spotChecks: SpotCheckListing[];
  departmentNames: Record<string, string>;
}

/** Everything the rules need for the hall days `firstDay`…`lastDay`, in four queries. */
async function gather(deps: AttendanceDeps, firstDay: BusinessDay, lastDay: BusinessDay, departmentId: string | undefined): Promise<Gathered> {
  const { db } = deps;
  const hall = await readHallState(db);
  const rules = await deps.calendars.rulesInForce();
  const timeZone = hall.timeZone;
  const from = epochAtWallTime(firstDay, '00:00', timeZone);
  const to = epochAtWallTime(addDays(lastDay, 1), '00:00', timeZone);

  let staffQuery = db
    .selectFrom('staff')
    .selectAll()
    .where('created_at', '<', to)
    .where((eb) => eb.or([eb('deactivated_at', 'is', null), eb('deactivated_at', '>=', from)]))
    .orderBy('id');
  if (departmentId) staffQuery = staffQuery.where('department_id', '=', departmentId);
  const staff = await staffQuery.execute();
  const ids = new Set(staff.map((s) => s.id));

  const checkins = await db
    .selectFrom('checkins')
    .select(['staff_id', 'kind', 'at', 'clock_offset_ms', 'session', 'spot_check_id'])
    .where('corrected_at', '>=', from - marginMs)
    .where('corrected_at', '<', to + marginMs)
    .execute();
  const marks = new Map<string, AttendanceMark[]>();
  for (const c of checkins) {
    if (!ids.has(c.staff_id)) continue;
    const list = marks.get(c.staff_id) ?? [];
    list.push({ kind: c.kind as AttendanceMark['kind'], at: Number(c.at), clockOffsetMs: Number(c.clock_offset_ms), session: c.session, spotCheckId: c.spot_check_id });
    marks.set(c.staff_id, list);
  }
  const absences = await absencesBetween(db, from - marginMs, to + marginMs);
  const spotChecks = await spotChecksBetween(db, from, to);

  const scheduleOf = await scheduleResolver(db, rules);
  const people: BulletinPerson[] = staff.map((row) => {
    const member: StaffMember = memberOf(row);
    return {
      member,
      schedule: scheduleOf(member),
      // Nobody is due before joining the roster, nor after leaving it.
      from: businessDayOf(Number(row.created_at), timeZone),
      joinedAt: Number(row.created_at),
      ...(row.deactivated_at === null ? {} : { until: businessDayOf(Number(row.deactivated_at), timeZone) }),
      marks: marks.get(row.id) ?? [],
      absences: absences.filter((a) => a.staffId === row.id),
    };
  });

  const catalog = await deps.catalogs.latest();
  const departmentNames = Object.fromEntries((catalog?.catalog.departments ?? []).map((d) => [d.id, d.name.zh]));
  return { rules, timeZone, asOf: deps.clock.now(), people, spotChecks, departmentNames };
}

export interface BulletinReport extends MonthlyBulletin {
  timeZone: string;
  /** department id → its name in the current catalog */
  departmentNames: Record<string, string>;
}

export async function buildMonthlyBulletin(deps: AttendanceDeps, month: string, departmentId?: string): Promise<BulletinReport> {
  const days = daysOfMonth(month);
  const g = await gather(deps, days[0]!, days.at(-1)!, departmentId);
  const bulletin = monthlyBulletin({ month, rules: g.rules, timeZone: g.timeZone, asOf: g.asOf, people: g.people, spotChecks: g.spotChecks });
  return { ...bulletin, timeZone: g.timeZone, departmentNames: g.departmentNames };
}

export interface PersonDay {
  staffId: string;
  name: string;
  departmentId: string;
  counter: string | null;
  attendance: DayAttendance;
  spotChecks: { id: string; outcome: SpotCheckOutcome }[];
}

/** One hall day, person by person: the supervisor's view of who is at their window. */
export async function buildDayReport(deps: AttendanceDeps, day: BusinessDay, departmentId?: string): Promise<{ day: BusinessDay; asOf: number; people: PersonDay[] }> {
  const g = await gather(deps, day, day, departmentId);
  const people = g.people
    .filter((p) => (!p.from || day >= p.from) && (!p.until || day < p.until))
    .map((p): PersonDay => {
      const attendance = attendanceOfDay({ rules: g.rules, schedule: p.schedule, day, timeZone: g.timeZone, marks: p.marks, absences: p.absences, asOf: g.asOf });
      return {
        staffId: p.member.id,
        name: p.member.name,
        departmentId: p.member.departmentId,
        counter: p.member.counter,
        attendance: { ...attendance, sessions: attendance.sessions.filter((s) => onRosterAt(p, s.start)) },
        spotChecks: g.spotChecks
          .filter((c) => c.startedAt <= g.asOf && onRosterAt(p, c.startedAt) && spotCheckCovers(c, p.member.departmentId))
          .map((check) => ({ id: check.id, outcome: spotCheckOutcome({ rules: g.rules, schedule: p.schedule, timeZone: g.timeZone, check, marks: p.marks, absences: p.absences }) })),
      };
    });
  return { day, asOf: g.asOf, people };
}
