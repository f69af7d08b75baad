import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { SerialPortStream } from '@serialport/stream';
import { serialLine } from '../serial-line.ts';
import type { PrinterAddress } from '../../core/printing/printer-address.ts';
import { lineColumns } from '../../core/printing/printing.ts';
import type { PaperWidth } from '../../core/printing/printing.ts';
import { decodedTicket, isPrinted, renderTicketPreview } from './decoded-ticket.ts';
import type { DecodedTicket, PrintedEvent } from './decoded-ticket.ts';
import { EscPosDecoder } from './escpos-decoder.ts';
import type { EscPosEvent } from './escpos-decoder.ts';

export type { DecodedTicket, PrintedEvent } from './decoded-ticket.ts';
export type { EscPosEvent } from './escpos-decoder.ts';

export type PrinterErrorKind = 'autocutter' | 'unrecoverable' | 'auto-recoverable' | 'recoverable';

/** The physical state tests inject; the printer reports it through DLE EOT like real hardware. */
export interface PrinterCondition {
  paperOut: boolean;
  paperNearEnd: boolean;
  coverOpen: boolean;
  /** offline without another cause, as while the feed button is held */
  offline: boolean;
  error: false | PrinterErrorKind;
}

/** Which requests get an answer: silence models a lost reply or a wedged printer. */
export interface ReplyBehaviour {
  status: boolean;
  jobAck: boolean;
  /** time a job "takes to print" before its GS r reply */
  jobAckDelayMs: number;
}

export interface VirtualPrinterOptions {
  paper?: PaperWidth;
  /** tickets and events kept for inspection; older ones are forgotten (demo mode runs for days) */
  keep?: number;
}

interface Session {
  decoder: EscPosDecoder;
  reply: (bytes: Buffer) => void;
  /** the paper in progress up to the next cut */
  current: PrintedEvent[];
  /** set when part of the current job arrived while the printer could not print */
  spoiled: boolean;
}

interface TicketWaiter {
  count: number;
  resolve: (tickets: DecodedTicket[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

const healthy: PrinterCondition = { paperOut: false, paperNearEnd: false, coverOpen: false, offline: false, error: false };

/**
 * A receipt printer in software: decodes ESC/POS, answers real-time status from an injectable
 * condition, answers `GS r 1` once everything before it was processed, and cuts the stream into
 * tickets. Serves TCP on loopback (like a network printer's raw port) and any attached stream
 * (one end of a socat PTY pair, like a serial printer).
 *
 * A printer that cannot print (paper out, cover open, offline, error) discards job data and does
 * not answer `GS r`, while still answering DLE EOT. Real printers differ here — many buffer and
 * print after recovery — but discarding keeps the model simple and strict: a job sent into a
 * fault never appears as a ticket, and a driver that skipped the status check gets no ack.
 * Such jobs are counted in `discardedJobs`.
 */
export class VirtualPrinter {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private readonly detachers = new Set<() => void>();
  private readonly ownedPorts = new Set<SerialPortStream>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly waiters = new Set<TicketWaiter>();
  private readonly ticketListeners = new Set<(ticket: DecodedTicket) => void>();
  private readonly printed: DecodedTicket[] = [];
  private readonly log: EscPosEvent[] = [];
  private state: PrinterCondition = { ...healthy };
  private behaviour: ReplyBehaviour = { status: true, jobAck: true, jobAckDelayMs: 0 };
  private listenPort = 0;
  private readonly paper: PaperWidth;
  private readonly keep: number;
  private received = 0;
  private ticketTotal = 0;
  private discarded = 0;

  constructor(options: VirtualPrinterOptions = {}) {
    this.paper = options.paper ?? 80;
    this.keep = options.keep ?? 1000;
  }

  /** Listens on 127.0.0.1; port 0 picks a free one. */
  async start(options: { port?: number; host?: string } = {}): Promise<{ host: string; port: number }> {
    if (this.server) throw new Error('virtual printer already started');
    const host = options.host ?? '127.0.0.1';
    const server = net.createServer((socket) => this.serveSocket(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.listenPort = (server.address() as net.AddressInfo).port;
    return { host, port: this.listenPort };
  }

  /** Stops listening, closes every connection and every port it opened, detaches streams. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error('virtual printer stopped'));
    }
    this.waiters.clear();
    for (const detach of this.detachers) detach();
    this.detachers.clear();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await Promise.all([...this.ownedPorts].map((port) => new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()))));
    this.ownedPorts.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Drops every TCP connection, as a printer does when power-cycled or on an idle timeout. */
  disconnectClients(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  get port(): number {
    if (!this.server) throw new Error('virtual printer is not started');
    return this.listenPort;
  }

  /** The address a driver connects to: what the kiosk's 'virtual' printer address resolves to. */
  printerAddress(): PrinterAddress {
    return { kind: 'tcp', host: '127.0.0.1', port: this.port };
  }

  /** Serves a byte stream, e.g. a SerialPort on one end of a PTY pair. Returns a detach function. */
  attachStream(stream: Duplex): () => void {
    const session = this.session((bytes) => {
      if (!stream.destroyed && stream.writable) stream.write(bytes);
    });
    const onData = (chunk: Buffer) => this.receive(session, chunk);
    // A vanished device is the test's business, not a crash of the printer.
    const onError = () => undefined;
    stream.on('data', onData);
    stream.on('error', onError);
    const detach = () => {
      stream.off('data', onData);
      stream.off('error', onError);
      this.detachers.delete(detach);
    };
    this.detachers.add(detach);
    return detach;
  }

  /** Opens a serial device (e.g. a socat PTY end) and serves it until stop(). */
  async attachSerialPort(path: string, baudRate = 9600): Promise<void> {
    const port = serialLine({ path, baudRate });
    port.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    this.ownedPorts.add(port);
    this.attachStream(port);
  }

  setCondition(change: Partial<Omit<PrinterCondition, 'error'>> & { error?: boolean | PrinterErrorKind }): void {
    const { error, ...rest } = change;
    this.state = { ...this.state, ...rest };
    if (error !== undefined) this.state.error = error === true ? 'unrecoverable' : error;
  }

  get condition(): PrinterCondition {
    return { ...this.state };
  }

  setReplies(change: Partial<ReplyBehaviour>): void {
    this.behaviour = { ...this.behaviour, ...change };
  }

  /** Bytes received over every connection since start. */
  get bytesReceived(): number {
    return this.received;
  }

  /** Jobs (up to a cut) thrown away because they arrived while the printer could not print. */
  get discardedJobs(): number {
    return this.discarded;
  }

  /** Tickets cut since start, including ones no longer kept. */
  get ticketCount(): number {
    return this.ticketTotal;
  }

  tickets(): DecodedTicket[] {
    return [...this.printed];
  }

  lastTicket(): DecodedTicket | undefined {
    return this.printed.at(-1);
  }

  /** Every decoded event, status requests included, in arrival order. */
  events(): EscPosEvent[] {
    return [...this.log];
  }

  /** Forgets tickets, events and counters; condition and reply behaviour stay. */
  clear(): void {
    this.printed.length = 0;
    this.log.length = 0;
    this.received = 0;
    this.ticketTotal = 0;
    this.discarded = 0;
  }

  onTicket(listener: (ticket: DecodedTicket) => void): () => void {
    this.ticketListeners.add(listener);
    return () => this.ticketListeners.delete(listener);
  }

  /** Resolves with the kept tickets once `count` were cut since start (or the last clear()). */
  waitForTickets(count: number, timeoutMs: number): Promise<DecodedTicket[]> {
    if (this.ticketTotal >= count) return Promise.resolve(this.tickets());
    return new Promise((resolve, reject) => {
      const waiter: TicketWaiter = {
        count,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(`virtual printer: ${this.ticketTotal} of ${count} tickets after ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  previewText(ticket: DecodedTicket): string {
    return renderTicketPreview(ticket, lineColumns(this.paper));
  }

  previewOfLastTicket(): string | null {
    const last = this.lastTicket();
    return last ? this.previewText(last) : null;
  }

  private serveSocket(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const session = this.session((bytes) => {
      if (!socket.destroyed) socket.write(bytes);
    });
    socket.on('data', (chunk: Buffer) => this.receive(session, chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => this.sockets.delete(socket));
  }

  private session(reply: (bytes: Buffer) => void): Session {
    return { decoder: new EscPosDecoder(), reply, current: [], spoiled: false };
  }

  private get canPrint(): boolean {
    const s = this.state;
    return !s.paperOut && !s.coverOpen && !s.offline && s.error === false;
  }

  private receive(session: Session, chunk: Buffer): void {
    this.received += chunk.length;
    for (const event of session.decoder.push(chunk)) this.handle(session, event);
  }

  private handle(session: Session, event: EscPosEvent): void {
    this.log.push(event);
    if (this.log.length > this.keep * 50) this.log.splice(0, this.log.length - this.keep * 50);
    if (event.type === 'status-request') {
      const byte = this.statusByte(event.n);
      if (this.behaviour.status && byte !== undefined) session.reply(Buffer.from([byte]));
      return;
    }
    if (event.type === 'job-ack-request') {
      if (this.canPrint && this.behaviour.jobAck) this.answerLater(session, Buffer.from([this.paperSensorByte(event.n)]));
      return;
    }
    if (!isPrinted(event)) return;
    if (!this.canPrint) session.spoiled = true;
    else if (!session.spoiled) session.current.push(event);
    if (event.type === 'cut') this.finishTicket(session);
  }

  private finishTicket(session: Session): void {
    const events = session.current;
    const spoiled = session.spoiled;
    session.current = [];
    session.spoiled = false;
    if (spoiled) {
      this.discarded += 1;
      return;
    }
    // Paper fed and cut with nothing on it is not a ticket.
    if (!events.some((e) => e.type !== 'feed' && e.type !== 'cut')) return;
    this.ticketTotal += 1;
    const ticket = decodedTicket(this.ticketTotal, events);
    this.printed.push(ticket);
    if (this.printed.length > this.keep) this.printed.shift();
    for (const listener of this.ticketListeners) listener(ticket);
    for (const waiter of this.waiters) {
      if (this.ticketTotal < waiter.count) continue;
      clearTimeout(waiter.timer);
      this.waiters.delete(waiter);
      waiter.resolve(this.tickets());
    }
  }

  private answerLater(session: Session, bytes: Buffer): void {
    const delay = this.behaviour.jobAckDelayMs;
    if (delay <= 0) return session.reply(bytes);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      session.reply(bytes);
    }, delay);
    this.timers.add(timer);
  }

  /** DLE EOT n replies after the ESC/POS reference: bits 1 and 4 always set. */
  private statusByte(n: number): number | undefined {
    const s = this.state;
    const base = 0x12;
    switch (n) {
      case 1:
        return base | (this.canPrint ? 0 : 0x08);
      case 2:
        return base | (s.coverOpen ? 0x04 : 0) | (s.paperOut ? 0x20 : 0) | (s.error !== false ? 0x40 : 0);
      case 3:
        return (
          base |
          (s.error === 'recoverable' ? 0x04 : 0) |
          (s.error === 'autocutter' ? 0x08 : 0) |
          (s.error === 'unrecoverable' ? 0x20 : 0) |
          (s.error === 'auto-recoverable' ? 0x40 : 0)
        );
      case 4:
        return base | (s.paperNearEnd || s.paperOut ? 0x0c : 0) | (s.paperOut ? 0x60 : 0);
      default:
        return undefined;
    }
  }

  /** GS r 1 reply: bits 0–1 paper near end, bits 2–3 paper end; other n get a plain 0. */
  private paperSensorByte(n: number): number {
    if (n !== 1 && n !== 49) return 0;
    const s = this.state;
    return (s.paperNearEnd || s.paperOut ? 0x03 : 0) | (s.paperOut ? 0x0c : 0);
  }
}
