import type { DayCount } from '../../core/numbering/numbers.ts';
import type { OpenSpotCheck } from '../../core/attendance/checkin.ts';
import type { HallSettings } from '../../core/sync/pull.ts';
import type { HallKioskDb } from './hall-kiosk-db.ts';

/** Every entry up to `through` was acknowledged by `ackedBy` (device clock) at the latest. */
export interface AckStep {
  through: number;
  ackedBy: number;
}

/** What the sync engine keeps in Dexie's meta table between runs. */
export interface SyncMeta {
  /** the server's opaque pull cursor, passed back unchanged */
  'sync.cursor': string;
  /**
   * Outbox entries up to this seq are acknowledged, those after it wait for the server; a server
   * reporting less lost events (restored backup) and the mark goes back (renderer/sync/outbox-acks.ts)
   */
  'sync.ackedThrough': number;
  /** when the mark passed where, oldest first, for pruning acknowledged entries after a while */
  'sync.ackSteps': AckStep[];
  /** the device the events were pushed as: another one means a new enrollment */
  'sync.deviceId': string;
  'sync.clockOffsetMs': number;
  'sync.lastSuccessAt': number;
  'sync.deadLettered': number;
  /** the hall's today by the server's clock, from the last pull */
  'sync.businessDay': string;
  /** the hall's settings (name, time zone) from the last pull that carried them */
  'hall.settings': HallSettings;
  /** the hall server's count of today's tickets per service at the last pull: the list's 余N号 */
  'hall.dayCounts': { businessDay: string; counts: DayCount[] };
  /** the spot checks (抽查) open at the last pull (renderer/attendance/spot-checks.ts) */
  'attendance.spotChecks': OpenSpotCheck[];
}
export type SyncMetaKey = keyof SyncMeta;

export async function readSyncMeta<K extends SyncMetaKey>(db: HallKioskDb, key: K): Promise<SyncMeta[K] | undefined> {
  return (await db.meta.get(key))?.value as SyncMeta[K] | undefined;
}

export async function writeSyncMeta<K extends SyncMetaKey>(db: HallKioskDb, key: K, value: SyncMeta[K]): Promise<void> {
  await db.meta.put({ key, value });
}

export async function clearSyncMeta(db: HallKioskDb, key: SyncMetaKey): Promise<void> {
  await db.meta.delete(key);
}
