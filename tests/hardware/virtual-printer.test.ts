import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jobAckRequest, statusRequest } from '../../hardware/printer/status.ts';
import { TcpTransport } from '../../hardware/printer/tcp-transport.ts';
import { encodeTicket } from '../../hardware/printer/ticket-encoder.ts';
import { PrinterTransportError } from '../../hardware/printer/transport.ts';
import { VirtualPrinter } from '../../hardware/sim/virtual-printer.ts';
import { sampleJob } from './support/sample-job.ts';

describe('VirtualPrinter', () => {
  let vp: VirtualPrinter;
  let link: TcpTransport;
  beforeEach(async () => {
    vp = new VirtualPrinter();
    await vp.start({ port: 0 });
    link = new TcpTransport({ host: '127.0.0.1', port: vp.port });
    await link.open();
  });
  afterEach(async () => {
    await link.close();
    await vp.stop();
  });

  it('discards a job sent into a fault, does not acknowledge it, and still answers DLE EOT', async () => {
    vp.setCondition({ paperOut: true });
    await link.write(Buffer.concat([encodeTicket(sampleJob(), 80), jobAckRequest]));
    await expect(link.readExact(1, 200)).rejects.toMatchObject({ code: 'timeout' });
    expect(vp.tickets()).toHaveLength(0);
    expect(vp.discardedJobs).toBe(1);
    await link.write(statusRequest(4));
    expect([...(await link.readExact(1, 500))]).toEqual([0x7e]);
    // recovered: the next job prints, the discarded one never reappears
    vp.setCondition({ paperOut: false });
    await link.write(Buffer.concat([encodeTicket(sampleJob({ label: 'A008' }), 80), jobAckRequest]));
    expect([...(await link.readExact(1, 500))]).toEqual([0x00]);
    expect(vp.tickets().map((t) => t.lines)).toEqual([expect.arrayContaining(['A008'])]);
  });

  it('answers each DLE EOT n from the injected condition', async () => {
    const ask = async (n: 1 | 2 | 3 | 4) => {
      await link.write(statusRequest(n));
      return (await link.readExact(1, 500))[0];
    };
    expect([await ask(1), await ask(2), await ask(3), await ask(4)]).toEqual([0x12, 0x12, 0x12, 0x12]);
    vp.setCondition({ coverOpen: true, paperNearEnd: true });
    expect([await ask(1), await ask(2), await ask(4)]).toEqual([0x1a, 0x16, 0x1e]);
    vp.setCondition({ coverOpen: false, paperNearEnd: false, error: 'autocutter' });
    expect([await ask(1), await ask(2), await ask(3)]).toEqual([0x1a, 0x52, 0x1a]);
  });

  it('waitForTickets resolves once enough tickets are cut, and rejects on timeout', async () => {
    const waiting = vp.waitForTickets(2, 2000);
    await link.write(Buffer.concat([encodeTicket(sampleJob({ label: 'C001' }), 80), encodeTicket(sampleJob({ label: 'C002' }), 80)]));
    expect((await waiting).map((t) => t.number)).toEqual([1, 2]);
    await expect(vp.waitForTickets(3, 100)).rejects.toThrow('2 of 3 tickets');
  });

  it('renders a readable preview: centred lines, spaced-out big label, QR and cut', async () => {
    await link.write(encodeTicket(sampleJob(), 80));
    const [ticket] = await vp.waitForTickets(1, 1000);
    const rows = vp.previewText(ticket!).split('\n');
    expect(rows[0]).toBe(`${' '.repeat(15)}某某市政务服务中心`);
    expect(rows).toContain(`${' '.repeat(17)}A   0   0   7`);
    expect(rows.some((r) => r.includes('>> 优  先  ：  老  年  人 <<'))).toBe(true);
    // wider than the paper, so not indented
    expect(rows).toContain(`[QR: ${sampleJob().qrPayload}]`);
    expect(rows.at(-1)).toBe(`${' '.repeat(19)}-- cut --`);
    for (const row of rows.filter((r) => !r.startsWith('[QR'))) expect(row.length).toBeLessThanOrEqual(48);
  });

  it('stop() closes every connection', async () => {
    const read = link.readExact(1, 5000).catch((e: unknown) => e);
    await vp.stop();
    const error = await read;
    expect(error).toBeInstanceOf(PrinterTransportError);
    expect((error as PrinterTransportError).code).toBe('closed');
  });
});
