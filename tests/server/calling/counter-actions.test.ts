import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { pressOnLeg, signInAtWindow } from '../../../server/calling/counter-actions.ts';
import { saveWindow } from '../../../server/calling/windows.ts';
import { readQueueState } from '../../../server/queue/queue-counts.ts';
import { readWindowQueue } from '../../../server/calling/windows.ts';
import { saveCallingSettings } from '../../../server/calling/calling-settings-store.ts';
import { describeEngines } from '../support/engines.ts';
import { useHallServer } from '../support/hall-under-test.ts';
import { callingDeps, hallIdOf, press, pressed, printedTickets, refusal, setUpWindows, signedIn, storedEvents } from '../support/calling.ts';

const second = 1000;

describeEngines('counter calling: the store', (engine) => {
  const hall = useHallServer(engine, { kiosk: { name: 'entrance', trueTime: 'hall' } });

  async function legsOf(ticketIds: readonly string[]) {
    return hall.server.db.db.selectFrom('ticket_legs').selectAll().where('ticket_id', 'in', [...ticketIds]).execute();
  }

  it('queues a ticket once it is printed, never one still printing or unprinted, and takes a voided one out', async () => {
    const deps = callingDeps(hall.server);
    await setUpWindows(hall.server, [1]);
    const at = hall.clock.now();
    const [printed, printing, failed] = await printedTickets(hall.kiosk, [
      { sequence: 1, at },
      { sequence: 2, at: at + second, printed: false },
      { sequence: 3, at: at + 2 * second, printed: false },
    ]);
    hall.kiosk.custom('ticket.print-failed', { ticketId: failed!.id, outcome: 'paper-out', printAttempts: 1 }, at + 3 * second);
    expect((await hall.kiosk.push(hall.kiosk.outbox.slice(-1))).status).toBe(200);

    const legs = await legsOf([printed!.id, printing!.id, failed!.id]);
    expect(legs.map((l) => [l.ticket_id, l.state])).toEqual([[printed!.id, 'waiting']]);
    expect(legs[0]!.id).toBe(printed!.id);

    // The same push again (a retry) queues nothing twice.
    expect((await hall.kiosk.push()).status).toBe(200);
    expect(await legsOf([printed!.id])).toHaveLength(1);

    // The unprinted one printed after all: now it waits too, behind the first by issue time.
    hall.kiosk.custom('ticket.printed', { ticketId: failed!.id, printAttempts: 2 }, at + 4 * second);
    expect((await hall.kiosk.push(hall.kiosk.outbox.slice(-1))).status).toBe(200);
    const window = await signedIn(deps, 1);
    expect((await pressed(deps, window, { action: 'call' })).leg!.ticketId).toBe(printed!.id);

    // Voided while called: the leg is voided and the window released, in the push's transaction.
    hall.kiosk.custom('ticket.voided', { ticketId: printed!.id, reason: 'citizen left' }, at + 5 * second);
    expect((await hall.kiosk.push(hall.kiosk.outbox.slice(-1))).status).toBe(200);
    expect((await legsOf([printed!.id]))[0]!.state).toBe('voided');
    const queue = (await readWindowQueue(hall.server.db.db, hall.clock, 1))!;
    expect(queue.window).toMatchObject({ state: 'idle', legId: null });
    expect(queue.waiting.map((l) => l.ticketId)).toEqual([failed!.id]);
    expect((await pressed(deps, window, { action: 'call' })).leg!.ticketId).toBe(failed!.id);
    expect(await refusal(deps, { ...window }, { action: 'call' })).toBe('busy');
  });

  it('voids every open leg of a voided ticket — suspended or a no-show too — so none can come back', async () => {
    const deps = callingDeps(hall.server);
    await setUpWindows(hall.server, [1]);
    await saveCallingSettings(hall.server.db.db, await hallIdOf(hall.server.db.db), { noShowAfterCalls: 2, noShowAfterSeconds: 0, recallCooldownSeconds: 0 }, hall.clock.now());
    const at = hall.clock.now() - 60 * second;
    const [a, b] = await printedTickets(hall.kiosk, [{ sequence: 1, at }, { sequence: 2, at: at + second }]);
    const one = await signedIn(deps, 1);
    const first = await pressed(deps, one, { action: 'call' });
    await pressed(deps, one, { action: 'recall' });
    await pressed(deps, one, { action: 'no-show' });
    await pressed(deps, one, { action: 'call' });
    await pressed(deps, one, { action: 'start' });
    const suspended = await pressed(deps, one, { action: 'suspend' });
    for (const ticket of [a!, b!]) hall.kiosk.custom('ticket.voided', { ticketId: ticket.id, reason: 'left' }, hall.clock.now());
    expect((await hall.kiosk.push(hall.kiosk.outbox.slice(-2))).status).toBe(200);
    expect((await legsOf([a!.id, b!.id])).map((l) => l.state)).toEqual(['voided', 'voided']);
    const back = await pressOnLeg(deps, 'office', first.leg!.id, { idempotencyKey: randomUUID(), action: 'reactivate' });
    expect(back.ok ? null : back.refusal.refusal).toBe('closed');
    expect(await refusal(deps, one, { action: 'call-back', legId: suspended.leg!.id })).toBe('closed');
  });

  it('calls in corrected issue-time order, a ticket pushed late from an offline kiosk in its place, priority first within the quota', async () => {
    const deps = callingDeps(hall.server);
    await setUpWindows(hall.server, [1]);
    const offline = await hall.enrolKiosk('offline, clock 5 minutes slow', { trueTime: 'hall', skewMs: -5 * 60 * second });
    const t = hall.clock.now() - 10 * 60 * second;
    const [d1, d3] = await printedTickets(hall.kiosk, [{ sequence: 1, at: t + 10 * second }, { sequence: 3, at: t + 30 * second }]);
    // Issued in between while offline, pushed now, labelled from its reserve: the label must not order it.
    const [d2] = await printedTickets(offline, [{ sequence: 290, at: t + 20 * second - 5 * 60 * second, prefix: 'D' }]);
    const [e1, e2, e3] = await printedTickets(hall.kiosk, [
      { sequence: 4, at: t + 40 * second, priority: 'elderly' },
      { sequence: 5, at: t + 50 * second, priority: 'disabled' },
      { sequence: 6, at: t + 60 * second, priority: 'military' },
    ]);
    const window = await signedIn(deps, 1);
    const order: string[] = [];
    for (let i = 0; i < 6; i++) {
      const called = await pressed(deps, window, { action: 'call' });
      order.push(called.leg!.ticketId);
      await pressed(deps, window, { action: 'start' });
      await pressed(deps, window, { action: 'finish' });
    }
    // Two priority calls in a row (the default quota), then the oldest normal one, and so on.
    expect(order).toEqual([e1!.id, e2!.id, d1!.id, e3!.id, d2!.id, d3!.id]);
    expect(await refusal(deps, window, { action: 'call' })).toBe('queue-empty');
  });

  it('does every press by the tables and refuses the rest with a reason the clerk reads', async () => {
    const deps = callingDeps(hall.server);
    await setUpWindows(hall.server, [1, 2]);
    await setUpWindows(hall.server, [3], { main: ['pension'] });
    const at = hall.clock.now();
    const [a, b, c] = await printedTickets(hall.kiosk, [{ sequence: 1, at }, { sequence: 2, at: at + second }, { sequence: 3, at: at + 2 * second }]);
    const one = await signedIn(deps, 1);
    const two = await signedIn(deps, 2);
    const three = await signedIn(deps, 3);

    // Nothing held: nothing to start; a stranger cannot press at a window someone else signed in to.
    expect(await refusal(deps, one, { action: 'start' })).toBe('nothing-called');
    expect(await refusal(deps, { ...one, staffId: 'someone-else' }, { action: 'call' })).toBe('signed-in-by-other');
    const called = await pressed(deps, one, { action: 'call' });
    expect(called.leg).toMatchObject({ ticketId: a!.id, state: 'called', calls: 1, window: 1 });
    expect(called.window).toMatchObject({ state: 'calling', legId: called.leg!.id });

    // 重呼 waits out its cooldown; 过号 needs two calls and 60 s since the first.
    const recall = await press(deps, one, { action: 'recall' });
    expect(recall.ok ? null : recall.refusal).toMatchObject({ refusal: 'recall-cooldown', reason: { zh: expect.stringContaining('秒后再重呼') } });
    expect(await refusal(deps, one, { action: 'no-show' })).toBe('no-show-too-soon');
    hall.clock.advance(11 * second);
    expect((await pressed(deps, one, { action: 'recall' })).leg!.calls).toBe(2);
    expect(await refusal(deps, one, { action: 'no-show' })).toBe('no-show-too-soon');
    expect(await refusal(deps, one, { action: 'finish' })).toBe('start-first');
    expect(await refusal(deps, one, { action: 'pause', reason: 'away', note: null })).toBe('busy');
    hall.clock.advance(50 * second);
    expect((await pressed(deps, one, { action: 'no-show' })).leg!.state).toBe('no-show');

    // 过号重排 of a no-show is the admin's; the window calls on.
    const b1 = await pressed(deps, one, { action: 'call' });
    expect(b1.leg!.ticketId).toBe(b!.id);
    expect(await refusal(deps, two, { action: 'call-back', legId: b1.leg!.id })).toBe('not-suspended');
    await pressed(deps, one, { action: 'start' });
    const suspended = await pressed(deps, one, { action: 'suspend' });
    expect(suspended.leg!.state).toBe('suspended');
    expect(suspended.window).toMatchObject({ state: 'idle', legId: null });
    // Window 1 still holds its suspended leg: no other window may call it back.
    expect(await refusal(deps, two, { action: 'call-back', legId: b1.leg!.id })).toBe('other-window');
    const back = await pressed(deps, one, { action: 'call-back', legId: b1.leg!.id });
    expect(back.leg).toMatchObject({ state: 'called', calls: 1 });
    await pressed(deps, one, { action: 'start' });

    // 转移 to the pension service at window 3 only: window 2 never gets it, window 3 does, same number.
    const moved = await pressed(deps, one, { action: 'transfer', serviceId: 'pension', window: 3 });
    expect(moved.leg!.state).toBe('transferred');
    expect(moved.created).toMatchObject({ ticketId: b!.id, label: b1.leg!.label, serviceId: 'pension', pinnedWindow: 3, state: 'waiting', parentLegId: b1.leg!.id, issuedAt: b1.leg!.issuedAt });
    expect((await pressed(deps, two, { action: 'call' })).leg!.ticketId).toBe(c!.id);
    expect((await pressed(deps, three, { action: 'call' })).leg!.id).toBe(moved.created!.id);

    // 过号重排 from a window: the called leg goes back, once.
    const recycled = await pressed(deps, two, { action: 'recycle' });
    expect(recycled.leg).toMatchObject({ state: 'waiting', recycled: true, calls: 0 });
    expect((await pressed(deps, two, { action: 'call' })).leg!.ticketId).toBe(c!.id);
    expect(await refusal(deps, two, { action: 'recycle' })).toBe('recycled-already');

    // Pause needs one of the hall's reasons and an idle window; 签退 refused while a ticket is held.
    expect(await refusal(deps, one, { action: 'pause', reason: 'lunch', note: null })).toBe('unknown-pause-reason');
    // 办结 pressed again after the transfer released the window: nothing held, nothing to finish.
    expect(await refusal(deps, one, { action: 'finish' })).toBe('nothing-called');
    const paused = await pressed(deps, one, { action: 'pause', reason: 'outing', note: '送件到档案馆' });
    expect(paused.window).toMatchObject({ state: 'paused', pause: { reason: 'outing', note: '送件到档案馆' } });
    expect(await refusal(deps, one, { action: 'call' })).toBe('paused');
    await pressed(deps, one, { action: 'resume' });
    expect(await refusal(deps, two, { action: 'close' })).toBe('busy');
    expect((await pressed(deps, one, { action: 'close' })).window).toMatchObject({ state: 'closed', staffId: null });
    expect(await refusal(deps, one, { action: 'call' })).toBe('window-closed');
  });

  it('keeps a window with an evaluator awaiting the rating after 办结 until it comes or the next call, and lets one staff member in at a time', async () => {
    const deps = callingDeps(hall.server);
    const catalogs = deps.catalogs;
    await saveWindow(hall.server.db.db, hall.clock, catalogs, { number: 5, name: '5号窗口', departmentId: 'social', profile: { main: ['ss-card'] }, hasEvaluator: true });
    const at = hall.clock.now() - 60 * second;
    await printedTickets(hall.kiosk, [{ sequence: 1, at }, { sequence: 2, at: at + second }]);
    const five = await signedIn(deps, 5, 'clerk-a');
    const other = await signInAtWindow(deps, { ...five, staffId: 'clerk-b' });
    expect(other.ok ? null : other.refusal.refusal).toBe('signed-in-by-other');
    await pressed(deps, five, { action: 'call' });
    await pressed(deps, five, { action: 'start' });
    expect((await pressed(deps, five, { action: 'finish' })).window).toMatchObject({ state: 'evaluating', legId: null });
    // 办结 pressed again while the rating is awaited: its effect already holds, nothing changes.
    expect((await pressed(deps, five, { action: 'finish' })).window).toMatchObject({ state: 'evaluating' });
    expect((await pressed(deps, five, { action: 'evaluated' })).window).toMatchObject({ state: 'idle' });
    await pressed(deps, five, { action: 'call' });
    await pressed(deps, five, { action: 'start' });
    await pressed(deps, five, { action: 'finish' });
    // The clerk may call the next citizen while the last one rates: 叫号 passes the window's
    // table and finds nobody left waiting.
    expect(await refusal(deps, five, { action: 'call' })).toBe('queue-empty');
  });

  it('tells the kiosks 预计等候 once five services were measured today, from their pace and the windows open', async () => {
    const deps = callingDeps(hall.server);
    await setUpWindows(hall.server, [1]);
    const at = hall.clock.now() - 60 * second;
    await printedTickets(hall.kiosk, Array.from({ length: 9 }, (_, i) => ({ sequence: i + 1, at: at + i * second })));
    const one = await signedIn(deps, 1);
    const queueEvents = async () => (await storedEvents(hall.server.db.db)).filter((e) => e.kind === 'queue');
    for (let i = 0; i < 5; i++) {
      await pressed(deps, one, { action: 'call' });
      // Before the fifth service is measured there is nothing to say.
      expect((await queueEvents()).at(-1)).toMatchObject({ data: { estimateMinutes: { normal: null, priority: null } } });
      hall.clock.advance(4 * 60 * second);
      await pressed(deps, one, { action: 'start' });
      await pressed(deps, one, { action: 'finish' });
    }
    await pressed(deps, one, { action: 'call' });
    // Three wait; a new ticket would have them ahead: (3 + ½) × 4 min at one window ≈ 14 min.
    expect((await queueEvents()).at(-1)).toMatchObject({ data: { waiting: 3, aheadOfNew: { normal: 3, priority: 0 }, estimateMinutes: { normal: 14, priority: 2 } } });
    // A second window open for the service halves it, in the kiosks' counts counted afresh.
    await setUpWindows(hall.server, [2]);
    await signedIn(deps, 2);
    const state = await readQueueState(hall.server.db.db, hall.clock);
    expect(state.services).toEqual([{ serviceId: 'ss-card', waiting: 3, waitingPriority: 0, aheadOfNew: { normal: 3, priority: 0 }, estimateMinutes: { normal: 7, priority: 1 } }]);
  });

  it('lets an administrator reactivate a no-show and void a leg, released from its window, each audited', async () => {
    const deps = callingDeps(hall.server);
    await setUpWindows(hall.server, [1]);
    await saveCallingSettings(hall.server.db.db, await hallIdOf(hall.server.db.db), { noShowAfterCalls: 2, noShowAfterSeconds: 0, recallCooldownSeconds: 0 }, hall.clock.now());
    const at = hall.clock.now();
    const [a, b] = await printedTickets(hall.kiosk, [{ sequence: 1, at }, { sequence: 2, at: at + second }]);
    const one = await signedIn(deps, 1);
    const first = await pressed(deps, one, { action: 'call' });
    await pressed(deps, one, { action: 'recall' });
    await pressed(deps, one, { action: 'no-show' });

    const admin = (legId: string, action: 'reactivate' | 'void' | 'recycle', key = randomUUID()) => pressOnLeg(deps, 'office', legId, { idempotencyKey: key, action });
    const back = await admin(first.leg!.id, 'reactivate');
    expect(back.ok && back.result.leg).toMatchObject({ state: 'waiting', calls: 0 });
    // No window holds a no-show: the press is on the leg alone.
    expect(back.ok && back.result.window).toBeNull();
    const refused = await admin(first.leg!.id, 'reactivate');
    expect(refused.ok ? null : refused.refusal.refusal).toBe('not-no-show');

    // A reactivated ticket keeps its place: it is called before b again.
    const again = await pressed(deps, one, { action: 'call' });
    expect(again.leg!.ticketId).toBe(a!.id);
    const voided = await admin(again.leg!.id, 'void');
    expect(voided.ok && voided.result).toMatchObject({ leg: { state: 'voided' }, window: { state: 'idle', legId: null } });
    expect((await pressed(deps, one, { action: 'call' })).leg!.ticketId).toBe(b!.id);

    const audit = await hall.server.db.db.selectFrom('counter_actions').select(['action', 'admin_user', 'window_number', 'staff_id', 'from_state', 'to_state', 'outcome']).orderBy('id').execute();
    expect(audit.filter((r) => r.admin_user !== null)).toEqual([
      { action: 'reactivate', admin_user: 'office', window_number: null, staff_id: null, from_state: 'no-show', to_state: 'waiting', outcome: 'done' },
      { action: 'reactivate', admin_user: 'office', window_number: null, staff_id: null, from_state: 'waiting', to_state: null, outcome: 'refused' },
      { action: 'void', admin_user: 'office', window_number: null, staff_id: null, from_state: 'called', to_state: 'voided', outcome: 'done' },
    ]);
    expect(audit.filter((r) => r.action === 'call' && r.outcome === 'done').every((r) => r.window_number === 1 && r.staff_id === 'staff-1')).toBe(true);
  });

  it('acts once on a press sent twice, even at the same moment, and answers both alike; a key reused for another press is refused', async () => {
    const deps = callingDeps(hall.server);
    await setUpWindows(hall.server, [1]);
    const at = hall.clock.now();
    await printedTickets(hall.kiosk, [{ sequence: 1, at }, { sequence: 2, at: at + second }]);
    const one = await signedIn(deps, 1);
    const key = randomUUID();
    const [x, y] = await Promise.all([press(deps, one, { action: 'call' }, key), press(deps, one, { action: 'call' }, key)]);
    expect(x.ok && y.ok).toBe(true);
    const [first, other] = [x, y].map((o) => (o.ok ? o.result : null));
    expect(first!.leg).toEqual(other!.leg);
    expect([first!.replayed, other!.replayed].sort()).toEqual([false, true]);
    const later = await press(deps, one, { action: 'call' }, key);
    expect(later.ok && later.result).toMatchObject({ replayed: true, leg: { id: first!.leg!.id } });
    const calls = await hall.server.db.db.selectFrom('counter_actions').select('id').where('action', '=', 'call').execute();
    expect(calls).toHaveLength(1);
    const legs = await hall.server.db.db.selectFrom('ticket_legs').select(['state']).orderBy('order_at').execute();
    expect(legs.map((l) => l.state)).toEqual(['called', 'waiting']);
    await expect(press(deps, one, { action: 'start' }, key)).rejects.toMatchObject({ code: 'idempotency-key-reused' });
  });

  it('writes each change as hall events in commit order, with exact queue counts', async () => {
    const deps = callingDeps(hall.server);
    await setUpWindows(hall.server, [1]);
    const at = hall.clock.now() - 60 * second;
    const [a] = await printedTickets(hall.kiosk, [{ sequence: 1, at }, { sequence: 2, at: at + second, priority: 'elderly' }, { sequence: 3, at: at + 2 * second }]);
    const one = await signedIn(deps, 1);
    const called = await pressed(deps, one, { action: 'call' });
    const events = await storedEvents(hall.server.db.db);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(called.lastEventId).toBe(events.at(-1)!.id);
    const issued = events.filter((e) => e.kind === 'leg' && e.data.action === 'issued');
    expect(issued).toHaveLength(3);
    const lastQueue = events.filter((e) => e.kind === 'queue').at(-1)!;
    // After the elderly ticket was called: two normal ones wait; a new normal ticket has both ahead,
    // a new priority one neither (no priority ticket waits, and the window owes no normal one).
    expect(lastQueue).toMatchObject({ department: 'social', data: { serviceId: 'ss-card', businessDay: '2026-03-02', waiting: 2, waitingPriority: 0, aheadOfNew: { normal: 2, priority: 0 } } });
    const call = events.find((e) => e.kind === 'call')!;
    expect(call).toMatchObject({ department: 'social', data: { window: 1, windowName: '1号窗口', call: 'call', calls: 1, legId: called.leg!.id } });
    expect(called.leg!.ticketId).not.toBe(a!.id);
    expect(JSON.stringify(events)).not.toContain('staff-1');
    expect(deps.commits).toBeGreaterThanOrEqual(2);
  });
});
