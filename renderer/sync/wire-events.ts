import type { SyncEvent } from '../../core/sync/events.ts';
import { syncEventSchema } from '../../core/sync/events.ts';
import type { Ticket } from '../../core/ticket/ticket.ts';
import type { OutboxEntry } from '../db/outbox-entry.ts';

/** Sent instead of an entry that fails the wire schema: the server dead-letters it visibly. */
export const unsendableEventType = 'kiosk.unsendable';

function wireTicket(t: Ticket): Ticket {
  return {
    id: t.id,
    kioskId: t.kioskId,
    serviceId: t.serviceId,
    departmentId: t.departmentId,
    businessDay: t.businessDay,
    sequence: t.sequence,
    label: t.label,
    priority: t.priority,
    issuedAt: t.issuedAt,
    state: t.state,
    printAttempts: t.printAttempts,
    ...(t.lastPrintError === undefined ? {} : { lastPrintError: t.lastPrintError }),
    ...(t.liveToken === undefined ? {} : { liveToken: t.liveToken }),
    ...(t.language === undefined ? {} : { language: t.language }),
  };
}

function payloadOf(entry: OutboxEntry): unknown {
  switch (entry.type) {
    case 'ticket.issued':
      return { ticket: wireTicket(entry.ticket) };
    case 'ticket.printed':
      return { ticketId: entry.ticketId, printAttempts: entry.printAttempts };
    case 'ticket.print-failed':
      return { ticketId: entry.ticketId, outcome: entry.outcome, printAttempts: entry.printAttempts, ...(entry.detail === undefined ? {} : { detail: entry.detail }) };
    case 'ticket.voided':
      return { ticketId: entry.ticketId, reason: entry.reason };
    case 'ticket.held-electronically':
      return { ticketId: entry.ticketId };
    case 'ticket.reprinted':
      return { ticketId: entry.ticketId, printAttempts: entry.printAttempts, outcome: entry.outcome };
    case 'disclosure.printed':
      return { id: entry.slip.id, serial: entry.slip.serial, serviceId: entry.slip.serviceId, materials: entry.slip.materials.map(({ id, status }) => ({ id, status })), at: entry.slip.at };
    case 'checkin.recorded': {
      const { id, staffId, kind, at, clockOffsetMs, session, spotCheckId } = entry.checkin;
      return { id, staffId, kind, at, ...(clockOffsetMs === undefined ? {} : { clockOffsetMs }), ...(session === undefined ? {} : { session }), ...(spotCheckId === undefined ? {} : { spotCheckId }) };
    }
  }
}

/**
 * An outbox entry as the server's push expects it. Kiosk and server validate with the same core
 * schema, so an entry that fails it (a printer's over-long error text, say) would be refused with
 * the whole batch, forever; it goes out under a type the server does not know instead, which the
 * server dead-letters for the admin to see, and the queue moves on.
 */
export function wireEventOf(entry: OutboxEntry): SyncEvent {
  const event: SyncEvent = {
    seq: entry.seq,
    id: entry.id,
    type: entry.type,
    at: Math.max(0, Math.round(entry.at)),
    ...(entry.clockOffsetMs === undefined ? {} : { clockOffsetMs: Math.round(entry.clockOffsetMs) }),
    payload: payloadOf(entry),
  };
  const checked = syncEventSchema.safeParse(event);
  if (checked.success) return event;
  const problems = checked.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`.slice(0, 200));
  return { seq: event.seq, id: event.id, type: unsendableEventType, at: event.at, payload: { type: entry.type, problems } };
}
