import { z } from 'zod';
import type { BusinessDay } from '../calendar/business-day.ts';
import type { Language } from '../text/localized.ts';

/** 特殊人群: the classes served first, as the hall's 特殊人群服务制度 requires. */
export const priorityClasses = ['normal', 'elderly', 'disabled', 'pregnant', 'military'] as const;
export const priorityClassSchema = z.enum(priorityClasses);
export type PriorityClass = z.infer<typeof priorityClassSchema>;

export function isPriority(p: PriorityClass): boolean {
  return p !== 'normal';
}

/**
 * A ticket is recorded before it is printed. `issued` means a citizen holds a paper ticket;
 * `unprinted` means the print failed and staff must reprint or void it.
 */
export const ticketStates = ['printing', 'issued', 'unprinted', 'voided'] as const;
export type TicketState = (typeof ticketStates)[number];

export function isTicketState(state: string): state is TicketState {
  return (ticketStates as readonly string[]).includes(state);
}

export interface Ticket {
  /** UUIDv7 made on the kiosk */
  id: string;
  kioskId: string;
  serviceId: string;
  departmentId: string;
  businessDay: BusinessDay;
  /** position in the service's sequence for the day */
  sequence: number;
  /** printed label, e.g. A007 */
  label: string;
  priority: PriorityClass;
  issuedAt: number;
  state: TicketState;
  printAttempts: number;
  lastPrintError?: string;
  /**
   * The live ticket's token (core/ticket/live-ticket.ts), made with the ticket; absent on tickets
   * from before live tickets. The kiosk keeps it to print and reprint the QR; the server keeps its hash.
   */
  liveToken?: string;
  /** the language the citizen used at the kiosk, which the live ticket page speaks; absent: Chinese */
  language?: Language;
}

export function ticketLabel(prefix: string, sequence: number): string {
  return `${prefix}${String(sequence).padStart(3, '0')}`;
}

/** Tickets that count as handed out: a failed print never does. */
export function countsAsIssued(t: Pick<Ticket, 'state'>): boolean {
  return t.state === 'issued';
}

/**
 * A reprint (补打) for a citizen who lost their ticket is recorded when it printed, or may have:
 * either way a second slip with the number may be in the hall. A certain failure (paper out,
 * cover open…) put nothing on paper and is not recorded at all.
 */
export const reprintOutcomes = ['printed', 'unknown'] as const;
export type ReprintOutcome = (typeof reprintOutcomes)[number];

export function isReprintOutcome(outcome: string): outcome is ReprintOutcome {
  return (reprintOutcomes as readonly string[]).includes(outcome);
}

/**
 * What identifies a ticket number however it was typed: upper case, no spaces, no leading zeros
 * (a12, A12 and A012 are the same ticket).
 */
export function ticketNumberKey(typed: string): string {
  const compact = typed.replace(/\s+/g, '').toUpperCase();
  const match = /^([A-Z]{1,2})0*(\d{1,5})$/.exec(compact);
  return match ? `${match[1]}${Number(match[2])}` : compact;
}
