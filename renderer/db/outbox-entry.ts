import type { CheckinRecord } from '../../core/attendance/checkin.ts';
import type { DisclosurePrinted } from '../../core/guide/disclosure-slip.ts';
import type { PrintResult } from '../../core/printing/printing.ts';
import type { ReprintOutcome, Ticket } from '../../core/ticket/ticket.ts';

/**
 * Events waiting to be pushed to the hall's server. `seq` is this device's sequence number: the
 * server applies an event only if its seq is past the last one it recorded, which makes a push
 * idempotent however often it is repeated.
 */
export type OutboxEvent =
  | { type: 'ticket.issued'; ticket: Ticket }
  | { type: 'ticket.printed'; ticketId: string; printAttempts: number }
  | {
      type: 'ticket.print-failed';
      ticketId: string;
      outcome: PrintResult['outcome'] | 'interrupted';
      detail?: string;
      printAttempts: number;
    }
  | { type: 'ticket.voided'; ticketId: string; reason: string }
  /** out of paper, shown as an electronic ticket (电子号票): issued without paper */
  | { type: 'ticket.held-electronically'; ticketId: string }
  | { type: 'ticket.reprinted'; ticketId: string; printAttempts: number; outcome: ReprintOutcome }
  /** nested: the slip's own id and time would clash with the entry's envelope */
  | { type: 'disclosure.printed'; slip: DisclosurePrinted }
  /** nested for the same reason */
  | { type: 'checkin.recorded'; checkin: CheckinRecord };

export type OutboxEventType = OutboxEvent['type'];

export type OutboxEntry = OutboxEvent & {
  id: string;
  seq: number;
  kioskId: string;
  /** device clock at the time of the event; the server corrects it by the kiosk's offset */
  at: number;
  /** the kiosk's estimate of (server − device) clock when the event happened, once it has one */
  clockOffsetMs?: number;
};
