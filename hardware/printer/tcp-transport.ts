import net from 'node:net';
import { ReplyBuffer } from './reply-buffer.ts';
import { PrinterTransportError, toTransportError, withTimeout } from './transport.ts';
import type { PrinterTransport } from './transport.ts';

export interface TcpTransportOptions {
  host: string;
  /** raw printing port, 9100 on network printers */
  port: number;
  connectTimeoutMs?: number;
  writeTimeoutMs?: number;
}

/** A network printer's raw port: bytes in, status bytes out, nothing else on the wire. */
export class TcpTransport implements PrinterTransport {
  readonly target: string;
  private socket: net.Socket | undefined;
  private replies: ReplyBuffer;
  private readonly connectTimeoutMs: number;
  private readonly writeTimeoutMs: number;

  constructor(private readonly options: TcpTransportOptions) {
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    this.target = `tcp://${host}:${options.port}`;
    this.replies = new ReplyBuffer(this.target);
    this.connectTimeoutMs = options.connectTimeoutMs ?? 2000;
    this.writeTimeoutMs = options.writeTimeoutMs ?? 10_000;
  }

  get isOpen(): boolean {
    const s = this.socket;
    return s !== undefined && !s.destroyed && s.writable && !s.connecting;
  }

  async open(): Promise<void> {
    if (this.socket) throw new PrinterTransportError('io', this.target, 'already opened');
    const socket = net.connect({ host: this.options.host, port: this.options.port });
    this.socket = socket;
    this.replies = new ReplyBuffer(this.target);
    const replies = this.replies;
    const connected = new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', (error) => reject(toTransportError(this.target, error)));
    });
    try {
      await withTimeout(connected, this.connectTimeoutMs, this.target, 'connect');
    } catch (error) {
      socket.destroy();
      this.socket = undefined;
      throw error;
    }
    // Ticket jobs are small and latency matters more than packet count.
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => replies.push(chunk));
    socket.on('error', (error) => replies.fail(toTransportError(this.target, error)));
    socket.on('close', () => replies.fail(new PrinterTransportError('closed', this.target, 'the printer closed the connection')));
  }

  async write(data: Buffer): Promise<void> {
    const socket = this.socket;
    if (!socket || !this.isOpen) throw new PrinterTransportError('closed', this.target, 'not connected', true);
    const flushed = new Promise<void>((resolve, reject) => {
      socket.write(data, (error) => (error ? reject(toTransportError(this.target, error)) : resolve()));
    });
    try {
      await withTimeout(flushed, this.writeTimeoutMs, this.target, 'write');
    } catch (error) {
      // A stalled socket would deliver the rest later, after the caller has given up on it.
      socket.destroy();
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
    const socket = this.socket;
    if (!socket || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.end();
      // end() waits for the peer's FIN; a dead peer must not keep us waiting.
      setTimeout(() => socket.destroy(), 200).unref();
    });
  }
}
