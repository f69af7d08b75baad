import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Clock } from '../../core/clock.ts';
import type { SyncEvent } from '../../core/sync-events.ts';
import type { PushRequest, PushResult } from '../../core/sync-push.ts';
import type { CatalogStore } from '../catalog-store.ts';
import { uniqueViolation } from '../db/constraint-errors.ts';
import type { Database } from '../db/schema.ts';
import { readHallState } from '../hall-settings.ts';
import { UnappliableEvent, applyEventEffects } from './ticket-events.ts';
import type { EventContext } from './ticket-events.ts';

export interface PushHooks {
  /**
   * Awaited inside the transaction after each event's effects are written, before the commit.
   * Tests use it to kill the server with a transaction open.
   */
  beforeEventCommit?(event: { deviceId: string; seq: number }): Promise<void>;
}

export interface PushDeps {
  db: Kysely<Database>;
  clock: Clock;
  catalogs: CatalogStore;
  hooks?: PushHooks;
}

export type PushOutcome =
  | { kind: 'done'; epoch: string; lastAppliedSeq: number; results: PushResult[] }
  /** the batch starts after a seq the server does not hold: nothing was applied */
  | { kind: 'gap'; lastAppliedSeq: number; firstSeq: number }
  /** a seq the server holds was sent again with a different event id: the device's log was reset */
  | { kind: 'conflict'; lastAppliedSeq: number; seq: number; heldEventId: string };

/** Raised inside a transaction when another request claimed this seq first. */
class SeqAlreadyClaimed extends Error {}

async function lastAppliedSeq(db: Kysely<Database>, deviceId: string): Promise<number> {
  const row = await db.selectFrom('device_sync').select('last_applied_seq').where('device_id', '=', deviceId).executeTakeFirst();
  return row?.last_applied_seq ?? 0;
}

/**
 * Moves the device's last applied seq from seq − 1 to seq, as the first write for each event: on
 * PostgreSQL a concurrent push of the same seq (a retry racing the original on another server
 * process) waits on this row and then finds the condition false, so effects never apply twice.
 */
async function claimSeq(trx: Kysely<Database>, deviceId: string, seq: number, now: number): Promise<void> {
  const result = await trx
    .updateTable('device_sync')
    .set({ last_applied_seq: seq, updated_at: now })
    .where('device_id', '=', deviceId)
    .where('last_applied_seq', '=', seq - 1)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new SeqAlreadyClaimed();
}

/**
 * Events are committed in short transactions of several events each, with a savepoint per event:
 * an event's effects and its seq are still committed together or not at all, and a dead letter
 * rolls back only its own savepoint. One commit (one fsync on SQLite) per event would make a
 * kiosk's catch-up after a day offline take seconds; the bounds keep the write lock short so
 * online numbering never waits long behind a catch-up.
 */
const maxEventsPerTransaction = 100;
const maxTransactionMs = 25;

/**
 * Applies a validated batch in seq order. A crash mid-batch keeps every committed event and no
 * half-applied one; the kiosk re-sends the rest, and what was committed comes back as duplicate.
 */
export async function applyPush(deps: PushDeps, deviceId: string, batch: PushRequest): Promise<PushOutcome> {
  const { db, clock } = deps;
  const hall = await readHallState(db);
  const batchOffset = batch.clockOffsetMs ?? clock.now() - batch.sentAt;
  let last = await lastAppliedSeq(db, deviceId);

  if (batch.prunedThrough !== undefined && batch.prunedThrough > last) {
    last = await recordLostRange(deps, deviceId, last, batch.prunedThrough);
  }

  const firstSeq = batch.events[0]!.seq;
  if (firstSeq > last + 1) return { kind: 'gap', lastAppliedSeq: last, firstSeq };

  const replayed = batch.events.filter((e) => e.seq <= last);
  if (replayed.length) {
    const held = await db
      .selectFrom('device_events')
      .select(['seq', 'event_id'])
      .where('device_id', '=', deviceId)
      .where('seq', '>=', replayed[0]!.seq)
      .where('seq', '<=', replayed.at(-1)!.seq)
      .execute();
    const heldIds = new Map(held.map((r) => [r.seq, r.event_id]));
    for (const event of replayed) {
      const heldId = heldIds.get(event.seq);
      // No row at all: a range the server recorded as lost; the kiosk may still send it back.
      if (heldId !== undefined && heldId !== event.id) return { kind: 'conflict', lastAppliedSeq: last, seq: event.seq, heldEventId: heldId };
    }
  }

  const knownServices = new Map<string, boolean>();
  const results: PushResult[] = replayed.map((e) => ({ seq: e.seq, id: e.id, status: 'duplicate' }));
  const pending = batch.events.slice(replayed.length);
  let next = 0;
  while (next < pending.length) {
    const chunk: PushResult[] = [];
    let raced = false;
    await db.transaction().execute(async (trx) => {
      // A duration bound, not a time of day: the monotonic timer, not the injected clock.
      const started = performance.now();
      while (next + chunk.length < pending.length && chunk.length < maxEventsPerTransaction && performance.now() - started < maxTransactionMs) {
        const event = pending[next + chunk.length]!;
        const serviceKnown = async (serviceId: string) => {
          let known = knownServices.get(serviceId);
          if (known === undefined) knownServices.set(serviceId, (known = await deps.catalogs.everHadService(trx, serviceId)));
          return known;
        };
        const result = await applyEvent(deps, { trx, deviceId, hallId: hall.hallId, clockOffsetMs: event.clockOffsetMs ?? batchOffset, now: clock.now(), serviceKnown }, event);
        if (result === 'raced') {
          raced = true;
          break;
        }
        chunk.push(result);
      }
    });
    results.push(...chunk);
    next += chunk.length;
    if (!raced) continue;
    // Another request applied this device's next seq first: fine if it was this very event.
    const settled = await settleRace(db, deviceId, pending[next]!);
    if (settled === 'lost-race') break;
    results.push(settled);
    next += 1;
  }
  return { kind: 'done', epoch: hall.epoch, lastAppliedSeq: await lastAppliedSeq(db, deviceId), results };
}

const savepoint = sql.raw('sync_event');

/** One event inside the chunk's transaction, atomically with its seq, or dead-lettered. */
async function applyEvent(deps: PushDeps, ctx: EventContext, event: SyncEvent): Promise<PushResult | 'raced'> {
  const { hooks } = deps;
  const { trx, deviceId, now } = ctx;
  let reason: string;
  await sql`savepoint ${savepoint}`.execute(trx);
  try {
    await claimSeq(trx, deviceId, event.seq, now);
    await applyEventEffects(ctx, event.type, event.payload);
    await trx
      .insertInto('device_events')
      .values({ device_id: deviceId, seq: event.seq, event_id: event.id, type: event.type, at: event.at, outcome: 'applied', received_at: now })
      .execute();
    await sql`release savepoint ${savepoint}`.execute(trx);
    await hooks?.beforeEventCommit?.({ deviceId, seq: event.seq });
    return { seq: event.seq, id: event.id, status: 'applied' };
  } catch (error) {
    // PostgreSQL refuses every statement after an error until the savepoint is rolled back.
    await sql`rollback to savepoint ${savepoint}`.execute(trx);
    await sql`release savepoint ${savepoint}`.execute(trx);
    if (error instanceof SeqAlreadyClaimed) return 'raced';
    if (error instanceof UnappliableEvent) reason = error.message;
    else {
      const constraint = uniqueViolation(error);
      if (constraint === null) throw error;
      reason = `violates ${constraint}`;
    }
  }
  // The rollback released the claim's row lock too, so another request may take the seq now.
  await sql`savepoint ${savepoint}`.execute(trx);
  try {
    await claimSeq(trx, deviceId, event.seq, now);
    await trx
      .insertInto('dead_letters')
      .values({
        id: uuidv7({ msecs: now }),
        device_id: deviceId,
        seq: event.seq,
        last_seq: event.seq,
        event_id: event.id,
        type: event.type,
        reason,
        payload_json: JSON.stringify(event.payload ?? null),
        created_at: now,
      })
      .execute();
    // An event id the device already used at another seq stays recorded under that seq only.
    const idTaken = await trx.selectFrom('device_events').select('seq').where('event_id', '=', event.id).executeTakeFirst();
    if (!idTaken) {
      await trx
        .insertInto('device_events')
        .values({ device_id: deviceId, seq: event.seq, event_id: event.id, type: event.type, at: event.at, outcome: 'dead-lettered', received_at: now })
        .execute();
    }
    await sql`release savepoint ${savepoint}`.execute(trx);
  } catch (error) {
    await sql`rollback to savepoint ${savepoint}`.execute(trx);
    await sql`release savepoint ${savepoint}`.execute(trx);
    if (error instanceof SeqAlreadyClaimed) return 'raced';
    throw error;
  }
  await hooks?.beforeEventCommit?.({ deviceId, seq: event.seq });
  return { seq: event.seq, id: event.id, status: 'dead-lettered', reason };
}

/** Another request took this seq first: a duplicate if it was this very event. */
async function settleRace(db: Kysely<Database>, deviceId: string, event: SyncEvent): Promise<PushResult | 'lost-race'> {
  if ((await lastAppliedSeq(db, deviceId)) < event.seq) return 'lost-race';
  const held = await db.selectFrom('device_events').select('event_id').where('device_id', '=', deviceId).where('seq', '=', event.seq).executeTakeFirst();
  if (!held || held.event_id === event.id) return { seq: event.seq, id: event.id, status: 'duplicate' };
  return 'lost-race';
}

/**
 * The server lacks events up to `through` (restored from a backup) and the kiosk says it no
 * longer has them. Recorded as one dead letter so the loss is visible, then skipped over.
 */
async function recordLostRange(deps: PushDeps, deviceId: string, last: number, through: number): Promise<number> {
  const now = deps.clock.now();
  try {
    await deps.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('device_sync')
        .set({ last_applied_seq: through, updated_at: now })
        .where('device_id', '=', deviceId)
        .where('last_applied_seq', '=', last)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) throw new SeqAlreadyClaimed();
      await trx
        .insertInto('dead_letters')
        .values({
          id: uuidv7({ msecs: now }),
          device_id: deviceId,
          seq: last + 1,
          last_seq: through,
          event_id: null,
          type: null,
          reason: `lost: the server lacks events ${last + 1}–${through} (restored from an older backup) and the device no longer holds them`,
          payload_json: null,
          created_at: now,
        })
        .execute();
    });
  } catch (error) {
    if (!(error instanceof SeqAlreadyClaimed)) throw error;
  }
  return lastAppliedSeq(deps.db, deviceId);
}
