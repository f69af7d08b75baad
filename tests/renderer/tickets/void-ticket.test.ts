import { afterEach, describe, expect, it, vi } from 'vitest';
import { voidTicket } from '../../../renderer/tickets/void-ticket.ts';
import { KioskDevice, demoService } from '../support/issuer-fixture.ts';

let device: KioskDevice;
afterEach(() => device?.close());

describe('voiding a ticket', () => {
  it("voids it in the page's records and notes it in the kiosk's print record; a note that fails leaves the void standing", async () => {
    device = new KioskDevice('2026-11-25T01:30:00Z');
    const { issuer } = device.start();
    const issued = await issuer.issue(demoService('ss-card'), 'normal');
    if (!issued.ok) throw new Error('refused');
    await issuer.recordPrint(issued.ticket.id, { outcome: 'printed', paperNearEnd: false });
    const noteVoided = vi.fn(async () => ({ ok: true as const }));
    expect(await voidTicket(issued.ticket, '群众退号', { issuer, printer: { noteVoided } })).toMatchObject({ state: 'voided' });
    expect(noteVoided).toHaveBeenCalledWith({ ticketId: issued.ticket.id, businessDay: '2026-11-25' });

    const second = await issuer.issue(demoService('ss-card'), 'normal');
    if (!second.ok) throw new Error('refused');
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const failing = async (): Promise<{ ok: true }> => Promise.reject(new Error('printer.noteVoided: staff sign-in required'));
    expect(await voidTicket(second.ticket, '群众退号', { issuer, printer: { noteVoided: failing } })).toMatchObject({ state: 'voided' });
    expect((await issuer.ticket(second.ticket.id))?.state).toBe('voided');
    expect(logged).toHaveBeenCalledTimes(1);
    logged.mockRestore();
  });
});
