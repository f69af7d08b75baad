import type { Kysely } from 'kysely';
import type { CheckinRecord } from '../../core/attendance/checkin.ts';
import { correctedTime } from '../../core/sync/clock-offset.ts';
import type { CheckinsTable, Database } from '../db/schema.ts';

export interface CheckinContext {
  trx: Kysely<Database>;
  deviceId: string;
  /** the event's (or its batch's) offset, for a record that carries none */
  clockOffsetMs: number;
  now: number;
}

/**
 * Stores one 'checkin.recorded' event's record inside the push transaction. Returns why it can
 * never apply (the push dead-letters it), or null. The record id is unique on its own, so the
 * same record sent again under another seq — a kiosk that rebuilt its outbox — changes nothing.
 */
export async function recordCheckin(ctx: CheckinContext, record: CheckinRecord): Promise<string | null> {
  const { trx } = ctx;
  // A deactivated person's record still counts: it was taken while their finger was enrolled.
  const staff = await trx.selectFrom('staff').select('id').where('id', '=', record.staffId).executeTakeFirst();
  if (!staff) return `check-in ${record.id}: no staff member ${record.staffId} on this server's roster`;
  const offset = record.clockOffsetMs ?? ctx.clockOffsetMs;
  const row: CheckinsTable = {
    id: record.id,
    device_id: ctx.deviceId,
    staff_id: record.staffId,
    kind: record.kind,
    session: record.session ?? null,
    spot_check_id: record.spotCheckId ?? null,
    at: record.at,
    clock_offset_ms: offset,
    corrected_at: correctedTime(record.at, offset),
    received_at: ctx.now,
  };
  const inserted = await trx.insertInto('checkins').values(row).onConflict((oc) => oc.column('id').doNothing()).returning('id').executeTakeFirst();
  if (inserted) return null;
  const held = await trx.selectFrom('checkins').select(['staff_id', 'kind', 'at', 'device_id']).where('id', '=', record.id).executeTakeFirstOrThrow();
  const same = held.staff_id === record.staffId && held.kind === record.kind && Number(held.at) === record.at && held.device_id === ctx.deviceId;
  return same ? null : `check-in ${record.id} is already recorded as a different check-in`;
}
