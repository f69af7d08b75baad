import { afterEach, expect, it } from 'vitest';
import { pruneHallEvents } from '../../../server/events/hall-event-log.ts';
import { callingDeps, hallIdOf, pressed, printedTickets, setUpWindows, signedIn } from '../support/calling.ts';
import { describeEngines } from '../support/engines.ts';
import { useHallServer } from '../support/hall-under-test.ts';
import { isHallEventClient, openHallEvents } from '../support/hall-event-stream.ts';
import type { HallEventClient } from '../support/hall-event-stream.ts';
import { startTestServer } from '../support/servers.ts';

describeEngines('the hall event stream', (engine) => {
  const hall = useHallServer(engine, { kiosk: { name: 'entrance', trueTime: 'hall' }, server: { hallEvents: { heartbeatMs: 200 } } });
  const open: HallEventClient[] = [];
  afterEach(() => {
    for (const c of open.splice(0)) c.close();
  });

  async function stream(token: string, options: { lastEventId?: string; query?: string } = {}, url = hall.server.url): Promise<HallEventClient> {
    const opened = await openHallEvents(url, token, options);
    if (!isHallEventClient(opened)) throw new Error(`refused: ${opened.status} ${JSON.stringify(opened.body)}`);
    open.push(opened);
    return opened;
  }

  const ids = (c: HallEventClient) => c.events.map((e) => e.id);

  it('is for kiosks and screens, counters and the hall office; anyone else gets 401', async () => {
    expect((await openHallEvents(hall.server.url, undefined)).status).toBe(401);
    expect((await openHallEvents(hall.server.url, 'hkd_nope')).status).toBe(401);
    expect((await openHallEvents(hall.server.url, 'hkc_nope')).status).toBe(401);
    expect((await openHallEvents(hall.server.url, 'hka_nope')).status).toBe(401);
    const deps = callingDeps(hall.server);
    await setUpWindows(hall.server, [1]);
    await signedIn(deps, 1);
    const { openCounterSession } = await import('../../../server/calling/counter-staff.ts');
    const counter = await openCounterSession(hall.server.db.db, hall.clock.now(), { hallId: await hallIdOf(hall.server.db.db), staffId: 'staff-1', window: 1 });
    for (const token of [hall.kiosk.token, await hall.adminToken(), counter.token]) {
      const client = await stream(token);
      expect(client.status).toBe(200);
      // The heartbeat: a comment every 200 ms here.
      await client.until(() => client.comments >= 2, 3_000);
    }
  });

  it('replays exactly what a client missed after Last-Event-ID, then goes on live', async () => {
    const deps = callingDeps(hall.server);
    await setUpWindows(hall.server, [1, 2]);
    const at = hall.clock.now() - 60_000;
    await printedTickets(hall.kiosk, Array.from({ length: 6 }, (_, i) => ({ sequence: i + 1, at: at + i * 1000 })));
    const [one, two] = [await signedIn(deps, 1), await signedIn(deps, 2)];

    const watcher = await stream(hall.kiosk.token);
    const first = await pressed(deps, one, { action: 'call' });
    await watcher.until(() => watcher.events.some((e) => e.id === first.lastEventId));
    const seen = watcher.lastEventId!;
    expect(Number(seen)).toBe(first.lastEventId);
    watcher.close();

    // While it is away: calls, a start, a finish at two windows.
    await pressed(deps, two, { action: 'call' });
    await pressed(deps, one, { action: 'start' });
    await pressed(deps, one, { action: 'finish' });
    const last = await pressed(deps, one, { action: 'call' });

    const back = await stream(hall.kiosk.token, { lastEventId: seen });
    await back.until(() => back.events.some((e) => e.id === last.lastEventId));
    const missed = Array.from({ length: last.lastEventId! - Number(seen) }, (_, i) => Number(seen) + 1 + i);
    expect(ids(back)).toEqual(missed);

    // Then live: the next press arrives on the same stream, nothing twice.
    const live = await pressed(deps, two, { action: 'start' });
    await back.until(() => back.events.some((e) => e.id === live.lastEventId));
    expect(ids(back)).toEqual([...missed, ...Array.from({ length: live.lastEventId! - last.lastEventId! }, (_, i) => last.lastEventId! + 1 + i)]);
    expect(new Set(ids(back)).size).toBe(back.events.length);
  });

  it('filters by kind, department and window', async () => {
    const deps = callingDeps(hall.server);
    await setUpWindows(hall.server, [1, 2]);
    await setUpWindows(hall.server, [9], { main: ['fund-loan'] }, 'housing-fund');
    const at = hall.clock.now() - 60_000;
    await printedTickets(hall.kiosk, [{ sequence: 1, at }, { sequence: 2, at: at + 1000 }]);
    await printedTickets(hall.kiosk, [{ sequence: 1, at, serviceId: 'fund-loan', departmentId: 'housing-fund', prefix: 'G' }]);
    const calls = await stream(hall.kiosk.token, { query: 'kinds=call&windows=2' });
    const social = await stream(hall.kiosk.token, { query: 'departments=social&kinds=call,window' });
    const [one, two, nine] = [await signedIn(deps, 1), await signedIn(deps, 2), await signedIn(deps, 9)];
    await pressed(deps, one, { action: 'call' });
    await pressed(deps, nine, { action: 'call' });
    const last = await pressed(deps, two, { action: 'call' });
    await calls.until(() => calls.events.length === 1);
    await social.until(() => social.events.some((e) => e.id === last.lastEventId || e.id === last.lastEventId! - 1));
    expect(calls.events).toEqual([expect.objectContaining({ kind: 'call', data: expect.objectContaining({ window: 2, label: 'D002' }) })]);
    expect(social.events.every((e) => e.department === 'social' && (e.kind === 'call' || e.kind === 'window'))).toBe(true);
    expect(social.events.filter((e) => e.kind === 'call').map((e) => e.kind === 'call' && e.data.window)).toEqual([1, 2]);

    expect((await openHallEvents(hall.server.url, hall.kiosk.token, { query: 'kinds=everything' })).status).toBe(400);
  });

  it('tells a client to reload when the log no longer holds what it missed: pruned, or from another history', async () => {
    const deps = callingDeps(hall.server);
    await setUpWindows(hall.server, [1]);
    const at = hall.clock.now() - 60_000;
    await printedTickets(hall.kiosk, [{ sequence: 1, at }, { sequence: 2, at: at + 1000 }]);
    const one = await signedIn(deps, 1);
    const called = await pressed(deps, one, { action: 'call' });

    const ahead = await stream(hall.kiosk.token, { lastEventId: String(called.lastEventId! + 1000) });
    await ahead.until((m) => m.some((x) => x.event === 'reset'));
    expect(ahead.messages[0]).toEqual({ id: String(called.lastEventId), event: 'reset', data: JSON.stringify({ lastId: called.lastEventId, missedFrom: called.lastEventId! + 1000 }) });

    // Two days later everything of the 2nd is pruned: a client that saw event 1 missed the rest.
    expect(await pruneHallEvents(hall.server.db.db, await hallIdOf(hall.server.db.db), '2026-03-03')).toBe(called.lastEventId);
    const behind = await stream(hall.kiosk.token, { lastEventId: '1' });
    await behind.until((m) => m.some((x) => x.event === 'reset'));
    expect(behind.events).toEqual([]);
    // After the marker it goes on live.
    hall.clock.advance(11_000);
    const recalled = await pressed(deps, one, { action: 'recall' });
    await behind.until(() => behind.events.some((e) => e.id === recalled.lastEventId));
    expect(behind.events.map((e) => e.kind)).toEqual(['call']);
  });

  it('reaches a client of another server process on the same database: by NOTIFY on PostgreSQL, by its poll on SQLite', async () => {
    // A poll of a minute on PostgreSQL: only LISTEN/NOTIFY can bring the event within the test's seconds.
    const other = await startTestServer(hall.db, { hallEvents: { pollMs: engine.name === 'postgres' ? 60_000 : 100 } });
    try {
      const deps = callingDeps(hall.server);
      await setUpWindows(hall.server, [1]);
      await printedTickets(hall.kiosk, [{ sequence: 1, at: hall.clock.now() - 60_000 }]);
      const far = await stream(hall.kiosk.token, {}, other.url);
      const one = await signedIn(deps, 1);
      const called = await pressed(deps, one, { action: 'call' });
      await far.until(() => far.events.some((e) => e.id === called.lastEventId), 3_000);
      expect(far.events.find((e) => e.kind === 'call')).toMatchObject({ data: { window: 1, label: 'D001' } });
    } finally {
      for (const c of open.splice(0)) c.close();
      await other.close();
    }
  });
});
