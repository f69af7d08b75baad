import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { newAbsenceSchema } from '../../core/http/admin-api.ts';
import type { Absence } from '../../core/attendance/schedule.ts';
import { addDays, isCalendarDay } from '../../core/calendar/calendar-day.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import { epochAtWallTime } from '../../core/calendar/wall-clock.ts';
import type { Database } from '../db/schema.ts';
import { StaffError, describeIssues } from '../staff/roster.ts';

/** `edge` = 'end' reads a bare day as "through the end of that day". */
export function hallInstant(value: number | string, timeZone: string, edge: 'start' | 'end'): number {
  if (typeof value === 'number') return value;
  if (isCalendarDay(value)) return epochAtWallTime(edge === 'end' ? addDays(value, 1) : value, '00:00', timeZone);
  const wall = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})$/.exec(value);
  if (wall && isCalendarDay(wall[1]!)) return epochAtWallTime(wall[1]!, wall[2]!, timeZone);
  if (/(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value))) return Date.parse(value);
  throw new StaffError(`"${value}" is not a day (2026-03-03), a hall time (2026-03-03 14:00) or an instant with a zone`);
}

export interface AbsenceListing extends Absence {
  createdBy: string;
  createdAt: number;
}

function listingOf(r: Database['absences']): AbsenceListing {
  return { id: r.id, staffId: r.staff_id, kind: r.kind as Absence['kind'], from: Number(r.from_at), to: Number(r.until_at), note: r.note, createdBy: r.created_by, createdAt: Number(r.created_at) };
}

export async function addAbsence(db: Kysely<Database>, clock: Clock, timeZone: string, input: unknown, createdBy: string): Promise<AbsenceListing> {
  const parsed = newAbsenceSchema.safeParse(input);
  if (!parsed.success) throw new StaffError(describeIssues(parsed.error));
  const a = parsed.data;
  const from = hallInstant(a.from, timeZone, 'start');
  const to = hallInstant(a.to, timeZone, 'end');
  if (to <= from) throw new StaffError('to: an absence must end after it starts');
  const staff = await db.selectFrom('staff').select('id').where('id', '=', a.staffId).executeTakeFirst();
  if (!staff) throw new StaffError(`no staff member ${a.staffId}`, 'not-found');
  const now = clock.now();
  const row = { id: uuidv7({ msecs: now }), staff_id: a.staffId, kind: a.kind, from_at: from, until_at: to, note: a.note, created_by: createdBy, created_at: now, cancelled_at: null };
  await db.insertInto('absences').values(row).execute();
  return listingOf(row);
}

/** 销假: the person is back early; the entry ends at `at` (now by default). */
export async function endAbsence(db: Kysely<Database>, clock: Clock, id: string, at?: number): Promise<AbsenceListing> {
  const row = await db.selectFrom('absences').selectAll().where('id', '=', id).where('cancelled_at', 'is', null).executeTakeFirst();
  if (!row) throw new StaffError(`no absence ${id}`, 'not-found');
  const end = at ?? clock.now();
  if (end <= Number(row.from_at)) throw new StaffError('the absence has not started by then: cancel it instead', 'conflict');
  const until = Math.min(Number(row.until_at), end);
  await db.updateTable('absences').set({ until_at: until }).where('id', '=', id).execute();
  return listingOf({ ...row, until_at: until });
}

/** A mistaken entry: kept for the record, ignored by the rules. */
export async function cancelAbsence(db: Kysely<Database>, clock: Clock, id: string): Promise<boolean> {
  const result = await db.updateTable('absences').set({ cancelled_at: clock.now() }).where('id', '=', id).where('cancelled_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Entries overlapping [from, to), optionally of one person. */
export async function absencesBetween(db: Kysely<Database>, from: number, to: number, staffId?: string): Promise<AbsenceListing[]> {
  let query = db.selectFrom('absences').selectAll().where('cancelled_at', 'is', null).where('from_at', '<', to).where('until_at', '>', from).orderBy('from_at');
  if (staffId) query = query.where('staff_id', '=', staffId);
  return (await query.execute()).map(listingOf);
}
