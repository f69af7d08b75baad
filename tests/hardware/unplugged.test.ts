import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SerialTransport } from '../../hardware/printer/serial-transport.ts';
import { TicketPrinter } from '../../hardware/printer/ticket-printer.ts';
import type { TransportFactory } from '../../hardware/printer/transport.ts';
import { UsbLpTransport } from '../../hardware/printer/usb-lp-transport.ts';
import { VirtualPrinter } from '../../hardware/sim/virtual-printer.ts';
import { openPtyPair } from './support/pty-pair.ts';
import type { PtyPair } from './support/pty-pair.ts';
import { sampleJob } from './support/sample-job.ts';

const statusTimeoutMs = 300;

describe.each([
  ['serial', (path: string): TransportFactory => () => new SerialTransport({ path, baudRate: 9600, openTimeoutMs: 500 })],
  ['usb-lp', (path: string): TransportFactory => () => new UsbLpTransport({ path, openTimeoutMs: 500 })],
])('%s printer unplugged mid-session (socat killed)', (_kind, transportFor) => {
  let pty: PtyPair;
  let vp: VirtualPrinter;
  let printer: TicketPrinter;
  beforeEach(async () => {
    pty = await openPtyPair();
    vp = new VirtualPrinter();
    await vp.attachSerialPort(pty.printerEnd, 9600);
    printer = new TicketPrinter(transportFor(pty.driverEnd), { paper: 80, statusTimeoutMs, ackTimeoutMs: 1000 });
  });
  afterEach(async () => {
    await printer.close();
    await vp.stop();
    await pty.dispose();
  });

  it('prints, then reports offline promptly and prints nothing once the cable is gone', async () => {
    expect(await printer.print(sampleJob())).toEqual({ outcome: 'printed', paperNearEnd: false });
    expect(vp.tickets()).toHaveLength(1);

    await pty.unplug();
    const started = Date.now();
    const status = await printer.status();
    expect(status.state).toBe('offline');
    expect(status.detail).toBeTruthy();
    expect(Date.now() - started).toBeLessThan(statusTimeoutMs + 1000);

    const again = Date.now();
    const result = await printer.print(sampleJob({ label: 'A008' }));
    expect(result.outcome).toBe('offline');
    expect(Date.now() - again).toBeLessThan(statusTimeoutMs + 1000);
    expect(vp.tickets()).toHaveLength(1);
  });

  it('a printer powered off behind a live cable is offline after the status timeout, and gets no job', async () => {
    expect((await printer.status()).state).toBe('ready');
    vp.setReplies({ status: false });
    const started = Date.now();
    const result = await printer.print(sampleJob());
    expect(result.outcome).toBe('offline');
    expect(result.detail).toContain('does not answer');
    expect(Date.now() - started).toBeLessThan(statusTimeoutMs + 500);
    expect(vp.tickets()).toHaveLength(0);
    expect(vp.events().every((e) => e.type === 'status-request')).toBe(true);
  });
});
