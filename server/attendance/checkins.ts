import { PostgresAdapter, type Kysely } from 'kysely';
import type { CheckinAnswer, CheckinRecord } from '../../core/attendance/checkin.ts';
import { decideCheckin, settleCheckins, type PlacedCheckin, type SettledCheckin } from '../../core/attendance/checkin-decision.ts';
import type { StaffMember } from '../../core/attendance/roster.ts';
import type { WorkSchedule } from '../../core/attendance/schedule.ts';
import { businessDayOf } from '../../core/calendar/business-day.ts';
import { addDays } from '../../core/calendar/calendar-day.ts';
import type { HallRules } from '../../core/calendar/calendar-rules.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import { epochAtWallTime } from '../../core/calendar/wall-clock.ts';
import { correctedTime } from '../../core/sync/clock-offset.ts';
import type { HallCalendarStore } from '../calendar/calendar-store.ts';
import type { CheckinsTable, Database } from '../db/schema.ts';
import { readHallState } from '../hall/hall-settings.ts';
import { ApiError } from '../http/api-error.ts';
import { scheduleResolver } from './schedules.ts';

/** What deciding a check-in reads besides the check-ins: the hall's zone and calendar, and who follows which schedule. */
export interface AttendanceRules {
  timeZone: string;
  rules: HallRules;
  scheduleOf: (member: Pick<StaffMember, 'scheduleId' | 'departmentId'>) => WorkSchedule;
}

/** Read outside any transaction: the stores read through their own connection. */
export async function readAttendanceRules(db: Kysely<Database>, calendars: HallCalendarStore): Promise<AttendanceRules> {
  const [{ timeZone }, rules] = await Promise.all([readHallState(db), calendars.rulesInForce()]);
  return { timeZone, rules, scheduleOf: await scheduleResolver(db, rules) };
}

export interface CheckinContext {
  trx: Kysely<Database>;
  deviceId: string;
  /** the event's (or its batch's) offset, for a record that carries none */
  clockOffsetMs: number;
  now: number;
  attendance: AttendanceRules;
}

interface Person {
  id: string;
  scheduleId: string | null;
  departmentId: string;
}

/**
 * The staff member, with their row locked until the transaction ends on PostgreSQL, so two kiosks'
 * check-ins of one person are decided one after the other, each seeing the other's. (SQLite's
 * write transactions are serial already.)
 */
async function lockPerson(trx: Kysely<Database>, staffId: string): Promise<Person | null> {
  const query = trx.selectFrom('staff').select(['id', 'schedule_id', 'department_id']).where('id', '=', staffId);
  const row = await (trx.getExecutor().adapter instanceof PostgresAdapter ? query.forUpdate() : query).executeTakeFirst();
  return row ? { id: row.id, scheduleId: row.schedule_id, departmentId: row.department_id } : null;
}

type CheckinRow = Pick<CheckinsTable, 'id' | 'kind' | 'session' | 'spot_check_id' | 'corrected_at'>;

const placedOf = (row: CheckinRow): PlacedCheckin => ({
  id: row.id,
  kind: row.kind as PlacedCheckin['kind'],
  at: Number(row.corrected_at),
  session: row.session,
  spotCheckId: row.spot_check_id,
});

/** The person's check-ins of the hall day of `instant`. */
async function checkinsOfDay(trx: Kysely<Database>, staffId: string, instant: number, timeZone: string): Promise<CheckinRow[]> {
  const day = businessDayOf(instant, timeZone);
  return trx
    .selectFrom('checkins')
    .select(['id', 'kind', 'session', 'spot_check_id', 'corrected_at'])
    .where('staff_id', '=', staffId)
    .where('corrected_at', '>=', epochAtWallTime(day, '00:00', timeZone))
    .where('corrected_at', '<', epochAtWallTime(addDays(day, 1), '00:00', timeZone))
    .execute();
}

/**
 * Decides every check-in of the person's day again from all of them (core/attendance/
 * checkin-decision.ts) and stores the kinds and sessions that changed: a record that arrives late
 * from an offline kiosk takes its place, and those after it follow.
 */
async function settleDay(trx: Kysely<Database>, person: Person, instant: number, attendance: AttendanceRules): Promise<SettledCheckin[]> {
  const rows = await checkinsOfDay(trx, person.id, instant, attendance.timeZone);
  const settled = settleCheckins({ rules: attendance.rules, schedule: attendance.scheduleOf(person), timeZone: attendance.timeZone, checkins: rows.map(placedOf) });
  const held = new Map(rows.map((r) => [r.id, r]));
  for (const s of settled) {
    const row = held.get(s.id)!;
    if (row.kind === s.kind && row.session === s.session) continue;
    await trx.updateTable('checkins').set({ kind: s.kind, session: s.session }).where('id', '=', s.id).execute();
  }
  return settled;
}

function rowOf(ctx: Pick<CheckinContext, 'deviceId' | 'now'>, record: CheckinRecord, offset: number, settled: Pick<SettledCheckin, 'kind' | 'session'>): CheckinsTable {
  return {
    id: record.id,
    device_id: ctx.deviceId,
    staff_id: record.staffId,
    kind: settled.kind,
    session: settled.session,
    spot_check_id: record.spotCheckId ?? null,
    at: record.at,
    clock_offset_ms: offset,
    corrected_at: correctedTime(record.at, offset),
    received_at: ctx.now,
  };
}

export type RecordedCheckin = { ok: true; settled: Pick<SettledCheckin, 'kind' | 'session'> } | { ok: false; refusal: string };

/**
 * Stores one 'checkin.recorded' event's record inside the push transaction, with the kind and
 * session the server decides for it; returns them, or why the record can never apply (the push
 * dead-letters it). The record id is unique on its own, so the same record sent again under
 * another seq — a kiosk that rebuilt its outbox, or one whose online check-in already reached the
 * server — changes nothing, whatever kind the kiosk guessed.
 */
export async function recordCheckin(ctx: CheckinContext, record: CheckinRecord): Promise<RecordedCheckin> {
  const { trx } = ctx;
  // A deactivated person's record still counts: it was taken while their finger was enrolled.
  const person = await lockPerson(trx, record.staffId);
  if (!person) return { ok: false, refusal: `check-in ${record.id}: no staff member ${record.staffId} on this server's roster` };
  const offset = record.clockOffsetMs ?? ctx.clockOffsetMs;
  const row = rowOf(ctx, record, offset, { kind: record.kind, session: record.session ?? null });
  const inserted = await trx.insertInto('checkins').values(row).onConflict((oc) => oc.column('id').doNothing()).returning('id').executeTakeFirst();
  if (!inserted) {
    const held = await trx.selectFrom('checkins').select(['staff_id', 'kind', 'session', 'at', 'device_id']).where('id', '=', record.id).executeTakeFirstOrThrow();
    const same = held.staff_id === record.staffId && Number(held.at) === record.at && held.device_id === ctx.deviceId;
    return same ? { ok: true, settled: { kind: held.kind as SettledCheckin['kind'], session: held.session } } : { ok: false, refusal: `check-in ${record.id} is already recorded as a different check-in` };
  }
  const settled = await settleDay(trx, person, row.corrected_at, ctx.attendance);
  return { ok: true, settled: settled.find((s) => s.id === record.id)! };
}

export interface OnlineCheckinDeps {
  db: Kysely<Database>;
  clock: Clock;
  calendars: HallCalendarStore;
}

const recordOf = (row: Pick<CheckinsTable, 'id' | 'staff_id' | 'kind' | 'at' | 'clock_offset_ms' | 'session' | 'spot_check_id'>): CheckinRecord => ({
  id: row.id,
  staffId: row.staff_id,
  kind: row.kind as CheckinRecord['kind'],
  at: Number(row.at),
  clockOffsetMs: Number(row.clock_offset_ms),
  ...(row.session === null ? {} : { session: row.session }),
  ...(row.spot_check_id === null ? {} : { spotCheckId: row.spot_check_id }),
});

/**
 * A kiosk's check-in as it happens: decided here, where every kiosk's check-ins are, and stored;
 * or the earlier check-in it repeats. Asked again with the same record (a retry), the same answer.
 */
export async function checkInOnline(deps: OnlineCheckinDeps, deviceId: string, record: CheckinRecord): Promise<CheckinAnswer> {
  const attendance = await readAttendanceRules(deps.db, deps.calendars);
  const now = deps.clock.now();
  // A record without the kiosk's offset happened as it was sent.
  const offset = record.clockOffsetMs ?? now - record.at;
  return deps.db.transaction().execute(async (trx): Promise<CheckinAnswer> => {
    const person = await lockPerson(trx, record.staffId);
    if (!person) throw new ApiError(404, 'not-found', `no staff member ${record.staffId} on this server's roster`);
    const columns = ['id', 'staff_id', 'kind', 'at', 'clock_offset_ms', 'session', 'spot_check_id', 'device_id'] as const;
    const held = await trx.selectFrom('checkins').select(columns).where('id', '=', record.id).executeTakeFirst();
    if (held) {
      if (held.staff_id !== record.staffId || Number(held.at) !== record.at || held.device_id !== deviceId) {
        throw new ApiError(409, 'conflict', `check-in ${record.id} is already recorded as a different check-in`);
      }
      return { outcome: 'recorded', checkin: recordOf(held) };
    }
    const at = correctedTime(record.at, offset);
    const day = await checkinsOfDay(trx, person.id, at, attendance.timeZone);
    const decision = decideCheckin({
      rules: attendance.rules,
      schedule: attendance.scheduleOf(person),
      timeZone: attendance.timeZone,
      at,
      spotCheckId: record.spotCheckId ?? null,
      earlier: day.map(placedOf),
    });
    if (decision.outcome === 'repeat') {
      const repeated = await trx.selectFrom('checkins').select(columns).where('id', '=', decision.of.id).executeTakeFirstOrThrow();
      return { outcome: 'repeat', checkin: recordOf(repeated) };
    }
    const row = rowOf({ deviceId, now }, record, offset, decision);
    await trx.insertInto('checkins').values(row).execute();
    // Later check-ins (from a kiosk whose clock runs ahead) may follow from this one.
    const settled = (await settleDay(trx, person, at, attendance)).find((s) => s.id === record.id)!;
    return { outcome: 'recorded', checkin: recordOf({ ...row, kind: settled.kind, session: settled.session }) };
  });
}
