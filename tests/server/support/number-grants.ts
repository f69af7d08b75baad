import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Database } from '../../../server/db/schema.ts';
import type { Ticket } from '../../../core/ticket/ticket.ts';
import { openDatabase } from '../../../server/db/connect.ts';
import type { TestDatabase } from './engines.ts';

/** Makes the numbers of tickets a test kiosk is about to push its own, before the push. */
export type NumberGrants = (deviceId: string, tickets: readonly Ticket[]) => Promise<void>;

/**
 * The hall server accepts a pushed ticket only with a number its device was given
 * (server/sync/ticket-numbers.ts). Tests about calling, queues, reprints… script their kiosks'
 * numbers by hand: this records each such number as a one-number lease of that kiosk, as if it had
 * leased it, straight into the server's database. Tests of the numbering rules themselves use
 * kiosks without it (`strictNumbers`), which must lease or ask /next like a real kiosk.
 */
export function leasesFor(db: () => Kysely<Database>): NumberGrants {
  return async (deviceId, tickets) => {
    if (!tickets.length) return;
    const { hall_id } = await db().selectFrom('hall_settings').select('hall_id').where('id', '=', 1).executeTakeFirstOrThrow();
    await db()
      .insertInto('number_leases')
      .values(
        tickets.map((t) => ({
          id: uuidv7(),
          device_id: deviceId,
          hall_id,
          service_id: t.serviceId,
          business_day: t.businessDay,
          first_number: t.sequence,
          last_number: t.sequence,
          created_at: 0,
        })),
      )
      .execute();
  };
}

/** leasesFor a database a spawned server runs on: a connection of its own for each push. */
export function leasesIn(db: TestDatabase): NumberGrants {
  return async (deviceId, tickets) => {
    if (!tickets.length) return;
    const opened = openDatabase(db.target, { poolSize: 1 });
    try {
      await leasesFor(() => opened.db)(deviceId, tickets);
    } finally {
      await opened.close();
    }
  };
}
