// Counter calling under a busy hall: BENCH_CALLING_WINDOWS (default 200) windows cycle 叫号 → 开始 →
// 办结 while BENCH_CALLING_KIOSKS (default 100) kiosks issue tickets (an online number, then the
// ticket pushed issued and printed, each kiosk once every BENCH_CALLING_ISSUE_MS, default 5,000 ms: 20 tickets a second).
// Two phases of BENCH_CALLING_SECONDS (default 20) each:
//   saturated — every window starts its next cycle the moment the last one is answered: calls/s is
//               the server's capacity (and the latency then is queueing behind 200 windows at once);
//   paced     — each window starts a cycle every BENCH_CALLING_CYCLE_MS (default 10 s; a real
//               window calls every few minutes), staggered: press → event p50/p99 is measured here.
// One client holds the hall event stream (GET /api/v1/events?kinds=call) as a hall display does; the
// latency is from a window's 叫号 leaving the bench to its call event arriving there. SQLite with one
// server process; PostgreSQL with two, each window and kiosk on one of them and the stream on the
// first, so half the calls reach it through the other process's NOTIFY. Double calls are counted
// from the event stream, the press answers and the audit in the database: all must be 0.
// The hall's time is the bench clock (10:00 hall time, today), so the bench runs at any hour.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { loadavg } from 'node:os';
import { v7 as uuidv7 } from 'uuid';
import { businessDayOf } from '../core/calendar/business-day.ts';
import type { Catalog } from '../core/catalog/catalog.ts';
import { hallApi } from '../core/http/contract.ts';
import { pathOf } from '../core/http/route-contract.ts';
import { nextNumberResponseSchema } from '../core/numbering/numbers.ts';
import type { SyncEvent } from '../core/sync/events.ts';
import { maxEventsPerPush } from '../core/sync/push.ts';
import type { Ticket } from '../core/ticket/ticket.ts';
import { ticketLabel } from '../core/ticket/ticket.ts';
import { signInAtWindow } from '../server/calling/counter-actions.ts';
import { openCounterSession } from '../server/calling/counter-staff.ts';
import { saveWindow } from '../server/calling/windows.ts';
import { CatalogStore } from '../server/catalog/catalog-store.ts';
import { readDemoCatalog } from '../server/catalog/demo-catalog.ts';
import type { DatabaseTarget } from '../server/db/connect.ts';
import { readHallState } from '../server/hall/hall-settings.ts';
import { staffedEveryDay } from '../tests/e2e/support/staffed-all-day.ts';
import { leasesIn } from '../tests/server/support/number-grants.ts';
import { findPostgresBinDir, postgresSkipReason } from '../tests/server/support/postgres.ts';
import type { SpawnedServer } from '../tests/server/support/servers.ts';
import { benchClock } from './support/bench-clock.ts';
import type { EnrolledDevice } from './support/hall.ts';
import { prepareHall, scratchSqlite, spawnBenchServer, startBenchPostgres, withDatabase } from './support/hall.ts';
import { KioskConnection } from './support/http-client.ts';
import { percentile } from './percentile.ts';

export interface CallingBenchOptions {
  windows: number;
  kiosks: number;
  seconds: number;
  /** each kiosk issues a ticket this often */
  issueEveryMs: number;
  /** in the paced phase, each window begins a cycle this often */
  cycleMs: number;
  /** tickets waiting per window before the run, so a window rarely finds its queue empty */
  backlogPerWindow: number;
  /** skip PostgreSQL (BENCH_CALLING_SQLITE_ONLY) */
  sqliteOnly: boolean;
}

export const defaultCallingBenchOptions: CallingBenchOptions = {
  windows: Number(process.env.BENCH_CALLING_WINDOWS ?? 200),
  kiosks: Number(process.env.BENCH_CALLING_KIOSKS ?? 100),
  seconds: Number(process.env.BENCH_CALLING_SECONDS ?? 20),
  issueEveryMs: Number(process.env.BENCH_CALLING_ISSUE_MS ?? 5000),
  cycleMs: Number(process.env.BENCH_CALLING_CYCLE_MS ?? 10_000),
  backlogPerWindow: Number(process.env.BENCH_CALLING_BACKLOG ?? 10),
  sqliteOnly: Boolean(process.env.BENCH_CALLING_SQLITE_ONLY),
};

/**
 * The load-shedding limit of the bench's servers. The shipped default (64 requests in flight)
 * would answer most of 300 clients pressing at once with 503 and Retry-After, and the bench would
 * measure the back-off; it measures the store instead, as the 200-window concurrency test does.
 */
const maxInFlight = 1000;

const demoCatalog = readDemoCatalog('small').catalog;
/** Daily quotas (限号) lifted: a quota would stop the kiosks within seconds, and is not measured here. */
const benchCatalog: Catalog = { ...demoCatalog, services: demoCatalog.services.map((s) => ({ ...s, dailyQuota: 99_999 })) };

/** The figures calling.json holds for each engine. */
export type EngineFigures = {
  calls_per_s: number;
  press_to_event_p50_ms: number;
  press_to_event_p99_ms: number;
  double_calls: number;
};

/** Everything else a run measured, written to calling-detail.json. */
export type EngineDetail = EngineFigures & Record<string, number | string>;

export type CallingFigures = EngineFigures & {
  windows: number;
  kiosks: number;
  postgres: EngineFigures | { skipped: string };
  machine_load_1m: string;
};

export interface CallingRun {
  figures: CallingFigures;
  detail: { sqlite: EngineDetail; postgres: EngineDetail | { skipped: string } };
}

const headline = (d: EngineDetail): EngineFigures => ({
  calls_per_s: d.calls_per_s,
  press_to_event_p50_ms: d.press_to_event_p50_ms,
  press_to_event_p99_ms: d.press_to_event_p99_ms,
  double_calls: d.double_calls,
});

/** `npm run bench calling`: runs both engines, writes the detail beside the figures, returns the figures. */
export async function runCallingBenchToFiles(): Promise<CallingFigures> {
  const run = await runCallingBench();
  writeFileSync('bench/results/calling-detail.json', `${JSON.stringify(run.detail, null, 2)}\n`);
  console.log('\ncalling: every figure measured (bench/results/calling-detail.json)');
  console.table({ sqlite: run.detail.sqlite, postgres: run.detail.postgres });
  return run.figures;
}

export async function runCallingBench(options: CallingBenchOptions = defaultCallingBenchOptions): Promise<CallingRun> {
  const loadBefore = loadavg()[0]!;
  const sqliteFile = scratchSqlite('calling');
  let sqlite: EngineDetail;
  try {
    sqlite = await benchEngine(options, sqliteFile.target, 1);
  } finally {
    sqliteFile.remove();
  }
  let postgres: EngineDetail | { skipped: string };
  if (options.sqliteOnly) {
    postgres = { skipped: 'BENCH_CALLING_SQLITE_ONLY is set' };
  } else if (process.env.HALL_TEST_DATABASE_URL || findPostgresBinDir()) {
    const cluster = await startBenchPostgres();
    try {
      postgres = await benchEngine(options, { postgresUrl: await cluster.createDatabase(`hall_bench_calling_${process.pid}`) }, 2);
    } finally {
      await cluster.stop();
    }
  } else {
    postgres = { skipped: postgresSkipReason };
  }
  const figures: CallingFigures = {
    windows: options.windows,
    kiosks: options.kiosks,
    ...headline(sqlite),
    postgres: 'skipped' in postgres ? postgres : headline(postgres),
    machine_load_1m: `${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after (2 cores, shared)`,
  };
  return { figures, detail: { sqlite, postgres } };
}

interface Window {
  number: number;
  token: string;
  serviceId: string;
}

/** Windows 1…n, each serving one service of the catalog in turn, signed in, with a counter session. */
async function openWindows(target: DatabaseTarget, count: number): Promise<Window[]> {
  return withDatabase(target, async ({ db }) => {
    const catalogs = new CatalogStore(db);
    const deps = { db, clock: benchClock, catalogs };
    const { hallId } = await readHallState(db);
    const windows: Window[] = [];
    for (let number = 1; number <= count; number++) {
      const service = benchCatalog.services[number % benchCatalog.services.length]!;
      await saveWindow(db, benchClock, catalogs, { number, name: `${number}号窗口`, departmentId: service.departmentId, profile: { main: [service.id], extra: [] }, hasEvaluator: false });
      const caller = { hallId, staffId: `bench-${number}`, window: number };
      const signedIn = await signInAtWindow(deps, caller);
      if (!signedIn.ok) throw new Error(`window ${number} could not sign in: ${signedIn.refusal.refusal}`);
      windows.push({ number, token: (await openCounterSession(db, benchClock.now(), caller)).token, serviceId: service.id });
    }
    return windows;
  });
}

/** A kiosk's outbox: the ticket events it pushes, numbered in order. */
class BenchKiosk {
  private seq = 0;

  constructor(
    readonly device: EnrolledDevice,
    readonly connection: KioskConnection,
  ) {}

  /** ticket.issued then ticket.printed, as a kiosk records a ticket it printed */
  ticketEvents(ticket: Omit<Ticket, 'id' | 'kioskId' | 'state' | 'printAttempts'>): SyncEvent[] {
    const full: Ticket = { ...ticket, id: uuidv7({ msecs: ticket.issuedAt }), kioskId: `bench-${this.device.deviceId.slice(-8)}`, state: 'printing', printAttempts: 0 };
    return [
      { seq: ++this.seq, id: uuidv7({ msecs: ticket.issuedAt }), type: 'ticket.issued', at: ticket.issuedAt, payload: { ticket: full } },
      { seq: ++this.seq, id: uuidv7({ msecs: ticket.issuedAt + 1 }), type: 'ticket.printed', at: ticket.issuedAt + 1, payload: { ticketId: full.id, printAttempts: 1 } },
    ];
  }

  async push(events: SyncEvent[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const response = await this.connection.send('POST', pathOf(hallApi.syncPush), JSON.stringify({ sentAt: benchClock.now(), events }));
      if (response.status === 200) return;
      if ((response.status === 503 || response.status === 429) && attempt < 50) {
        await sleep(100);
        continue;
      }
      throw new Error(`push failed with ${response.status}: ${JSON.stringify(response.body).slice(0, 300)}`);
    }
  }
}

/** The hall event stream as a display holds it: calls only, each handed to `onCall` as it arrives. */
function subscribeCalls(baseUrl: string, token: string, onCall: (window: number, legId: string) => void): Promise<{ close(): void }> {
  const url = new URL(`${baseUrl}${pathOf(hallApi.hallEvents, { query: { kinds: 'call' } })}`);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } }, (res: IncomingMessage) => {
      if (res.statusCode !== 200) {
        reject(new Error(`event stream answered ${res.statusCode}`));
        return;
      }
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = message.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
          if (!data) continue;
          const event = JSON.parse(data) as { kind?: string; data?: { window?: number; legId?: string } };
          if (event.kind === 'call' && typeof event.data?.window === 'number' && typeof event.data.legId === 'string') onCall(event.data.window, event.data.legId);
        }
      });
      res.on('error', () => undefined);
      resolve({ close: () => req.destroy() });
    });
    req.on('error', (error) => reject(error));
    req.end();
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

async function benchEngine(options: CallingBenchOptions, target: DatabaseTarget, processes: number): Promise<EngineDetail> {
  const devices = await prepareHall(target, { catalog: benchCatalog, deviceCount: options.kiosks + 1, hallCalendar: staffedEveryDay('00:00', '23:59', { withQuotas: false }) });
  const windows = await openWindows(target, options.windows);
  const servers: SpawnedServer[] = [];
  const connections: KioskConnection[] = [];
  const connect = (url: string, token: string) => {
    const c = new KioskConnection(url, { authorization: `Bearer ${token}` });
    connections.push(c);
    return c;
  };
  try {
    for (let i = 0; i < processes; i++) servers.push(await spawnBenchServer(target, { maxInFlight }));
    const urlOf = (i: number) => servers[i % servers.length]!.url;
    const kiosks = devices.slice(0, options.kiosks).map((d, i) => new BenchKiosk(d, connect(urlOf(i), d.token)));
    const today = businessDayOf(benchClock.now(), (await withDatabase(target, ({ db }) => readHallState(db))).timeZone);

    // The backlog: tickets issued earlier this morning, pushed by the first kiosk; numbers far
    // above what the kiosks are given online, so none collides.
    const backlog = kiosks[0]!;
    const started = benchClock.now();
    const backlogTickets = options.windows * options.backlogPerWindow;
    const perService = Math.ceil(backlogTickets / benchCatalog.services.length);
    const events: SyncEvent[] = [];
    for (let n = 0; n < perService; n++) {
      for (const [s, service] of benchCatalog.services.entries()) {
        const sequence = 50_000 + n;
        events.push(...backlog.ticketEvents({ serviceId: service.id, departmentId: service.departmentId, businessDay: today, sequence, label: ticketLabel(service.prefix, sequence), priority: 'normal', issuedAt: started - 3_600_000 + n * 100 + s }));
      }
    }
    // The server takes a pushed ticket only with a number its kiosk was given: the backlog's are leased to it first.
    const backlogOf = events.flatMap((e) => (e.type === 'ticket.issued' ? [(e.payload as { ticket: Ticket }).ticket] : []));
    await leasesIn({ target, dbArg: '' })(backlog.device.deviceId, backlogOf);
    for (let i = 0; i < events.length; i += maxEventsPerPush) await backlog.push(events.slice(i, i + maxEventsPerPush));
    const waiting = await withDatabase(target, async ({ db }) => Number((await db.selectFrom('ticket_legs').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'waiting').executeTakeFirstOrThrow()).n));
    if (waiting < backlogOf.length) throw new Error(`the backlog did not enter the queue: ${waiting} of ${backlogOf.length} tickets waiting`);

    // Press → event: a window's calls are answered in order and its events arrive in order, so
    // each call event of a window belongs to that window's oldest press still without one.
    const pressedAt = new Map<number, number[]>();
    const unheard = () => [...pressedAt.values()].reduce((n, times) => n + times.length, 0);
    let latencies: number[] = [];
    const calledLegs = new Map<string, number>();
    let eventDoubles = 0;
    const stream = await subscribeCalls(urlOf(0), devices[options.kiosks]!.token, (window, legId) => {
      const at = performance.now();
      if (calledLegs.has(legId)) eventDoubles++;
      calledLegs.set(legId, window);
      const sent = pressedAt.get(window)?.shift();
      if (sent !== undefined) latencies.push(at - sent);
    });

    const legByResponse = new Map<string, number>();
    let responseDoubles = 0;
    const windowConnections = new Map(windows.map((w) => [w.number, connect(urlOf(w.number), w.token)]));

    /**
     * One phase: every window cycles 叫号 → 开始 → 办结 — at once again (saturated) or once every
     * `cycleMs` from its own slot (paced) — while every kiosk issues a ticket every issueEveryMs.
     */
    const phase = async (cycleMs: number | null) => {
      const stats = { calls: 0, queueEmpty: 0, shed: 0, errors: 0, lateCycles: 0, issued: 0, issueErrors: 0 };
      latencies = [];
      const runStart = performance.now();
      const end = runStart + options.seconds * 1000;

      const press = async (connection: KioskConnection, action: 'call' | 'start' | 'finish', window: number) => {
        const body = JSON.stringify({ idempotencyKey: randomUUID(), press: { action } });
        // From the first press: a press shed and sent again is one slow call.
        if (action === 'call') pressedAt.set(window, [...(pressedAt.get(window) ?? []), performance.now()]);
        for (;;) {
          const response = await connection.send('POST', pathOf(hallApi.counterPress), body);
          // Shed: the counter presses again with the same key; nothing happens twice.
          if (response.status === 503) {
            stats.shed++;
            await sleep(50);
            continue;
          }
          return response;
        }
      };

      const cycle = async (w: Window, connection: KioskConnection): Promise<boolean> => {
        const called = await press(connection, 'call', w.number);
        // Refused: no event will come for this press, the window's latest.
        if (called.status !== 200) {
          pressedAt.get(w.number)!.pop();
          if (called.status === 409) stats.queueEmpty++;
          else stats.errors++;
          return false;
        }
        stats.calls++;
        const legId = (called.body as { leg: { id: string } }).leg.id;
        if (legByResponse.has(legId)) responseDoubles++;
        legByResponse.set(legId, w.number);
        for (const action of ['start', 'finish'] as const) {
          const answer = await press(connection, action, w.number);
          if (answer.status !== 200) stats.errors++;
        }
        return true;
      };

      const windowLoop = async (w: Window) => {
        const connection = windowConnections.get(w.number)!;
        if (cycleMs === null) {
          while (performance.now() < end) if (!(await cycle(w, connection))) await sleep(20);
          return;
        }
        const offset = (w.number / windows.length) * cycleMs;
        for (let n = 0; ; n++) {
          const slot = runStart + offset + n * cycleMs;
          if (slot >= end) return;
          const wait = slot - performance.now();
          if (wait < 0) stats.lateCycles++;
          await sleep(wait);
          await cycle(w, connection);
        }
      };

      const kioskLoop = async (kiosk: BenchKiosk, i: number) => {
        const services = benchCatalog.services;
        for (let n = 0; ; n++) {
          const slot = runStart + (i / options.kiosks) * options.issueEveryMs + n * options.issueEveryMs;
          if (slot >= end) return;
          await sleep(slot - performance.now());
          const service = services[(i + n) % services.length]!;
          const next = await kiosk.connection.send('POST', pathOf(hallApi.numbersNext), JSON.stringify({ serviceId: service.id, priority: 'normal' }));
          if (next.status !== 200) {
            stats.issueErrors++;
            continue;
          }
          const number = nextNumberResponseSchema.parse(next.body);
          await kiosk.push(kiosk.ticketEvents({ serviceId: number.serviceId, departmentId: service.departmentId, businessDay: number.businessDay, sequence: number.sequence, label: number.label, priority: number.priority, issuedAt: benchClock.now() }));
          stats.issued++;
        }
      };

      await Promise.all([...windows.map(windowLoop), ...kiosks.map(kioskLoop)]);
      const runSeconds = (performance.now() - runStart) / 1000;
      // The last calls' events are still on their way (PostgreSQL: through NOTIFY).
      for (let waited = 0; unheard() > 0 && waited < 5000; waited += 50) await sleep(50);
      const missing = unheard();
      pressedAt.clear();
      const timed = latencies;
      return {
        ...stats,
        runSeconds,
        missing,
        timed: timed.length,
        p50: timed.length ? round1(percentile(timed, 50)) : -1,
        p99: timed.length ? round1(percentile(timed, 99)) : -1,
        max: timed.length ? round1(timed.reduce((a, b) => Math.max(a, b), 0)) : -1,
      };
    };

    const saturated = await phase(null);
    const paced = await phase(options.cycleMs);
    stream.close();

    const auditDoubles = await withDatabase(target, async ({ db }) => {
      const doubled = await db
        .selectFrom('counter_actions')
        .select('leg_id')
        .where('action', '=', 'call')
        .where('outcome', '=', 'done')
        .groupBy('leg_id')
        .having((eb) => eb(eb.fn.countAll(), '>', 1))
        .execute();
      return doubled.length;
    });

    return {
      calls_per_s: Math.round(saturated.calls / saturated.runSeconds),
      press_to_event_p50_ms: paced.p50,
      press_to_event_p99_ms: paced.p99,
      double_calls: eventDoubles + responseDoubles + auditDoubles,
      engine: 'sqliteFile' in target ? 'sqlite' : 'postgres',
      server_processes: processes,
      phase_s: options.seconds,
      paced_cycle_ms: options.cycleMs,
      paced_calls_per_s: round1(paced.calls / paced.runSeconds),
      paced_calls: paced.calls,
      paced_press_to_event_max_ms: paced.max,
      paced_late_cycles: paced.lateCycles,
      paced_queue_empty_answers: paced.queueEmpty,
      saturated_calls: saturated.calls,
      saturated_press_to_event_p50_ms: saturated.p50,
      saturated_press_to_event_p99_ms: saturated.p99,
      saturated_queue_empty_answers: saturated.queueEmpty,
      call_events_timed: saturated.timed + paced.timed,
      call_events_missing: saturated.missing + paced.missing,
      shed_answers: saturated.shed + paced.shed,
      errors: saturated.errors + paced.errors,
      tickets_issued_during_run: saturated.issued + paced.issued,
      issue_errors: saturated.issueErrors + paced.issueErrors,
      backlog_tickets: perService * benchCatalog.services.length,
      max_in_flight: maxInFlight,
    };
  } finally {
    for (const c of connections) c.close();
    for (const s of servers) await s.stop();
  }
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
