import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jobAckRequest, statusRequest } from '../../hardware/printer/status.ts';
import { SerialTransport } from '../../hardware/printer/serial-transport.ts';
import { TcpTransport } from '../../hardware/printer/tcp-transport.ts';
import { encodeTicket } from '../../hardware/printer/ticket-encoder.ts';
import { PrinterTransportError } from '../../hardware/printer/transport.ts';
import type { PrinterTransport } from '../../hardware/printer/transport.ts';
import { UsbLpTransport } from '../../hardware/printer/usb-lp-transport.ts';
import { VirtualPrinter } from '../../hardware/sim/virtual-printer.ts';
import { blackHolePort } from './support/black-hole.ts';
import { openPtyPair } from './support/pty-pair.ts';
import type { PtyPair } from './support/pty-pair.ts';
import { sampleJob } from './support/sample-job.ts';
import { freePort } from '../support/free-port.ts';

async function rejection(work: Promise<unknown>): Promise<PrinterTransportError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PrinterTransportError);
  return error as PrinterTransportError;
}

/** The same conversation over every transport: status, a ticket, its acknowledgement, silence. */
async function converse(printer: VirtualPrinter, transport: PrinterTransport): Promise<void> {
  await transport.open();
  expect(transport.isOpen).toBe(true);
  await transport.write(statusRequest(1));
  expect([...(await transport.readExact(1, 1000))]).toEqual([0x12]);

  printer.setCondition({ paperNearEnd: true });
  await transport.write(statusRequest(4));
  expect([...(await transport.readExact(1, 1000))]).toEqual([0x1e]);

  const job = encodeTicket(sampleJob(), 80);
  await transport.write(Buffer.concat([job, jobAckRequest]));
  expect([...(await transport.readExact(1, 2000))]).toEqual([0x03]);
  expect(printer.tickets()).toHaveLength(1);
  expect(printer.lastTicket()!.lines).toContain('A007');
  expect(printer.lastTicket()!.lines.join('')).toContain('𠮷');

  printer.setReplies({ status: false });
  const started = Date.now();
  const silent = await rejection(transport.write(statusRequest(1)).then(() => transport.readExact(1, 150)));
  expect(silent.code).toBe('timeout');
  expect(Date.now() - started).toBeLessThan(1000);
  await transport.close();
  expect(transport.isOpen).toBe(false);
}

describe('TCP transport', () => {
  let printer: VirtualPrinter;
  beforeEach(async () => {
    printer = new VirtualPrinter();
    await printer.start({ port: 0 });
  });
  afterEach(() => printer.stop());

  it('talks to the virtual printer over loopback', async () => {
    await converse(printer, new TcpTransport({ host: '127.0.0.1', port: printer.port }));
    expect(printer.bytesReceived).toBe(3 + 3 + encodeTicket(sampleJob(), 80).length + 3 + 3);
  });

  it('reports a refused connection as unreachable, at once', async () => {
    const started = Date.now();
    const error = await rejection(new TcpTransport({ host: '127.0.0.1', port: await freePort() }).open());
    expect(error.code).toBe('unreachable');
    expect(error.message).toContain('connection refused');
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('gives up connecting to a host that never answers within the connect timeout', async () => {
    const hole = await blackHolePort();
    try {
      const started = Date.now();
      const error = await rejection(new TcpTransport({ host: '127.0.0.1', port: hole.port, connectTimeoutMs: 300 }).open());
      expect(error.code).toBe('timeout');
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      await hole.dispose();
    }
  });

  it('fails a waiting read as soon as the printer closes the connection', async () => {
    const transport = new TcpTransport({ host: '127.0.0.1', port: printer.port });
    await transport.open();
    const started = Date.now();
    const read = rejection(transport.readExact(1, 5000));
    printer.disconnectClients();
    expect((await read).code).toBe('closed');
    expect(Date.now() - started).toBeLessThan(1000);
    const write = await rejection(transport.write(statusRequest(1)));
    expect(write.sentNothing).toBe(true);
  });
});

describe('serial transport over a socat PTY pair', () => {
  let printer: VirtualPrinter;
  let pty: PtyPair;
  beforeEach(async () => {
    pty = await openPtyPair();
    printer = new VirtualPrinter();
    await printer.attachSerialPort(pty.printerEnd, 9600);
  });
  afterEach(async () => {
    await printer.stop();
    await pty.dispose();
  });

  it('talks to the virtual printer like a serial printer', async () => {
    await converse(printer, new SerialTransport({ path: pty.driverEnd, baudRate: 9600 }));
  });

  it('reports a missing device as unreachable', async () => {
    const error = await rejection(new SerialTransport({ path: `${pty.driverEnd}-missing`, baudRate: 9600 }).open());
    expect(error.code).toBe('unreachable');
    expect(error.message).toContain('no such device');
  });
});

describe('USB printer-class transport', () => {
  // A PTY end opened as a plain file read-write behaves like /dev/usb/lp0 to this transport:
  // a character device, written with write(2), polled with non-blocking read(2).
  let printer: VirtualPrinter;
  let pty: PtyPair;
  beforeEach(async () => {
    pty = await openPtyPair();
    printer = new VirtualPrinter();
    await printer.attachSerialPort(pty.printerEnd, 9600);
  });
  afterEach(async () => {
    await printer.stop();
    await pty.dispose();
  });

  it('talks to the virtual printer through a device file', async () => {
    await converse(printer, new UsbLpTransport({ path: pty.driverEnd }));
  });

  it('reports a missing device file as unreachable', async () => {
    const error = await rejection(new UsbLpTransport({ path: '/dev/usb/lp-hall-kiosk-missing' }).open());
    expect(error.code).toBe('unreachable');
  });

  it('discards reply bytes nobody asked for', async () => {
    const transport = new UsbLpTransport({ path: pty.driverEnd });
    await transport.open();
    await transport.write(Buffer.concat([statusRequest(1), statusRequest(2)]));
    await new Promise((r) => setTimeout(r, 100));
    await transport.discardInput();
    printer.setCondition({ coverOpen: true });
    await transport.write(statusRequest(2));
    expect([...(await transport.readExact(1, 1000))]).toEqual([0x16]);
    await transport.close();
  });
});
