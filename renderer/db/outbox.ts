import { Dexie } from 'dexie';
import type { HallKioskDb } from './hall-kiosk-db.ts';
import type { OutboxEntry, OutboxEvent } from './outbox-entry.ts';

export const outboxSeqKey = 'outbox.seq';

/** The last sequence number handed out; 0 before the first event. */
export async function readOutboxSeq(db: HallKioskDb): Promise<number> {
  const stored = await db.meta.get(outboxSeqKey);
  return typeof stored?.value === 'number' ? stored.value : 0;
}

/**
 * Append an event in the caller's transaction. The sequence counter lives in `meta`, not in an
 * auto-increment key, and is advanced in the same transaction as the event and its effects.
 * `lastSeq` is readOutboxSeq's answer when the caller asked for it alongside its own reads, to
 * save a round trip; it must come from this same transaction.
 */
export async function appendOutbox(
  db: HallKioskDb,
  event: OutboxEvent,
  origin: { id: string; kioskId: string; at: number; clockOffsetMs?: number },
  lastSeq?: number,
): Promise<OutboxEntry> {
  const tx = Dexie.currentTransaction;
  const covered = new Set(tx?.storeNames ?? []);
  if (!tx || tx.mode !== 'readwrite' || !covered.has('outbox') || !covered.has('meta')) {
    throw new Error('appendOutbox must run inside a read-write transaction over outbox and meta');
  }
  const previous = lastSeq ?? (await readOutboxSeq(db));
  const { clockOffsetMs, ...envelope } = origin;
  const entry: OutboxEntry = { ...event, ...envelope, ...(clockOffsetMs === undefined ? {} : { clockOffsetMs }), seq: previous + 1 };
  await Promise.all([db.meta.put({ key: outboxSeqKey, value: entry.seq }), db.outbox.add(entry)]);
  return entry;
}

/** seq is the outbox's primary key (database version 7), so the table's own order is seq order. */
export async function outboxInOrder(db: HallKioskDb): Promise<OutboxEntry[]> {
  return db.outbox.toArray();
}

/**
 * The entries after `seq`, oldest first: with the sync engine's acknowledged-through mark, the
 * ones still waiting for the server. A range of the primary key, so nothing is read to be
 * filtered out, nor looked up through an index.
 */
export function outboxAfter(db: HallKioskDb, seq: number) {
  return db.outbox.where('seq').above(seq);
}
