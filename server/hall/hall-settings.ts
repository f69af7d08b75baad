import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { isValidTimeZone } from '../../core/calendar/business-day.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import type { HallSettings } from '../../core/sync/pull.ts';
import { checkHallPublicAddress } from '../../core/ticket/live-ticket.ts';
import type { RestoreMarks } from '../db/restore-witness.ts';
import type { Database, HallSettingsTable } from '../db/schema.ts';

export interface HallState {
  hallId: string;
  hallName: string;
  timeZone: string;
  settingsVersion: number;
  /** where citizens' phones reach this server (core/ticket/live-ticket.ts); null: tickets print no QR */
  publicAddress: string | null;
  epoch: string;
  cursorKey: string;
  /** what the restore witness last stamped (server/db/restore-witness.ts) */
  restoreMarks: RestoreMarks;
}

export async function readHallState(db: Kysely<Database>): Promise<HallState> {
  return hallStateOf(await db.selectFrom('hall_settings').selectAll().where('id', '=', 1).executeTakeFirstOrThrow());
}

export function hallStateOf(row: Selectable<HallSettingsTable>): HallState {
  return {
    hallId: row.hall_id,
    hallName: row.hall_name,
    timeZone: row.time_zone,
    settingsVersion: row.settings_version,
    publicAddress: row.public_address,
    epoch: row.epoch,
    cursorKey: row.cursor_key,
    restoreMarks: { stamp: row.restore_stamp, generation: Number(row.restore_generation) },
  };
}

export function settingsOf(state: HallState): HallSettings {
  return { hallName: state.hallName, timeZone: state.timeZone, version: state.settingsVersion, publicAddress: state.publicAddress };
}

/**
 * Starts a new epoch once the server knows its history forked (a backup was restored). Only the
 * first caller that still sees `fromEpoch` replaces it, so concurrent detections agree.
 */
export async function rotateEpoch(db: Kysely<Database>, clock: Clock, fromEpoch: string): Promise<string> {
  const next = randomUUID();
  const result = await db
    .updateTable('hall_settings')
    .set({ epoch: next, epoch_started_at: clock.now() })
    .where('id', '=', 1)
    .where('epoch', '=', fromEpoch)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 1) return next;
  return (await readHallState(db)).epoch;
}

export class HallSettingsError extends Error {
  override readonly name = 'HallSettingsError';
}

export interface HallSettingsChange {
  hallName?: string;
  timeZone?: string;
  /** null clears it: tickets then print no QR */
  publicAddress?: string | null;
}

/** Changes the settings every kiosk pulls; a bad value is refused and nothing is written. */
export async function updateHallSettings(db: Kysely<Database>, change: HallSettingsChange): Promise<HallState> {
  let publicAddress: string | null | undefined;
  if (change.publicAddress !== undefined && change.publicAddress !== null) {
    const checked = checkHallPublicAddress(change.publicAddress);
    if (!checked.ok) throw new HallSettingsError(`public address: ${checked.message}`);
    publicAddress = checked.address;
  } else {
    publicAddress = change.publicAddress;
  }
  if (change.timeZone !== undefined && !isValidTimeZone(change.timeZone)) {
    throw new HallSettingsError(`time zone "${change.timeZone}" is not an IANA zone, e.g. Asia/Shanghai`);
  }
  if (change.hallName !== undefined && (change.hallName.trim() === '' || change.hallName.length > 60)) {
    throw new HallSettingsError('hall name: 1–60 characters');
  }
  await db
    .updateTable('hall_settings')
    .set((eb) => ({
      ...(change.hallName !== undefined ? { hall_name: change.hallName.trim() } : {}),
      ...(change.timeZone !== undefined ? { time_zone: change.timeZone } : {}),
      ...(publicAddress !== undefined ? { public_address: publicAddress } : {}),
      settings_version: eb('settings_version', '+', 1),
    }))
    .where('id', '=', 1)
    .execute();
  return readHallState(db);
}
