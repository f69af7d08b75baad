import { z } from 'zod';
import type { BusinessDay } from '../calendar/business-day.ts';

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
 * Why a ticket cannot be reprinted for a citizen who lost it; null when it can. Only a ticket the
 * citizen held on paper can: a voided one never is, and an unprinted one is printed again by the
 * unprinted-ticket flow (which makes it issued), not reprinted.
 */
export type ReprintRefusal = Exclude<TicketState, 'issued'>;

export function reprintRefusal(t: Pick<Ticket, 'state'>): ReprintRefusal | null {
  return t.state === 'issued' ? null : t.state;
}
