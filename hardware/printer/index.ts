import type { PrinterAddress } from '../../core/printing/printer-address.ts';
import { SerialTransport } from './serial-transport.ts';
import { TcpTransport } from './tcp-transport.ts';
import { TicketPrinter } from './ticket-printer.ts';
import type { TicketPrinterOptions } from './ticket-printer.ts';
import type { TransportFactory } from './transport.ts';
import { UsbLpTransport } from './usb-lp-transport.ts';

export { TicketPrinter } from './ticket-printer.ts';
export type { TicketPrinterOptions } from './ticket-printer.ts';
export { encodeTicket, encodeGb18030, feedBeforeCut, printColumns, wrapByDisplayWidth } from './ticket-encoder.ts';
export type { Align } from './ticket-encoder.ts';
export { encodeDisclosureSlip } from './slip-encoder.ts';
export {
  GarbledStatusError,
  composePrinterStatus,
  decodeStatusByte,
  jobAckRequest,
  paperNearEndFromAck,
  statusRequest,
  statusRequestKinds,
} from './status.ts';
export type {
  ErrorCauseByte,
  OfflineCauseByte,
  PaperSensorByte,
  PrinterStatusByte,
  StatusByte,
  StatusReplies,
  StatusRequestKind,
} from './status.ts';
export { PrinterTransportError } from './transport.ts';
export type { PrinterTransport, TransportErrorCode, TransportFactory } from './transport.ts';
export { TcpTransport } from './tcp-transport.ts';
export type { TcpTransportOptions } from './tcp-transport.ts';
export { UsbLpTransport } from './usb-lp-transport.ts';
export type { UsbLpTransportOptions } from './usb-lp-transport.ts';
export { SerialTransport } from './serial-transport.ts';
export type { SerialTransportOptions } from './serial-transport.ts';

export interface CreateTicketPrinterOptions extends TicketPrinterOptions {
  /** connecting to a network printer or opening a device */
  connectTimeoutMs?: number;
  /** handing a job to the transport (serial at 9600 baud needs about a second per KB) */
  writeTimeoutMs?: number;
}

/** The transport factory for a configured address; `virtual` must be resolved by the caller. */
export function transportFactoryFor(address: PrinterAddress, opts: Pick<CreateTicketPrinterOptions, 'connectTimeoutMs' | 'writeTimeoutMs'> = {}): TransportFactory {
  const { connectTimeoutMs, writeTimeoutMs } = opts;
  switch (address.kind) {
    case 'tcp':
      return () => new TcpTransport({ host: address.host, port: address.port, connectTimeoutMs, writeTimeoutMs });
    case 'usb':
      return () => new UsbLpTransport({ path: address.path, openTimeoutMs: connectTimeoutMs, writeTimeoutMs });
    case 'serial':
      return () => new SerialTransport({ path: address.path, baudRate: address.baudRate, openTimeoutMs: connectTimeoutMs, writeTimeoutMs });
    case 'virtual':
      throw new Error("printer address 'virtual' must be resolved to the tcp address of a running VirtualPrinter first");
  }
}

export function createTicketPrinter(address: PrinterAddress, opts: CreateTicketPrinterOptions): TicketPrinter {
  return new TicketPrinter(transportFactoryFor(address, opts), opts);
}
