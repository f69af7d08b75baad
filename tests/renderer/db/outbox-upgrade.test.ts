import { describe, expect, it } from 'vitest';
import { Dexie } from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { HallKioskDb } from '../../../renderer/db/hall-kiosk-db.ts';
import { appendOutbox, outboxAfter, outboxInOrder, outboxSeqKey } from '../../../renderer/db/outbox.ts';
import { ackedThrough, pendingCount, pruneAcknowledged } from '../../../renderer/sync/outbox-acks.ts';
import { readSyncMeta } from '../../../renderer/db/sync-meta.ts';

const hourMs = 60 * 60 * 1000;
const t0 = Date.parse('2026-11-20T02:00:00Z');

/** The kiosk database as version 4 shipped it: each outbox entry says whether it was acknowledged. */
function versionFourDb(indexedDB: IDBFactory, name: string): Dexie {
  const db = new Dexie(name, { indexedDB, IDBKeyRange });
  db.version(1).stores({ catalog: 'key', tickets: 'id, businessDay, state, [serviceId+businessDay]', outbox: 'id, &seq', reserves: 'id, [serviceId+businessDay]', meta: 'key' });
  db.version(2).stores({ outbox: 'id, &seq, [state+seq]' });
  db.version(3).stores({ slips: 'id, businessDay' });
  db.version(4).stores({ staff: 'id', readerSlots: '[staffId+finger], &page', checkins: 'id, [staffId+businessDay]' });
  return db;
}

type V4Entry = { id: string; seq: number; type: 'ticket.voided'; ticketId: string; reason: string; kioskId: string; at: number; state: 'acked' | 'pending'; ackedAt?: number };
const entry = (seq: number, state: 'acked' | 'pending', ackedAt?: number): V4Entry => ({
  id: `0190-${seq}`,
  seq,
  type: 'ticket.voided',
  ticketId: `ticket-${seq}`,
  reason: 'test',
  kioskId: 'kiosk-a',
  at: t0,
  state,
  ...(ackedAt === undefined ? {} : { ackedAt }),
});

/** A database of an older version holding `entries` and `meta`, opened by today's HallKioskDb. */
async function upgradeFrom(older: (indexedDB: IDBFactory, name: string) => Dexie, entries: readonly unknown[], meta: Record<string, unknown>): Promise<HallKioskDb> {
  const indexedDB = new IDBFactory();
  const name = 'hall-kiosk-upgrade';
  const old = older(indexedDB, name);
  await old.open();
  await old.table('outbox').bulkAdd([...entries]);
  await old.table('meta').bulkPut(Object.entries(meta).map(([key, value]) => ({ key, value })));
  old.close();
  const db = new HallKioskDb({ name, indexedDB, IDBKeyRange });
  await db.open();
  return db;
}

const upgrade = (entries: V4Entry[], meta: Record<string, unknown>) => upgradeFrom(versionFourDb, entries, meta);

describe('the outbox upgrade to one acknowledged-through mark (database version 5)', () => {
  it('carries acknowledged and pending entries over: the mark ends the acknowledged prefix, pending ones stay pending', async () => {
    // Entries 1–2 were pruned long ago; 3–5 acknowledged over two hours; 6–7 wait.
    const db = await upgrade([entry(3, 'acked', t0 + 10), entry(4, 'acked', t0 + 20), entry(5, 'acked', t0 + hourMs + 5), entry(6, 'pending'), entry(7, 'pending')], {
      'outbox.seq': 7,
      'sync.ackedThrough': 5,
    });
    expect(db.verno).toBe(8);
    expect(await ackedThrough(db)).toBe(5);
    expect(await pendingCount(db)).toBe(2);
    expect(await readSyncMeta(db, 'sync.ackSteps')).toEqual([
      { through: 4, ackedBy: t0 + hourMs },
      { through: 5, ackedBy: t0 + 2 * hourMs },
    ]);
    const held = await outboxInOrder(db);
    expect(held.map((e) => e.seq)).toEqual([3, 4, 5, 6, 7]);
    expect(held.every((e) => !('state' in e) && !('ackedAt' in e))).toBe(true);
    // The index on state is gone with the field; seq is the key now (version 7), id stays unique.
    expect(db.outbox.schema.primKey.name).toBe('seq');
    expect(db.outbox.schema.indexes.map((i) => i.name)).toEqual(['id']);

    // The acknowledgement times carried over drive the retention rule as before.
    expect(await pruneAcknowledged(db, t0 + hourMs, 1000)).toBe(2);
    expect((await outboxInOrder(db)).map((e) => e.seq)).toEqual([5, 6, 7]);
    expect(await pendingCount(db)).toBe(2);
    db.close();
  });

  it('re-sends rather than loses: an acknowledged entry after a pending one becomes pending', async () => {
    const db = await upgrade([entry(1, 'acked', t0), entry(2, 'pending'), entry(3, 'acked', t0)], { 'outbox.seq': 3, 'sync.ackedThrough': 3 });
    expect(await ackedThrough(db)).toBe(1);
    expect(await pendingCount(db)).toBe(2);
    db.close();
  });

  it('keeps the former mark when nothing held was acknowledged: all pending after a prune, or after a new enrollment', async () => {
    const pruned = await upgrade([entry(9, 'pending'), entry(10, 'pending')], { 'outbox.seq': 10, 'sync.ackedThrough': 8 });
    expect(await ackedThrough(pruned)).toBe(8);
    expect(await pendingCount(pruned)).toBe(2);
    pruned.close();
    // adoptDevice dropped the old identity's acknowledged entries and set the mark to 0.
    const reEnrolled = await upgrade([entry(9, 'pending')], { 'outbox.seq': 9, 'sync.ackedThrough': 0 });
    expect(await ackedThrough(reEnrolled)).toBe(0);
    expect(await pendingCount(reEnrolled)).toBe(1);
    reEnrolled.close();
  });

  it('upgrades an empty outbox keeping the mark it had', async () => {
    const db = await upgrade([], { 'outbox.seq': 12, 'sync.ackedThrough': 12 });
    expect(await ackedThrough(db)).toBe(12);
    expect(await pendingCount(db)).toBe(0);
    expect(await readSyncMeta(db, 'sync.ackSteps')).toEqual([]);
    db.close();
  });
});

/** The kiosk database as version 5 shipped it: the outbox keyed by id, the acknowledgement a mark in meta. */
function versionFiveDb(indexedDB: IDBFactory, name: string): Dexie {
  const db = versionFourDb(indexedDB, name);
  db.version(5).stores({ outbox: 'id, &seq' });
  return db;
}

describe('the outbox upgrade to seq as its primary key (database versions 6 and 7)', () => {
  // Ids in another order than seqs: a version-5 outbox read in key order was in id order.
  const v5Entry = (seq: number) => {
    const { state: _state, ackedAt: _ackedAt, ...rest } = entry(seq, 'pending');
    return { ...rest, id: `id-${String(100 - seq).padStart(3, '0')}`, clockOffsetMs: seq * 10 };
  };
  const meta = {
    'outbox.seq': 9,
    'sync.ackedThrough': 6,
    'sync.ackSteps': [{ through: 6, ackedBy: t0 + hourMs }],
    'sync.deadLettered': 1,
  };

  const upgradeFromFive = (entries: ReturnType<typeof v5Entry>[]) => upgradeFrom(versionFiveDb, entries, meta);

  it('carries every entry over unchanged, acknowledged and pending alike, with the marks', async () => {
    const entries = [4, 5, 6, 7, 8, 9].map(v5Entry);
    const db = await upgradeFromFive(entries);
    expect(db.verno).toBe(8);
    expect(db.outbox.schema.primKey.name).toBe('seq');
    expect(db.tables.map((t) => t.name)).not.toContain('outboxBySeq');
    expect(await outboxInOrder(db)).toEqual(entries);
    for (const [key, value] of Object.entries(meta)) expect((await db.meta.get(key))?.value).toEqual(value);
    // 4–6 acknowledged before the upgrade stay so; 7–9 still wait, in order.
    expect(await ackedThrough(db)).toBe(6);
    expect(await pendingCount(db)).toBe(3);
    expect((await outboxAfter(db, 6).toArray()).map((e) => e.seq)).toEqual([7, 8, 9]);
    db.close();
  });

  it('goes on numbering after the upgrade, and still refuses a second entry with an id it holds', async () => {
    const db = await upgradeFromFive([8, 9].map(v5Entry));
    const appended = await db.transaction('rw', [db.outbox, db.meta], () =>
      appendOutbox(db, { type: 'ticket.voided', ticketId: 'ticket-10', reason: 'test' }, { id: 'id-new', kioskId: 'kiosk-a', at: t0 }),
    );
    expect(appended.seq).toBe(10);
    expect((await db.meta.get(outboxSeqKey))?.value).toBe(10);
    expect((await outboxInOrder(db)).map((e) => e.seq)).toEqual([8, 9, 10]);
    await expect(db.outbox.add({ ...v5Entry(11), id: v5Entry(9).id })).rejects.toThrow();
    expect(await db.outbox.count()).toBe(3);
    db.close();
  });

  it('upgrades an empty outbox', async () => {
    const db = await upgradeFromFive([]);
    expect(await db.outbox.count()).toBe(0);
    expect(await ackedThrough(db)).toBe(6);
    db.close();
  });
});

/** The kiosk database as version 7 shipped it: the page still kept the roster, the reader's slot map and the hall rules. */
function versionSevenDb(indexedDB: IDBFactory, name: string): Dexie {
  const db = versionFiveDb(indexedDB, name);
  db.version(6).stores({ outbox: null, outboxBySeq: 'seq, &id' });
  db.version(7).stores({ outbox: 'seq, &id', outboxBySeq: null });
  return db;
}

describe("the page's copies of the privileged side's data dropped (database version 8)", () => {
  it('drops the roster, the slot map and their meta rows, and keeps the check-ins, the outbox and the rest of meta', async () => {
    const indexedDB = new IDBFactory();
    const name = 'hall-kiosk-upgrade-8';
    const old = versionSevenDb(indexedDB, name);
    await old.open();
    await old.table('staff').put({ id: 'A1', name: '张三', departmentId: 'market', counter: null, role: 'staff', scheduleId: null, active: true });
    await old.table('readerSlots').put({ staffId: 'A1', finger: 1, page: 0, revision: 3 });
    const checkin = { id: '0190-c', staffId: 'A1', kind: 'sign-in', at: t0, session: 'morning', businessDay: '2026-11-20' };
    await old.table('checkins').put(checkin);
    const { state: _state, ...pending } = entry(1, 'pending');
    await old.table('outbox').put(pending);
    const meta = { 'staff.cursor': 'roster-cursor', 'hall.rules': { revision: 2 }, 'sync.cursor': 'pull-cursor', 'outbox.seq': 1 };
    await old.table('meta').bulkPut(Object.entries(meta).map(([key, value]) => ({ key, value })));
    old.close();

    const db = new HallKioskDb({ name, indexedDB, IDBKeyRange });
    await db.open();
    expect(db.verno).toBe(8);
    expect(db.tables.map((t) => t.name)).not.toContain('staff');
    expect(db.tables.map((t) => t.name)).not.toContain('readerSlots');
    expect(await db.meta.get('staff.cursor')).toBeUndefined();
    expect(await db.meta.get('hall.rules')).toBeUndefined();
    expect((await db.meta.get('sync.cursor'))?.value).toBe('pull-cursor');
    expect(await db.checkins.toArray()).toEqual([checkin]);
    expect(await outboxInOrder(db)).toEqual([pending]);
    db.close();
  });
});
