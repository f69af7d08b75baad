import type { OpenSpotCheck } from '../../core/attendance/checkin.ts';
import { spotCheckCovers } from '../../core/attendance/rules.ts';
import type { HallKioskDb } from '../db/hall-kiosk-db.ts';
import { readSyncMeta, writeSyncMeta } from '../db/sync-meta.ts';

/**
 * The spot checks (不定期抽查) the hall server listed as open at the last pull. Kept in Dexie so
 * a kiosk that goes offline during a check still answers it; the server's times are on the
 * server's clock, so the kiosk compares them with its own clock corrected by the sync offset.
 */
export async function saveOpenSpotChecks(db: HallKioskDb, checks: readonly OpenSpotCheck[]): Promise<void> {
  await writeSyncMeta(db, 'attendance.spotChecks', [...checks]);
}

/** The open spot checks at `serverNow`, oldest first; `departmentId` keeps those covering it. */
export async function openSpotChecksAt(db: HallKioskDb, serverNow: number, departmentId?: string): Promise<OpenSpotCheck[]> {
  const checks = (await readSyncMeta(db, 'attendance.spotChecks')) ?? [];
  return checks.filter((c) => c.startedAt <= serverNow && serverNow < c.endsAt && (departmentId === undefined || spotCheckCovers(c, departmentId)));
}
