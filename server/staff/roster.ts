import type { Kysely, Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import type { StaffMember } from '../../core/attendance/roster.ts';
import { newStaffSchema, staffPatchSchema } from '../../core/http/admin-api.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import type { Database, StaffTable } from '../db/schema.ts';

/** A refusal the admin can act on (unknown id, a schedule that does not exist…). */
export class StaffError extends Error {
  override readonly name = 'StaffError';

  constructor(
    message: string,
    readonly kind: 'not-found' | 'conflict' | 'invalid' | 'not-an-admin' | 'duplicate-finger' = 'invalid',
  ) {
    super(message);
  }
}

export function memberOf(row: Pick<Selectable<StaffTable>, 'id' | 'name' | 'department_id' | 'counter' | 'role' | 'schedule_id' | 'active'>): StaffMember {
  return {
    id: row.id,
    name: row.name,
    departmentId: row.department_id,
    counter: row.counter,
    role: row.role as StaffMember['role'],
    scheduleId: row.schedule_id,
    active: Number(row.active) === 1,
  };
}

/**
 * Takes the next roster revision. On PostgreSQL the counter row stays locked until the caller's
 * transaction commits, so revisions become visible in order and a pull that has seen revision n
 * has seen every change up to n.
 */
export async function nextRosterRevision(trx: Kysely<Database>): Promise<number> {
  const row = await trx
    .updateTable('roster_state')
    .set((eb) => ({ revision: eb('revision', '+', 1) }))
    .where('id', '=', 1)
    .returning('revision')
    .executeTakeFirstOrThrow();
  return Number(row.revision);
}

export async function rosterRevision(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('roster_state').select('revision').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(row.revision);
}

async function requireSchedule(trx: Kysely<Database>, scheduleId: string | null | undefined): Promise<void> {
  if (scheduleId === null || scheduleId === undefined) return;
  const found = await trx.selectFrom('work_schedules').select('id').where('id', '=', scheduleId).executeTakeFirst();
  if (!found) throw new StaffError(`no work schedule "${scheduleId}"; create it first`, 'not-found');
}

export async function addStaff(db: Kysely<Database>, clock: Clock, input: unknown): Promise<StaffMember> {
  const parsed = newStaffSchema.safeParse(input);
  if (!parsed.success) throw new StaffError(describeIssues(parsed.error));
  const s = parsed.data;
  const now = clock.now();
  const id = s.id ?? uuidv7({ msecs: now });
  return db.transaction().execute(async (trx) => {
    await requireSchedule(trx, s.scheduleId);
    const taken = await trx.selectFrom('staff').select('id').where('id', '=', id).executeTakeFirst();
    if (taken) throw new StaffError(`staff id ${id} is already on the roster`, 'conflict');
    const revision = await nextRosterRevision(trx);
    const row: StaffTable = {
      id,
      name: s.name,
      department_id: s.departmentId,
      counter: s.counter,
      role: s.role,
      schedule_id: s.scheduleId,
      active: 1,
      revision,
      created_at: now,
      updated_at: now,
      deactivated_at: null,
    };
    await trx.insertInto('staff').values(row).execute();
    return memberOf(row);
  });
}

export async function updateStaff(db: Kysely<Database>, clock: Clock, id: string, input: unknown): Promise<StaffMember> {
  const parsed = staffPatchSchema.safeParse(input);
  if (!parsed.success) throw new StaffError(describeIssues(parsed.error));
  const p = parsed.data;
  const now = clock.now();
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
    if (!current) throw new StaffError(`no staff member ${id}`, 'not-found');
    await requireSchedule(trx, p.scheduleId);
    const revision = await nextRosterRevision(trx);
    const changes: Partial<StaffTable> = {
      ...(p.name !== undefined ? { name: p.name } : {}),
      ...(p.departmentId !== undefined ? { department_id: p.departmentId } : {}),
      ...(p.counter !== undefined ? { counter: p.counter } : {}),
      ...(p.role !== undefined ? { role: p.role } : {}),
      ...(p.scheduleId !== undefined ? { schedule_id: p.scheduleId } : {}),
      ...(p.active ? { active: 1, deactivated_at: null } : {}),
      revision,
      updated_at: now,
    };
    await trx.updateTable('staff').set(changes).where('id', '=', id).execute();
    return memberOf({ ...current, ...changes });
  });
}

/**
 * Takes a person off the roster: kiosks stop showing them, and every fingerprint template of
 * theirs is deleted here and — through the tombstones kiosks pull — from every reader.
 */
export async function deactivateStaff(db: Kysely<Database>, clock: Clock, id: string): Promise<{ member: StaffMember; templatesDeleted: number }> {
  const now = clock.now();
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
    if (!current) throw new StaffError(`no staff member ${id}`, 'not-found');
    const revision = await nextRosterRevision(trx);
    await trx.updateTable('staff').set({ active: 0, deactivated_at: current.deactivated_at ?? now, revision, updated_at: now }).where('id', '=', id).execute();
    const deleted = await deleteTemplatesOf(trx, id, null, revision, now);
    return { member: memberOf({ ...current, active: 0 }), templatesDeleted: deleted };
  });
}

/** Deletes one finger's template (or all of a person's) and leaves tombstones at `revision`. */
export async function deleteTemplatesOf(trx: Kysely<Database>, staffId: string, finger: number | null, revision: number, now: number): Promise<number> {
  let query = trx.deleteFrom('staff_templates').where('staff_id', '=', staffId);
  if (finger !== null) query = query.where('finger', '=', finger);
  const deleted = await query.returning('finger').execute();
  if (deleted.length) {
    await trx
      .insertInto('staff_template_tombstones')
      .values(deleted.map((d) => ({ staff_id: staffId, finger: Number(d.finger), revision, deleted_at: now })))
      .execute();
  }
  return deleted.length;
}

export interface StaffListing extends StaffMember {
  /** fingers with an enrolled template: metadata only, the templates never leave through admin routes */
  fingers: number[];
  deactivatedAt: number | null;
}

export async function listStaff(db: Kysely<Database>, filter: { departmentId?: string; includeInactive?: boolean } = {}): Promise<StaffListing[]> {
  let query = db.selectFrom('staff').selectAll().orderBy('department_id').orderBy('id');
  if (filter.departmentId) query = query.where('department_id', '=', filter.departmentId);
  if (!filter.includeInactive) query = query.where('active', '=', 1);
  const rows = await query.execute();
  const fingers = await db.selectFrom('staff_templates').select(['staff_id', 'finger']).orderBy('finger').execute();
  const byStaff = new Map<string, number[]>();
  for (const f of fingers) byStaff.set(f.staff_id, [...(byStaff.get(f.staff_id) ?? []), Number(f.finger)]);
  return rows.map((r) => ({ ...memberOf(r), fingers: byStaff.get(r.id) ?? [], deactivatedAt: r.deactivated_at }));
}

export async function getStaff(db: Kysely<Database>, id: string): Promise<StaffListing | null> {
  const row = await db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const fingers = await db.selectFrom('staff_templates').select('finger').where('staff_id', '=', id).orderBy('finger').execute();
  return { ...memberOf(row), fingers: fingers.map((f) => Number(f.finger)), deactivatedAt: row.deactivated_at };
}

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}
