import { afterEach, describe, expect, it } from 'vitest';
import type { PrintResult } from '../../../core/printing/printing.ts';
import type { Ticket } from '../../../core/ticket/ticket.ts';
import { outboxInOrder } from '../../../renderer/db/outbox.ts';
import type { TicketIssuer } from '../../../renderer/db/ticket-issuer.ts';
import { KioskDevice, demoService } from '../support/issuer-fixture.ts';

const company = demoService('biz-registration'); // prefix A
const printed: PrintResult = { outcome: 'printed', paperNearEnd: false };
const paperOut: PrintResult = { outcome: 'paper-out', paperNearEnd: false };

let device: KioskDevice;
afterEach(() => device?.close());

async function issueAndPrint(issuer: TicketIssuer, result: PrintResult): Promise<Ticket> {
  const issued = await issuer.issue(company, 'normal');
  if (!issued.ok) throw new Error(JSON.stringify(issued));
  return issuer.recordPrint(issued.ticket.id, result);
}

describe("voiding today's printed tickets (maintenance screen)", () => {
  it('lists only today\'s printed tickets, newest first, and a voided one leaves the list, the count and syncs as ticket.voided', async () => {
    device = new KioskDevice('2026-11-25T01:30:00Z');
    const { db, issuer } = device.start();
    const yesterday = await issueAndPrint(issuer, printed);
    device.clock.advance(24 * 3600_000);
    const a = await issueAndPrint(issuer, printed);
    device.clock.advance(60_000);
    await issueAndPrint(issuer, paperOut);
    device.clock.advance(60_000);
    const c = await issueAndPrint(issuer, printed);

    expect((await issuer.issuedToday()).map((t) => t.label)).toEqual([c.label, a.label]);
    expect((await issuer.issuedToday(1)).map((t) => t.id)).toEqual([c.id]);
    expect(await issuer.issuedCount(company.id, a.businessDay)).toBe(2);

    await issuer.void(a.id, 'staff: issued ticket voided');
    expect((await issuer.issuedToday()).map((t) => t.id)).toEqual([c.id]);
    expect(await issuer.issuedCount(company.id, a.businessDay)).toBe(1);
    const events = await outboxInOrder(db);
    expect(events.at(-1)).toMatchObject({ type: 'ticket.voided', ticketId: a.id, reason: 'staff: issued ticket voided' });
    expect(yesterday.businessDay).not.toBe(a.businessDay);
  });
});
