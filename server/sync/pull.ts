import type { Kysely } from 'kysely';
import { businessDayOf } from '../../core/calendar/business-day.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import type { PullResponse } from '../../core/sync/pull.ts';
import type { CatalogStore } from '../catalog/catalog-store.ts';
import type { Database } from '../db/schema.ts';
import type { HallCalendarStore } from '../calendar/calendar-store.ts';
import { readHallState, settingsOf } from '../hall/hall-settings.ts';
import { dayQuotaOf } from '../../core/numbering/day-quota.ts';
import { dayCountsOf, leasesOfDevice, returnLeases } from '../numbering/numbering.ts';
import type { RestoreGuard } from '../numbering/restore-guard.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

export interface PullDeps {
  db: Kysely<Database>;
  clock: Clock;
  catalogs: CatalogStore;
  calendars: HallCalendarStore;
  restore: Pick<RestoreGuard, 'serverBehindDevice'>;
}

export type PullOutcome = { ok: true; response: Omit<PullResponse, 'serverTime'> } | { ok: false; reason: string };

/**
 * The change feed for one device. Never a device clock as a watermark: the cursor holds only
 * positions this server reported. When the server finds itself behind a cursor of its own epoch
 * it was restored from a backup its restore witness could not see (restored together with the
 * witness's marker, say): the RestoreGuard starts a new epoch, so every kiosk — not only the one
 * that noticed — re-checks what the server still holds, and moves the number counters ahead.
 */
export async function pullChanges(deps: PullDeps, deviceId: string, cursorText: string | undefined): Promise<PullOutcome> {
  const { db, clock, catalogs, calendars, restore } = deps;
  let hall = await readHallState(db);
  const cursor = cursorText === undefined ? null : decodeCursor(cursorText, hall.cursorKey);
  if (cursorText !== undefined && !cursor) return { ok: false, reason: 'cursor is not one this server made' };
  if (cursor && cursor.d !== deviceId) return { ok: false, reason: 'cursor was made for another device' };

  const sync = await db.selectFrom('device_sync').select('last_applied_seq').where('device_id', '=', deviceId).executeTakeFirst();
  const lastAppliedSeq = sync?.last_applied_seq ?? 0;
  const latest = await catalogs.latest();
  const catalogVersion = latest?.version ?? -1;
  const rulesRevision = (await calendars.latestRevision()) ?? 0;

  let reset = false;
  if (cursor) {
    const behind = cursor.a > lastAppliedSeq || cursor.c > catalogVersion || cursor.s > hall.settingsVersion || (cursor.r ?? 0) > rulesRevision;
    if (cursor.e !== hall.epoch) reset = true;
    else if (behind) {
      hall = { ...hall, epoch: await restore.serverBehindDevice(hall) };
      reset = true;
    }
  }
  const full = !cursor || reset;
  const businessDay = businessDayOf(clock.now(), hall.timeZone);
  // A kiosk with no cursor has no records: what it leased before is given back (returnLeases).
  if (!cursor) await returnLeases(db, deviceId, businessDay, clock.now());
  const leases = await leasesOfDevice(db, deviceId, businessDay);
  // The quotas as /next enforces them: the saved calendar's, none before the hall saved one.
  const enforced = rulesRevision > 0 ? ((await calendars.latest())?.rules ?? null) : null;
  const issued = await dayCountsOf(db, hall.hallId, businessDay);
  const dayCounts = (latest?.catalog.services ?? []).map((s) => ({ serviceId: s.id, issued: issued.get(s.id) ?? 0, quota: dayQuotaOf(enforced, s.id, s.dailyQuota) }));
  // The guides travel with the catalog version they were published with, never on their own.
  const content = latest && (full || cursor.c < latest.version) ? await catalogs.latestContent() : null;
  // Before the hall saved a calendar, a full answer carries the rules the server judges by
  // (revision 0): a kiosk has no calendar of its own to fall back on.
  const rules = rulesRevision > 0 ? (full || (cursor.r ?? 0) < rulesRevision ? await calendars.latest() : null) : full ? { revision: 0, rules: await calendars.rulesInForce() } : null;
  return {
    ok: true,
    response: {
      epoch: hall.epoch,
      reset,
      lastAppliedSeq,
      businessDay,
      catalog: content?.catalog ?? null,
      guides: content?.guides ?? null,
      settings: full || cursor.s < hall.settingsVersion ? settingsOf(hall) : null,
      hallRules: rules?.rules ?? null,
      leases,
      dayCounts,
      // A version published between the two reads is the one sent, so the cursor names that one.
      cursor: encodeCursor({ v: 1, e: hall.epoch, d: deviceId, c: content?.version ?? catalogVersion, s: hall.settingsVersion, a: lastAppliedSeq, r: rules?.revision ?? rulesRevision }, hall.cursorKey),
    },
  };
}
