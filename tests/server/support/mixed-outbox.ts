import { v7 as uuidv7 } from 'uuid';
import type { Kysely } from 'kysely';
import type { SyncEvent } from '../../../core/sync/events.ts';
import type { Ticket } from '../../../core/ticket/ticket.ts';
import { ticketLabel } from '../../../core/ticket/ticket.ts';
import type { Database } from '../../../server/db/schema.ts';
import { seededRandom } from '../../support/seeded-random.ts';

export interface MixedOutbox {
  /** what the other kiosk pushed first: tickets D001–D005 of ss-card */
  other: SyncEvent[];
  /** this kiosk's outbox: mostly ordinary events, with every kind of event that cannot apply */
  mine: SyncEvent[];
}

/**
 * An outbox that exercises every outcome of a push, in random order: tickets issued, printed,
 * failed and voided (also before their ticket, twice, or for another kiosk's ticket), numbers and
 * ticket ids already taken, unknown services and event types, and an event id used twice.
 */
export function mixedOutbox(seed: number, count: number, options: { faultRate?: number; day?: string } = {}): MixedOutbox {
  const { faultRate = 0.2, day = '2026-03-02' } = options;
  const rand = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  let at = Date.parse(`${day}T01:00:00Z`);
  const id = () => uuidv7({ msecs: (at += 1 + Math.floor(rand() * 5)) });
  const ticketOf = (serviceId: string, prefix: string, sequence: number, ticketId = id()): Ticket => ({
    id: ticketId,
    kioskId: 'kiosk-mixed',
    serviceId,
    departmentId: 'social',
    businessDay: day,
    sequence,
    label: ticketLabel(prefix, sequence),
    priority: rand() < 0.2 ? 'elderly' : 'normal',
    issuedAt: at,
    state: 'printing',
    printAttempts: 0,
  });
  const outbox = (): { events: SyncEvent[]; add(type: string, payload: unknown, eventId?: string): void } => {
    const events: SyncEvent[] = [];
    return { events, add: (type, payload, eventId = id()) => events.push({ seq: events.length + 1, id: eventId, type, at, payload }) };
  };

  const other = outbox();
  const othersTickets: Ticket[] = [];
  for (let n = 1; n <= 5; n++) {
    const ticket = ticketOf('ss-card', 'D', n);
    othersTickets.push(ticket);
    other.add('ticket.issued', { ticket });
  }

  const mine = outbox();
  const issued: Ticket[] = [];
  let next = 6;
  while (mine.events.length < count) {
    // Below 0.78 an ordinary event, above it one of the faults.
    const roll = rand() < faultRate ? 0.78 + rand() * 0.22 : rand() * 0.78;
    const own = issued.length ? pick(issued) : null;
    if (roll < 0.4 || !own) {
      const ticket = ticketOf('ss-card', 'D', next++);
      issued.push(ticket);
      mine.add('ticket.issued', { ticket });
    } else if (roll < 0.65) mine.add('ticket.printed', { ticketId: own.id, printAttempts: 1 + Math.floor(rand() * 3) });
    else if (roll < 0.72) mine.add('ticket.print-failed', { ticketId: own.id, outcome: 'paper-out', detail: rand() < 0.5 ? 'roll empty' : undefined, printAttempts: 1 });
    else if (roll < 0.78) mine.add('ticket.voided', { ticketId: own.id, reason: 'citizen left' });
    else if (roll < 0.81) mine.add('ticket.issued', { ticket: ticketOf('ss-card', 'D', pick([1, 2, 3, 4, 5])) }); // number held by the other kiosk
    else if (roll < 0.83) mine.add('ticket.issued', { ticket: { ...ticketOf('pension', 'E', 900 + next++), id: pick(othersTickets).id } }); // its ticket id
    else if (roll < 0.85) mine.add('ticket.issued', { ticket: { ...own, sequence: next, label: ticketLabel('D', next++) } }); // an id issued already
    else if (roll < 0.87) mine.add('ticket.issued', { ticket: ticketOf('ss-card', 'D', own.sequence) }); // a number issued already
    else if (roll < 0.89) mine.add('ticket.printed', { ticketId: pick(othersTickets).id, printAttempts: 1 });
    else if (roll < 0.91) mine.add('ticket.printed', { ticketId: id(), printAttempts: 1 }); // no such ticket
    else if (roll < 0.93) mine.add('ticket.issued', { ticket: ticketOf('no-such-service', 'Z', 1) });
    else if (roll < 0.95) mine.add('ticket.teleported', { to: 'mars' });
    else if (roll < 0.97 && mine.events.length) mine.add('ticket.printed', { ticketId: own.id, printAttempts: 1 }, pick(mine.events).id); // an event id used twice
    else {
      // printed before its ticket.issued
      const ticket = ticketOf('ss-card', 'D', next++);
      mine.add('ticket.printed', { ticketId: ticket.id, printAttempts: 1 });
      issued.push(ticket);
      mine.add('ticket.issued', { ticket });
    }
  }
  return { other: other.events, mine: mine.events.slice(0, count) };
}

/**
 * What pushes left in the database, without the server's receive times and with each device id
 * replaced by the name given for it (two databases made the same way can then be compared).
 */
export async function storedState(db: Kysely<Database>, deviceNames: Record<string, string>): Promise<unknown> {
  const tickets = await db
    .selectFrom('tickets')
    .select(['id', 'device_id', 'service_id', 'business_day', 'sequence', 'label', 'priority', 'issued_at', 'clock_offset_ms', 'corrected_issued_at', 'state', 'print_attempts', 'last_print_error', 'void_reason'])
    .orderBy('id')
    .execute();
  const events = await db.selectFrom('device_events').select(['device_id', 'seq', 'event_id', 'type', 'at', 'outcome']).orderBy('device_id').orderBy('seq').execute();
  const letters = await db.selectFrom('dead_letters').select(['device_id', 'seq', 'last_seq', 'event_id', 'type', 'reason', 'payload_json']).orderBy('device_id').orderBy('seq').execute();
  const counters = await db.selectFrom('number_counters').select(['service_id', 'business_day', 'last_number']).orderBy('service_id').orderBy('business_day').execute();
  const sync = await db.selectFrom('device_sync').select(['device_id', 'last_applied_seq']).orderBy('device_id').execute();
  const named = <T extends { device_id: string; seq?: number }>(rows: T[]) =>
    rows
      .map((r) => ({ ...r, device_id: deviceNames[r.device_id] ?? r.device_id }))
      .sort((x, y) => (x.device_id < y.device_id ? -1 : x.device_id > y.device_id ? 1 : (x.seq ?? 0) - (y.seq ?? 0)));
  return { tickets: named(tickets), events: named(events), letters: named(letters), counters, sync: named(sync) };
}
