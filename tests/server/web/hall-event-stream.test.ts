import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { hallApi } from '../../../core/http/contract.ts';
import { pathOf } from '../../../core/http/route-contract.ts';
import type { HallEvent } from '../../../core/queue/hall-events.ts';
import { pressAtWindow } from '../../../server/calling/counter-actions.ts';
import { openCounterSession } from '../../../server/calling/counter-staff.ts';
import { CatalogStore } from '../../../server/catalog/catalog-store.ts';
import { openDatabase } from '../../../server/db/connect.ts';
import type { StreamState } from '../../../server/web/hall-event-stream.ts';
import { openHallEventStream, reconnectDelayMs } from '../../../server/web/hall-event-stream.ts';
import { callingDeps, printedTickets, setUpWindows, signedIn } from '../support/calling.ts';
import { describeEngines } from '../support/engines.ts';
import { useHallServer } from '../support/hall-under-test.ts';
import { api } from '../support/http.ts';

describeEngines('the web apps’ hall event stream (server/web/hall-event-stream.ts)', (engine) => {
  const hall = useHallServer(engine, { kiosk: { name: 'entrance', trueTime: 'hall' }, server: { hallEvents: { heartbeatMs: 200, pollMs: 100 } } });

  it('delivers events live, says down the moment the server goes, and on its return gets exactly what it missed', async () => {
    await setUpWindows(hall.server, [1]);
    const caller = await signedIn(callingDeps(hall.server), 1);
    const { token } = await openCounterSession(hall.server.db.db, hall.clock.now(), caller);
    const events: HallEvent[] = [];
    const states: StreamState[] = [];
    const resets: number[] = [];
    const stream = openHallEventStream({
      baseUrl: hall.server.url,
      token: () => token,
      windows: [1],
      heartbeatMs: 200,
      random: () => 0.5,
      onEvent: (e) => events.push(e),
      onReset: () => resets.push(events.length),
      onState: (s) => states.push(s),
      onUnauthorized: () => states.push('unauthorized' as StreamState),
    });
    try {
      await vi.waitFor(() => expect(states).toEqual(['connecting', 'open']));
      await printedTickets(hall.kiosk, [{ sequence: 1, at: hall.clock.now() - 1000 }, { sequence: 2, at: hall.clock.now() - 500 }]);
      const call = await api(hall.server.url, 'POST', pathOf(hallApi.counterPress), { token, body: { idempotencyKey: randomUUID(), press: { action: 'call' } } });
      expect(call.status, JSON.stringify(call.body)).toBe(200);
      await vi.waitFor(() => expect(events.find((e) => e.kind === 'call')).toMatchObject({ data: { label: 'D001', window: 1, call: 'call' } }));

      const port = hall.server.port;
      await hall.stop();
      await vi.waitFor(() => expect(states.at(-1)).toBe('down'), { timeout: 3_000 });

      // While the stream is away, the window starts serving D001 (written straight to the database).
      const opened = openDatabase(hall.db.target);
      try {
        const started = await pressAtWindow({ db: opened.db, clock: hall.clock, catalogs: new CatalogStore(opened.db), committed: () => {} }, caller, randomUUID(), { action: 'start' });
        expect(started.ok).toBe(true);
      } finally {
        await opened.close();
      }
      const seenBefore = events.length;
      await hall.restart({ port });
      await vi.waitFor(() => expect(states.at(-1)).toBe('open'), { timeout: 10_000 });
      await vi.waitFor(() => expect(events.slice(seenBefore).some((e) => e.kind === 'leg' && e.data.action === 'start' && e.data.label === 'D001')).toBe(true));
      const ids = events.map((e) => e.id);
      expect(new Set(ids).size, 'no event twice').toBe(ids.length);
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
      expect(resets).toEqual([]);
      // Only this window's events (and those of no window: queue counts, tickets queued).
      for (const e of events) if (e.kind !== 'queue') expect([1, null]).toContain(e.data.window);
    } finally {
      stream.close();
    }
    const settled = states.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(states).toHaveLength(settled);
  });

  it('stops and says so when the session is refused, instead of retrying', async () => {
    const states: string[] = [];
    const stream = openHallEventStream({ baseUrl: hall.server.url, token: () => 'hkc_not-a-session', onEvent: () => {}, onReset: () => {}, onState: (s) => states.push(s), onUnauthorized: () => states.push('unauthorized') });
    await vi.waitFor(() => expect(states).toEqual(['connecting', 'unauthorized']));
    await new Promise((r) => setTimeout(r, 700));
    expect(states).toEqual(['connecting', 'unauthorized']);
    stream.close();
  });
});

describe('hall event stream timing', () => {
  it('treats a stream silent for two heartbeats as dead and connects again', async () => {
    let opens = 0;
    const silent = (async () => {
      opens++;
      return new Response(new ReadableStream({ start: () => {} }), { status: 200, headers: { 'content-type': 'text/event-stream' } });
    }) as typeof fetch;
    const stream = openHallEventStream({ token: () => 'hkc_x', heartbeatMs: 10, fetch: silent, random: () => 0.5, onEvent: () => {}, onReset: () => {}, onState: () => {}, onUnauthorized: () => {} });
    // Silent for 2 × 10 ms + 5 s: the second connection comes after about 5 s.
    await vi.waitFor(() => expect(opens).toBeGreaterThanOrEqual(2), { timeout: 8_000 });
    stream.close();
  });

  it('waits longer after each failure in a row, up to 8 s, with jitter', () => {
    expect([0, 1, 2, 3, 4, 5, 9].map((n) => reconnectDelayMs(n, () => 0.5))).toEqual([0, 500, 1000, 2000, 4000, 8000, 8000]);
    expect(reconnectDelayMs(1, () => 0)).toBe(375);
    expect(reconnectDelayMs(1, () => 1)).toBe(625);
  });
});
