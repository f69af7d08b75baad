/**
 * A byte pipe to a printer. Every method settles within its timeout: an unplugged or absent
 * device must turn into a PrinterTransportError, never into a hang.
 */
export interface PrinterTransport {
  /** where the bytes go, for messages: `tcp://10.0.0.5:9100`, `usb:/dev/usb/lp0`, … */
  readonly target: string;
  /** false before open() and once the device or connection is gone */
  readonly isOpen: boolean;
  open(): Promise<void>;
  /** resolves when the bytes were handed to the OS; rejects with `sentNothing` when none were */
  write(data: Buffer): Promise<void>;
  /** exactly n bytes of reply, or a 'timeout' error */
  readExact(n: number, timeoutMs: number): Promise<Buffer>;
  /** forget reply bytes nobody asked for yet (e.g. a late acknowledgement) */
  discardInput(): Promise<void>;
  close(): Promise<void>;
}

export type TransportFactory = () => PrinterTransport;

export type TransportErrorCode =
  /** refused, no such device, no route: the printer cannot be reached at all */
  | 'unreachable'
  /** no answer in time */
  | 'timeout'
  /** the connection or device went away */
  | 'closed'
  /** any other I/O failure */
  | 'io';

export class PrinterTransportError extends Error {
  override readonly name = 'PrinterTransportError';
  constructor(
    readonly code: TransportErrorCode,
    readonly target: string,
    message: string,
    /** true when a failed write is known to have sent no byte at all */
    readonly sentNothing = false,
  ) {
    super(`${target}: ${message}`);
  }
}

/** A readable reason for an OS error code, so staff see "connection refused", not ECONNREFUSED. */
export function describeSystemError(error: unknown): { code: TransportErrorCode; message: string } {
  const text = error instanceof Error ? error.message : String(error);
  const errno = String((error as { code?: unknown } | null)?.code ?? errnoFromMessage(text));
  switch (errno) {
    case 'ECONNREFUSED':
      return { code: 'unreachable', message: 'connection refused (is the printer on and is this its address?)' };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
      return { code: 'unreachable', message: 'no route to the printer (network down or wrong address)' };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { code: 'unreachable', message: 'printer host name does not resolve' };
    case 'ENOENT':
    case 'ENODEV':
    case 'ENXIO':
      return { code: 'unreachable', message: 'no such device (unplugged or wrong path)' };
    case 'EACCES':
    case 'EPERM':
      return { code: 'unreachable', message: 'permission denied on the device (add the kiosk user to the lp/dialout group)' };
    case 'EBUSY':
      return { code: 'unreachable', message: 'device is in use by another program' };
    case 'ECONNRESET':
    case 'EPIPE':
    case 'EIO':
      return { code: 'closed', message: 'connection to the printer was lost' };
    default:
      return { code: 'io', message: text };
  }
}

/** serialport's native errors carry no code, only strerror text such as "No such file or directory". */
const strerrorCodes: [RegExp, string][] = [
  [/no such file or directory/i, 'ENOENT'],
  [/no such device/i, 'ENODEV'],
  [/permission denied/i, 'EACCES'],
  [/resource busy|device or resource busy/i, 'EBUSY'],
  [/input\/output error/i, 'EIO'],
  [/bad file descriptor/i, 'EIO'],
];

function errnoFromMessage(text: string): string | undefined {
  return strerrorCodes.find(([pattern]) => pattern.test(text))?.[1];
}

export function toTransportError(target: string, error: unknown, sentNothing = false): PrinterTransportError {
  if (error instanceof PrinterTransportError) return error;
  const { code, message } = describeSystemError(error);
  return new PrinterTransportError(code, target, message, sentNothing);
}

/** Rejects with a 'timeout' error unless `work` settles first. The timer never outlives the race. */
export async function withTimeout<T>(work: Promise<T>, timeoutMs: number, target: string, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PrinterTransportError('timeout', target, `${what}: no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
