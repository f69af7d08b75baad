import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { BusinessDay } from '../../core/calendar/business-day.ts';
import type { QueueEntry } from '../../core/ticket/calling-order.ts';
import type { Database } from '../db/schema.ts';

/**
 * Who is called next: priority classes before normal, then corrected issue time, then ticket id
 * (UUIDv7, time-ordered) to break exact ties deterministically. Only printed tickets wait:
 * a ticket whose print failed was never handed to anyone.
 */
export async function callingOrder(db: Kysely<Database>, hallId: string, serviceId: string, day: BusinessDay): Promise<QueueEntry[]> {
  const rows = await db
    .selectFrom('tickets')
    .select(['id', 'label', 'priority', 'corrected_issued_at'])
    .where('hall_id', '=', hallId)
    .where('service_id', '=', serviceId)
    .where('business_day', '=', day)
    .where('state', '=', 'issued')
    .orderBy(sql`case when priority = 'normal' then 1 else 0 end`)
    .orderBy('corrected_issued_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ticketId: r.id, label: r.label, priority: r.priority as QueueEntry['priority'], correctedIssuedAt: r.corrected_issued_at }));
}
