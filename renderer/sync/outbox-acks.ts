import type { SyncEvent } from '../../core/sync/events.ts';
import type { PushResult } from '../../core/sync/push.ts';
import type { HallKioskDb } from '../db/hall-kiosk-db.ts';
import { outboxAfter, outboxSeqKey } from '../db/outbox.ts';
import type { AckStep } from '../db/sync-meta.ts';
import { readSyncMeta, writeSyncMeta } from '../db/sync-meta.ts';

/**
 * What the server acknowledged is one mark, `sync.ackedThrough`: the entries the kiosk holds up to
 * it are acknowledged, the ones after it wait. The server answers for a prefix of each batch in
 * seq order, so a mark says everything a per-entry flag would, and acknowledging a batch is one
 * small write instead of rewriting each of its entries. Acknowledged entries are kept a while (a
 * server restored from a backup may need them again); `sync.ackSteps` remembers when the mark
 * passed where, an hour at a time, for the retention rule.
 */
export const ackStepMs = 60 * 60 * 1000;

export async function ackedThrough(db: HallKioskDb): Promise<number> {
  return (await readSyncMeta(db, 'sync.ackedThrough')) ?? 0;
}

/** The step an acknowledgement at `now` belongs to: steps only grow, so pruning errs on keeping. */
export function stepAfterAck(steps: readonly AckStep[], through: number, now: number): AckStep[] {
  const ackedBy = (Math.floor(now / ackStepMs) + 1) * ackStepMs;
  const last = steps.at(-1);
  if (last && ackedBy <= last.ackedBy) return [...steps.slice(0, -1), { through, ackedBy: last.ackedBy }];
  return [...steps, { through, ackedBy }];
}

export interface Acknowledged {
  /** entries newly acknowledged */
  acked: number;
  deadLettered: number;
  /** the mark after this answer */
  through: number;
}

/**
 * Moves the mark over the run of `sent` (one push, consecutive seqs) that the server answered
 * for, from its first event on, each result matching the event it answers. Whatever follows a
 * missing or mismatched answer stays pending and goes again; a repeat is only ever a duplicate.
 */
export async function acknowledge(db: HallKioskDb, sent: readonly SyncEvent[], results: readonly PushResult[], now: number): Promise<Acknowledged> {
  const first = sent[0]?.seq ?? 1;
  const bySeq = new Map(results.map((r) => [r.seq, r]));
  let answered = 0;
  let deadLetteredInRun = 0;
  for (const event of sent) {
    const result = bySeq.get(event.seq);
    if (!result || result.id !== event.id) break;
    answered += 1;
    if (result.status === 'dead-lettered') deadLetteredInRun += 1;
  }
  return db.transaction('rw', [db.outbox, db.meta], async () => {
    const mark = await ackedThrough(db);
    const through = first + answered - 1;
    if (answered === 0 || through <= mark) return { acked: 0, deadLettered: 0, through: mark };
    // The batch was read after the mark; anything held between the two was not in it.
    if (first > mark + 1 && (await db.outbox.where('seq').between(mark, first, false, false).count()) > 0) return { acked: 0, deadLettered: 0, through: mark };
    const newlyFrom = Math.max(first, mark + 1);
    const deadLettered = first >= newlyFrom ? deadLetteredInRun : sent.filter((e) => e.seq >= newlyFrom && e.seq <= through && bySeq.get(e.seq)?.status === 'dead-lettered').length;
    await writeSyncMeta(db, 'sync.ackedThrough', through);
    await writeSyncMeta(db, 'sync.ackSteps', stepAfterAck((await readSyncMeta(db, 'sync.ackSteps')) ?? [], through, now));
    if (deadLettered > 0) await writeSyncMeta(db, 'sync.deadLettered', ((await readSyncMeta(db, 'sync.deadLettered')) ?? 0) + deadLettered);
    return { acked: through - newlyFrom + 1, deadLettered, through };
  });
}

/**
 * The server says it holds this device's events only up to `serverLast`. If the mark is past
 * that, the server lost them (restored from an older backup): the mark goes back to `serverLast`,
 * and every held entry after it is pending again. Returns how many.
 */
export async function resendAfter(db: HallKioskDb, serverLast: number): Promise<number> {
  return db.transaction('rw', [db.outbox, db.meta], async () => {
    const mark = await ackedThrough(db);
    if (serverLast >= mark) return 0;
    const resent = await db.outbox.where('seq').between(serverLast, mark, false, true).count();
    const steps = (await readSyncMeta(db, 'sync.ackSteps')) ?? [];
    const kept: AckStep[] = [];
    for (const step of steps) {
      const through = Math.min(step.through, serverLast);
      if (kept.length === 0 || through > kept.at(-1)!.through) kept.push({ through, ackedBy: step.ackedBy });
    }
    await writeSyncMeta(db, 'sync.ackedThrough', serverLast);
    await writeSyncMeta(db, 'sync.ackSteps', kept);
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
    if ((await ackedThrough(db)) > 0) return false;
    const entries = await db.outbox.orderBy('seq').toArray();
    if (entries.length === 0) return false;
    await db.outbox.clear();
    await db.outbox.bulkAdd(entries.map((e, i) => ({ ...e, seq: serverLast + 1 + i })));
    await db.meta.put({ key: outboxSeqKey, value: serverLast + entries.length });
    return true;
  });
}

/**
 * Enrolled anew: what the old identity had acknowledged stays with it (deleted here), what it had
 * not goes out as the new identity's, whose server has acknowledged nothing yet.
 */
export async function forgetAcknowledged(db: HallKioskDb): Promise<void> {
  await db.transaction('rw', [db.outbox, db.meta], async () => {
    await db.outbox.where('seq').belowOrEqual(await ackedThrough(db)).delete();
    await writeSyncMeta(db, 'sync.ackedThrough', 0);
    await writeSyncMeta(db, 'sync.ackSteps', []);
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
 * Deletes acknowledged entries acknowledged before `olderThan`, and the oldest beyond
 * `keepAtMost`. Only a prefix of the outbox goes, so what the kiosk holds is always one unbroken
 * run of seqs.
 */
export async function pruneAcknowledged(db: HallKioskDb, olderThan: number, keepAtMost: number): Promise<number> {
  return db.transaction('rw', [db.outbox, db.meta], async () => {
    const mark = await ackedThrough(db);
    const steps = (await readSyncMeta(db, 'sync.ackSteps')) ?? [];
    const oldEnough = steps.filter((s) => s.ackedBy <= olderThan).reduce((cut, s) => Math.max(cut, s.through), 0);
    const cut = Math.min(mark, Math.max(oldEnough, mark - keepAtMost));
    if (cut <= 0) return 0;
    const pruned = await db.outbox.where('seq').belowOrEqual(cut).delete();
    await writeSyncMeta(db, 'sync.ackSteps', steps.filter((s) => s.through > cut));
    return pruned;
  });
}

/** Entries the server has not acknowledged yet. */
export async function pendingCount(db: HallKioskDb): Promise<number> {
  return outboxAfter(db, await ackedThrough(db)).count();
}
