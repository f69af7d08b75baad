import type { PrinterStatus } from '../../core/printing/printing.ts';

/**
 * Real-time status (`DLE EOT n`) and the paper-sensor request (`GS r 1`), after the ESC/POS
 * reference. Each reply is one byte in which bits 1 and 4 are always set and bits 0 and 7 always
 * clear, so "all well" reads 0x12 and anything else in those bits is not a status byte at all.
 */
export type StatusRequestKind = 1 | 2 | 3 | 4;

export const statusRequestKinds: readonly StatusRequestKind[] = [1, 2, 3, 4];

export function statusRequest(n: StatusRequestKind): Buffer {
  return Buffer.from([0x10, 0x04, n]);
}

/** Answered only after every byte before it was processed: the job-done acknowledgement. */
export const jobAckRequest: Buffer = Buffer.from([0x1d, 0x72, 0x01]);

const fixedMask = 0x93;
const fixedValue = 0x12;

export class GarbledStatusError extends Error {
  override readonly name = 'GarbledStatusError';
  constructor(readonly n: StatusRequestKind, readonly byte: number) {
    super(`reply 0x${byte.toString(16).padStart(2, '0')} to DLE EOT ${n} is not a status byte (wrong baud rate or a stray byte on the line?)`);
  }
}

export interface PrinterStatusByte {
  n: 1;
  offline: boolean;
}
export interface OfflineCauseByte {
  n: 2;
  coverOpen: boolean;
  feedButtonPressed: boolean;
  stoppedByPaperEnd: boolean;
  errorOccurred: boolean;
}
export interface ErrorCauseByte {
  n: 3;
  recoverable: boolean;
  autocutter: boolean;
  unrecoverable: boolean;
  autoRecoverable: boolean;
}
export interface PaperSensorByte {
  n: 4;
  nearEnd: boolean;
  paperEnd: boolean;
}
export type StatusByte = PrinterStatusByte | OfflineCauseByte | ErrorCauseByte | PaperSensorByte;

/** Decodes the reply to `DLE EOT n`; throws GarbledStatusError when the fixed bits are wrong. */
export function decodeStatusByte(n: 1, byte: number): PrinterStatusByte;
export function decodeStatusByte(n: 2, byte: number): OfflineCauseByte;
export function decodeStatusByte(n: 3, byte: number): ErrorCauseByte;
export function decodeStatusByte(n: 4, byte: number): PaperSensorByte;
export function decodeStatusByte(n: StatusRequestKind, byte: number): StatusByte;
export function decodeStatusByte(n: StatusRequestKind, byte: number): StatusByte {
  if ((byte & fixedMask) !== fixedValue) throw new GarbledStatusError(n, byte);
  const bit = (k: number) => (byte & (1 << k)) !== 0;
  switch (n) {
    case 1:
      return { n, offline: bit(3) };
    case 2:
      return { n, coverOpen: bit(2), feedButtonPressed: bit(3), stoppedByPaperEnd: bit(5), errorOccurred: bit(6) };
    case 3:
      return { n, recoverable: bit(2), autocutter: bit(3), unrecoverable: bit(5), autoRecoverable: bit(6) };
    case 4:
      // Each condition has two bits (one per sensor model); either one reports it.
      return { n, nearEnd: (byte & 0x0c) !== 0, paperEnd: (byte & 0x60) !== 0 };
  }
}

export interface StatusReplies {
  printer: PrinterStatusByte;
  offlineCause: OfflineCauseByte;
  paperSensor: PaperSensorByte;
  /** asked only when the offline cause says an error occurred */
  errorCause?: ErrorCauseByte;
}

function describeError(cause: ErrorCauseByte | undefined): string {
  if (!cause) return 'printer error';
  const parts = [
    cause.autocutter && 'autocutter error (paper jam at the cutter?)',
    cause.unrecoverable && 'unrecoverable error (power-cycle the printer, call service)',
    cause.autoRecoverable && 'auto-recoverable error (print head too hot?)',
    cause.recoverable && 'recoverable mechanism error',
  ].filter((p): p is string => typeof p === 'string');
  return parts.length > 0 ? `printer error: ${parts.join('; ')}` : 'printer error';
}

/**
 * One state from the replies. Cover open is reported before paper out because an open cover
 * makes the paper sensor read "no paper" whatever the roll holds; an error before a bare offline.
 */
export function composePrinterStatus(replies: StatusReplies): PrinterStatus {
  const { printer, offlineCause, paperSensor, errorCause } = replies;
  const paperNearEnd = paperSensor.nearEnd;
  if (offlineCause.coverOpen) return { state: 'cover-open', paperNearEnd, detail: 'printer cover is open' };
  if (paperSensor.paperEnd || offlineCause.stoppedByPaperEnd) {
    return { state: 'paper-out', paperNearEnd, detail: 'printer is out of paper' };
  }
  if (offlineCause.errorOccurred) return { state: 'error', paperNearEnd, detail: describeError(errorCause) };
  if (printer.offline) {
    const why = offlineCause.feedButtonPressed ? 'paper is being fed with the feed button' : 'printer reports offline';
    return { state: 'offline', paperNearEnd, detail: why };
  }
  return paperNearEnd ? { state: 'ready', paperNearEnd, detail: 'paper roll is nearly used up' } : { state: 'ready', paperNearEnd };
}

/** The `GS r 1` reply carries the roll sensors too: bits 0–1 near end, bits 2–3 paper end. */
export function paperNearEndFromAck(byte: number): boolean {
  return (byte & 0x03) !== 0;
}
