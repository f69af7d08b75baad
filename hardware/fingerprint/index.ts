import { serialLink } from './link.ts';
import type { SerialLinkOptions } from './link.ts';
import { FingerprintReader } from './reader.ts';
import type { FingerprintReaderOptions } from './reader.ts';

export { FingerprintReader } from './reader.ts';
export type { EnrollOptions, EnrollOutcome, FingerprintReaderOptions, IdentifyOptions, PollTimers, RawReply, ReaderState, ReaderStatus, SearchResult } from './reader.ts';
export { FingerprintDeviceError, FingerprintDuplicateError, FingerprintLinkError, isPoorImage } from './errors.ts';
export type { FingerprintError, LinkErrorKind } from './errors.ts';
export { confirmationCodes, confirmationCodeOf, describeConfirmation } from './confirmation-codes.ts';
export type { ConfirmationCode, ConfirmationKind } from './confirmation-codes.ts';
export { enrollPrompt } from './enroll-steps.ts';
export type { Capture, EnrollStep } from './enroll-steps.ts';
export { Instruction, packetSizes, templateLength } from './instructions.ts';
export type { CharBuffer, PacketSize } from './instructions.ts';
export { PacketId, PacketParser, checksumOf, commandPacket, defaultModuleAddress, encodePacket } from './packet.ts';
export type { FingerprintPacket, PacketParserStats } from './packet.ts';
export { decodeSystemParameters } from './system-parameters.ts';
export type { SystemParameters } from './system-parameters.ts';
export { defaultBaudRate, serialLink } from './link.ts';
export type { FingerprintLink, FingerprintLinkOpener, SerialLinkOptions } from './link.ts';
export { listSerialPorts } from './serial-ports.ts';
export type { SerialPortChoice } from './serial-ports.ts';

/** The reader on a serial port, as the kiosk config names it (`reader.port`, `reader.baudRate`). */
export function createFingerprintReader(options: SerialLinkOptions & Omit<FingerprintReaderOptions, 'link'>): FingerprintReader {
  const { path, baudRate, openTimeoutMs, ...rest } = options;
  return new FingerprintReader({ ...rest, link: serialLink({ path, baudRate, openTimeoutMs }) });
}
