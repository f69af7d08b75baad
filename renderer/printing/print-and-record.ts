import type { KioskApi, PrintedTicket } from '../../core/kiosk/kiosk-api.ts';
import type { PrintResult, TicketPrintJob } from '../../core/printing/printing.ts';
import type { Ticket } from '../../core/ticket/ticket.ts';
import type { ReprintRefusal } from '../../core/ticket/lifecycle.ts';
import type { TicketIssuer } from '../db/ticket-issuer.ts';
import { ReprintRefused } from '../db/ticket-issuer.ts';
import { reprintJobOf } from './ticket-print-job.ts';

export interface PrintAndRecordDeps {
  printer: Pick<KioskApi['printer'], 'print'>;
  issuer: Pick<TicketIssuer, 'recordPrint'>;
  /** how long to wait for the printer service before calling the outcome unknown */
  timeoutMs?: number;
}

export interface PrintAndRecordOutcome {
  result: PrintResult;
  /** null when the outcome could not be recorded; the ticket then stays 'printing' and start-up recovery lists it */
  ticket: Ticket | null;
}

export const defaultPrintTimeoutMs = 30_000;

function unknownOutcome(detail: string): PrintResult {
  return { outcome: 'unknown', paperNearEnd: false, detail };
}

/**
 * Print once and record what happened. Never retried here: a job the printer did not confirm may
 * still come out, and a blind retry would hand out a second paper ticket with the same number.
 * The privileged side keeps its own record of the ticket it printed (printer.printedTickets).
 */
export async function printAndRecord(ticket: Pick<Ticket, 'id' | 'businessDay'>, makeJob: () => TicketPrintJob, deps: PrintAndRecordDeps): Promise<PrintAndRecordOutcome> {
  const result = await printOnce(makeJob, (job) => deps.printer.print(job, { ticketId: ticket.id, businessDay: ticket.businessDay }), deps.timeoutMs);
  try {
    return { result, ticket: await deps.issuer.recordPrint(ticket.id, result) };
  } catch (error) {
    console.error('could not record the print outcome of ticket', ticket.id, error);
    return { result, ticket: null };
  }
}

export interface ReprintDeps {
  printer: Pick<KioskApi['printer'], 'print'>;
  issuer: Pick<TicketIssuer, 'reprintable' | 'recordReprint'>;
  timeoutMs?: number;
}

export type ReprintOutcome =
  /** the ticket's state forbids it (voided…): nothing was sent to the printer */
  | { kind: 'refused'; reason: ReprintRefusal }
  /** printed, or may have been (unknown): recorded as ticket.reprinted; `ticket` null when the page had no record of it (reprintFromRecord) */
  | { kind: 'recorded'; result: PrintResult; ticket: Ticket | null }
  /** the printer certainly printed nothing (paper out…): nothing recorded */
  | { kind: 'not-printed'; result: PrintResult };

/**
 * 补打: print a printed ticket again for a citizen who lost it, with the reprint footer, once,
 * and record it. The state is checked before the printer is asked, and again when recording.
 */
export async function reprintAndRecord(ticketId: string, makeJob: (ticket: Ticket) => TicketPrintJob, deps: ReprintDeps): Promise<ReprintOutcome> {
  let ticket: Ticket;
  try {
    ticket = await deps.issuer.reprintable(ticketId);
  } catch (error) {
    if (error instanceof ReprintRefused) return { kind: 'refused', reason: error.reason };
    throw error;
  }
  const result = await printOnce(() => makeJob(ticket), (job) => deps.printer.print(job, { ticketId: ticket.id, businessDay: ticket.businessDay }), deps.timeoutMs);
  try {
    const recorded = await deps.issuer.recordReprint(ticketId, result);
    return recorded.recorded ? { kind: 'recorded', result, ticket: recorded.ticket } : { kind: 'not-printed', result };
  } catch (error) {
    // Voided while the slip was printing: the slip is out, but it is not a reprint of a live ticket.
    if (error instanceof ReprintRefused) return { kind: 'refused', reason: error.reason };
    throw error;
  }
}

export interface ReprintFromRecordDeps {
  printer: Pick<KioskApi['printer'], 'print'>;
  issuer: Pick<TicketIssuer, 'recordReprintOfRecord'>;
  timeoutMs?: number;
}

/**
 * 补打 of a ticket this kiosk printed but this browser profile has no record of (it was wiped):
 * the job the privileged side recorded, marked as a reprint, printed once. A reprint that printed
 * or may have is synced as ticket.reprinted like any other; the server knows the ticket if the
 * profile had pushed it.
 */
export async function reprintFromRecord(record: PrintedTicket, deps: ReprintFromRecordDeps): Promise<ReprintOutcome> {
  if (record.voided) return { kind: 'refused', reason: 'voided' };
  const result = await printOnce(() => reprintJobOf(record.job), (job) => deps.printer.print(job, { ticketId: record.ticketId, businessDay: record.businessDay }), deps.timeoutMs);
  if (!(await deps.issuer.recordReprintOfRecord(record.ticketId, record.prints + 1, result))) return { kind: 'not-printed', result };
  return { kind: 'recorded', result, ticket: null };
}

/** One print of any job (ticket, disclosure slip): never thrown, never retried, never waited on forever. */
export async function printOnce<Job>(makeJob: () => Job, print: (job: Job) => Promise<PrintResult>, timeoutMs = defaultPrintTimeoutMs): Promise<PrintResult> {
  let job: Job;
  try {
    job = makeJob();
  } catch (error) {
    // nothing reached the printer, so this one is certainly not on paper
    return { outcome: 'error', paperNearEnd: false, detail: `bad print job: ${error instanceof Error ? error.message : String(error)}` };
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<PrintResult>((resolve) => {
    timer = setTimeout(() => resolve(unknownOutcome('no answer from the printer service')), timeoutMs);
  });
  try {
    return await Promise.race([print(job), timeout]);
  } catch (error) {
    return unknownOutcome(error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(timer);
  }
}
