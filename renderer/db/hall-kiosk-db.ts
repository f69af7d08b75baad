import { Dexie } from 'dexie';
import type { Table, Transaction } from 'dexie';
import type { CheckinRecord } from '../../core/attendance/checkin.ts';
import type { Catalog } from '../../core/catalog/catalog.ts';
import type { SlipMaterialStatus } from '../../core/guide/disclosure-slip.ts';
import type { NumberReserve } from '../../core/numbering/number-reserve.ts';
import type { ServiceGuides } from '../../core/guide/service-guide.ts';
import type { Ticket } from '../../core/ticket/ticket.ts';
import type { OutboxEntry } from './outbox-entry.ts';

export interface CachedCatalog {
  key: 'current';
  catalog: Catalog;
  /** the guides last published with a catalog; absent until the server sent any */
  guides?: ServiceGuides;
  savedAt: number;
}

/**
 * A disclosure slip the kiosk printed or tried to: its serial is allocated with the record, so no
 * two slips of a day share one, and it is synced once the printer confirmed the paper.
 */
export interface StoredSlip {
  /** UUIDv7 made on the kiosk */
  id: string;
  serial: string;
  serviceId: string;
  materials: { id: string; status: SlipMaterialStatus }[];
  /** device clock when the serial was allocated; printed as the slip's time */
  at: number;
  /** the hall's date of `at`, as in the serial */
  businessDay: string;
  state: 'printing' | 'printed' | 'unprinted';
  lastPrintError?: string;
}

/** A reserve as the kiosk stores it: leased ones came from the hall server's counter. */
export type StoredReserve = NumberReserve & {
  /** from the hall server; a kiosk with a server issues offline from these only */
  leased?: boolean;
};

/** A fingerprint check-in as recorded here; the same record goes out as 'checkin.recorded'. */
export type StoredCheckin = CheckinRecord & {
  /** the hall's date of `at`, for the repeated-touch lookup */
  businessDay: string;
};

export interface MetaEntry {
  key: string;
  value: unknown;
}

export interface HallKioskDbOptions {
  name?: string;
  /** tests pass fake-indexeddb's factory and key range here */
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
}

export const hallKioskDbName = 'hall-kiosk';

/**
 * The kiosk's business data. Synced tables are keyed by UUIDv7 strings made on the device, never
 * by auto-increment, so records from many kiosks merge on the server without renumbering.
 */
export class HallKioskDb extends Dexie {
  declare catalog: Table<CachedCatalog, 'current'>;
  declare tickets: Table<Ticket, string>;
  declare outbox: Table<OutboxEntry, number>;
  declare reserves: Table<StoredReserve, string>;
  declare meta: Table<MetaEntry, string>;
  declare slips: Table<StoredSlip, string>;
  declare checkins: Table<StoredCheckin, string>;

  constructor(options: HallKioskDbOptions = {}) {
    super(options.name ?? hallKioskDbName, {
      ...(options.indexedDB && options.IDBKeyRange ? { indexedDB: options.indexedDB, IDBKeyRange: options.IDBKeyRange } : {}),
      // Chrome's default "relaxed" durability may lose a committed transaction on power loss; a
      // ticket that was handed out must survive a power cut.
      chromeTransactionDurability: 'strict',
    });
    // Never edit a shipped version: add version(n + 1) with its upgrade so kiosks in the field migrate.
    this.version(1).stores({
      catalog: 'key',
      tickets: 'id, businessDay, state, [serviceId+businessDay]',
      outbox: 'id, &seq',
      reserves: 'id, [serviceId+businessDay]',
      meta: 'key',
    });
    // Acknowledged events stay a while (a restored server may need them again): each entry says
    // whether it still waits for the server, and the sync engine reads the waiting ones in order.
    this.version(2)
      .stores({ outbox: 'id, &seq, [state+seq]' })
      .upgrade((tx) =>
        tx
          .table('outbox')
          .toCollection()
          .modify((entry: { state?: string }) => {
            entry.state = 'pending';
          }),
      );
    // Disclosure slips (一次性告知单); the guides ride in the existing catalog row.
    this.version(3).stores({ slips: 'id, businessDay' });
    // Staff fingerprint sign-in (指纹签到): the pulled roster, this reader's pages, the check-ins.
    this.version(4).stores({ staff: 'id', readerSlots: '[staffId+finger], &page', checkins: 'id, [staffId+businessDay]' });
    // One acknowledged-through mark in meta instead of a state on every entry (renderer/sync/outbox-acks.ts):
    // acknowledging a batch no longer rewrites it, and the waiting entries are a seq range.
    this.version(5).stores({ outbox: 'id, &seq' }).upgrade(carryAcksOverToMark);
    // seq as the outbox's primary key: the sync engine reads the waiting entries as a key range of
    // the table itself instead of through an index (half the reads). IndexedDB cannot change a
    // store's key, so version 6 copies the entries aside and version 7 copies them back under the
    // new key; the marks in meta are untouched. The ids stay unique, as before.
    this.version(6).stores({ outbox: null, outboxBySeq: 'seq, &id' }).upgrade(copyOutboxInto('outbox', 'outboxBySeq'));
    this.version(7).stores({ outbox: 'seq, &id', outboxBySeq: null }).upgrade(copyOutboxInto('outboxBySeq', 'outbox'));
    // The roster, the reader's slot map and the hall rules belong to the privileged side, which
    // pulls and keeps them itself (docs/architecture.md, "One owner per piece of data"): the
    // page's copies go. Its first pull fills the reader again from the whole roster.
    this.version(8).stores({ staff: null, readerSlots: null }).upgrade(dropPrivilegedMeta);
  }
}

/** Version 8's upgrade, frozen with it: the meta rows of the roster position and the hall rules the page kept. */
async function dropPrivilegedMeta(tx: Transaction): Promise<void> {
  await tx.table<MetaEntry, string>('meta').bulkDelete(['staff.cursor', 'hall.rules']);
}

/** Versions 6 and 7's upgrade, frozen with them: every entry, unchanged, from one store to the other. */
function copyOutboxInto(from: string, to: string): (tx: Transaction) => Promise<void> {
  return async (tx) => {
    await tx.table(to).bulkAdd(await tx.table(from).toArray());
  };
}

/**
 * Version 5's upgrade, frozen with it (the meta keys are spelled out because a shipped upgrade must
 * not follow later renames). The mark ends where the acknowledged prefix ends: a pending entry
 * before an acknowledged one (never written by version 4's engine) makes the later ones pending
 * again, which re-sends them — the server answers "duplicate" — rather than losing any. The steps
 * keep each entry's acknowledgement time, rounded up to the hour.
 */
async function carryAcksOverToMark(tx: Transaction): Promise<void> {
  const outbox = tx.table<{ seq: number; state?: string; ackedAt?: number }, string>('outbox');
  const meta = tx.table<MetaEntry, string>('meta');
  const entries = await outbox.orderBy('seq').toArray();
  const stored = (await meta.get('sync.ackedThrough'))?.value;
  const formerMark = typeof stored === 'number' ? stored : 0;
  const firstPending = entries.findIndex((e) => e.state !== 'acked');
  const acked = firstPending === -1 ? entries : entries.slice(0, firstPending);
  let mark: number;
  if (acked.length > 0) mark = acked.at(-1)!.seq;
  else if (firstPending === 0) mark = Math.min(formerMark, entries[0]!.seq - 1);
  else mark = formerMark;
  const hourMs = 60 * 60 * 1000;
  const steps: { through: number; ackedBy: number }[] = [];
  for (const entry of acked) {
    const ackedBy = (Math.floor((entry.ackedAt ?? 0) / hourMs) + 1) * hourMs;
    const last = steps.at(-1);
    if (last && ackedBy <= last.ackedBy) last.through = entry.seq;
    else steps.push({ through: entry.seq, ackedBy });
  }
  await meta.put({ key: 'sync.ackedThrough', value: mark });
  await meta.put({ key: 'sync.ackSteps', value: steps });
  await outbox.toCollection().modify((entry) => {
    delete entry.state;
    delete entry.ackedAt;
  });
}
