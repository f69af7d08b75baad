import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { SyncEvent, SyncPayload } from '../../core/sync/events.ts';
import type { Database } from '../../server/db/schema.ts';

/**
 * The leases a kiosk held for the tickets of its history, one per service and day, covering the
 * numbers it issued: the hall server takes a pushed ticket only with a number its device was given
 * (server/sync/ticket-numbers.ts), and a kiosk offline for days issues from its leases. Written
 * before the timed catch-up, as the leases were taken before the outage.
 */
export async function leaseHistory(db: Kysely<Database>, deviceId: string, events: readonly SyncEvent[]): Promise<void> {
  const { hall_id } = await db.selectFrom('hall_settings').select('hall_id').where('id', '=', 1).executeTakeFirstOrThrow();
  const ranges = new Map<string, { serviceId: string; day: string; first: number; last: number }>();
  for (const event of events) {
    if (event.type !== 'ticket.issued') continue;
    const { ticket } = event.payload as SyncPayload<'ticket.issued'>;
    const key = `${ticket.serviceId}\u0000${ticket.businessDay}`;
    const range = ranges.get(key);
    if (!range) ranges.set(key, { serviceId: ticket.serviceId, day: ticket.businessDay, first: ticket.sequence, last: ticket.sequence });
    else [range.first, range.last] = [Math.min(range.first, ticket.sequence), Math.max(range.last, ticket.sequence)];
  }
  const rows = [...ranges.values()].map((r) => ({
    id: uuidv7(),
    device_id: deviceId,
    hall_id,
    service_id: r.serviceId,
    business_day: r.day,
    first_number: r.first,
    last_number: r.last,
    created_at: 0,
  }));
  for (let i = 0; i < rows.length; i += 100) await db.insertInto('number_leases').values(rows.slice(i, i + 100)).execute();
}
