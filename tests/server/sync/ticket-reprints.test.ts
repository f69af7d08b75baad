import { expect, it } from 'vitest';
import type { Ticket } from '../../../core/ticket/ticket.ts';
import { describeEngines } from '../support/engines.ts';
import { countRows, inspect } from '../support/servers.ts';
import { useHallServer } from '../support/hall-under-test.ts';

// 补打: a printed ticket reprinted for a citizen who lost it, synced as ticket.reprinted.
describeEngines('ticket.reprinted events', (engine) => {
  const hall = useHallServer(engine, { kiosk: 'kiosk A' });
  const t0 = Date.parse('2026-03-02T01:00:00Z');

  const row = () =>
    inspect(hall.db, (k) =>
      k.selectFrom('tickets').select(['label', 'sequence', 'state', 'print_attempts', 'reprint_count', 'last_reprinted_at']).executeTakeFirstOrThrow(),
    );

  function printedTicket(): Ticket {
    const ticket = hall.kiosk.issue({ serviceId: 'ss-card', prefix: 'D', sequence: 12, issuedAt: t0 });
    hall.kiosk.printed(ticket, t0 + 800);
    return ticket;
  }

  it('counts a reprint once, keeps the number and state, and a replayed push changes nothing', async () => {
    const ticket = printedTicket();
    const first = await hall.kiosk.push();
    expect(first.body.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied']);
    expect(await row()).toEqual({ label: 'D012', sequence: 12, state: 'issued', print_attempts: 1, reprint_count: 0, last_reprinted_at: null });

    // The kiosk's clock runs 90 s fast and says so: the server keeps the corrected time.
    const at = t0 + 3_600_000;
    hall.kiosk.outbox.push({ seq: 3, id: '019cac6e-8000-7000-8000-0000000000a3', type: 'ticket.reprinted', at, clockOffsetMs: -90_000, payload: { ticketId: ticket.id, printAttempts: 2, outcome: 'printed' } });
    const reprint = await hall.kiosk.push();
    expect(reprint.body.results).toMatchObject([{ status: 'duplicate' }, { status: 'duplicate' }, { seq: 3, status: 'applied' }]);
    expect(await row()).toEqual({ label: 'D012', sequence: 12, state: 'issued', print_attempts: 2, reprint_count: 1, last_reprinted_at: at - 90_000 });

    const replay = await hall.kiosk.push();
    expect(replay.body.results.map((r: { status: string }) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect((await row()).reprint_count).toBe(1);
    const events = await inspect(hall.db, (k) => k.selectFrom('device_events').select(['seq', 'type', 'outcome']).where('type', '=', 'ticket.reprinted').execute());
    expect(events).toEqual([{ seq: 3, type: 'ticket.reprinted', outcome: 'applied' }]);
  });

  it('counts each further reprint, one that may have printed too, but the same reprint sent again under a new seq only once', async () => {
    const ticket = printedTicket();
    hall.kiosk.custom('ticket.reprinted', { ticketId: ticket.id, printAttempts: 2, outcome: 'printed' }, t0 + 10_000);
    hall.kiosk.custom('ticket.reprinted', { ticketId: ticket.id, printAttempts: 3, outcome: 'unknown' }, t0 + 20_000);
    hall.kiosk.custom('ticket.reprinted', { ticketId: ticket.id, printAttempts: 3, outcome: 'unknown' }, t0 + 30_000);
    const response = await hall.kiosk.push();
    expect(response.body.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied']);
    expect(await row()).toMatchObject({ state: 'issued', print_attempts: 3, reprint_count: 2 });
    // The second reprint's time, corrected by the batch's offset as the ticket's issue time was; not the repeat's.
    const { last_reprinted_at, corrected_issued_at } = await inspect(hall.db, (k) => k.selectFrom('tickets').select(['last_reprinted_at', 'corrected_issued_at']).executeTakeFirstOrThrow());
    expect(last_reprinted_at).toBe(corrected_issued_at + 20_000);
    expect((await countRows(hall.db)).dead_letters).toBe(0);
  });

  it('dead-letters the reprint of a voided or unprinted ticket, saying why, and leaves the ticket as it was', async () => {
    const voided = printedTicket();
    hall.kiosk.custom('ticket.voided', { ticketId: voided.id, reason: 'staff' }, t0 + 1_000);
    hall.kiosk.custom('ticket.reprinted', { ticketId: voided.id, printAttempts: 2, outcome: 'printed' }, t0 + 2_000);
    const unprinted = hall.kiosk.issue({ serviceId: 'ss-card', prefix: 'D', sequence: 13, issuedAt: t0 + 3_000 });
    hall.kiosk.custom('ticket.print-failed', { ticketId: unprinted.id, outcome: 'paper-out', printAttempts: 1 }, t0 + 3_500);
    hall.kiosk.custom('ticket.reprinted', { ticketId: unprinted.id, printAttempts: 2, outcome: 'printed' }, t0 + 4_000);
    const response = await hall.kiosk.push();
    expect(response.body.results).toMatchObject([
      { seq: 1, status: 'applied' },
      { seq: 2, status: 'applied' },
      { seq: 3, status: 'applied' },
      { seq: 4, status: 'dead-lettered', reason: 'ticket D012 is voided: a voided ticket is never reprinted' },
      { seq: 5, status: 'applied' },
      { seq: 6, status: 'applied' },
      { seq: 7, status: 'dead-lettered', reason: 'ticket D013 is unprinted: only a printed ticket can be reprinted' },
    ]);
    const rows = await inspect(hall.db, (k) => k.selectFrom('tickets').select(['label', 'state', 'print_attempts', 'reprint_count', 'last_reprinted_at']).orderBy('label').execute());
    expect(rows).toEqual([
      { label: 'D012', state: 'voided', print_attempts: 1, reprint_count: 0, last_reprinted_at: null },
      { label: 'D013', state: 'unprinted', print_attempts: 1, reprint_count: 0, last_reprinted_at: null },
    ]);
  });

  it('refuses a malformed reprint with 400 naming the field, and stores nothing of the batch', async () => {
    const ticket = printedTicket();
    const good = { ticketId: ticket.id, printAttempts: 2, outcome: 'printed' };
    const cases: [payload: unknown, field: string][] = [
      [{ ...good, printAttempts: 'two' }, 'events[2].payload.printAttempts'],
      [{ ...good, printAttempts: 1 }, 'events[2].payload.printAttempts'],
      [{ ...good, outcome: 'paper-out' }, 'events[2].payload.outcome'],
      [{ printAttempts: 2, outcome: 'printed' }, 'events[2].payload.ticketId'],
      [{ ...good, ticketId: 'A012' }, 'events[2].payload.ticketId'],
    ];
    for (const [payload, field] of cases) {
      const bad = { seq: 3, id: '019cac6e-8000-7000-8000-0000000000b3', type: 'ticket.reprinted', at: t0 + 5_000, payload };
      const response = await hall.kiosk.push([...hall.kiosk.outbox, bad]);
      expect(response.status, JSON.stringify(payload)).toBe(400);
      expect(response.body.error, JSON.stringify(payload)).toMatchObject({ code: 'invalid-body', field });
      expect(response.body.error.message).toContain(field);
    }
    expect(await countRows(hall.db)).toMatchObject({ tickets: 0, device_events: 0, dead_letters: 0 });

    hall.kiosk.custom('ticket.reprinted', good, t0 + 5_000);
    expect((await hall.kiosk.push()).body.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied', 'applied']);
    expect(await row()).toMatchObject({ reprint_count: 1, print_attempts: 2 });
  });

  it("dead-letters a reprint of another kiosk's ticket", async () => {
    const other = await hall.enrolKiosk('kiosk B');
    const theirs = other.issue({ serviceId: 'ss-card', prefix: 'D', sequence: 1, issuedAt: t0 });
    other.printed(theirs, t0 + 1);
    await other.push();
    hall.kiosk.custom('ticket.reprinted', { ticketId: theirs.id, printAttempts: 2, outcome: 'printed' }, t0 + 2);
    expect((await hall.kiosk.push()).body.results).toMatchObject([{ status: 'dead-lettered', reason: 'ticket D001 belongs to another device' }]);
    expect(await row()).toMatchObject({ reprint_count: 0, print_attempts: 1 });
  });
});
