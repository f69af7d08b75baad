import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { BusinessDay } from '../../core/calendar/business-day.ts';
import type { HallEvent, NewHallEvent } from '../../core/queue/hall-events.ts';
import { engineOf } from '../db/connect.ts';
import type { Database } from '../db/schema.ts';

/**
 * The hall event log: events written inside the transaction whose change they report, so an
 * event exists exactly when its change was committed. Ids come from the hall's counter row,
 * raised in that same transaction: the row lock makes each writer wait for the one before it to
 * commit, so ids are visible in the order they were given out and a reader asking for everything
 * after id N never skips one that commits later.
 *
 * Write events last in a transaction, after every other row it locks: the counter row is the
 * hall's busiest lock, and holding it while waiting for another would order transactions badly.
 */

/** PostgreSQL's NOTIFY channel: `<hall id>:<last event id>` after each commit that wrote events. */
export const hallEventsChannel = 'hall_events';

/**
 * Takes the next `n` ids of the hall inside `trx` and returns the first: from here to the commit
 * the transaction holds the hall's counter row, and every other writer of events waits for it. On
 * PostgreSQL the same statement queues the NOTIFY, delivered at commit (and dropped on rollback).
 */
export async function reserveHallEventIds(trx: Kysely<Database>, hallId: string, n: number): Promise<number> {
  let last: number;
  if (engineOf(trx) === 'postgres') {
    const { rows } = await sql<{ last_id: number }>`
      with raised as (
        insert into hall_event_counters (hall_id, last_id, pruned_through) values (${hallId}, ${n}, 0)
        on conflict (hall_id) do update set last_id = hall_event_counters.last_id + ${n}
        returning last_id
      )
      select last_id, pg_notify(${hallEventsChannel}, ${hallId} || ':' || last_id) from raised`.execute(trx);
    last = Number(rows[0]!.last_id);
  } else {
    const row = await trx
      .insertInto('hall_event_counters')
      .values({ hall_id: hallId, last_id: n, pruned_through: 0 })
      .onConflict((oc) => oc.column('hall_id').doUpdateSet({ last_id: sql<number>`${sql.ref('hall_event_counters.last_id')} + ${n}` }))
      .returning('last_id')
      .executeTakeFirstOrThrow();
    last = Number(row.last_id);
  }
  return last - n + 1;
}

/** Writes `events` under the ids reserved from `firstId` on. */
export async function writeHallEvents(trx: Kysely<Database>, hallId: string, businessDay: BusinessDay, firstId: number, events: readonly NewHallEvent[]): Promise<HallEvent[]> {
  const stored = events.map((e, i) => ({ ...e, id: firstId + i }) as HallEvent);
  if (stored.length === 0) return stored;
  await trx
    .insertInto('hall_events')
    .values(stored.map((e) => ({ hall_id: hallId, id: e.id, kind: e.kind, at: e.at, business_day: businessDay, department_id: e.department, data_json: JSON.stringify(e.data) })))
    .execute();
  return stored;
}

/** Appends `events` in order inside `trx` and returns them with their ids. */
export async function appendHallEvents(trx: Kysely<Database>, hallId: string, businessDay: BusinessDay, events: readonly NewHallEvent[]): Promise<HallEvent[]> {
  if (events.length === 0) return [];
  return writeHallEvents(trx, hallId, businessDay, await reserveHallEventIds(trx, hallId, events.length), events);
}

/** Events after `afterId`, oldest first, at most `limit`. */
export async function readHallEvents(db: Kysely<Database>, hallId: string, afterId: number, limit: number): Promise<HallEvent[]> {
  const rows = await db
    .selectFrom('hall_events')
    .select(['id', 'kind', 'at', 'department_id', 'data_json'])
    .where('hall_id', '=', hallId)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: Number(r.id), kind: r.kind, at: Number(r.at), department: r.department_id, data: JSON.parse(r.data_json) }) as HallEvent);
}

export interface HallEventHead {
  /** the last id given out (0 before the first event) */
  lastId: number;
  /** events up to this id are gone: a client that saw less missed some */
  prunedThrough: number;
}

export async function readHallEventHead(db: Kysely<Database>, hallId: string): Promise<HallEventHead> {
  const row = await db.selectFrom('hall_event_counters').select(['last_id', 'pruned_through']).where('hall_id', '=', hallId).executeTakeFirst();
  return { lastId: Number(row?.last_id ?? 0), prunedThrough: Number(row?.pruned_through ?? 0) };
}

/**
 * Deletes the events of business days before `keepFrom` and records how far the log is now
 * incomplete. Safe from several processes at once.
 */
export async function pruneHallEvents(db: Kysely<Database>, hallId: string, keepFrom: BusinessDay): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const old = await trx
      .selectFrom('hall_events')
      .select((eb) => eb.fn.max('id').as('through'))
      .where('hall_id', '=', hallId)
      .where('business_day', '<', keepFrom)
      .executeTakeFirst();
    const through = old?.through == null ? null : Number(old.through);
    if (through === null) return 0;
    const deleted = await trx.deleteFrom('hall_events').where('hall_id', '=', hallId).where('id', '<=', through).executeTakeFirst();
    await trx
      .updateTable('hall_event_counters')
      .set({ pruned_through: sql<number>`case when ${sql.ref('pruned_through')} < ${through} then ${through} else ${sql.ref('pruned_through')} end` })
      .where('hall_id', '=', hallId)
      .execute();
    return Number(deleted.numDeletedRows);
  });
}
