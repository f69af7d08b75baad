import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTicketPrinter } from '../../hardware/printer/index.ts';
import { TcpTransport } from '../../hardware/printer/tcp-transport.ts';
import { encodeTicket } from '../../hardware/printer/ticket-encoder.ts';
import { TicketPrinter } from '../../hardware/printer/ticket-printer.ts';
import { VirtualPrinter } from '../../hardware/sim/virtual-printer.ts';
import { blackHolePort } from './support/black-hole.ts';
import { sampleJob } from './support/sample-job.ts';
import { freePort } from '../support/free-port.ts';

/** DLE EOT 1, 2 and 4: the status check before every job */
const statusBytes = 9;
const ackBytes = 3;
const jobBytes = (label = 'A007') => encodeTicket(sampleJob({ label }), 80).length;
const fast = { paper: 80, statusTimeoutMs: 300, ackTimeoutMs: 1000 } as const;

describe('TicketPrinter against the virtual printer over TCP', () => {
  let vp: VirtualPrinter;
  let printer: TicketPrinter;
  beforeEach(async () => {
    vp = new VirtualPrinter();
    await vp.start({ port: 0 });
    printer = createTicketPrinter(vp.printerAddress(), fast);
  });
  afterEach(async () => {
    await printer.close();
    await vp.stop();
  });

  it('reports a healthy printer as ready', async () => {
    expect(await printer.status()).toEqual({ state: 'ready', paperNearEnd: false });
  });

  it('prints a ticket, checking status first and sending the job once with its ack request', async () => {
    const result = await printer.print(sampleJob());
    expect(result).toEqual({ outcome: 'printed', paperNearEnd: false });
    expect(vp.tickets()).toHaveLength(1);
    expect(vp.lastTicket()!.lines).toContain('A007');
    expect(vp.lastTicket()!.qrPayloads).toEqual([sampleJob().qrPayload]);
    expect(vp.bytesReceived).toBe(statusBytes + jobBytes() + ackBytes);
    expect(vp.events().map((e) => e.type).slice(0, 4)).toEqual(['status-request', 'status-request', 'status-request', 'init']);
    expect(vp.previewOfLastTicket()).toContain('A   0   0   7');
    expect(vp.previewOfLastTicket()).toContain(`[QR: ${sampleJob().qrPayload}]`);
    expect(vp.previewOfLastTicket()).toContain('-- cut --');
  });

  it('reports paper near end with a successful print', async () => {
    vp.setCondition({ paperNearEnd: true });
    expect(await printer.status()).toMatchObject({ state: 'ready', paperNearEnd: true });
    expect(await printer.print(sampleJob())).toEqual({ outcome: 'printed', paperNearEnd: true });
    expect(vp.tickets()).toHaveLength(1);
  });

  it.each([
    ['paper out', { paperOut: true }, 'paper-out', statusBytes],
    ['cover open', { coverOpen: true }, 'cover-open', statusBytes],
    ['offline', { offline: true }, 'offline', statusBytes],
    ['error', { error: 'autocutter' as const }, 'error', statusBytes + 3],
  ])('%s: refuses with a typed outcome and sends nothing but the status check', async (_name, condition, outcome, bytes) => {
    vp.setCondition(condition);
    const result = await printer.print(sampleJob());
    expect(result.outcome).toBe(outcome);
    expect(result.detail).toBeTruthy();
    expect(vp.tickets()).toHaveLength(0);
    expect(vp.discardedJobs).toBe(0);
    expect(vp.bytesReceived).toBe(bytes);
    expect(vp.events().every((e) => e.type === 'status-request')).toBe(true);
    expect((await printer.status()).state).toBe(outcome);
  });

  it('names the error cause', async () => {
    vp.setCondition({ error: 'autocutter' });
    expect((await printer.print(sampleJob())).detail).toContain('autocutter');
  });

  it('prints again once the fault is cleared', async () => {
    vp.setCondition({ coverOpen: true });
    expect((await printer.print(sampleJob())).outcome).toBe('cover-open');
    vp.setCondition({ coverOpen: false });
    expect((await printer.print(sampleJob())).outcome).toBe('printed');
    expect(vp.tickets()).toHaveLength(1);
  });

  it('a printer that stopped answering status is offline, promptly, and gets no job', async () => {
    vp.setReplies({ status: false });
    const started = Date.now();
    const result = await printer.print(sampleJob());
    expect(result.outcome).toBe('offline');
    expect(result.detail).toContain('does not answer');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(vp.events().filter((e) => e.type !== 'status-request')).toEqual([]);
  });

  it("never resends when the acknowledgement never comes: 'unknown', job bytes sent exactly once", async () => {
    vp.setReplies({ jobAck: false });
    const started = Date.now();
    const result = await printer.print(sampleJob());
    expect(result.outcome).toBe('unknown');
    expect(result.detail).toContain('may have printed');
    expect(Date.now() - started).toBeLessThan(fast.ackTimeoutMs + 500);
    expect(vp.ticketCount).toBe(1);
    expect(vp.events().filter((e) => e.type === 'job-ack-request')).toHaveLength(1);
    expect(vp.bytesReceived).toBe(statusBytes + jobBytes() + ackBytes);
    // nothing is retried behind the caller's back
    await new Promise((r) => setTimeout(r, 400));
    expect(vp.ticketCount).toBe(1);
    expect(vp.bytesReceived).toBe(statusBytes + jobBytes() + ackBytes);
    // the caller decides to print another ticket: that one is new and confirmed
    vp.setReplies({ jobAck: true });
    expect((await printer.print(sampleJob({ label: 'A008' }))).outcome).toBe('printed');
    expect(vp.tickets().map((t) => t.lines.find((l) => /^A\d{3}$/.test(l)))).toEqual(['A007', 'A008']);
  });

  it('a late acknowledgement is not mistaken for the next status reply', async () => {
    vp.setReplies({ jobAckDelayMs: 500 });
    const slow = createTicketPrinter(vp.printerAddress(), { ...fast, ackTimeoutMs: 150 });
    try {
      expect((await slow.print(sampleJob())).outcome).toBe('unknown');
      await new Promise((r) => setTimeout(r, 500));
      expect(await slow.status()).toEqual({ state: 'ready', paperNearEnd: false });
    } finally {
      await slow.close();
    }
  });

  it('serializes concurrent calls: both print, in call order, never interleaved', async () => {
    vp.setReplies({ jobAckDelayMs: 80 });
    const [first, second, status] = await Promise.all([
      printer.print(sampleJob({ label: 'B001', serviceName: '第一张' })),
      printer.print(sampleJob({ label: 'B002', serviceName: '第二张' })),
      printer.status(),
    ]);
    expect(first.outcome).toBe('printed');
    expect(second.outcome).toBe('printed');
    expect(status.state).toBe('ready');
    const [a, b] = vp.tickets();
    expect(a!.lines).toContain('B001');
    expect(a!.lines).toContain('第一张');
    expect(a!.lines).not.toContain('第二张');
    expect(b!.lines).toContain('B002');
    expect(b!.lines).not.toContain('B001');
    // the wire shows: status, job 1, ack request, status, job 2, ack request, status
    const conversation = vp.events().flatMap((e) =>
      e.type === 'status-request' ? ['s'] : e.type === 'job-ack-request' ? ['ack'] : e.type === 'init' ? ['job'] : [],
    );
    expect(conversation).toEqual(['s', 's', 's', 'job', 'ack', 's', 's', 's', 'job', 'ack', 's', 's', 's']);
  });

  it('reconnects when the printer dropped an idle connection', async () => {
    expect((await printer.status()).state).toBe('ready');
    vp.disconnectClients();
    await new Promise((r) => setTimeout(r, 50));
    expect((await printer.print(sampleJob())).outcome).toBe('printed');
    expect(vp.tickets()).toHaveLength(1);
  });

  it('is offline promptly when the printer goes away mid-session', async () => {
    expect((await printer.print(sampleJob())).outcome).toBe('printed');
    await vp.stop();
    const started = Date.now();
    const status = await printer.status();
    expect(status.state).toBe('offline');
    expect(status.detail).toContain('connection refused');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('TicketPrinter without a printer', () => {
  it('an unreachable TCP port is offline quickly, with a clear detail', async () => {
    const printer = createTicketPrinter({ kind: 'tcp', host: '127.0.0.1', port: await freePort() }, fast);
    const started = Date.now();
    const result = await printer.print(sampleJob());
    expect(result).toMatchObject({ outcome: 'offline', paperNearEnd: false });
    expect(result.detail).toContain('connection refused');
    expect(Date.now() - started).toBeLessThan(500);
    await printer.close();
  });

  it('a network printer that never completes the connection is offline within the connect timeout', async () => {
    const hole = await blackHolePort();
    const printer = createTicketPrinter({ kind: 'tcp', host: '127.0.0.1', port: hole.port }, { ...fast, connectTimeoutMs: 300 });
    try {
      const started = Date.now();
      const result = await printer.print(sampleJob());
      expect(result.outcome).toBe('offline');
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      await printer.close();
      await hole.dispose();
    }
  });

  it('a device that answers with bytes that are no status is an error, and gets no job', async () => {
    const received: Buffer[] = [];
    const server = net.createServer((socket) => {
      socket.on('data', (chunk) => {
        received.push(chunk);
        socket.write('HTTP/1.1 400 Bad Request\r\n\r\n');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const printer = new TicketPrinter(() => new TcpTransport({ host: '127.0.0.1', port }), fast);
    try {
      const result = await printer.print(sampleJob());
      expect(result.outcome).toBe('error');
      expect(result.detail).toContain('not a status byte');
      expect(Buffer.concat(received).toString('hex')).toBe('100401');
    } finally {
      await printer.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("refuses to guess a transport for 'virtual'", () => {
    expect(() => createTicketPrinter({ kind: 'virtual' }, fast)).toThrow(/VirtualPrinter/);
  });
});
