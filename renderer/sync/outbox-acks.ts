import { Dexie } from 'dexie';
import type { PushResult } from '../../core/sync-push.ts';
import type { HallKioskDb } from '../db/hall-kiosk-db.ts';
import { outboxSeqKey, pendingOutbox } from '../db/outbox.ts';
import { readSyncMeta, writeSyncMeta } from './sync-meta.ts';

/**
 * Marks the entries the server answered for as acknowledged. They are kept, not deleted: a server
 * restored from a backup may report it lacks them, and then they go again.
 */
export async function acknowledge(db: HallKioskDb, results: readonly PushResult[], now: number): Promise<{ acked: number; deadLettered: number }> {
  if (results.length === 0) return { acked: 0, deadLettered: 0 };
  return db.transaction('rw', [db.outbox, db.meta], async () => {
    const bySeq = new Map(results.map((r) => [r.seq, r]));
    const seqs = results.map((r) => r.seq);
    const entries = await db.outbox.where('seq').between(Math.min(...seqs), Math.max(...seqs), true, true).toArray();
    const changed = [];
    let deadLettered = 0;
    for (const entry of entries) {
      const result = bySeq.get(entry.seq);
      // The server matched seq and id already (a mismatch is its 409 seq-conflict); checked anyway.
      if (!result || result.id !== entry.id || entry.state === 'acked') continue;
      changed.push({ ...entry, state: 'acked' as const, ackedAt: now });
      if (result.status === 'dead-lettered') deadLettered += 1;
    }
    await db.outbox.bulkPut(changed);
    const through = Math.max(...seqs);
    if (through > ((await readSyncMeta(db, 'sync.ackedThrough')) ?? 0)) await writeSyncMeta(db, 'sync.ackedThrough', through);
    if (deadLettered > 0) await writeSyncMeta(db, 'sync.deadLettered', ((await readSyncMeta(db, 'sync.deadLettered')) ?? 0) + deadLettered);
    return { acked: changed.length, deadLettered };
  });
}

/**
 * The server says it holds this device's events only up to `serverLast`. If the kiosk saw more
 * acknowledged than that, the server lost them (restored from an older backup): every held entry
 * after `serverLast` becomes pending again. Returns how many.
 */
export async function resendAfter(db: HallKioskDb, serverLast: number): Promise<number> {
  return db.transaction('rw', [db.outbox, db.meta], async () => {
    const ackedThrough = (await readSyncMeta(db, 'sync.ackedThrough')) ?? 0;
    if (serverLast >= ackedThrough) return 0;
    const resent = await db.outbox
      .where('seq')
      .above(serverLast)
      .filter((e) => e.state === 'acked')
      .modify((e) => {
        e.state = 'pending';
        delete e.ackedAt;
      });
    await writeSyncMeta(db, 'sync.ackedThrough', serverLast);
    return resent;
  });
}

/**
 * The server holds other events under this device's first seqs: the kiosk's database was wiped
 * (a reset browser profile) while the privileged side kept the device token. The server refuses
 * a conflicting batch whole, so nothing of this log was ever applied, and it is renumbered to
 * follow what the server holds. Only a log that never saw an acknowledgement qualifies; anything
 * else is a conflict for a person to look at.
 */
export async function renumberAfter(db: HallKioskDb, serverLast: number): Promise<boolean> {
  return db.transaction('rw', [db.outbox, db.meta], async () => {
    if (((await readSyncMeta(db, 'sync.ackedThrough')) ?? 0) > 0) return false;
    const entries = await db.outbox.orderBy('seq').toArray();
    if (entries.length === 0 || entries.some((e) => e.state === 'acked')) return false;
    await db.outbox.clear();
    await db.outbox.bulkAdd(entries.map((e, i) => ({ ...e, seq: serverLast + 1 + i })));
    await db.meta.put({ key: outboxSeqKey, value: serverLast + entries.length });
    return true;
  });
}

/** The highest seq this kiosk no longer holds (pruned after acknowledgement); 0 when it holds all. */
export async function prunedThrough(db: HallKioskDb): Promise<number> {
  const first = await db.outbox.orderBy('seq').first();
  if (first) return first.seq - 1;
  const last = (await db.meta.get(outboxSeqKey))?.value;
  return typeof last === 'number' ? last : 0;
}

/**
 * Deletes acknowledged entries older than `olderThan`, and the oldest beyond `keepAtMost`. Only a
 * prefix of the outbox goes, so what the kiosk holds is always one unbroken run of seqs.
 */
export async function pruneAcknowledged(db: HallKioskDb, olderThan: number, keepAtMost: number): Promise<number> {
  return db.transaction('rw', [db.outbox], async () => {
    const acked = await db.outbox.where('[state+seq]').between(['acked', Dexie.minKey], ['acked', Dexie.maxKey]).count();
    let excess = Math.max(0, acked - keepAtMost);
    const doomed: string[] = [];
    await db.outbox
      .orderBy('seq')
      .until((e) => e.state !== 'acked' || ((e.ackedAt ?? 0) >= olderThan && excess <= 0))
      .each((e) => {
        doomed.push(e.id);
        excess -= 1;
      });
    await db.outbox.bulkDelete(doomed);
    return doomed.length;
  });
}

export async function pendingCount(db: HallKioskDb): Promise<number> {
  return pendingOutbox(db).count();
}
