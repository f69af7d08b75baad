import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { BusinessDay } from '../core/business-day.ts';
import type { Database } from './db/schema.ts';

export interface CounterKey {
  hallId: string;
  serviceId: string;
  day: BusinessDay;
}

export type Allocation = { ok: true; first: number; last: number } | { ok: false; reason: 'quota-reached' };

/**
 * Takes the next `count` numbers (fewer if the quota runs short) in ONE statement, which both
 * engines execute atomically: PostgreSQL locks the counter row for the upsert, so concurrent
 * server processes queue on it and each sees the value the previous one committed; SQLite has a
 * single writer. `prev_number` is set from the old value in the same statement so RETURNING can
 * report the block taken without a read-then-write race. Online numbers (/next) and leased blocks
 * come from the same counter, so they can never overlap.
 *
 * Outside a transaction, concurrent calls share one transaction and one commit (see GroupCommit);
 * inside the caller's transaction (a lease) the statement runs there.
 */
export async function allocateNumbers(db: Kysely<Database>, key: CounterKey, count: number, quota: number): Promise<Allocation> {
  if (db.isTransaction) return allocateIn(db, key, count, quota);
  return groupCommitOf(db).allocate({ key, count, quota });
}

async function allocateIn(db: Kysely<Database>, key: CounterKey, count: number, quota: number): Promise<Allocation> {
  const row = await db
    .insertInto('number_counters')
    .values({ hall_id: key.hallId, service_id: key.serviceId, business_day: key.day, prev_number: 0, last_number: Math.min(count, quota) })
    .onConflict((oc) =>
      oc
        .columns(['hall_id', 'service_id', 'business_day'])
        .doUpdateSet({
          prev_number: sql<number>`number_counters.last_number`,
          last_number: sql<number>`case when number_counters.last_number + ${count} > ${quota} then ${quota} else number_counters.last_number + ${count} end`,
        })
        .where('number_counters.last_number', '<', quota),
    )
    .returning(['prev_number', 'last_number'])
    .executeTakeFirst();
  if (!row) return { ok: false, reason: 'quota-reached' };
  return { ok: true, first: row.prev_number + 1, last: row.last_number };
}

interface WaitingAllocation {
  key: CounterKey;
  count: number;
  quota: number;
  resolve(allocation: Allocation): void;
  reject(error: unknown): void;
}

/**
 * Group commit. Every number handed out must be durable before it is answered (a power cut must
 * not hand it out twice), and a durable commit costs an fsync — on SQLite about a millisecond, the
 * whole budget of one allocation; on PostgreSQL the counter row stays locked through it, so
 * requests for one service would queue on the row while holding pool connections. So the
 * allocations that arrive while a commit is under way wait and then go together in one
 * transaction: one statement per counter takes the numbers of all its waiting requests, which share
 * them out in arrival order (each as many as it asked for while the quota lasts: exactly what one
 * statement per request would have given), and one commit makes them durable before any is
 * answered. A request answered before another was sent holds the smaller number, so online numbers
 * stay monotonic. Counters are taken in key order, so the batches of several server processes on
 * one PostgreSQL lock counter rows in the same order and cannot deadlock.
 */
class GroupCommit {
  private waiting: WaitingAllocation[] = [];
  private scheduled = false;
  private running = false;

  constructor(private readonly db: Kysely<Database>) {}

  allocate(request: Omit<WaitingAllocation, 'resolve' | 'reject'>): Promise<Allocation> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ ...request, resolve, reject });
      this.schedule();
    });
  }

  /** After the current I/O callbacks, so the requests already read off the sockets join the batch. */
  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.commit();
    });
  }

  private async commit(): Promise<void> {
    this.running = true;
    const batch = this.waiting;
    this.waiting = [];
    // One group per counter (and quota, should the catalog change mid-batch), in arrival order.
    const groups = new Map<string, WaitingAllocation[]>();
    for (const w of batch) {
      const id = `${w.key.hallId}\u0000${w.key.serviceId}\u0000${w.key.day}\u0000${w.quota}`;
      const group = groups.get(id);
      if (group) group.push(w);
      else groups.set(id, [w]);
    }
    const ordered = [...groups.keys()].sort().map((id) => groups.get(id)!);
    try {
      const allocations = await this.db.transaction().execute(async (trx) => {
        const out = new Map<WaitingAllocation, Allocation>();
        for (const group of ordered) {
          const { key, quota } = group[0]!;
          const taken = await allocateIn(trx, key, group.reduce((n, w) => n + w.count, 0), quota);
          let next = taken.ok ? taken.first : 0;
          for (const w of group) {
            if (!taken.ok || next > taken.last) {
              out.set(w, { ok: false, reason: 'quota-reached' });
              continue;
            }
            const last = Math.min(next + w.count - 1, taken.last);
            out.set(w, { ok: true, first: next, last });
            next = last + 1;
          }
        }
        return out;
      });
      for (const w of batch) w.resolve(allocations.get(w)!);
    } catch (error) {
      for (const w of batch) w.reject(error);
    } finally {
      this.running = false;
      if (this.waiting.length) this.schedule();
    }
  }
}

const groupCommits = new WeakMap<Kysely<Database>, GroupCommit>();

function groupCommitOf(db: Kysely<Database>): GroupCommit {
  let group = groupCommits.get(db);
  if (!group) groupCommits.set(db, (group = new GroupCommit(db)));
  return group;
}

/**
 * A ticket the server learns of from a push already holds its number; the counter moves past it
 * so /next never hands that number out again — even one a kiosk took without a lease.
 */
export async function raiseCounterTo(db: Kysely<Database>, key: CounterKey, sequence: number): Promise<void> {
  await db
    .insertInto('number_counters')
    .values({ hall_id: key.hallId, service_id: key.serviceId, business_day: key.day, prev_number: 0, last_number: sequence })
    .onConflict((oc) =>
      oc
        .columns(['hall_id', 'service_id', 'business_day'])
        .doUpdateSet({ last_number: sql<number>`case when number_counters.last_number < ${sequence} then ${sequence} else number_counters.last_number end` }),
    )
    .execute();
}

/**
 * After a restore the counters are as old as the backup: numbers handed out since may be in
 * citizens' hands without their tickets having been re-pushed yet. Skipping ahead is safe (gaps
 * are fine, duplicates are not).
 */
export async function skipCountersAhead(db: Kysely<Database>, fromDay: BusinessDay, skip: number): Promise<number> {
  const result = await db
    .updateTable('number_counters')
    .set({ last_number: sql<number>`last_number + ${skip}` })
    .where('business_day', '>=', fromDay)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface LeaseRow {
  id: string;
  serviceId: string;
  businessDay: BusinessDay;
  first: number;
  last: number;
}

export async function leasesOfDevice(db: Kysely<Database>, deviceId: string, fromDay: BusinessDay): Promise<LeaseRow[]> {
  const rows = await db
    .selectFrom('number_leases')
    .select(['id', 'service_id', 'business_day', 'first_number', 'last_number'])
    .where('device_id', '=', deviceId)
    .where('business_day', '>=', fromDay)
    .orderBy('business_day')
    .orderBy('first_number')
    .execute();
  return rows.map((r) => ({ id: r.id, serviceId: r.service_id, businessDay: r.business_day, first: r.first_number, last: r.last_number }));
}
