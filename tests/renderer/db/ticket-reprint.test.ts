import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PrintedTicket } from '../../../core/kiosk/kiosk-api.ts';
import type { PrintResult, TicketPrintJob } from '../../../core/printing/printing.ts';
import { syncEventSchema } from '../../../core/sync/events.ts';
import type { Ticket } from '../../../core/ticket/ticket.ts';
import type { HallKioskDb } from '../../../renderer/db/hall-kiosk-db.ts';
import { outboxInOrder } from '../../../renderer/db/outbox.ts';
import { ReprintRefused } from '../../../renderer/db/ticket-issuer.ts';
import type { TicketIssuer } from '../../../renderer/db/ticket-issuer.ts';
import { reprintAndRecord, reprintFromRecord } from '../../../renderer/printing/print-and-record.ts';
import { buildTicketPrintJob } from '../../../renderer/printing/ticket-print-job.ts';
import { wireEventOf } from '../../../renderer/sync/wire-events.ts';
import { KioskDevice, demoService } from '../support/issuer-fixture.ts';

const company = demoService('biz-registration'); // prefix A
const printed: PrintResult = { outcome: 'printed', paperNearEnd: false };
const paperOut: PrintResult = { outcome: 'paper-out', paperNearEnd: false };
const unknown: PrintResult = { outcome: 'unknown', paperNearEnd: false, detail: 'no answer from the printer service' };

let device: KioskDevice;
afterEach(() => device?.close());

async function issueAndPrint(issuer: TicketIssuer, result: PrintResult = printed): Promise<Ticket> {
  const issued = await issuer.issue(company, 'normal');
  if (!issued.ok) throw new Error(JSON.stringify(issued));
  return issuer.recordPrint(issued.ticket.id, result);
}

function start(): { db: HallKioskDb; issuer: TicketIssuer } {
  device = new KioskDevice('2026-11-25T01:30:00Z');
  return device.start();
}

const reprintJob = (ticket: Ticket): TicketPrintJob => buildTicketPrintJob({ ticket, service: company, hallName: '市政务服务中心', timeZone: 'Asia/Shanghai', reprint: true });

describe('finding today\'s ticket by its number', () => {
  it('finds it however staff type it, today only, in any state', async () => {
    const { issuer } = start();
    const yesterday = await issueAndPrint(issuer);
    device.clock.advance(24 * 3600_000);
    const first = await issueAndPrint(issuer);
    const second = await issueAndPrint(issuer, paperOut);
    expect([yesterday.label, first.label, second.label]).toEqual(['A001', 'A001', 'A002']);

    for (const typed of ['A001', 'a001', ' a1 ', 'A01']) expect((await issuer.findToday(typed))?.id, typed).toBe(first.id);
    expect((await issuer.findToday('A002'))?.state).toBe('unprinted');
    expect(await issuer.findToday('A003')).toBeUndefined();
    expect(await issuer.findToday('B001')).toBeUndefined();
    expect(await issuer.findToday('')).toBeUndefined();
  });
});

describe('reprinting a printed ticket (补打)', () => {
  it('records a confirmed reprint as ticket.reprinted, keeping the number and state', async () => {
    const { db, issuer } = start();
    const ticket = await issueAndPrint(issuer);
    device.clock.advance(3_600_000);
    const print = vi.fn(async (): Promise<PrintResult> => printed);
    const outcome = await reprintAndRecord(ticket.id, reprintJob, { printer: { print }, issuer });

    expect(print).toHaveBeenCalledTimes(1);
    const job = (print.mock.calls[0] as unknown[])[0] as TicketPrintJob;
    expect(job).toMatchObject({ label: 'A001', footer: expect.stringMatching(/^补打/) });
    expect(outcome).toMatchObject({ kind: 'recorded', ticket: { id: ticket.id, label: 'A001', state: 'issued', printAttempts: 2 } });
    expect(await issuer.ticket(ticket.id)).toMatchObject({ label: 'A001', sequence: 1, state: 'issued', printAttempts: 2 });

    const last = (await outboxInOrder(db)).at(-1)!;
    expect(last).toMatchObject({ type: 'ticket.reprinted', ticketId: ticket.id, printAttempts: 2, outcome: 'printed', at: device.clock.now() });
    // What the sync engine sends is what the server's schema accepts.
    const wire = wireEventOf(last);
    expect(wire.type).toBe('ticket.reprinted');
    expect(syncEventSchema.safeParse(wire).success).toBe(true);
    expect(wire.payload).toEqual({ ticketId: ticket.id, printAttempts: 2, outcome: 'printed' });

    // A second loss, a second reprint.
    await reprintAndRecord(ticket.id, reprintJob, { printer: { print }, issuer });
    expect((await outboxInOrder(db)).filter((e) => e.type === 'ticket.reprinted').map((e) => 'printAttempts' in e && e.printAttempts)).toEqual([2, 3]);
  });

  it('records nothing when the printer is out of paper, and says so', async () => {
    const { db, issuer } = start();
    const ticket = await issueAndPrint(issuer);
    const before = await outboxInOrder(db);
    const outcome = await reprintAndRecord(ticket.id, reprintJob, { printer: { print: async () => paperOut }, issuer });
    expect(outcome).toEqual({ kind: 'not-printed', result: paperOut });
    expect(await outboxInOrder(db)).toEqual(before);
    expect(await issuer.ticket(ticket.id)).toEqual(ticket);
  });

  it('records a reprint that may have come out as outcome unknown', async () => {
    const { db, issuer } = start();
    const ticket = await issueAndPrint(issuer);
    const outcome = await reprintAndRecord(ticket.id, reprintJob, { printer: { print: async () => unknown }, issuer });
    expect(outcome.kind).toBe('recorded');
    expect((await outboxInOrder(db)).at(-1)).toMatchObject({ type: 'ticket.reprinted', ticketId: ticket.id, printAttempts: 2, outcome: 'unknown' });
  });

  it('never sends a voided or unprinted ticket to the printer, and the issuer refuses to record one', async () => {
    const { db, issuer } = start();
    const voided = await issueAndPrint(issuer);
    await issuer.void(voided.id, 'staff: issued ticket voided');
    const unprinted = await issueAndPrint(issuer, paperOut);
    const before = await outboxInOrder(db);
    const print = vi.fn(async (): Promise<PrintResult> => printed);

    expect(await reprintAndRecord(voided.id, reprintJob, { printer: { print }, issuer })).toEqual({ kind: 'refused', reason: 'voided' });
    expect(await reprintAndRecord(unprinted.id, reprintJob, { printer: { print }, issuer })).toEqual({ kind: 'refused', reason: 'unprinted' });
    expect(print).not.toHaveBeenCalled();

    const refusal = issuer.recordReprint(voided.id, printed);
    await expect(refusal).rejects.toBeInstanceOf(ReprintRefused);
    await expect(refusal).rejects.toThrow('ticket A001 is voided: a voided ticket is never reprinted');
    expect(await outboxInOrder(db)).toEqual(before);
  });

  it('does not record a reprint of a ticket voided while its slip was printing', async () => {
    const { db, issuer } = start();
    const ticket = await issueAndPrint(issuer);
    const print = async (): Promise<PrintResult> => {
      await issuer.void(ticket.id, 'staff: issued ticket voided');
      return printed;
    };
    expect(await reprintAndRecord(ticket.id, reprintJob, { printer: { print }, issuer })).toEqual({ kind: 'refused', reason: 'voided' });
    expect((await outboxInOrder(db)).map((e) => e.type)).not.toContain('ticket.reprinted');
  });
});

describe("reprinting from the kiosk's own print record, for a profile that no longer holds the ticket", () => {
  it('prints the recorded job once, marked 补打 and without the queue count, and records ticket.reprinted', async () => {
    // The ticket as the first profile printed it; the privileged side recorded the job it printed.
    const first = start();
    const ticket = await issueAndPrint(first.issuer);
    const original = { ...buildTicketPrintJob({ ticket, service: company, hallName: '市政务服务中心', timeZone: 'Asia/Shanghai', peopleAhead: 3 }) };
    expect(original.peopleAheadText).toBe('前面还有3人');
    const record: PrintedTicket = { ticketId: ticket.id, businessDay: ticket.businessDay, label: ticket.label, job: original, printedAt: ticket.issuedAt, prints: 1, voided: false };
    device.close();

    // A wiped profile: nothing of the ticket in its database.
    const { db, issuer } = start();
    expect(await issuer.findToday('A001')).toBeUndefined();
    const print = vi.fn(async (_job: TicketPrintJob, _ref?: unknown): Promise<PrintResult> => printed);
    const outcome = await reprintFromRecord(record, { printer: { print }, issuer });
    expect(outcome).toEqual({ kind: 'recorded', result: printed, ticket: null });
    expect(print).toHaveBeenCalledTimes(1);
    const [job, ref] = print.mock.calls[0]!;
    expect(job).toEqual({ ...(({ peopleAheadText: _p, ...rest }) => rest)(original), footer: expect.stringMatching(/^补打/) });
    expect(job.qrPayload).toBe(original.qrPayload);
    // The reprint is recorded by the privileged side too.
    expect(ref).toEqual({ ticketId: ticket.id, businessDay: '2026-11-25' });

    const events = await outboxInOrder(db);
    expect(events.map((e) => e.type)).toEqual(['ticket.reprinted']);
    const wire = wireEventOf(events[0]!);
    expect(syncEventSchema.safeParse(wire).success).toBe(true);
    expect(wire.payload).toEqual({ ticketId: ticket.id, printAttempts: 2, outcome: 'printed' });
    // The profile still holds no ticket: the reprint invents none.
    expect(await db.tickets.count()).toBe(0);
  });

  it('records nothing when the printer certainly printed nothing, and an unknown outcome as one that may have printed', async () => {
    const first = start();
    const ticket = await issueAndPrint(first.issuer);
    const record: PrintedTicket = { ticketId: ticket.id, businessDay: ticket.businessDay, label: ticket.label, job: reprintJob(ticket), printedAt: ticket.issuedAt, prints: 2, voided: false };
    device.close();
    const { db, issuer } = start();
    expect(await reprintFromRecord(record, { printer: { print: async () => paperOut }, issuer })).toEqual({ kind: 'not-printed', result: paperOut });
    expect(await outboxInOrder(db)).toEqual([]);
    expect(await reprintFromRecord(record, { printer: { print: async () => unknown }, issuer })).toMatchObject({ kind: 'recorded', result: unknown });
    expect((await outboxInOrder(db)).map((e) => [e.type, (e as { printAttempts?: number }).printAttempts])).toEqual([['ticket.reprinted', 3]]);

    // Voided since (the kiosk's record says so): never printed again.
    const print = vi.fn();
    expect(await reprintFromRecord({ ...record, voided: true }, { printer: { print }, issuer })).toEqual({ kind: 'refused', reason: 'voided' });
    expect(print).not.toHaveBeenCalled();
  });
});
