import { describe, expect, it } from 'vitest';
import type { DisclosureSlipJob } from '../../core/guide/disclosure-slip.ts';
import type { PrinterAddress } from '../../core/printing/printer-address.ts';
import type { PrinterStatus, PrintResult, TicketPrintJob } from '../../core/printing/printing.ts';
import { PrinterService, type PrinterDevices, type TicketPrinterPort } from '../../main/services/printer-service.ts';

const ready: PrinterStatus = { state: 'ready', paperNearEnd: false };
const job: TicketPrintJob = { hallName: '市政务服务中心', label: 'A001', serviceName: '户籍办理', issuedAtText: '2024-01-08 09:00', qrPayload: 'T:A001' };

class FakePrinter implements TicketPrinterPort {
  next: PrinterStatus | Error = ready;
  log: string[] = [];
  releasePrint: (() => void) | undefined;
  async status(): Promise<PrinterStatus> {
    this.log.push('status');
    if (this.next instanceof Error) throw this.next;
    return this.next;
  }
  async print(_job: TicketPrintJob): Promise<PrintResult> {
    this.log.push('print:start');
    await new Promise<void>((resolve) => (this.releasePrint = resolve));
    this.log.push('print:end');
    return { outcome: 'printed', paperNearEnd: false };
  }
  async printSlip(_job: DisclosureSlipJob): Promise<PrintResult> {
    this.log.push('slip');
    return { outcome: 'printed', paperNearEnd: false };
  }
  async close(): Promise<void> {
    this.log.push('close');
  }
}

function fakeDevices(printer: FakePrinter, opened: PrinterAddress[] = []) {
  let virtualStarted = false;
  const devices: PrinterDevices = {
    open: (address) => {
      opened.push(address);
      return printer;
    },
    createVirtual: () => ({
      port: 45678,
      start: async () => {
        virtualStarted = true;
      },
      stop: async () => undefined,
      previewOfLastTicket: () => (virtualStarted ? 'A001 preview' : null),
    }),
  };
  return devices;
}

describe('PrinterService', () => {
  it("reaches the 'virtual' printer over TCP like a network printer", async () => {
    const opened: PrinterAddress[] = [];
    const service = new PrinterService({ address: { kind: 'virtual' }, paper: 80, devices: fakeDevices(new FakePrinter(), opened), pollIntervalMs: 0 });
    await service.start();
    expect(opened).toEqual([{ kind: 'tcp', host: '127.0.0.1', port: 45678 }]);
    expect(service.preview()).toBe('A001 preview');
    await service.stop();
  });

  it('has no preview for a real printer', async () => {
    const service = new PrinterService({ address: { kind: 'tcp', host: '10.0.0.5', port: 9100 }, paper: 80, devices: fakeDevices(new FakePrinter()), pollIntervalMs: 0 });
    await service.start();
    expect(service.preview()).toBeNull();
    await service.stop();
  });

  it('emits a status only when it changes', async () => {
    const printer = new FakePrinter();
    const service = new PrinterService({ address: { kind: 'tcp', host: '10.0.0.5', port: 9100 }, paper: 80, devices: fakeDevices(printer), pollIntervalMs: 0 });
    const seen: PrinterStatus[] = [];
    service.onStatus((s) => seen.push(s));
    await service.start();
    await service.pollOnce();
    printer.next = { state: 'paper-out', paperNearEnd: true };
    await service.pollOnce();
    await service.pollOnce();
    printer.next = new Error('socket hang up');
    await service.pollOnce();
    expect(seen).toEqual([ready, { state: 'paper-out', paperNearEnd: true }, { state: 'offline', paperNearEnd: false, detail: 'socket hang up' }]);
    expect(service.lastStatus()?.state).toBe('offline');
    await service.stop();
  });

  it('does not poll while a job is printing', async () => {
    const printer = new FakePrinter();
    const service = new PrinterService({ address: { kind: 'tcp', host: '10.0.0.5', port: 9100 }, paper: 80, devices: fakeDevices(printer), pollIntervalMs: 0 });
    await service.start();
    printer.log.length = 0;
    const printing = service.print(job);
    await new Promise((r) => setImmediate(r));
    await service.pollOnce();
    expect(printer.log).toEqual(['print:start']);
    printer.releasePrint?.();
    expect(await printing).toEqual({ outcome: 'printed', paperNearEnd: false });
    await service.stop();
    expect(printer.log.slice(0, 2)).toEqual(['print:start', 'print:end']);
    expect(printer.log.at(-1)).toBe('close');
  });

  it('polls on its interval', async () => {
    const printer = new FakePrinter();
    const service = new PrinterService({ address: { kind: 'tcp', host: '10.0.0.5', port: 9100 }, paper: 80, devices: fakeDevices(printer), pollIntervalMs: 10 });
    await service.start();
    await new Promise((r) => setTimeout(r, 60));
    await service.stop();
    expect(printer.log.filter((l) => l === 'status').length).toBeGreaterThanOrEqual(3);
  });
});
