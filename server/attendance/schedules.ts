import type { Kysely } from 'kysely';
import type { StaffMember } from '../../core/attendance/roster.ts';
import { defaultWorkSchedule, scheduleProblems, workScheduleSchema } from '../../core/attendance/schedule.ts';
import type { WorkSchedule } from '../../core/attendance/schedule.ts';
import type { HallRules } from '../../core/calendar/calendar-rules.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import type { Database } from '../db/schema.ts';
import { StaffError, describeIssues } from '../staff/roster.ts';

/** Creates or replaces a schedule; checked against the hall calendar it will be read with. */
export async function putWorkSchedule(db: Kysely<Database>, clock: Clock, rules: HallRules, id: string, input: unknown): Promise<WorkSchedule> {
  const parsed = workScheduleSchema.safeParse({ ...(typeof input === 'object' && input !== null ? input : {}), id });
  if (!parsed.success) throw new StaffError(describeIssues(parsed.error));
  const problems = scheduleProblems(parsed.data, rules);
  if (problems.length) throw new StaffError(problems.join('; '));
  const row = { id, definition_json: JSON.stringify(parsed.data), updated_at: clock.now() };
  await db
    .insertInto('work_schedules')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet({ definition_json: row.definition_json, updated_at: row.updated_at }))
    .execute();
  return parsed.data;
}

export async function listWorkSchedules(db: Kysely<Database>): Promise<WorkSchedule[]> {
  const rows = await db.selectFrom('work_schedules').select('definition_json').orderBy('id').execute();
  return rows.map((r) => workScheduleSchema.parse(JSON.parse(r.definition_json)));
}

/** The schedule a department's staff follow unless their own names another; null clears it. */
export async function setDepartmentSchedule(db: Kysely<Database>, clock: Clock, departmentId: string, scheduleId: string | null): Promise<void> {
  if (scheduleId === null) {
    await db.deleteFrom('department_schedules').where('department_id', '=', departmentId).execute();
    return;
  }
  const found = await db.selectFrom('work_schedules').select('id').where('id', '=', scheduleId).executeTakeFirst();
  if (!found) throw new StaffError(`no work schedule "${scheduleId}"`, 'not-found');
  const now = clock.now();
  await db
    .insertInto('department_schedules')
    .values({ department_id: departmentId, schedule_id: scheduleId, updated_at: now })
    .onConflict((oc) => oc.column('department_id').doUpdateSet({ schedule_id: scheduleId, updated_at: now }))
    .execute();
}

export async function departmentSchedules(db: Kysely<Database>): Promise<Record<string, string>> {
  const rows = await db.selectFrom('department_schedules').select(['department_id', 'schedule_id']).execute();
  return Object.fromEntries(rows.map((r) => [r.department_id, r.schedule_id]));
}

/** Who follows which schedule: the person's own, else the department's, else the hall's hours. */
export async function scheduleResolver(db: Kysely<Database>, rules: HallRules): Promise<(member: Pick<StaffMember, 'scheduleId' | 'departmentId'>) => WorkSchedule> {
  const schedules = new Map((await listWorkSchedules(db)).map((s) => [s.id, s]));
  const byDepartment = await departmentSchedules(db);
  const fallback = defaultWorkSchedule(rules);
  // A schedule whose timetable the current rules lack would make its people never due: the
  // hall's hours are the safer reading, and putWorkSchedule refuses such schedules anyway.
  const usable = (id: string | null | undefined): WorkSchedule | undefined => {
    const s = id ? schedules.get(id) : undefined;
    return s && scheduleProblems(s, rules).length === 0 ? s : undefined;
  };
  return (member) => usable(member.scheduleId) ?? usable(byDepartment[member.departmentId]) ?? fallback;
}
