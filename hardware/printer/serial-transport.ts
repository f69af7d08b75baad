import type { SerialPortStream } from '@serialport/stream';
import { serialLine } from '../serial-line.ts';
import { ReplyBuffer } from './reply-buffer.ts';
import { PrinterTransportError, toTransportError, withTimeout } from './transport.ts';
import type { PrinterTransport } from './transport.ts';

export interface SerialTransportOptions {
  path: string;
  baudRate: number;
  openTimeoutMs?: number;
  /** covers transmission: a ticket of ~1 KB takes about a second at 9600 baud */
  writeTimeoutMs?: number;
}

/** A serial (RS-232 or USB-serial) printer, 8N1, no flow control. */
export class SerialTransport implements PrinterTransport {
  readonly target: string;
  private port: SerialPortStream | undefined;
  private replies: ReplyBuffer;
  private readonly openTimeoutMs: number;
  private readonly writeTimeoutMs: number;

  constructor(private readonly options: SerialTransportOptions) {
    this.target = `serial:${options.path}?baud=${options.baudRate}`;
    this.replies = new ReplyBuffer(this.target);
    this.openTimeoutMs = options.openTimeoutMs ?? 2000;
    this.writeTimeoutMs = options.writeTimeoutMs ?? 15_000;
  }

  get isOpen(): boolean {
    return this.port?.isOpen ?? false;
  }

  async open(): Promise<void> {
    if (this.port) throw new PrinterTransportError('io', this.target, 'already opened');
    const port = serialLine({ path: this.options.path, baudRate: this.options.baudRate });
    this.port = port;
    this.replies = new ReplyBuffer(this.target);
    const replies = this.replies;
    // Registered before open so that no 'error' is ever unhandled.
    port.on('error', (error) => replies.fail(toTransportError(this.target, error)));
    port.on('close', () => replies.fail(new PrinterTransportError('closed', this.target, 'the serial device went away')));
    port.on('data', (chunk: Buffer) => replies.push(chunk));
    const opened = new Promise<void>((resolve, reject) => {
      port.open((error) => (error ? reject(toTransportError(this.target, error)) : resolve()));
    });
    try {
      await withTimeout(opened, this.openTimeoutMs, this.target, 'open');
    } catch (error) {
      this.port = undefined;
      // If the open completes after we gave up, the port must not stay open behind our back.
      opened.then(() => port.close(), () => undefined);
      throw error;
    }
  }

  async write(data: Buffer): Promise<void> {
    const port = this.port;
    if (!port || !port.isOpen) throw new PrinterTransportError('closed', this.target, 'the serial device is not open', true);
    const transmitted = new Promise<void>((resolve, reject) => {
      port.write(data, (error) => {
        if (error) reject(toTransportError(this.target, error));
      });
      port.drain((error) => (error ? reject(toTransportError(this.target, error)) : resolve()));
    });
    try {
      await withTimeout(transmitted, this.writeTimeoutMs, this.target, 'write');
    } catch (error) {
      if (port.isOpen) port.close();
      throw error;
    }
  }

  readExact(n: number, timeoutMs: number): Promise<Buffer> {
    return this.replies.read(n, timeoutMs);
  }

  async discardInput(): Promise<void> {
    this.replies.discard();
  }

  async close(): Promise<void> {
    const port = this.port;
    if (!port || !port.isOpen) return;
    const closed = new Promise<void>((resolve) => port.close(() => resolve()));
    await withTimeout(closed, 1000, this.target, 'close').catch(() => undefined);
  }
}
