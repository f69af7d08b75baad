import type { Kysely } from 'kysely';
import type { DisclosurePrinted } from '../../core/guide/disclosure-slip.ts';
import { correctedTime } from '../../core/sync/clock-offset.ts';
import type { Database, DisclosureSlipsTable } from '../db/schema.ts';

export interface SlipContext {
  trx: Kysely<Database>;
  deviceId: string;
  /** the event's (or its batch's) offset */
  clockOffsetMs: number;
  now: number;
}

/**
 * Stores one 'disclosure.printed' event inside the push transaction. Returns why it can never
 * apply (the push dead-letters it), or null. The slip id is unique on its own, so the same slip
 * sent again under another seq — a kiosk that rebuilt its outbox — changes nothing.
 *
 * The service is not checked against the catalogs: a kiosk that had not pulled yet prints from
 * its bundled catalog, and what it told a citizen is worth keeping either way.
 */
export async function recordDisclosureSlip(ctx: SlipContext, slip: DisclosurePrinted): Promise<string | null> {
  const { trx } = ctx;
  const row: DisclosureSlipsTable = {
    id: slip.id,
    device_id: ctx.deviceId,
    serial: slip.serial,
    service_id: slip.serviceId,
    materials_json: JSON.stringify(slip.materials),
    missing_count: slip.materials.filter((m) => m.status === 'missing').length,
    to_correct_count: slip.materials.filter((m) => m.status === 'to-correct').length,
    at: slip.at,
    clock_offset_ms: ctx.clockOffsetMs,
    corrected_at: correctedTime(slip.at, ctx.clockOffsetMs),
    received_at: ctx.now,
  };
  const inserted = await trx.insertInto('disclosure_slips').values(row).onConflict((oc) => oc.column('id').doNothing()).returning('id').executeTakeFirst();
  if (inserted) return null;
  const held = await trx.selectFrom('disclosure_slips').select(['device_id', 'serial', 'service_id', 'materials_json']).where('id', '=', slip.id).executeTakeFirstOrThrow();
  const same = held.device_id === ctx.deviceId && held.serial === slip.serial && held.service_id === slip.serviceId && held.materials_json === row.materials_json;
  return same ? null : `disclosure slip ${slip.id} is already recorded as a different slip`;
}
