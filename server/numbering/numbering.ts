import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { BusinessDay } from '../../core/calendar/business-day.ts';
import type { Database } from '../db/schema.ts';

export interface CounterKey {
  hallId: string;
  serviceId: string;
  day: BusinessDay;
}

export type Allocation = { ok: true; first: number; last: number } | { ok: false; reason: 'quota-reached' };

/**
 * How a transaction that hands out numbers is run. The server's RestoreGuard runs it with the
 * restore witness's step inside (server/numbering/restore-guard.ts); plain Kysely otherwise.
 */
export type NumberingTransaction = <T>(work: (trx: Kysely<Database>) => Promise<T>) => Promise<T>;

const plainTransaction = (db: Kysely<Database>): NumberingTransaction => (work) => db.transaction().execute(work);

/**
 * Where a service's numbers of a day come from. Online numbers (/next) count up from 1 at the
 * bottom of the daily quota (限号), so the day's first ticket is 001 whatever kiosks hold for
 * offline issue; leases for offline issue come down from the top of the quota. The two ends never
 * cross: online numbers stop below the lowest leased number, leases stop above the highest online
 * one, and once they meet the quota is used up. A ticket pushed from a lease does not move the
 * online end (raiseCounterTo), so leased numbers never push online ones up.
 *
 * Each end moves in ONE statement, which both engines execute atomically: PostgreSQL locks the
 * counter row for the upsert, so concurrent server processes queue on it and each sees the value
 * the previous one committed; SQLite has a single writer. `prev_number` is set in the same
 * statement so RETURNING can report the block taken without a read-then-write race.
 *
 * Outside a transaction, concurrent online allocations share one transaction and one commit (see
 * GroupCommit); inside the caller's transaction the statement runs there.
 */
export async function allocateNumbers(db: Kysely<Database>, key: CounterKey, count: number, quota: number, transaction?: NumberingTransaction): Promise<Allocation> {
  if (db.isTransaction) return takeFromBottom(db, key, count, quota);
  return groupCommitOf(db, transaction ?? plainTransaction(db)).allocate({ key, count, quota });
}

/** The highest number the online end may reach: below the lowest leased one, within the quota. */
const onlineTop = (quota: number) => sql<number>`case when number_counters.lease_floor is not null and number_counters.lease_floor - 1 < ${quota} then number_counters.lease_floor - 1 else ${quota} end`;

/** Online numbers, counting up; `prev_number` reports where the online end was. */
async function takeFromBottom(db: Kysely<Database>, key: CounterKey, count: number, quota: number): Promise<Allocation> {
  const top = onlineTop(quota);
  const row = await db
    .insertInto('number_counters')
    .values({ hall_id: key.hallId, service_id: key.serviceId, business_day: key.day, prev_number: 0, last_number: Math.min(count, quota), lease_floor: null })
    .onConflict((oc) =>
      oc
        .columns(['hall_id', 'service_id', 'business_day'])
        .doUpdateSet({
          prev_number: sql<number>`number_counters.last_number`,
          last_number: sql<number>`case when number_counters.last_number + ${count} > ${top} then ${top} else number_counters.last_number + ${count} end`,
        })
        .where('number_counters.last_number', '<', top),
    )
    .returning(['prev_number', 'last_number'])
    .executeTakeFirst();
  if (!row) return { ok: false, reason: 'quota-reached' };
  return { ok: true, first: row.prev_number + 1, last: row.last_number };
}

/**
 * A block for offline issue, `count` numbers (fewer when the quota runs short) just below the
 * ones leased before, in the caller's transaction (the lease row goes in with it). `prev_number`
 * reports the highest number of the block, `lease_floor` its lowest.
 */
export async function leaseNumbers(trx: Kysely<Database>, key: CounterKey, count: number, quota: number): Promise<Allocation> {
  const top = onlineTop(quota);
  const row = await trx
    .insertInto('number_counters')
    .values({ hall_id: key.hallId, service_id: key.serviceId, business_day: key.day, prev_number: quota, last_number: 0, lease_floor: Math.max(1, quota - count + 1) })
    .onConflict((oc) =>
      oc
        .columns(['hall_id', 'service_id', 'business_day'])
        .doUpdateSet({
          prev_number: top,
          lease_floor: sql<number>`case when ${top} - ${count} + 1 > number_counters.last_number + 1 then ${top} - ${count} + 1 else number_counters.last_number + 1 end`,
        })
        .where('number_counters.last_number', '<', top),
    )
    .returning(['prev_number', 'lease_floor'])
    .executeTakeFirst();
  if (!row || row.lease_floor === null) return { ok: false, reason: 'quota-reached' };
  return { ok: true, first: row.lease_floor, last: row.prev_number };
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

  constructor(private readonly transaction: NumberingTransaction) {}

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
      const allocations = await this.transaction(async (trx) => {
        const out = new Map<WaitingAllocation, Allocation>();
        for (const group of ordered) {
          const { key, quota } = group[0]!;
          const taken = await takeFromBottom(trx, key, group.reduce((n, w) => n + w.count, 0), quota);
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

/** One per database handle; the app passes the same transaction runner with every call. */
function groupCommitOf(db: Kysely<Database>, transaction: NumberingTransaction): GroupCommit {
  let group = groupCommits.get(db);
  if (!group) groupCommits.set(db, (group = new GroupCommit(transaction)));
  return group;
}

/**
 * The online end after a pushed ticket's number `raised` (the row's would-be value): past it, so
 * /next never hands that number out again — even one a kiosk took without a lease — but a number
 * from the leased top leaves it where it is.
 */
export const raisedOnlineEnd = (raised: RawBuilder<number>) =>
  sql<number>`case when number_counters.last_number < ${raised} and (number_counters.lease_floor is null or ${raised} < number_counters.lease_floor) then ${raised} else number_counters.last_number end`;

/** A ticket the server learns of from a push already holds its number: see raisedOnlineEnd. */
export async function raiseCounterTo(db: Kysely<Database>, key: CounterKey, sequence: number): Promise<void> {
  await db
    .insertInto('number_counters')
    .values({ hall_id: key.hallId, service_id: key.serviceId, business_day: key.day, prev_number: 0, last_number: sequence, lease_floor: null })
    .onConflict((oc) => oc.columns(['hall_id', 'service_id', 'business_day']).doUpdateSet({ last_number: raisedOnlineEnd(sql<number>`${sequence}`) }))
    .execute();
}

/**
 * After a restore the counters are as old as the backup: numbers handed out since may be in
 * citizens' hands without their tickets having been re-pushed yet. Both ends skip `skip` numbers
 * towards each other — online numbers up, leases down from the top of the day's quota where
 * nothing was leased yet. Skipping is safe (gaps are fine, duplicates are not). Where the two
 * would cross, the day's numbers are used up: the ends meet at the quota (online end at it, lease
 * floor just above), never past it and never below 1, so a later raise of the quota or a pushed
 * ticket reads the row as it reads any used-up day. Runs in the caller's transaction.
 */
export async function skipCounterRows(trx: Kysely<Database>, fromDay: BusinessDay, skip: number, quotaOf: (serviceId: string) => number | undefined): Promise<number> {
  const rows = await trx.selectFrom('number_counters').select(['hall_id', 'service_id', 'business_day', 'last_number', 'lease_floor']).where('business_day', '>=', fromDay).execute();
  for (const row of rows) {
    const quota = quotaOf(row.service_id);
    const last = Number(row.last_number);
    const floor = row.lease_floor === null ? (quota === undefined ? null : quota + 1) : Number(row.lease_floor);
    const up = last + skip;
    let next: { last_number: number; lease_floor: number | null };
    if (floor === null) next = { last_number: up, lease_floor: null };
    else if (up < floor - skip) next = { last_number: up, lease_floor: floor - skip };
    else {
      const met = Math.max(last, Math.min(up, quota ?? floor - 1));
      next = { last_number: met, lease_floor: met + 1 };
    }
    await trx
      .updateTable('number_counters')
      .set(next)
      .where('hall_id', '=', row.hall_id)
      .where('service_id', '=', row.service_id)
      .where('business_day', '=', row.business_day)
      .execute();
  }
  return rows.length;
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
