import type { DisclosureSlipJob } from '../../core/guide/disclosure-slip.ts';
import type { PaperWidth, PrintResult, PrinterStatus, TicketPrintJob } from '../../core/printing/printing.ts';
import {
  GarbledStatusError,
  composePrinterStatus,
  decodeStatusByte,
  jobAckRequest,
  paperNearEndFromAck,
  statusRequest,
} from './status.ts';
import type { StatusRequestKind } from './status.ts';
import { encodeDisclosureSlip } from './slip-encoder.ts';
import { encodeTicket } from './ticket-encoder.ts';
import { PrinterTransportError } from './transport.ts';
import type { PrinterTransport, TransportFactory } from './transport.ts';

export interface TicketPrinterOptions {
  paper: PaperWidth;
  /** wait for each status byte; real-time status is answered within milliseconds */
  statusTimeoutMs?: number;
  /** wait for the job-done acknowledgement: transmission plus printing plus the cut */
  ackTimeoutMs?: number;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Drives one ESC/POS ticket printer. Every job is preceded by a status check and followed by
 * `GS r 1`, whose reply means "everything before me was processed". The job bytes are written at
 * most once per print() call, whatever fails: a late write would hand out a second ticket.
 */
export class TicketPrinter {
  private transport: PrinterTransport | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly statusTimeoutMs: number;
  private readonly ackTimeoutMs: number;

  constructor(
    private readonly connect: TransportFactory,
    private readonly options: TicketPrinterOptions,
  ) {
    this.statusTimeoutMs = options.statusTimeoutMs ?? 1500;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 15_000;
  }

  status(): Promise<PrinterStatus> {
    return this.exclusive(() => this.queryStatus());
  }

  print(job: TicketPrintJob): Promise<PrintResult> {
    return this.exclusive(() => this.printOnce(() => encodeTicket(job, this.options.paper)));
  }

  /** A disclosure slip goes through the same checks and acknowledgement as a ticket. */
  printSlip(job: DisclosureSlipJob): Promise<PrintResult> {
    return this.exclusive(() => this.printOnce(() => encodeDisclosureSlip(job, this.options.paper)));
  }

  /** Releases the device after any job in progress. */
  close(): Promise<void> {
    return this.exclusive(() => this.disconnect());
  }

  /** Calls run one after another, so two jobs' bytes can never interleave on the wire. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async printOnce(encode: () => Buffer): Promise<PrintResult> {
    // Encoding first: a job that cannot be encoded fails before anything reaches the printer.
    const bytes = Buffer.concat([encode(), jobAckRequest]);
    const status = await this.queryStatus();
    if (status.state !== 'ready') return { outcome: status.state, paperNearEnd: status.paperNearEnd, detail: status.detail };
    const transport = this.transport;
    if (!transport) return { outcome: 'offline', paperNearEnd: status.paperNearEnd, detail: 'printer connection closed' };

    try {
      await transport.write(bytes);
    } catch (error) {
      await this.disconnect();
      if (error instanceof PrinterTransportError && error.sentNothing) {
        return { outcome: 'offline', paperNearEnd: status.paperNearEnd, detail: `${messageOf(error)}; nothing was sent` };
      }
      return {
        outcome: 'unknown',
        paperNearEnd: status.paperNearEnd,
        detail: `sending the ticket failed part-way (${messageOf(error)}); it may have printed — check before reprinting`,
      };
    }

    try {
      const [ack] = await transport.readExact(1, this.ackTimeoutMs);
      return { outcome: 'printed', paperNearEnd: status.paperNearEnd || paperNearEndFromAck(ack ?? 0) };
    } catch (error) {
      // The connection goes too, so a late acknowledgement cannot pass for a later reply.
      await this.disconnect();
      return {
        outcome: 'unknown',
        paperNearEnd: status.paperNearEnd,
        detail: `the ticket was sent but the printer never confirmed it (${messageOf(error)}); it may have printed — check before reprinting`,
      };
    }
  }

  private async queryStatus(): Promise<PrinterStatus> {
    const reused = this.transport?.isOpen === true;
    try {
      return await this.askStatus();
    } catch (error) {
      await this.disconnect();
      // An idle connection the printer dropped is not a fault: asking again on a fresh one is
      // harmless, because status requests print nothing.
      if (reused && error instanceof PrinterTransportError && error.code === 'closed') {
        try {
          return await this.askStatus();
        } catch (retryError) {
          await this.disconnect();
          return this.failureStatus(retryError);
        }
      }
      return this.failureStatus(error);
    }
  }

  private async askStatus(): Promise<PrinterStatus> {
    const transport = await this.connected();
    await transport.discardInput();
    const ask = async (n: StatusRequestKind) => {
      await transport.write(statusRequest(n));
      const [byte] = await transport.readExact(1, this.statusTimeoutMs);
      return byte ?? 0;
    };
    const printer = decodeStatusByte(1, await ask(1));
    const offlineCause = decodeStatusByte(2, await ask(2));
    const paperSensor = decodeStatusByte(4, await ask(4));
    const errorCause = offlineCause.errorOccurred ? decodeStatusByte(3, await ask(3)) : undefined;
    return composePrinterStatus({ printer, offlineCause, paperSensor, errorCause });
  }

  private failureStatus(error: unknown): PrinterStatus {
    if (error instanceof GarbledStatusError) return { state: 'error', paperNearEnd: false, detail: error.message };
    if (error instanceof PrinterTransportError && error.code === 'timeout') {
      return { state: 'offline', paperNearEnd: false, detail: `printer does not answer: ${error.message}` };
    }
    return { state: 'offline', paperNearEnd: false, detail: messageOf(error) };
  }

  private async connected(): Promise<PrinterTransport> {
    if (this.transport?.isOpen) return this.transport;
    await this.disconnect();
    const transport = this.connect();
    try {
      await transport.open();
    } catch (error) {
      await transport.close().catch(() => undefined);
      throw error;
    }
    this.transport = transport;
    return transport;
  }

  private async disconnect(): Promise<void> {
    const transport = this.transport;
    this.transport = undefined;
    await transport?.close().catch(() => undefined);
  }
}
