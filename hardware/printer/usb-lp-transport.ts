import fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { PrinterTransportError, describeSystemError, toTransportError, withTimeout } from './transport.ts';
import type { PrinterTransport, TransportErrorCode } from './transport.ts';

export interface UsbLpTransportOptions {
  /** the USB printer class device, e.g. /dev/usb/lp0 */
  path: string;
  openTimeoutMs?: number;
  writeTimeoutMs?: number;
  /** how often a waiting read looks for reply bytes */
  pollIntervalMs?: number;
}

const isWouldBlock = (error: unknown) => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK';
};

/**
 * A USB printer class device file. It is opened O_NONBLOCK: a blocking read on a device that
 * has nothing to say (or is unplugged) would pin one of libuv's four pool threads for good,
 * starving every fs call in the process. Reads are polled instead; O_NOCTTY keeps a terminal
 * device (tests use a PTY in its place) from becoming our controlling terminal.
 */
export class UsbLpTransport implements PrinterTransport {
  readonly target: string;
  private handle: FileHandle | undefined;
  private lost: { code: TransportErrorCode; message: string } | undefined;
  private readonly openTimeoutMs: number;
  private readonly writeTimeoutMs: number;
  private readonly pollIntervalMs: number;

  constructor(private readonly options: UsbLpTransportOptions) {
    this.target = `usb:${options.path}`;
    this.openTimeoutMs = options.openTimeoutMs ?? 2000;
    this.writeTimeoutMs = options.writeTimeoutMs ?? 10_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 10;
  }

  get isOpen(): boolean {
    return this.handle !== undefined && this.lost === undefined;
  }

  async open(): Promise<void> {
    if (this.handle) throw new PrinterTransportError('io', this.target, 'already opened');
    const { O_RDWR, O_NONBLOCK, O_NOCTTY } = fs.constants;
    const opening = fs.promises.open(this.options.path, O_RDWR | O_NONBLOCK | O_NOCTTY);
    try {
      this.handle = await withTimeout(opening, this.openTimeoutMs, this.target, 'open');
    } catch (error) {
      // If the open completes after we gave up, its descriptor must not leak.
      opening.then((late) => late.close(), () => undefined);
      throw toTransportError(this.target, error);
    }
  }

  async write(data: Buffer): Promise<void> {
    const handle = this.liveHandle(true);
    const deadline = Date.now() + this.writeTimeoutMs;
    let offset = 0;
    while (offset < data.length) {
      try {
        const { bytesWritten } = await handle.write(data, offset, data.length - offset);
        offset += bytesWritten;
        continue;
      } catch (error) {
        if (!isWouldBlock(error)) throw this.markLost(error, offset === 0);
      }
      if (Date.now() >= deadline) {
        throw new PrinterTransportError('timeout', this.target, `write: the device took no data for ${this.writeTimeoutMs} ms`, offset === 0);
      }
      await sleep(this.pollIntervalMs);
    }
  }

  async readExact(n: number, timeoutMs: number): Promise<Buffer> {
    const handle = this.liveHandle(false);
    const deadline = Date.now() + timeoutMs;
    const reply = Buffer.alloc(n);
    let got = 0;
    for (;;) {
      try {
        // Zero bytes is "nothing yet" on lp devices, so only errors count as loss.
        const { bytesRead } = await handle.read(reply, got, n - got, null);
        got += bytesRead;
        if (got === n) return reply;
      } catch (error) {
        if (!isWouldBlock(error)) throw this.markLost(error, false);
      }
      if (Date.now() >= deadline) throw new PrinterTransportError('timeout', this.target, `no reply within ${timeoutMs} ms`);
      await sleep(this.pollIntervalMs);
    }
  }

  async discardInput(): Promise<void> {
    const handle = this.liveHandle(false);
    const scratch = Buffer.alloc(256);
    for (let i = 0; i < 64; i++) {
      try {
        const { bytesRead } = await handle.read(scratch, 0, scratch.length, null);
        if (bytesRead === 0) return;
      } catch (error) {
        if (isWouldBlock(error)) return;
        throw this.markLost(error, false);
      }
    }
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
  }

  private liveHandle(forWrite: boolean): FileHandle {
    if (this.lost) throw new PrinterTransportError(this.lost.code, this.target, this.lost.message, forWrite);
    if (!this.handle) throw new PrinterTransportError('closed', this.target, 'the device is not open', forWrite);
    return this.handle;
  }

  private markLost(error: unknown, sentNothing: boolean): PrinterTransportError {
    this.lost = describeSystemError(error);
    return new PrinterTransportError(this.lost.code, this.target, this.lost.message, sentNothing);
  }
}
