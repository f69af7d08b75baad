import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Clock } from '../../core/calendar/clock.ts';
import { newEnrollmentCode, newSecretToken, sha256Hex } from './credentials.ts';
import type { Database } from '../db/schema.ts';

export const defaultEnrollmentTtlMs = 24 * 60 * 60 * 1000;

export interface NewDevice {
  deviceId: string;
  name: string;
  /** shown once to the admin; only its hash is stored */
  enrollmentCode: string;
  expiresAt: number;
}

export class DeviceError extends Error {
  override readonly name = 'DeviceError';
}

export async function createDevice(db: Kysely<Database>, clock: Clock, name: string, ttlMs = defaultEnrollmentTtlMs): Promise<NewDevice> {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 80) throw new DeviceError('device name: 1–80 characters');
  const now = clock.now();
  const deviceId = uuidv7({ msecs: now });
  const enrollmentCode = newEnrollmentCode();
  const expiresAt = now + ttlMs;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('devices')
      .values({
        id: deviceId,
        name: trimmed,
        token_hash: null,
        enroll_code_hash: sha256Hex(enrollmentCode),
        enroll_code_expires_at: expiresAt,
        enrolled_at: null,
        revoked_at: null,
        last_seen_at: null,
        app_version: null,
        created_at: now,
      })
      .execute();
    await trx.insertInto('device_sync').values({ device_id: deviceId, last_applied_seq: 0, updated_at: now }).execute();
  });
  return { deviceId, name: trimmed, enrollmentCode, expiresAt };
}

/**
 * Exchanges a one-time code for a device token in one conditional UPDATE: of two kiosks racing
 * with the same code exactly one wins, and the code is gone afterwards.
 */
export async function enrollDevice(
  db: Kysely<Database>,
  clock: Clock,
  code: string,
  version: string | undefined,
): Promise<{ deviceId: string; name: string; token: string } | null> {
  const now = clock.now();
  const token = newSecretToken('hkd');
  const row = await db
    .updateTable('devices')
    .set({ token_hash: sha256Hex(token), enroll_code_hash: null, enroll_code_expires_at: null, enrolled_at: now, last_seen_at: now, app_version: version ?? null })
    .where('enroll_code_hash', '=', sha256Hex(code))
    .where('enroll_code_expires_at', '>', now)
    .where('revoked_at', 'is', null)
    .returning(['id', 'name'])
    .executeTakeFirst();
  return row ? { deviceId: row.id, name: row.name, token } : null;
}

export async function revokeDevice(db: Kysely<Database>, clock: Clock, deviceId: string): Promise<boolean> {
  const result = await db
    .updateTable('devices')
    .set({ revoked_at: clock.now(), enroll_code_hash: null, enroll_code_expires_at: null })
    .where('id', '=', deviceId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface AuthenticatedDevice {
  id: string;
  name: string;
  lastSeenAt: number | null;
  appVersion: string | null;
}

export type DeviceAuth = { ok: true; device: AuthenticatedDevice } | { ok: false; reason: 'token-invalid' | 'device-revoked' };

export async function authenticateDevice(db: Kysely<Database>, token: string): Promise<DeviceAuth> {
  const row = await db
    .selectFrom('devices')
    .select(['id', 'name', 'revoked_at', 'last_seen_at', 'app_version'])
    .where('token_hash', '=', sha256Hex(token))
    .executeTakeFirst();
  if (!row) return { ok: false, reason: 'token-invalid' };
  if (row.revoked_at !== null) return { ok: false, reason: 'device-revoked' };
  return { ok: true, device: { id: row.id, name: row.name, lastSeenAt: row.last_seen_at, appVersion: row.app_version } };
}

/** How stale "last seen" may get before a request writes it: a write per request would double the load. */
const lastSeenResolutionMs = 30_000;

export async function noteDeviceSeen(db: Kysely<Database>, clock: Clock, device: AuthenticatedDevice, version: string | undefined): Promise<void> {
  const now = clock.now();
  const versionChanged = version !== undefined && version !== device.appVersion;
  if (!versionChanged && device.lastSeenAt !== null && now - device.lastSeenAt < lastSeenResolutionMs) return;
  await db
    .updateTable('devices')
    .set({ last_seen_at: now, ...(versionChanged ? { app_version: version } : {}) })
    .where('id', '=', device.id)
    .execute();
}

export interface DeviceSummary {
  id: string;
  name: string;
  enrolled: boolean;
  revokedAt: number | null;
  lastSeenAt: number | null;
  appVersion: string | null;
  lastAppliedSeq: number;
  deadLetters: number;
}

export async function listDevices(db: Kysely<Database>): Promise<DeviceSummary[]> {
  const rows = await db
    .selectFrom('devices')
    .leftJoin('device_sync', 'device_sync.device_id', 'devices.id')
    .select((eb) => [
      'devices.id',
      'devices.name',
      'devices.enrolled_at',
      'devices.revoked_at',
      'devices.last_seen_at',
      'devices.app_version',
      'device_sync.last_applied_seq',
      eb.selectFrom('dead_letters').select((e) => e.fn.countAll<number>().as('n')).whereRef('dead_letters.device_id', '=', 'devices.id').as('dead_letters'),
    ])
    .orderBy('devices.created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    enrolled: r.enrolled_at !== null,
    revokedAt: r.revoked_at,
    lastSeenAt: r.last_seen_at,
    appVersion: r.app_version,
    lastAppliedSeq: r.last_applied_seq ?? 0,
    deadLetters: Number(r.dead_letters ?? 0),
  }));
}
