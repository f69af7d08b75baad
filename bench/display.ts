// `npm run bench display`: 500 hall screens (plain Node SSE clients, each its own connection and
// display token) on one hall server (its own process, SQLite) while 200 windows cycle 叫号 → 开始
// → 办结 over HTTP for 20 s. Figures: from a window's 叫号 press leaving the bench to its call
// event read by each display (p50/p99), events lost (every call, window and queue event of the
// run must reach every display), the server's memory per connection, and the machine's load.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { randomUUID } from 'node:crypto';
import { businessDayOf } from '../core/calendar/business-day.ts';
import { hallApi } from '../core/http/contract.ts';
import { pathOf } from '../core/http/route-contract.ts';
import type { HallEvent } from '../core/queue/hall-events.ts';
import { signInAtWindow } from '../server/calling/counter-actions.ts';
import { openCounterSession } from '../server/calling/counter-staff.ts';
import { saveWindow } from '../server/calling/windows.ts';
import { CatalogStore } from '../server/catalog/catalog-store.ts';
import { readDemoCatalog } from '../server/catalog/demo-catalog.ts';
import { createDisplay, enrollDisplay } from '../server/displays/displays.ts';
import { displayCookieName } from '../server/displays/display-cookie.ts';
import { readHallState } from '../server/hall/hall-settings.ts';
import { staffedAllDay } from '../tests/e2e/support/staffed-all-day.ts';
import { TestKiosk } from '../tests/server/support/kiosk.ts';
import { percentile } from './percentile.ts';
import { benchClock } from './support/bench-clock.ts';
import { leasesIn } from '../tests/server/support/number-grants.ts';
import { prepareHall, scratchSqlite, spawnBenchServer, withDatabase } from './support/hall.ts';

export interface DisplayBenchOptions {
  displays: number;
  windows: number;
  runMs: number;
  /**
   * Each window begins a 叫号 → 开始 → 办结 cycle this often, from its own slot (staggered): a
   * hall's window calls when its citizen leaves, and a server pressed by 200 windows flat out
   * measures its own queue, not the delivery to the screens (bench calling's saturated phase
   * measures that). BENCH_DISPLAY_CYCLE_MS; 10 s by default: 20 calls a second for 200 windows.
   */
  cycleMs: number;
  /** the bench's stopwatch, injected (performance.now by default) */
  now: () => number;
}

export interface DisplayBenchFigures {
  displays: number;
  windows: number;
  press_to_display_p50_ms: number;
  press_to_display_p99_ms: number;
  lost_events: number;
  server_kb_per_connection: number;
  machine_load_1m: number;
  /** how often each window began a cycle, and how many calls the run made */
  window_cycle_s: number;
  calls: number;
}

interface Screen {
  /** per window, when each of its call events arrived, in order */
  callsAt: Map<number, number[]>;
  /** hall clock at arrival minus the call's commit stamp: the server-to-screen part alone */
  commitToScreen: number[];
  ids: Set<number>;
  close(): void;
}

function rssKb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.match(/\d+/)?.[0] ?? 0);
}

function openScreen(url: URL, token: string, now: () => number): Promise<Screen> {
  const screen: Screen = { callsAt: new Map(), commitToScreen: [], ids: new Set(), close: () => undefined };
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: pathOf(hallApi.displayEvents), agent: false, headers: { accept: 'text/event-stream', cookie: `${displayCookieName}=${token}` } },
      (res: IncomingMessage) => {
        if (res.statusCode !== 200) return reject(new Error(`display stream: HTTP ${res.statusCode}`));
        // The screens' side must keep up with 500 streams on one core: only a call's data is
        // parsed; every other event is counted by its SSE id line.
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          const at = now();
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const id = /^id: (\d+)$/m.exec(frame);
            if (!id || frame.includes('event: reset')) continue;
            screen.ids.add(Number(id[1]));
            if (frame.includes('\nevent: call\n')) {
              const event = JSON.parse(frame.slice(frame.indexOf('data: ') + 6)) as HallEvent;
              if (event.kind !== 'call') continue;
              screen.commitToScreen.push(benchClock.now() - event.at);
              const list = screen.callsAt.get(event.data.window) ?? [];
              list.push(at);
              screen.callsAt.set(event.data.window, list);
            }
          }
        });
        res.on('error', () => undefined);
        screen.close = () => req.destroy();
        resolve(screen);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function post(url: URL, path: string, token: string, body: unknown): Promise<number> {
  const response = await fetch(new URL(path, url), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  await response.arrayBuffer();
  return response.status;
}

export async function runDisplayBench(options: Partial<DisplayBenchOptions> = {}): Promise<DisplayBenchFigures> {
  const { displays, windows, runMs, cycleMs } = { displays: 500, windows: 200, runMs: 20_000, cycleMs: Number(process.env.BENCH_DISPLAY_CYCLE_MS ?? 10_000), ...options };
  const now = options.now ?? (() => performance.now());
  const load = loadavg()[0]!;
  const scratch = scratchSqlite('display');
  const catalog = readDemoCatalog('small').catalog;
  const [kioskDevice] = await prepareHall(scratch.target, { catalog, deviceCount: 1, hallCalendar: staffedAllDay });
  const services = catalog.services;
  const prepared = await withDatabase(scratch.target, async ({ db }) => {
    const catalogs = new CatalogStore(db);
    const { hallId } = await readHallState(db);
    const counterTokens: string[] = [];
    for (let w = 1; w <= windows; w++) {
      const service = services[w % services.length]!;
      await saveWindow(db, benchClock, catalogs, { number: w, name: `${w}号窗口`, departmentId: service.departmentId, profile: { main: [service.id] }, hasEvaluator: false });
      const caller = { hallId, staffId: `s${w}`, window: w };
      const signed = await signInAtWindow({ db, clock: benchClock, catalogs }, caller);
      if (!signed.ok) throw new Error(`window ${w} cannot sign in`);
      counterTokens.push((await openCounterSession(db, benchClock.now(), caller)).token);
    }
    const displayTokens: string[] = [];
    for (let d = 1; d <= displays; d++) {
      const { enrollmentCode } = await createDisplay(db, benchClock, { name: `bench screen ${d}`, kind: 'hall' });
      displayTokens.push((await enrollDisplay(db, benchClock, enrollmentCode))!.token);
    }
    return { counterTokens, displayTokens, timeZone: (await readHallState(db)).timeZone };
  });

  const server = await spawnBenchServer(scratch.target);
  const url = new URL(server.url);
  const screens: Screen[] = [];
  try {
    // Enough waiting tickets that no window runs dry in the run: pushed by one kiosk, as printed.
    // The server takes a pushed ticket only with a number its kiosk was given: these are leased to it first.
    const kiosk = new TestKiosk(server.url, kioskDevice!.deviceId, kioskDevice!.token, { trueNow: () => benchClock.now() }, leasesIn({ target: scratch.target, dbArg: '' }));
    const today = businessDayOf(benchClock.now(), prepared.timeZone);
    // A loaded machine manages a few calls a second a window; a window that runs dry waits and asks again.
    const perService = Math.ceil((runMs / 1000) * 3 * (windows / services.length)) + 20;
    const start = benchClock.now() - 3_600_000;
    for (const [s, service] of services.entries()) {
      for (let n = 1; n <= perService; n++) {
        const ticket = kiosk.issue({ serviceId: service.id, departmentId: service.departmentId, prefix: service.prefix, sequence: n, issuedAt: start + n * 100 + s, businessDay: today });
        kiosk.printed(ticket, start + n * 100 + s + 50);
      }
      for (let i = 0; i < kiosk.outbox.length; i += 1000) {
        const pushed = await kiosk.push(kiosk.outbox.slice(i, i + 1000));
        if (pushed.status !== 200) throw new Error(`tickets not pushed: ${pushed.status} ${JSON.stringify(pushed.body)}`);
      }
      kiosk.outbox.length = 0;
    }

    // The screens start live at the log's head: the run's events are the ones after it.
    const head = await withDatabase(scratch.target, async ({ db }) => Number((await db.selectFrom('hall_events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst())?.id ?? 0));
    const rssBefore = rssKb(server.child.pid!);
    for (const token of prepared.displayTokens) screens.push(await openScreen(url, token, now));
    await new Promise((r) => setTimeout(r, 1_000));
    const rssAfter = rssKb(server.child.pid!);

    const pressPath = pathOf(hallApi.counterPress);
    const callsPressedAt = new Map<number, number[]>();
    const runStart = now();
    const deadline = runStart + runMs;
    const windowLoop = async (w: number) => {
      const token = prepared.counterTokens[w - 1]!;
      const pressed: number[] = [];
      callsPressedAt.set(w, pressed);
      let slot = runStart + (w / windows) * cycleMs;
      while (now() < deadline) {
        if (slot >= deadline) break;
        if (slot > now()) await new Promise((r) => setTimeout(r, slot - now()));
        slot += cycleMs;
        const at = now();
        const status = await post(url, pressPath, token, { idempotencyKey: randomUUID(), press: { action: 'call' } });
        if (status !== 200) {
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        pressed.push(at);
        await post(url, pressPath, token, { idempotencyKey: randomUUID(), press: { action: 'start' } });
        await post(url, pressPath, token, { idempotencyKey: randomUUID(), press: { action: 'finish' } });
      }
    };
    await Promise.all(Array.from({ length: windows }, (_, i) => windowLoop(i + 1)));

    // Every event of the run, from the log: what each screen must have had.
    const expected = await withDatabase(scratch.target, async ({ db }) =>
      (await db.selectFrom('hall_events').select(['id', 'kind']).where('kind', 'in', ['call', 'window', 'queue']).where('id', '>', head).execute()).map((r) => Number(r.id)),
    );
    const settleBy = now() + 10_000;
    while (now() < settleBy && screens.some((s) => expected.some((id) => !s.ids.has(id)))) await new Promise((r) => setTimeout(r, 200));
    const lost = screens.reduce((sum, s) => sum + expected.filter((id) => !s.ids.has(id)).length, 0);

    const latencies: number[] = [];
    for (const screen of screens) {
      for (const [w, arrived] of screen.callsAt) {
        const pressed = callsPressedAt.get(w) ?? [];
        arrived.forEach((at, k) => {
          if (pressed[k] !== undefined) latencies.push(at - pressed[k]!);
        });
      }
    }
    const calls = [...callsPressedAt.values()].reduce((n, list) => n + list.length, 0);
    const split = screens.flatMap((x) => x.commitToScreen);
    console.info(`commit → screen alone: p50 ${percentile(split, 50)} ms, p99 ${percentile(split, 99)} ms`);
    console.info(`${calls} calls by ${windows} windows in ${runMs / 1000} s; ${expected.length} events to each of ${displays} screens; ${latencies.length} call deliveries measured`);
    return {
      displays,
      windows,
      press_to_display_p50_ms: Math.round(percentile(latencies, 50) * 10) / 10,
      press_to_display_p99_ms: Math.round(percentile(latencies, 99) * 10) / 10,
      lost_events: lost,
      server_kb_per_connection: Math.round(((rssAfter - rssBefore) / displays) * 10) / 10,
      machine_load_1m: Math.round(load * 100) / 100,
      window_cycle_s: cycleMs / 1000,
      calls,
    };
  } finally {
    for (const screen of screens) screen.close();
    await server.stop();
    scratch.remove();
  }
}
