import type { Duplex } from 'node:stream';
import type { SerialPortStream } from '@serialport/stream';
import { describeSystemError } from '../printer/transport.ts';
import { serialLine } from '../serial-line.ts';
import { FingerprintLinkError } from './errors.ts';

/** An open byte stream to the module and the way to release it. */
export interface FingerprintLink {
  stream: Duplex;
  /** resolves once the device is released and may be opened again (serialport locks it) */
  close(): Promise<void>;
}

/**
 * Opens a fresh link to the module, or rejects with a FingerprintLinkError. The reader calls it
 * again after every loss, so it must not cache the link.
 */
export type FingerprintLinkOpener = () => Promise<FingerprintLink>;

export const defaultBaudRate = 57600;

export interface SerialLinkOptions {
  /** e.g. /dev/ttyUSB0 (CH340/CP2102 adapters the modules ship with) or a socat PTY */
  path: string;
  baudRate?: number;
  openTimeoutMs?: number;
}

/** The module on a serial port, 8N1, no flow control. */
export function serialLink(options: SerialLinkOptions): FingerprintLinkOpener {
  const { path, baudRate = defaultBaudRate, openTimeoutMs = 1000 } = options;
  return async () => {
    const port = serialLine({ path, baudRate });
    // Until the reader has wired its own listener an 'error' must not crash the process.
    port.on('error', () => undefined);
    let timer: NodeJS.Timeout | undefined;
    const opened = new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new FingerprintLinkError('timeout', `${path}: open took longer than ${openTimeoutMs} ms`)), openTimeoutMs);
    });
    try {
      await Promise.race([opened, timedOut]);
    } catch (error) {
      opened.then(() => port.close(), () => undefined);
      if (error instanceof FingerprintLinkError) throw error;
      throw new FingerprintLinkError('unreachable', `${path}: ${describeSystemError(error).message}`);
    } finally {
      clearTimeout(timer);
    }
    // A reply that arrived after an earlier connection gave up on it must not answer our first command.
    await new Promise<void>((resolve) => port.flush(() => resolve()));
    return { stream: port, close: () => closePort(port) };
  };
}

/** Destroying a SerialPort stream leaves the device open and locked; only close() releases it. */
function closePort(port: SerialPortStream): Promise<void> {
  if (!port.isOpen) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 1000);
    port.close(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
