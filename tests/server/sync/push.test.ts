import { expect, it } from 'vitest';
import { describeEngines } from '../support/engines.ts';
import { api } from '../support/http.ts';
import { leasesFor } from '../support/number-grants.ts';
import { TestKiosk } from '../support/kiosk.ts';
import { countRows, inspect } from '../support/servers.ts';
import { useHallServer } from '../support/hall-under-test.ts';

describeEngines('sync push', (engine) => {
  const hall = useHallServer(engine, { kiosk: 'kiosk A' });
  const t0 = Date.parse('2026-03-02T01:00:00Z');

  it('applies a batch once; replaying it changes nothing', async () => {
    for (let n = 1; n <= 5; n++) {
      const ticket = hall.kiosk.issue({ serviceId: 'ss-card', prefix: 'D', sequence: n, issuedAt: t0 + n * 1000 });
      hall.kiosk.printed(ticket, t0 + n * 1000 + 800);
    }
    const first = await hall.kiosk.push();
    expect(first.status).toBe(200);
    expect(first.body.results.map((r: { status: string }) => r.status)).toEqual(Array(10).fill('applied'));
    expect(first.body.lastAppliedSeq).toBe(10);
    const after = await countRows(hall.db);

    const replay = await hall.kiosk.push();
    expect(replay.status).toBe(200);
    expect(replay.body.results.map((r: { status: string }) => r.status)).toEqual(Array(10).fill('duplicate'));
    expect(await countRows(hall.db)).toEqual(after);
    expect(after).toMatchObject({ tickets: 5, device_events: 10, dead_letters: 0 });

    const states = await inspect(hall.db, (k) => k.selectFrom('tickets').select(['state', 'print_attempts']).execute());
    expect(states.every((t) => t.state === 'issued' && t.print_attempts === 1)).toBe(true);
  });

  it('acknowledges an overlapping batch: the old part as duplicates, the new part applied', async () => {
    for (let n = 1; n <= 5; n++) hall.kiosk.issue({ serviceId: 'ss-card', prefix: 'D', sequence: n, issuedAt: t0 + n });
    await hall.kiosk.push(hall.kiosk.outbox.slice(0, 3));
    const overlap = await hall.kiosk.push(hall.kiosk.outbox.slice(1));
    expect(overlap.body.results.map((r: { seq: number; status: string }) => `${r.seq}:${r.status}`)).toEqual(['2:duplicate', '3:duplicate', '4:applied', '5:applied']);
    expect((await countRows(hall.db)).tickets).toBe(5);
  });

  it('applies the same batch exactly once when it arrives several times at once', async () => {
    for (let n = 1; n <= 20; n++) hall.kiosk.issue({ serviceId: 'pension', prefix: 'E', sequence: n, issuedAt: t0 + n });
    const responses = await Promise.all(Array.from({ length: 5 }, () => hall.kiosk.push()));
    const applied = responses.flatMap((r) => r.body.results ?? []).filter((r: { status: string }) => r.status === 'applied');
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(applied.map((r: { seq: number }) => r.seq).sort((a: number, b: number) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const final = await hall.kiosk.push();
    expect(final.body.results.every((r: { status: string }) => r.status === 'duplicate')).toBe(true);
    expect(await countRows(hall.db)).toMatchObject({ tickets: 20, device_events: 20 });
  });

  it('dead-letters an event that can never apply, visibly, and applies the next one', async () => {
    hall.kiosk.custom('ticket.teleported', { to: 'mars' }, t0);
    const ticket = hall.kiosk.issue({ serviceId: 'ss-card', prefix: 'D', sequence: 1, issuedAt: t0 + 1 });
    hall.kiosk.printed(ticket, t0 + 2);
    const response = await hall.kiosk.push();
    expect(response.status).toBe(200);
    expect(response.body.results).toMatchObject([
      { seq: 1, status: 'dead-lettered', reason: expect.stringContaining('unknown event type "ticket.teleported"') },
      { seq: 2, status: 'applied' },
      { seq: 3, status: 'applied' },
    ]);
    expect(response.body.lastAppliedSeq).toBe(3);

    const letters = await api(hall.server.url, 'GET', '/api/v1/admin/dead-letters', { token: await hall.adminToken() });
    expect(letters.status).toBe(200);
    expect(letters.body.deadLetters).toMatchObject([{ deviceId: hall.kiosk.deviceId, deviceName: 'kiosk A', seq: 1, type: 'ticket.teleported', payload: { to: 'mars' } }]);

    expect((await hall.kiosk.push()).body.results.map((r: { status: string }) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect((await countRows(hall.db)).dead_letters).toBe(1);
  });

  it('dead-letters a ticket whose number another kiosk already holds, and goes on', async () => {
    const other = await hall.enrolKiosk('kiosk B');
    other.issue({ serviceId: 'ss-card', prefix: 'D', sequence: 7, issuedAt: t0 });
    expect((await other.push()).body.results[0].status).toBe('applied');

    const clash = hall.kiosk.issue({ serviceId: 'ss-card', prefix: 'D', sequence: 7, issuedAt: t0 + 5 });
    hall.kiosk.printed(clash, t0 + 6);
    hall.kiosk.issue({ serviceId: 'ss-card', prefix: 'D', sequence: 8, issuedAt: t0 + 7 });
    const response = await hall.kiosk.push();
    expect(response.body.results).toMatchObject([
      { seq: 1, status: 'dead-lettered', reason: expect.stringContaining('duplicate number') },
      { seq: 2, status: 'dead-lettered', reason: expect.stringContaining('unknown ticket') },
      { seq: 3, status: 'applied' },
    ]);
    const labels = await inspect(hall.db, (k) => k.selectFrom('tickets').select(['label', 'device_id']).orderBy('label').execute());
    expect(labels).toEqual([
      { label: 'D007', device_id: other.deviceId },
      { label: 'D008', device_id: hall.kiosk.deviceId },
    ]);
  });

  it('refuses a batch that starts past a gap with 409 and the seq to resume from, storing nothing', async () => {
    for (let n = 1; n <= 4; n++) hall.kiosk.issue({ serviceId: 'ss-card', prefix: 'D', sequence: n, issuedAt: t0 + n });
    await hall.kiosk.push(hall.kiosk.outbox.slice(0, 1));
    const gap = await hall.kiosk.push(hall.kiosk.outbox.slice(2));
    expect(gap.status).toBe(409);
    expect(gap.body.error).toMatchObject({ code: 'seq-gap', lastAppliedSeq: 1, message: expect.stringContaining('send from seq 2') });
    expect((await countRows(hall.db)).tickets).toBe(1);
  });

  it('moves past events the server lost and the kiosk no longer holds, recording the loss', async () => {
    for (let n = 1; n <= 6; n++) hall.kiosk.issue({ serviceId: 'ss-card', prefix: 'D', sequence: n, issuedAt: t0 + n });
    await hall.kiosk.push(hall.kiosk.outbox.slice(0, 2));
    const response = await hall.kiosk.push(hall.kiosk.outbox.slice(4), { prunedThrough: 4 });
    expect(response.status).toBe(200);
    expect(response.body.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied']);
    expect(response.body.lastAppliedSeq).toBe(6);
    const lost = await inspect(hall.db, (k) => k.selectFrom('dead_letters').select(['seq', 'last_seq', 'reason']).execute());
    expect(lost).toMatchObject([{ seq: 3, last_seq: 4, reason: expect.stringContaining('lost') }]);
  });

  it('refuses a reused seq carrying a different event (a kiosk whose log was reset) with 409', async () => {
    hall.kiosk.issue({ serviceId: 'ss-card', prefix: 'D', sequence: 1, issuedAt: t0 });
    await hall.kiosk.push();
    const impostor = { ...hall.kiosk.outbox[0]!, id: '019cac6e-8000-7000-8000-000000000001' };
    const response = await hall.kiosk.push([impostor]);
    expect(response.status).toBe(409);
    expect(response.body.error).toMatchObject({ code: 'seq-conflict', lastAppliedSeq: 1 });
  });

  it("records each ticket's clock offset and corrected issue time", async () => {
    // This kiosk's clock runs 90 s fast and sends no estimate: the server measures it from sentAt.
    const fast = new TestKiosk(hall.kiosk.baseUrl, hall.kiosk.deviceId, hall.kiosk.token, { trueNow: () => hall.server.clock.now(), skewMs: 90_000 }, leasesFor(() => hall.server.db.db));
    const issuedAt = fast.deviceNow();
    fast.issue({ serviceId: 'ss-card', prefix: 'D', sequence: 1, issuedAt });
    // This event carries the kiosk's own estimate, which wins over the server's measurement.
    fast.issue({ serviceId: 'ss-card', prefix: 'D', sequence: 2, issuedAt: issuedAt + 5_000, clockOffsetMs: -90_000 });
    expect((await fast.push()).status).toBe(200);
    const rows = await inspect(hall.db, (k) => k.selectFrom('tickets').select(['sequence', 'clock_offset_ms', 'corrected_issued_at']).orderBy('sequence').execute());
    expect(Math.abs(rows[0]!.clock_offset_ms + 90_000)).toBeLessThan(2_000);
    expect(Math.abs(rows[0]!.corrected_issued_at - (issuedAt - 90_000))).toBeLessThan(2_000);
    expect(rows[1]).toMatchObject({ clock_offset_ms: -90_000, corrected_issued_at: issuedAt - 85_000 });
  });

  it('follows a ticket through print failure, reprint and void', async () => {
    const ticket = hall.kiosk.issue({ serviceId: 'ss-card', prefix: 'D', sequence: 1, issuedAt: t0 });
    hall.kiosk.custom('ticket.print-failed', { ticketId: ticket.id, outcome: 'paper-out', printAttempts: 1 }, t0 + 1);
    await hall.kiosk.push();
    expect(await inspect(hall.db, (k) => k.selectFrom('tickets').select(['state', 'last_print_error']).executeTakeFirst())).toEqual({ state: 'unprinted', last_print_error: 'paper-out' });
    hall.kiosk.custom('ticket.voided', { ticketId: ticket.id, reason: 'citizen left' }, t0 + 2);
    hall.kiosk.custom('ticket.printed', { ticketId: ticket.id, printAttempts: 2 }, t0 + 3);
    const response = await hall.kiosk.push();
    expect(response.body.results).toMatchObject([
      { seq: 1, status: 'duplicate' },
      { seq: 2, status: 'duplicate' },
      { seq: 3, status: 'applied' },
      { seq: 4, status: 'dead-lettered', reason: expect.stringContaining('voided') },
    ]);
  });
});
