import type { PrintResult } from '../../core/printing/printing.ts';
import { printOutcomes } from '../../core/printing/printing.ts';
import type { Ticket } from '../../core/ticket/ticket.ts';
import { interruptedPrintError } from '../db/ticket-issuer.ts';

export type PrintFailure = Exclude<PrintResult['outcome'], 'printed'> | typeof interruptedPrintError;

/** The cause recorded on an unprinted ticket; the issuer stores it as "outcome" or "outcome: detail". */
export function printFailureOf(ticket: Pick<Ticket, 'lastPrintError'>): PrintFailure | null {
  if (!ticket.lastPrintError) return null;
  const head = ticket.lastPrintError.split(':', 1)[0]!.trim();
  if (head === interruptedPrintError) return interruptedPrintError;
  const outcome = printOutcomes.find((o) => o === head);
  return outcome && outcome !== 'printed' ? outcome : 'unknown';
}

/** Whether the paper may exist even though the print was not confirmed: staff must ask first. */
export function mayHavePrinted(failure: PrintFailure | null): boolean {
  return failure === 'unknown' || failure === interruptedPrintError;
}
