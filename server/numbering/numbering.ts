import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { BusinessDay } from '../../core/calendar/business-day.ts';
import { leaseBandCeiling } from '../../core/numbering/lease-band.ts';
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
 * Where a service's numbers of a day come from, and what its quota (限号) counts. A quota counts
 * tickets issued, not numbers reserved: `issued` grows with every number /next hands out and with
 * every offline ticket a kiosk pushes from its lease, and /next refuses once it reaches the quota.
 * Online numbers count up from 001. Leases for offline issue are cut from a band above the quota,
 * counting down from its ceiling (core/numbering/lease-band.ts), so they take nothing from online
 * issue; the online end stops below the lowest leased number (`lease_floor`) and leases stop above
 * the quota and the online end, so the two never cross.
 *
 * Each end moves in ONE statement, which both engines execute atomically: PostgreSQL locks the
 * counter row for the upsert, so concurrent server processes queue on it and each sees the value
 * the previous one committed; SQLite has a single writer. `prev_number` is set in the same
 * statement so RETURNING can report the block taken without a read-then-write race.
 *
 * Outside a transaction, concurrent online allocations share one transaction and one commit (see
 * GroupCommit); inside the caller's transaction the statement runs there. Either way the device
 * each number went to is recorded with it (online_numbers): a pushed ticket must hold a number its
 * own device was given (server/sync/ticket-numbers.ts).
 */
export async function allocateNumbers(db: Kysely<Database>, key: CounterKey, count: number, quota: number, deviceId: string, transaction?: NumberingTransaction): Promise<Allocation> {
  if (db.isTransaction) {
    const taken = await takeFromBottom(db, key, count, quota);
    if (taken.ok) await recordOnlineNumbers(db, key, [{ deviceId, first: taken.first, last: taken.last }]);
    return taken;
  }
  return groupCommitOf(db, transaction ?? plainTransaction(db)).allocate({ key, count, quota, deviceId });
}

/** Far above any day's numbers: the online end's limit before the day's first lease. */
const noLeaseYet = 2_000_000_000;

/** The smaller of two SQL numbers (SQLite's min() and PostgreSQL's least() are not shared). */
const smaller = (a: RawBuilder<number>, b: RawBuilder<number>) => sql<number>`case when ${a} < ${b} then ${a} else ${b} end`;
const larger = (a: RawBuilder<number>, b: RawBuilder<number>) => sql<number>`case when ${a} > ${b} then ${a} else ${b} end`;

/**
 * Online numbers, counting up: as many of `count` as the quota has tickets left for and as fit
 * below the leased band. `prev_number` reports where the online end was.
 */
async function takeFromBottom(db: Kysely<Database>, key: CounterKey, count: number, quota: number): Promise<Allocation> {
  const ticketsLeft = sql<number>`${quota} - number_counters.issued`;
  const numbersLeft = sql<number>`coalesce(number_counters.lease_floor - 1, ${noLeaseYet}) - number_counters.last_number`;
  const take = smaller(sql<number>`${count}`, smaller(ticketsLeft, numbersLeft));
  const fresh = Math.min(count, quota);
  if (fresh <= 0) return { ok: false, reason: 'quota-reached' };
  const row = await db
    .insertInto('number_counters')
    .values({ hall_id: key.hallId, service_id: key.serviceId, business_day: key.day, prev_number: 0, last_number: fresh, lease_floor: null, issued: fresh, lease_ceiling: null })
    .onConflict((oc) =>
      oc
        .columns(['hall_id', 'service_id', 'business_day'])
        .doUpdateSet({
          prev_number: sql<number>`number_counters.last_number`,
          last_number: sql<number>`number_counters.last_number + ${take}`,
          issued: sql<number>`number_counters.issued + ${take}`,
        })
        .where(sql<boolean>`${ticketsLeft} > 0 and ${numbersLeft} > 0`),
    )
    .returning(['prev_number', 'last_number'])
    .executeTakeFirst();
  if (!row) return { ok: false, reason: 'quota-reached' };
  return { ok: true, first: Number(row.prev_number) + 1, last: Number(row.last_number) };
}

/** Which device each online block went to, in the allocation's transaction. */
async function recordOnlineNumbers(trx: Kysely<Database>, key: CounterKey, blocks: readonly { deviceId: string; first: number; last: number }[]): Promise<void> {
  const rows = blocks.flatMap((b) =>
    Array.from({ length: b.last - b.first + 1 }, (_, i) => ({ hall_id: key.hallId, service_id: key.serviceId, business_day: key.day, sequence: b.first + i, device_id: b.deviceId })),
  );
  // A few hundred rows at most per statement keeps both engines' parameter limits far away.
  for (let i = 0; i < rows.length; i += 150) await trx.insertInto('online_numbers').values(rows.slice(i, i + 150)).execute();
}

export type LeaseAllocation = Allocation | { ok: false; reason: 'band-used-up' };

/**
 * A block for offline issue, `count` numbers (fewer when the band runs short) just below the ones
 * leased before, from the band above the quota, in the caller's transaction (the lease row goes in
 * with it). Refused once the day's quota has been reached: there is nothing left to issue offline.
 * `prev_number` reports the highest number of the block, `lease_floor` its lowest.
 */
export async function leaseNumbers(trx: Kysely<Database>, key: CounterKey, count: number, quota: number): Promise<LeaseAllocation> {
  if (quota <= 0) return { ok: false, reason: 'quota-reached' };
  const ceiling = leaseBandCeiling(quota);
  const freshFloor = Math.max(ceiling - count + 1, quota + 1);
  const blockTop = sql<number>`coalesce(number_counters.lease_floor - 1, number_counters.lease_ceiling, ${ceiling})`;
  const bottom = larger(sql<number>`number_counters.last_number + 1`, sql<number>`${quota + 1}`);
  const existing = await trx
    .selectFrom('number_counters')
    .select(['issued'])
    .where('hall_id', '=', key.hallId)
    .where('service_id', '=', key.serviceId)
    .where('business_day', '=', key.day)
    .executeTakeFirst();
  if (existing && Number(existing.issued) >= quota) return { ok: false, reason: 'quota-reached' };
  const row = await trx
    .insertInto('number_counters')
    .values({ hall_id: key.hallId, service_id: key.serviceId, business_day: key.day, prev_number: ceiling, last_number: 0, lease_floor: freshFloor, issued: 0, lease_ceiling: ceiling })
    .onConflict((oc) =>
      oc
        .columns(['hall_id', 'service_id', 'business_day'])
        .doUpdateSet({
          prev_number: blockTop,
          lease_floor: larger(sql<number>`${blockTop} - ${count} + 1`, bottom),
          lease_ceiling: sql<number>`coalesce(number_counters.lease_ceiling, ${ceiling})`,
        })
        .where(sql<boolean>`${blockTop} >= ${bottom} and number_counters.issued < ${quota}`),
    )
    .returning(['prev_number', 'lease_floor'])
    .executeTakeFirst();
  if (!row || row.lease_floor === null) return { ok: false, reason: 'band-used-up' };
  return { ok: true, first: Number(row.lease_floor), last: Number(row.prev_number) };
}

interface WaitingAllocation {
  key: CounterKey;
  count: number;
  quota: number;
  deviceId: string;
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
          const given: { deviceId: string; first: number; last: number }[] = [];
          for (const w of group) {
            if (!taken.ok || next > taken.last) {
              out.set(w, { ok: false, reason: 'quota-reached' });
              continue;
            }
            const last = Math.min(next + w.count - 1, taken.last);
            out.set(w, { ok: true, first: next, last });
            given.push({ deviceId: w.deviceId, first: next, last });
            next = last + 1;
          }
          if (given.length) await recordOnlineNumbers(trx, key, given);
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
 * An offline ticket pushed from a lease (or from numbers a restore skipped) counts against its
 * day's quota as it arrives; an online number counted when /next handed it out. Counters of many
 * (service, day) at once, in key order, so concurrent pushes lock rows in one order (PostgreSQL).
 */
export async function countOfflineTickets(trx: Kysely<Database>, hallId: string, counts: ReadonlyMap<string, { serviceId: string; day: BusinessDay; tickets: number }>): Promise<void> {
  const ordered = [...counts.values()].sort((x, y) => compareText(x.serviceId, y.serviceId) || compareText(x.day, y.day));
  for (const c of ordered) {
    await trx
      .insertInto('number_counters')
      .values({ hall_id: hallId, service_id: c.serviceId, business_day: c.day, prev_number: 0, last_number: 0, lease_floor: null, issued: c.tickets, lease_ceiling: null })
      .onConflict((oc) => oc.columns(['hall_id', 'service_id', 'business_day']).doUpdateSet({ issued: sql<number>`number_counters.issued + ${c.tickets}` }))
      .execute();
  }
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export interface Overshoot {
  serviceId: string;
  day: BusinessDay;
  issued: number;
  quota: number;
}

/**
 * The days of `keys` whose count went past the quota: offline tickets issued near it, valid on
 * their kiosks and kept (the overshoot is bounded by the leases the kiosks held), reported so the
 * hall sees it.
 */
export async function overshootsOf(db: Kysely<Database>, hallId: string, keys: readonly { serviceId: string; day: BusinessDay }[], quotaOf: (serviceId: string) => number | undefined): Promise<Overshoot[]> {
  if (!keys.length) return [];
  const rows = await db
    .selectFrom('number_counters')
    .select(['service_id', 'business_day', 'issued'])
    .where('hall_id', '=', hallId)
    .where('service_id', 'in', [...new Set(keys.map((k) => k.serviceId))])
    .where('business_day', 'in', [...new Set(keys.map((k) => k.day))])
    .execute();
  const wanted = new Set(keys.map((k) => `${k.serviceId}\u0000${k.day}`));
  return rows.flatMap((r) => {
    const quota = quotaOf(r.service_id);
    const issued = Number(r.issued);
    return wanted.has(`${r.service_id}\u0000${r.business_day}`) && quota !== undefined && issued > quota ? [{ serviceId: r.service_id, day: r.business_day, issued, quota }] : [];
  });
}

/** Today's count of tickets per service (the figure /next decides by), for the kiosks' 余N号. */
export async function dayCountsOf(db: Kysely<Database>, hallId: string, day: BusinessDay): Promise<Map<string, number>> {
  const rows = await db.selectFrom('number_counters').select(['service_id', 'issued']).where('hall_id', '=', hallId).where('business_day', '=', day).execute();
  return new Map(rows.map((r) => [r.service_id, Number(r.issued)]));
}

/**
 * After a restore the counters are as old as the backup: numbers handed out since may be in
 * citizens' hands without their tickets having been re-pushed yet. The online end skips `skip`
 * numbers up and the lease band's floor `skip` down (from its ceiling where nothing was leased
 * yet), so neither hands such a number out again; skipping is safe (gaps are fine, duplicates are
 * not). The ends never cross: the online end stays below the floor, the floor above the quota and
 * the online end, and neither leaves the day's numbers (the floor never goes below 1). What was
 * skipped is recorded (number_gaps): the server lost which device held those numbers, so a re-sent
 * ticket holding one is accepted without a lease or /next record. Runs in the caller's transaction.
 */
export async function skipCounterRows(trx: Kysely<Database>, fromDay: BusinessDay, skip: number, quotaOf: (serviceId: string) => number | undefined, now: number): Promise<number> {
  const rows = await trx.selectFrom('number_counters').select(['hall_id', 'service_id', 'business_day', 'last_number', 'lease_floor', 'lease_ceiling']).where('business_day', '>=', fromDay).execute();
  for (const row of rows) {
    const quota = quotaOf(row.service_id);
    const last = Number(row.last_number);
    const ceiling = row.lease_ceiling === null ? (quota === undefined ? null : leaseBandCeiling(quota)) : Number(row.lease_ceiling);
    const floor = row.lease_floor === null ? (ceiling === null ? null : ceiling + 1) : Number(row.lease_floor);
    let next: { last_number: number; lease_floor: number | null; lease_ceiling: number | null };
    if (floor === null) next = { last_number: last + skip, lease_floor: null, lease_ceiling: null };
    else {
      const up = Math.min(last + skip, floor - 1);
      const down = Math.max(floor - skip, up + 1, (quota ?? 0) + 1, 1);
      next = { last_number: up, lease_floor: Math.min(down, floor), lease_ceiling: ceiling };
    }
    await trx
      .updateTable('number_counters')
      .set(next)
      .where('hall_id', '=', row.hall_id)
      .where('service_id', '=', row.service_id)
      .where('business_day', '=', row.business_day)
      .execute();
    const key = { hall_id: row.hall_id, service_id: row.service_id, business_day: row.business_day, created_at: now };
    const gaps = [{ first_number: last + 1, last_number: next.last_number }];
    if (floor !== null && next.lease_floor !== null) gaps.push({ first_number: next.lease_floor, last_number: floor - 1 });
    for (const gap of gaps) if (gap.first_number <= gap.last_number) await trx.insertInto('number_gaps').values({ ...key, ...gap }).execute();
  }
  return rows.length;
}

/** What one device holds of a service's day in leases. */
export interface DeviceLeases {
  /** numbers of its leases not returned that none of its pushed tickets holds yet */
  unused: number;
  /** numbers of every lease it took, returned or not */
  leased: number;
}

/** See DeviceLeases; a returned lease (returnLeases) holds none. */
export async function deviceLeasesOf(db: Kysely<Database>, deviceId: string, key: CounterKey): Promise<DeviceLeases> {
  const leases = await db
    .selectFrom('number_leases')
    .select(['first_number', 'last_number', 'returned_at'])
    .where('device_id', '=', deviceId)
    .where('hall_id', '=', key.hallId)
    .where('service_id', '=', key.serviceId)
    .where('business_day', '=', key.day)
    .execute();
  const size = (l: { first_number: number; last_number: number }) => Number(l.last_number) - Number(l.first_number) + 1;
  const leased = leases.reduce((sum, l) => sum + size(l), 0);
  const held = leases.filter((l) => l.returned_at === null || l.returned_at === undefined);
  if (!held.length) return { unused: 0, leased };
  const low = Math.min(...held.map((l) => Number(l.first_number)));
  const used = await db
    .selectFrom('tickets')
    .select('sequence')
    .where('device_id', '=', deviceId)
    .where('hall_id', '=', key.hallId)
    .where('service_id', '=', key.serviceId)
    .where('business_day', '=', key.day)
    .where('sequence', '>=', low)
    .execute();
  const inHeld = (n: number) => held.some((l) => Number(l.first_number) <= n && n <= Number(l.last_number));
  return { unused: held.reduce((sum, l) => sum + size(l), 0) - used.filter((t) => inHeld(Number(t.sequence))).length, leased };
}

/**
 * A kiosk that pulls without a cursor starts over: a fresh browser profile, its reserves gone (the
 * pull hands its leases back as used up, since it cannot know which numbers it issued). Its leases
 * of `fromDay` and later are returned: they no longer count as held, so the kiosk may lease again.
 * Their numbers stay its own — a ticket from one still applies if it arrives — and are never handed
 * out again; a lease costs the quota nothing either way.
 */
export async function returnLeases(db: Kysely<Database>, deviceId: string, fromDay: BusinessDay, now: number): Promise<number> {
  const result = await db.updateTable('number_leases').set({ returned_at: now }).where('device_id', '=', deviceId).where('business_day', '>=', fromDay).where('returned_at', 'is', null).executeTakeFirst();
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
