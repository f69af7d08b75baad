import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PrintResult, TicketPrintJob } from '../../../core/printing/printing.ts';
import { printAndRecord } from '../../../renderer/printing/print-and-record.ts';
import { buildTicketPrintJob } from '../../../renderer/printing/ticket-print-job.ts';
import { KioskDevice, demoService } from '../support/issuer-fixture.ts';

const service = demoService('biz-registration');
let device: KioskDevice;
afterEach(() => device?.close());

async function issued() {
  device = new KioskDevice('2026-11-25T01:30:00Z');
  const { issuer } = device.start();
  const result = await issuer.issue(service, 'normal');
  if (!result.ok) throw new Error('no ticket');
  const job = (): TicketPrintJob => buildTicketPrintJob({ ticket: result.ticket, service, hallName: '市政务服务中心', timeZone: 'Asia/Shanghai' });
  return { issuer, ticket: result.ticket, job };
}

describe('printAndRecord', () => {
  it('issues the ticket when the printer confirms', async () => {
    const { issuer, ticket, job } = await issued();
    const print = vi.fn(async (): Promise<PrintResult> => ({ outcome: 'printed', paperNearEnd: true }));
    const { result, ticket: after } = await printAndRecord(ticket, job, { printer: { print }, issuer });
    expect(print).toHaveBeenCalledTimes(1);
    // With the ticket's ref, so the privileged side keeps its own record of what it printed.
    expect(print.mock.calls[0]).toEqual([job(), { ticketId: ticket.id, businessDay: '2026-11-25' }]);
    expect(result.outcome).toBe('printed');
    expect(after?.state).toBe('issued');
  });

  it('records the cause the printer gives', async () => {
    const { issuer, ticket, job } = await issued();
    const print = async (): Promise<PrintResult> => ({ outcome: 'cover-open', paperNearEnd: false });
    const { ticket: after } = await printAndRecord(ticket, job, { printer: { print }, issuer });
    expect(after).toMatchObject({ state: 'unprinted', lastPrintError: 'cover-open' });
  });

  it('calls a failed call unknown and does not retry it', async () => {
    const { issuer, ticket, job } = await issued();
    const print = vi.fn(async (): Promise<PrintResult> => {
      throw new Error('printer.print: host unreachable');
    });
    const { result, ticket: after } = await printAndRecord(ticket, job, { printer: { print }, issuer });
    expect(print).toHaveBeenCalledTimes(1);
    expect(result.outcome).toBe('unknown');
    expect(after?.state).toBe('unprinted');
  });

  it('gives up waiting after the timeout, as unknown', async () => {
    const { issuer, ticket, job } = await issued();
    const print = (): Promise<PrintResult> => new Promise(() => undefined);
    const { result } = await printAndRecord(ticket, job, { printer: { print }, issuer, timeoutMs: 20 });
    expect(result).toMatchObject({ outcome: 'unknown', detail: 'no answer from the printer service' });
    expect((await issuer.ticket(ticket.id))?.state).toBe('unprinted');
  });

  it('sends nothing when the job cannot be built, and says so', async () => {
    const { issuer, ticket } = await issued();
    const print = vi.fn();
    const { result } = await printAndRecord(
      ticket,
      () => {
        throw new Error('serviceName too long');
      },
      { printer: { print }, issuer },
    );
    expect(print).not.toHaveBeenCalled();
    expect(result.outcome).toBe('error');
    expect((await issuer.ticket(ticket.id))?.state).toBe('unprinted');
  });

  it('still reports the outcome when it cannot be recorded', async () => {
    const { ticket, job } = await issued();
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const recordPrint = vi.fn(async () => {
      throw new Error('database closed');
    });
    const { result, ticket: after } = await printAndRecord(ticket, job, {
      printer: { print: async () => ({ outcome: 'printed', paperNearEnd: false }) },
      issuer: { recordPrint },
    });
    expect(result.outcome).toBe('printed');
    expect(after).toBeNull();
    expect(logged).toHaveBeenCalledTimes(1);
    logged.mockRestore();
  });
});
