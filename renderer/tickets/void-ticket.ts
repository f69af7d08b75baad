import type { KioskApi } from '../../core/kiosk/kiosk-api.ts';
import type { Ticket } from '../../core/ticket/ticket.ts';
import type { TicketIssuer } from '../db/ticket-issuer.ts';

export interface VoidTicketDeps {
  issuer: Pick<TicketIssuer, 'void'>;
  printer: Pick<KioskApi['printer'], 'noteVoided'>;
}

/**
 * Staff void a ticket (作废): recorded and synced by the page, and noted in the privileged side's
 * record of what this kiosk printed, so a reprint from that record (a wiped browser profile) is
 * refused as well. The void stands even when the note cannot be made; that is logged.
 */
export async function voidTicket(ticket: Pick<Ticket, 'id' | 'businessDay'>, reason: string, deps: VoidTicketDeps): Promise<Ticket> {
  const voided = await deps.issuer.void(ticket.id, reason);
  try {
    await deps.printer.noteVoided({ ticketId: ticket.id, businessDay: ticket.businessDay });
  } catch (error) {
    console.error("the kiosk's print record could not note a voided ticket", ticket.id, error);
  }
  return voided;
}
