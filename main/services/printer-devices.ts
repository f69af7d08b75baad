import { createTicketPrinter } from '../../hardware/printer/index.ts';
import { VirtualPrinter } from '../../hardware/sim/virtual-printer.ts';
import type { PrinterDevices } from './printer-service.ts';

/** The real drivers; tests of the service hand in fakes instead. */
export function hardwarePrinterDevices(): PrinterDevices {
  return {
    open: (address, paper) => createTicketPrinter(address, { paper }),
    createVirtual: (paper) => new VirtualPrinter({ paper }),
  };
}
