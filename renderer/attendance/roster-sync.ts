import type { RosterPull } from '../../core/attendance/roster.ts';
import { templateDownloadSchema } from '../../core/attendance/roster.ts';
import type { HallKioskDb, ReaderSlot } from '../db/hall-kiosk-db.ts';
import type { ServerLink } from '../sync/server-link.ts';
import { expectSuccess, SyncFailure } from '../sync/sync-failure.ts';
import { clearSyncMeta, writeSyncMeta } from '../db/sync-meta.ts';
import type { SyncMetaKey } from '../db/sync-meta.ts';

/** What roster sync needs of the kiosk's reader (KioskApi reader.*). */
export interface ReaderLibrary {
  pages(): Promise<{ pages: number[] }>;
  storeTemplate(page: number, template: string): Promise<unknown>;
  delete(page: number): Promise<unknown>;
  status(): Promise<{ librarySize?: number }>;
}

export interface RosterSyncSummary {
  stored: number;
  deleted: number;
}

/** meta key of the roster position the server gave with the last roster fully applied here */
export const staffCursorKey = 'staff.cursor' satisfies SyncMetaKey;

const keyOf = (staffId: string, finger: number) => `${staffId}#${finger}`;

/**
 * Applies a pulled roster: members into Dexie, templates into this kiosk's reader. Downloads go
 * into free reader pages and the page is remembered locally; removed templates are deleted from
 * the reader. The roster cursor is saved only after every template is in place, so a failure
 * half-way (server gone, reader unplugged) is simply resumed by the next pull.
 */
export async function applyRoster(db: HallKioskDb, link: Pick<ServerLink, 'send'>, reader: ReaderLibrary, roster: RosterPull): Promise<RosterSyncSummary> {
  await db.transaction('rw', db.staff, async () => {
    if (roster.full) await db.staff.clear();
    await db.staff.bulkPut(roster.members);
  });

  const wanted = new Map(roster.templates.map((t) => [keyOf(t.staffId, t.finger), t]));
  const slots = await db.readerSlots.toArray();
  const gone = roster.full
    ? slots.filter((s) => !wanted.has(keyOf(s.staffId, s.finger)))
    : slots.filter((s) => roster.removedTemplates.some((r) => r.staffId === s.staffId && r.finger === s.finger));
  let deleted = 0;
  for (const slot of gone) {
    await reader.delete(slot.page);
    await db.readerSlots.delete([slot.staffId, slot.finger]);
    deleted += 1;
  }

  const held = new Map((await db.readerSlots.toArray()).map((s) => [keyOf(s.staffId, s.finger), s]));
  const due = [...wanted.values()].filter((t) => (held.get(keyOf(t.staffId, t.finger))?.revision ?? 0) < t.revision);
  let stored = 0;
  if (due.length > 0) {
    const occupied = new Set([...(await reader.pages()).pages, ...[...held.values()].map((s) => s.page)]);
    const size = (await reader.status()).librarySize ?? 300;
    let next = 0;
    const freePage = () => {
      while (next < size && occupied.has(next)) next += 1;
      if (next >= size) throw new SyncFailure('refused', 'the fingerprint reader library is full');
      occupied.add(next);
      return next;
    };
    for (const ref of due) {
      const reply = expectSuccess(await link.send({ method: 'GET', path: `/api/v1/staff/${encodeURIComponent(ref.staffId)}/templates/${ref.finger}` }), 'template download');
      const download = templateDownloadSchema.safeParse(reply.body);
      if (!download.success) throw new SyncFailure('protocol', 'template download: the server answered with an unexpected body');
      const page = held.get(keyOf(ref.staffId, ref.finger))?.page ?? freePage();
      await reader.storeTemplate(page, download.data.template);
      const slot: ReaderSlot = { staffId: ref.staffId, finger: ref.finger, page, revision: download.data.revision };
      await db.readerSlots.put(slot);
      stored += 1;
    }
  }
  await writeSyncMeta(db, staffCursorKey, roster.cursor);
  return { stored, deleted };
}

/**
 * After the kiosk's reader moved to another device, the local slot map describes a library that
 * is no longer there: forget it and the roster position, so the next pull brings the whole
 * roster and downloads every template into the new reader.
 */
export async function forgetReaderLibrary(db: HallKioskDb): Promise<void> {
  await db.transaction('rw', [db.readerSlots, db.meta], async () => {
    await db.readerSlots.clear();
    await clearSyncMeta(db, staffCursorKey);
  });
}
