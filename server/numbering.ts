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
 */
export async function allocateNumbers(db: Kysely<Database>, key: CounterKey, count: number, quota: number): Promise<Allocation> {
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
