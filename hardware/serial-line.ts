import { readSync, writeSync } from 'node:fs';
import { BindingsError, LinuxBinding } from '@serialport/bindings-cpp';
import type { LinuxOpenOptions, LinuxPortBinding, LinuxSetOptions } from '@serialport/bindings-cpp';
import { SerialPortStream } from '@serialport/stream';
import { SerialPort } from 'serialport';

export interface SerialLineOptions {
  path: string;
  baudRate: number;
}

/**
 * A serial device as a stream, opened with open(). On Linux its bytes move on the event loop
 * (see LoopPort); elsewhere serialport's own binding does the work.
 */
export function serialLine(options: SerialLineOptions): SerialPortStream {
  if (process.platform !== 'linux') return new SerialPort({ ...options, autoOpen: false });
  return new SerialPortStream({ binding: loopBinding, ...options, autoOpen: false });
}

const retryLater = new Set(['EAGAIN', 'EWOULDBLOCK', 'EINTR']);
// How serialport tells a port that has gone (a USB adapter pulled) from one that merely failed.
const gone = new Set(['EBADF', 'ENXIO', 'UNKNOWN']);

/**
 * serialport's Linux binding reads and writes through libuv's thread pool, so each reply from a
 * device wakes the event loop (the poll), then a pool thread (the read), then the loop again (its
 * result). On a quiet machine every wake of a sleeping core costs a fraction of a millisecond, and
 * the pool's four threads are shared with file, DNS and crypto work. The descriptor is opened
 * non-blocking, so once the poller says it is ready it is read and written straight from the loop:
 * one wake per reply, and never a wait behind unrelated work.
 */
class LoopPort {
  private writing: Promise<void> | null = null;
  private readonly awaiting = new Set<'readable' | 'writable'>();

  constructor(private readonly inner: LinuxPortBinding) {}

  get isOpen(): boolean {
    return this.inner.isOpen;
  }

  get openOptions(): Required<LinuxOpenOptions> {
    return this.inner.openOptions;
  }

  async read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    for (;;) {
      const bytesRead = attempt(() => readSync(this.openFd(), buffer, offset, length, null));
      if (bytesRead === null) {
        await this.ready('readable');
        continue;
      }
      // Non-blocking with VMIN 1, a terminal with nothing to say answers EAGAIN: no bytes is a hang-up.
      if (bytesRead === 0) throw Object.assign(new Error('the other end hung up'), { disconnect: true });
      return { buffer, bytesRead };
    }
  }

  write(buffer: Buffer): Promise<void> {
    if (!this.isOpen) return Promise.reject(new Error('Port is not open'));
    const writing = this.writeAll(buffer).finally(() => {
      if (this.writing === writing) this.writing = null;
    });
    this.writing = writing;
    return writing;
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  update(options: { baudRate: number }): Promise<void> {
    return this.inner.update(options);
  }

  set(options: LinuxSetOptions): Promise<void> {
    return this.inner.set(options);
  }

  get() {
    return this.inner.get();
  }

  getBaudRate() {
    return this.inner.getBaudRate();
  }

  flush(): Promise<void> {
    return this.inner.flush();
  }

  async drain(): Promise<void> {
    await this.writing;
    return this.inner.drain();
  }

  private async writeAll(buffer: Buffer): Promise<void> {
    let offset = 0;
    while (offset < buffer.length) {
      const written = attempt(() => writeSync(this.openFd(), buffer, offset, buffer.length - offset));
      if (written === null) await this.ready('writable');
      else offset += written;
    }
  }

  private openFd(): number {
    const fd = this.inner.fd;
    if (fd === null) throw new BindingsError('Port is not open', { canceled: true });
    return fd;
  }

  /**
   * Resolves when the poller reports `event`; rejects when the port closes meanwhile. The poller
   * arms only the event it was last asked for, so a read waiting while a write waits too would
   * never be woken: it is asked for every event still awaited.
   */
  private ready(event: 'readable' | 'writable'): Promise<void> {
    this.awaiting.add(event);
    return new Promise<void>((resolve, reject) => {
      this.inner.poller.once(event, (error?: Error | null) => (error ? reject(error) : resolve()));
      if (this.awaiting.size > 1) this.inner.poller.poll(pollReadable | pollWritable);
    }).finally(() => this.awaiting.delete(event));
  }
}

// libuv's uv_poll_event flags, as serialport's poller takes them.
const pollReadable = 1;
const pollWritable = 2;

/** The system call's answer, or null when the descriptor is not ready (try again once the poller says so). */
function attempt(call: () => number): number | null {
  try {
    return call();
  } catch (error) {
    if (retryLater.has((error as NodeJS.ErrnoException).code ?? '')) return null;
    throw disconnected(error);
  }
}

function disconnected(error: unknown): Error {
  const failure = error as NodeJS.ErrnoException & { disconnect?: boolean };
  if (gone.has(failure.code ?? '')) failure.disconnect = true;
  return failure;
}

const loopBinding = {
  list: () => LinuxBinding.list(),
  open: async (options: LinuxOpenOptions) => new LoopPort(await LinuxBinding.open(options)),
};
