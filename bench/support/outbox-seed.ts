// The kiosk's outbox filled as the ticket issuer fills it, in Node (fake-indexeddb) and in the
// browser bench's page alike: no Node APIs here, the page's bundle includes this file.
import type { SyncEvent, SyncPayload } from '../../core/sync/events.ts';
import type { HallKioskDb } from '../../renderer/db/hall-kiosk-db.ts';
import { appendOutbox } from '../../renderer/db/outbox.ts';

/**
 * Writes events into the kiosk's outbox the way TicketIssuer does: the ticket row and its
 * `ticket.issued` entry in one read-write transaction over tickets, outbox and meta (appendOutbox
 * numbers it), the `ticket.printed` entry with the ticket's update. Several tickets share a
 * transaction here only to keep the (untimed) set-up short; each entry is appended as the issuer
 * appends it. The seqs appendOutbox gives must be the history's.
 */
export async function seedOutbox(db: HallKioskDb, kioskId: string, events: readonly SyncEvent[]): Promise<void> {
  const perTransaction = 500;
  for (let start = 0; start < events.length; start += perTransaction) {
    await db.transaction('rw', [db.tickets, db.outbox, db.meta], async () => {
      for (const event of events.slice(start, start + perTransaction)) {
        const origin = { id: event.id, kioskId, at: event.at };
        let entry;
        if (event.type === 'ticket.issued') {
          const { ticket } = event.payload as SyncPayload<'ticket.issued'>;
          await db.tickets.put(ticket);
          entry = await appendOutbox(db, { type: 'ticket.issued', ticket }, origin);
        } else if (event.type === 'ticket.printed') {
          const { ticketId, printAttempts } = event.payload as SyncPayload<'ticket.printed'>;
          await db.tickets.update(ticketId, { state: 'issued', printAttempts });
          entry = await appendOutbox(db, { type: 'ticket.printed', ticketId, printAttempts }, origin);
        } else {
          throw new Error(`the bench history holds only tickets, not ${event.type}`);
        }
        if (entry.seq !== event.seq) throw new Error(`outbox seq ${entry.seq} for the history's ${event.seq}`);
      }
    });
  }
}
