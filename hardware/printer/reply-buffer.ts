import { PrinterTransportError } from './transport.ts';

interface PendingRead {
  n: number;
  resolve: (bytes: Buffer) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Collects the bytes an event-driven connection (socket, serial port) receives until a reader asks
 * for them. Only one read may wait at a time: the printer answers requests strictly in order.
 */
export class ReplyBuffer {
  private bytes = Buffer.alloc(0);
  private pending: PendingRead | undefined;
  private failure: PrinterTransportError | undefined;

  constructor(private readonly target: string) {}

  push(chunk: Buffer): void {
    this.bytes = this.bytes.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.bytes, chunk]);
    this.settle();
  }

  /** The connection is gone: the waiting read and every later one fail with this error. */
  fail(error: PrinterTransportError): void {
    this.failure ??= error;
    const pending = this.pending;
    if (pending) {
      this.pending = undefined;
      clearTimeout(pending.timer);
      pending.reject(this.failure);
    }
  }

  discard(): void {
    this.bytes = Buffer.alloc(0);
  }

  read(n: number, timeoutMs: number): Promise<Buffer> {
    if (this.pending) return Promise.reject(new PrinterTransportError('io', this.target, 'a read is already waiting'));
    if (this.bytes.length >= n) return Promise.resolve(this.take(n));
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        reject(new PrinterTransportError('timeout', this.target, `no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending = { n, resolve, reject, timer };
    });
  }

  private settle(): void {
    const pending = this.pending;
    if (!pending || this.bytes.length < pending.n) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    pending.resolve(this.take(pending.n));
  }

  private take(n: number): Buffer {
    const head = this.bytes.subarray(0, n);
    this.bytes = this.bytes.subarray(n);
    return Buffer.from(head);
  }
}
