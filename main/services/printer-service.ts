import type { DisclosureSlipJob } from '../../core/guide/disclosure-slip.ts';
import type { PrinterAddress } from '../../core/printing/printer-address.ts';
import type { PaperWidth, PrinterStatus, PrintResult, TicketPrintJob } from '../../core/printing/printing.ts';

/** What this service needs of a printer driver; hardware/printer provides the real one. */
export interface TicketPrinterPort {
  status(): Promise<PrinterStatus>;
  print(job: TicketPrintJob): Promise<PrintResult>;
  printSlip(job: DisclosureSlipJob): Promise<PrintResult>;
  close(): Promise<void>;
}

/** What this service needs of the virtual printer (hardware/sim) for the 'virtual' address. */
export interface VirtualPrinterPort {
  readonly port: number;
  start(options: { port?: number }): Promise<unknown>;
  stop(): Promise<void>;
  previewOfLastTicket(): string | null;
}

export interface PrinterDevices {
  open(address: PrinterAddress, paper: PaperWidth): TicketPrinterPort;
  createVirtual(paper: PaperWidth): VirtualPrinterPort;
}

export interface PrinterServiceOptions {
  address: PrinterAddress;
  paper: PaperWidth;
  devices: PrinterDevices;
  /** How often to ask the printer for its status; 0 disables polling (tests drive pollOnce). */
  pollIntervalMs: number;
  onError?: (error: unknown) => void;
}

type StatusListener = (status: PrinterStatus) => void;

export class PrinterService {
  private printer: TicketPrinterPort | undefined;
  private virtual: VirtualPrinterPort | undefined;
  private last: PrinterStatus | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<StatusListener>();
  // Status queries and jobs share one connection and the printer answers strictly in order, so
  // they run one after another; a poll that would queue behind a job is skipped instead.
  private queue: Promise<unknown> = Promise.resolve();
  private busy = 0;

  constructor(private readonly options: PrinterServiceOptions) {}

  async start(): Promise<void> {
    let address = this.options.address;
    if (address.kind === 'virtual') {
      // The embedded virtual printer is reached over TCP like a real network printer, so the
      // demo exercises the same driver path as a hall's hardware.
      this.virtual = this.options.devices.createVirtual(this.options.paper);
      await this.virtual.start({ port: 0 });
      address = { kind: 'tcp', host: '127.0.0.1', port: this.virtual.port };
    }
    this.printer = this.options.devices.open(address, this.options.paper);
    await this.pollOnce();
    if (this.options.pollIntervalMs > 0) {
      this.timer = setInterval(() => void this.pollOnce(), this.options.pollIntervalMs);
      this.timer.unref();
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.queue;
    await this.printer?.close();
    await this.virtual?.stop();
    this.printer = undefined;
    this.virtual = undefined;
  }

  onStatus(listener: StatusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The last status seen, if any poll has completed. */
  lastStatus(): PrinterStatus | undefined {
    return this.last;
  }

  status(): Promise<PrinterStatus> {
    return this.exclusive(async (printer) => this.record(await printer.status()));
  }

  /**
   * One attempt, never retried here: a job whose outcome is 'unknown' may have printed, and the
   * caller decides (with the staff) whether to reprint.
   */
  async print(job: TicketPrintJob): Promise<PrintResult> {
    const result = await this.exclusive((printer) => printer.print(job));
    void this.pollOnce();
    return result;
  }

  /** A disclosure slip, queued with tickets and status polls on the one connection; never retried either. */
  async printSlip(job: DisclosureSlipJob): Promise<PrintResult> {
    const result = await this.exclusive((printer) => printer.printSlip(job));
    void this.pollOnce();
    return result;
  }

  preview(): string | null {
    return this.virtual?.previewOfLastTicket() ?? null;
  }

  async pollOnce(): Promise<void> {
    if (this.busy > 0 || !this.printer) return;
    try {
      await this.status();
    } catch (error) {
      this.record({ state: 'offline', paperNearEnd: false, detail: error instanceof Error ? error.message : String(error) });
      this.options.onError?.(error);
    }
  }

  private exclusive<T>(work: (printer: TicketPrinterPort) => Promise<T>): Promise<T> {
    this.busy += 1;
    const run = this.queue.then(() => {
      if (!this.printer) throw new Error('printer service is not started');
      return work(this.printer);
    });
    const settled = run.finally(() => {
      this.busy -= 1;
    });
    this.queue = settled.catch(() => undefined);
    return settled;
  }

  private record(status: PrinterStatus): PrinterStatus {
    const changed = !this.last || this.last.state !== status.state || this.last.paperNearEnd !== status.paperNearEnd || this.last.detail !== status.detail;
    this.last = status;
    if (changed) for (const listener of this.listeners) listener(status);
    return status;
  }
}
