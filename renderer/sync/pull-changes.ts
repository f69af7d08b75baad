import type { DayCount } from '../../core/numbering/numbers.ts';
import { serverRequestOf } from '../../core/http/central-server-request.ts';
import type { ServerRequest } from '../../core/http/central-server-request.ts';
import { hallApi } from '../../core/http/contract.ts';
import type { BusinessDay } from '../../core/calendar/business-day.ts';
import type { Catalog } from '../../core/catalog/catalog.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import type { HallSettings } from '../../core/sync/pull.ts';
import { pullResponseSchema } from '../../core/sync/pull.ts';
import { reserveFromLease } from '../../core/numbering/numbers.ts';
import { saveOpenSpotChecks } from '../attendance/spot-checks.ts';
import { saveCatalog } from '../db/catalog-cache.ts';
import type { HallKioskDb } from '../db/hall-kiosk-db.ts';
import { resendAfter } from './outbox-acks.ts';
import type { ServerLink } from './server-link.ts';
import { errorOf } from './server-link.ts';
import { expectSuccess, SyncFailure } from './sync-failure.ts';
import { clearSyncMeta, readSyncMeta, writeSyncMeta } from '../db/sync-meta.ts';

export interface PullSummary {
  businessDay: BusinessDay;
  /** a new catalog arrived and was cached */
  catalog: Catalog | null;
  settings: HallSettings | null;
  lastAppliedSeq: number;
  /** acknowledged entries made pending again because the server lost them */
  resent: number;
  reset: boolean;
  /** the hall's count of today's tickets per service; null from a server without it */
  dayCounts: DayCount[] | null;
}

// The roster and the hall rules are the privileged side's own pull (main/services/privileged-sync.ts).
function pullRequest(cursor: string | undefined): ServerRequest {
  return serverRequestOf(hallApi.syncPull, { query: { cursor, for: 'page' } });
}

/**
 * Asks the server what changed since the cursor and stores it: catalog (with its guides), hall
 * settings, the open spot checks and this device's number leases (as reserves, merged by id).
 * The roster, the fingerprint templates and the hall rules are not the page's: the privileged side
 * pulls them itself. A full answer (first pull, or `reset` after
 * the server's history changed) also tells which leases the server knows: any other reserve for
 * today or later is dropped, because the server may hand its numbers out again; and a lease this
 * kiosk does not hold is kept as used up.
 */
export async function pullChanges(db: HallKioskDb, link: ServerLink, clock: Clock): Promise<PullSummary> {
  let cursor = await readSyncMeta(db, 'sync.cursor');
  let reply = await link.send(pullRequest(cursor));
  if (reply.status === 400 && errorOf('body' in reply ? reply.body : null)?.code === 'cursor-invalid') {
    // A cursor from another server or device identity: start over with the full state.
    await clearSyncMeta(db, 'sync.cursor');
    cursor = undefined;
    reply = await link.send(pullRequest(undefined));
  }
  const answer = expectSuccess(reply, 'pull');
  const parsed = pullResponseSchema.safeParse(answer.body);
  if (!parsed.success) throw new SyncFailure('protocol', 'pull: the server answered with an unexpected body');
  const pulled = parsed.data;
  const full = cursor === undefined || pulled.reset;

  return db.transaction('rw', [db.catalog, db.reserves, db.meta, db.outbox], async () => {
    if (pulled.catalog) await saveCatalog(db, pulled.catalog, clock.now(), pulled.guides);
    if (pulled.settings) await writeSyncMeta(db, 'hall.settings', pulled.settings);
    // Absent from servers without attendance: then nothing is known to be open.
    await saveOpenSpotChecks(db, pulled.spotChecks ?? []);
    const leaseIds = new Set(pulled.leases.map((l) => l.id));
    for (const lease of pulled.leases) {
      // A reserve already held keeps its own `next`: how far into the block it got is the kiosk's.
      if (await db.reserves.get(lease.id)) continue;
      // New in a change feed: a lease whose answer was lost, never used. In a full answer: this
      // database may have been wiped after issuing from it, so none of its numbers is safe.
      const reserve = reserveFromLease(lease);
      await db.reserves.add({ ...reserve, next: full ? reserve.last + 1 : reserve.next, leased: true });
    }
    const stale = await db.reserves
      .filter((r) => r.businessDay < pulled.businessDay || (full && !leaseIds.has(r.id)))
      .primaryKeys();
    await db.reserves.bulkDelete(stale);
    const resent = await resendAfter(db, pulled.lastAppliedSeq);
    await writeSyncMeta(db, 'sync.cursor', pulled.cursor);
    await writeSyncMeta(db, 'sync.businessDay', pulled.businessDay);
    const dayCounts = pulled.dayCounts ?? null;
    if (dayCounts) await writeSyncMeta(db, 'hall.dayCounts', { businessDay: pulled.businessDay, counts: dayCounts });
    return { businessDay: pulled.businessDay, catalog: pulled.catalog, settings: pulled.settings, lastAppliedSeq: pulled.lastAppliedSeq, resent, reset: pulled.reset, dayCounts };
  });
}
