// `npm run bench sync`: the catch-up where the kiosk runs it. A host-mode kiosk (the real page,
// served by its privileged side) in Debian's Chromium holds 10,000 pending outbox entries in
// Chromium's IndexedDB, written as TicketIssuer writes them, while the hall server (SQLite, its
// own process) is away; the server comes back on the same address and the kiosk's own sync engine
// catches up through the privileged side, as in a hall. In the same browser, PouchDB's idb adapter
// replicates the same 10,000 documents to express-pouchdb on 127.0.0.1. The Node figures
// (bench/sync.ts: the same engine on fake-indexeddb, straight to the server) follow as `node`.
//
// Where the time goes comes from the engine's own User Timing marks (renderer/sync/sync-marks.ts):
// reading the outbox, each push's round trip (page → privileged side → server → back) and writing
// the acknowledgement.
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { chromium } from '@playwright/test';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { build } from 'esbuild';
import { chromiumFlags } from '../playwright.config.ts';
import type { SyncEvent } from '../core/sync/events.ts';
import { createDevice } from '../server/devices/devices.ts';
import { callKiosk } from '../tests/e2e/support/kiosk-call.ts';
import { adminPin, startKioskHost } from '../tests/e2e/support/kiosk-host.ts';
import type { KioskHost } from '../tests/e2e/support/kiosk-host.ts';
import { staffedEveryDay } from '../tests/e2e/support/staffed-all-day.ts';
import type { SpawnedServer } from '../tests/server/support/servers.ts';
import { median, round3 } from './percentile.ts';
import { prepareHall, scratchSqlite, spawnBenchServer, systemClock, withDatabase } from './support/hall.ts';
import type { DatabaseTarget } from '../server/db/connect.ts';
import { kioskHistory } from './support/outage-history.ts';
import { leaseHistory } from './support/history-leases.ts';
import type { OutageHistory } from './support/outage-history.ts';
import type { PouchReplication } from './support/pouchdb-runs.ts';
import { spawnPouchServer } from './support/pouchdb-server.ts';
import type { SyncMark, SyncPage, SyncPageState } from './support/sync-page.ts';
import { fastest, medianPerBatchSize, runSyncBench } from './sync.ts';
import { readDemoCatalog } from '../server/catalog/demo-catalog.ts';

const demoCatalog = readDemoCatalog('small').catalog;

const eventCount = Number(process.env.BENCH_SYNC_EVENTS ?? 10_000);
/** What each kiosk had synced before its outage, so the server knows it and it holds a cursor. */
const syncedBefore = Number(process.env.BENCH_SYNC_SYNCED_BEFORE ?? 1_000);
/** PouchDB's server is warmed with another kiosk's backlog of this many, as in the Node runs. */
const warmUpEvents = 5_000;
const repeats = Number(process.env.BENCH_SYNC_REPEATS ?? 5);
const batchSizes = [100, 1000];

export async function pageBundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'warning',
  });
  return result.outputFiles[0]!.text;
}

/** One kiosk's catch-up in the page, from its engine's marks. */
export interface PageCatchUp {
  /** the round that made the first acknowledged push → the answer to the push that left nothing pending */
  seconds: number;
  /** …to the end of that round (pull, lease top-up, status report): what the Node figure spans */
  roundSeconds: number;
  pushes: number;
  readMs: number;
  /** reads that held up a push: the first of the round, and any the read-ahead did not cover */
  readWaitedMs: number;
  pushMs: number;
  ackMs: number;
}

/** Pairs each `start` mark with the next `end` one, in order, and gives the spans in ms. */
function spans(marks: readonly SyncMark[], start: string, end: string): { from: number; to: number }[] {
  const found: { from: number; to: number }[] = [];
  let open: number | null = null;
  for (const mark of marks) {
    if (mark.name === start) open = mark.at;
    else if (mark.name === end && open !== null) {
      found.push({ from: open, to: mark.at });
      open = null;
    }
  }
  return found;
}

/**
 * The catch-up in the engine's marks: it starts with the round whose push was first
 * acknowledged (the server being back) and ends with the answer to the last push; the round ends
 * after it.
 */
export function catchUpFromMarks(marks: readonly SyncMark[]): PageCatchUp {
  const firstAck = marks.findIndex((m) => m.name === 'sync:ack-start');
  if (firstAck < 0) throw new Error('the engine acknowledged no push');
  const startIndex = marks.slice(0, firstAck).findLastIndex((m) => m.name === 'sync:round-start');
  if (startIndex < 0) throw new Error('no round start before the first acknowledgement');
  const lastAck = marks.findLastIndex((m) => m.name === 'sync:ack-start');
  const lastReply = marks.slice(0, lastAck).findLast((m) => m.name === 'sync:push-reply')!;
  const roundEnd = marks.slice(lastAck).find((m) => m.name === 'sync:round-end');
  if (!roundEnd) throw new Error('the catch-up round has not ended');
  const within = marks.slice(startIndex);
  const total = (list: { from: number; to: number }[]) => list.reduce((sum, s) => sum + (s.to - s.from), 0);
  const pushes = spans(within, 'sync:push-sent', 'sync:push-reply');
  const reads = spans(within, 'sync:read-start', 'sync:read-end');
  // A read that ends after its push was sent ran under the previous push's round trip.
  const waited = reads.filter((read) => !pushes.some((push) => push.from <= read.from && read.to <= push.to));
  const start = marks[startIndex]!.at;
  return {
    seconds: (lastReply.at - start) / 1000,
    roundSeconds: (roundEnd.at - start) / 1000,
    pushes: pushes.length,
    readMs: total(reads),
    readWaitedMs: total(waited),
    pushMs: total(pushes),
    ackMs: total(spans(within, 'sync:ack-start', 'sync:ack-end')),
  };
}

/** The hall server that goes away and comes back on the same port, as a hall's does. */
class ComingBackServer {
  private server: SpawnedServer | null = null;
  private port = 0;
  constructor(private readonly target: DatabaseTarget) {}
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    this.server = await spawnBenchServer(this.target, { port: this.port });
    this.port = Number(new URL(this.server.url).port);
  }
  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = null;
  }
}

const inPage = (page: Page) => ({
  seed: (kioskId: string, events: readonly SyncEvent[]) =>
    page.evaluate(([id, list]) => (globalThis as unknown as { hallSyncBench: SyncPage }).hallSyncBench.seed(id, list), [kioskId, events] as const),
  state: () => page.evaluate(() => (globalThis as unknown as { hallSyncBench: SyncPage }).hallSyncBench.state()),
  marks: () => page.evaluate(() => (globalThis as unknown as { hallSyncBench: SyncPage }).hallSyncBench.marks()),
  resetMarks: () => page.evaluate(() => (globalThis as unknown as { hallSyncBench: SyncPage }).hallSyncBench.resetMarks()),
});

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`sync bench: gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** 立即同步 on the staff screen, signing in first if the screen went back home while idle. */
async function syncNow(page: Page): Promise<void> {
  if (!(await page.getByTestId('sync-now').isVisible())) {
    await page.getByTestId('staff-entry').click();
    await page.getByTestId('pin-input').fill(adminPin);
    await page.getByTestId('pin-submit').click();
  }
  await page.getByTestId('sync-now').click();
}

/**
 * One kiosk, one outage: enrolled and online, it syncs `history.synced`; the server goes away and
 * the kiosk records `history.pending`; the server comes back and the engine is kicked (立即同步),
 * and the catch-up is read from its marks.
 */
async function kioskOutage(browser: Browser, server: ComingBackServer, enrollCode: string, history: OutageHistory, script: string): Promise<PageCatchUp> {
  let host: KioskHost | null = null;
  let context: BrowserContext | null = null;
  try {
    host = await startKioskHost({ serverUrl: server.url, enrollCode });
    // The page's policy allows its own scripts only; the bench's helper is added as a script tag.
    context = await browser.newContext({ bypassCSP: true, viewport: { width: 1080, height: 1920 }, locale: 'zh-CN' });
    const page = await context.newPage();
    page.on('pageerror', (error) => process.stderr.write(`kiosk page error: ${error.message}\n`));
    await page.goto(host.url);
    await page.getByTestId('home').waitFor();
    await page.addScriptTag({ content: script });
    const kiosk = inPage(page);
    const { kioskId } = (await callKiosk(host, 'config.get')) as { kioskId: string };
    const state = async (): Promise<SyncPageState> => kiosk.state();
    await until('the kiosk to enroll and make its first round', async () => (await state()).deviceId !== null);

    await kiosk.seed(kioskId, history.synced);
    await syncNow(page);
    await until(`the kiosk to sync its first ${history.synced.length} events`, async () => (await state()).pending === 0);

    await server.stop();
    await kiosk.seed(kioskId, history.pending);
    const held = await state();
    if (held.pending !== history.pending.length) throw new Error(`${held.pending} pending after the outage, not ${history.pending.length}`);

    await kiosk.resetMarks();
    await server.start();
    await syncNow(page);
    await until('the catch-up', async () => {
      const marks = await kiosk.marks();
      const lastAck = marks.findLastIndex((m) => m.name === 'sync:ack-end');
      return lastAck >= 0 && marks.slice(lastAck).some((m) => m.name === 'sync:round-end') && (await state()).pending === 0;
    });
    const after = await state();
    const total = history.synced.length + history.pending.length;
    if (after.ackedThrough !== total) throw new Error(`the kiosk's mark stands at ${after.ackedThrough}, not ${total}`);
    return catchUpFromMarks(await kiosk.marks());
  } finally {
    await context?.close();
    await host?.stop();
  }
}

/** PouchDB in the same browser: a page on express-pouchdb's origin (no CORS in the way), its idb adapter. */
async function pouchInBrowser(browser: Browser, warmUp: OutageHistory, history: OutageHistory): Promise<PouchReplication[]> {
  const server = await spawnPouchServer();
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(server.url);
    await page.setContent('<!doctype html><meta charset="utf-8"><title>PouchDB baseline</title>');
    await page.addScriptTag({ content: await pageBundle('bench/support/pouchdb-page.ts') });
    return await page.evaluate(
      (options) => (globalThis as unknown as { hallPouchBench: { run(o: typeof options): Promise<PouchReplication[]> } }).hallPouchBench.run(options),
      { store: 'idb' as const, remoteUrl: server.url, warmUp, history, batchSizes, repeats, prefix: 'chromium' },
    );
  } finally {
    await context.close();
    await server.stop();
  }
}

type Figures = { [figure: string]: number | string | Figures };

export async function runSyncBenchInBrowser(): Promise<Figures> {
  const loadBefore = loadavg()[0]!;
  const now = systemClock.now();
  const hall = scratchSqlite('sync-browser');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumFlags });
  const platform = `chromium ${browser.version()}`;
  const catchUps: PageCatchUp[] = [];
  let pouch: PouchReplication[];
  try {
    // Counters open at whatever hour the bench runs: the kiosk is in its day mode, and leases are granted.
    await prepareHall(hall.target, { catalog: demoCatalog, deviceCount: 0, hallCalendar: staffedEveryDay('00:00', '23:59', { withQuotas: false }) });
    const made = await withDatabase(hall.target, async ({ db }) => {
      const devices: { deviceId: string; enrollmentCode: string }[] = [];
      for (let k = 0; k < repeats; k++) devices.push(await createDevice(db, systemClock, `browser bench kiosk ${k + 1}`));
      return devices;
    });
    const codes = made.map((d) => d.enrollmentCode);
    // Each kiosk its own days, so their numbers never meet.
    const histories: OutageHistory[] = [];
    let endDaysAgo = 1;
    for (let k = 0; k < repeats; k++) {
      const events = kioskHistory({ kioskId: `kiosk-browser-${k + 1}`, catalog: demoCatalog, events: syncedBefore + eventCount, now, endDaysAgo });
      histories.push({ synced: events.slice(0, syncedBefore), pending: events.slice(syncedBefore) });
      endDaysAgo += new Set(events.map((e) => e.at - (e.at % 86_400_000))).size + 2;
    }
    await withDatabase(hall.target, async ({ db }) => {
      for (const [k, h] of histories.entries()) await leaseHistory(db, made[k]!.deviceId, [...h.synced, ...h.pending]);
    });
    const script = await pageBundle('bench/support/sync-page.ts');
    const server = new ComingBackServer(hall.target);
    await server.start();
    try {
      for (let k = 0; k < repeats; k++) catchUps.push(await kioskOutage(browser, server, codes[k]!, histories[k]!, script));
    } finally {
      await server.stop();
    }
    const stored = await withDatabase(hall.target, async ({ db }) => ({
      events: Number((await db.selectFrom('device_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
      deadLetters: Number((await db.selectFrom('dead_letters').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
    }));
    if (stored.events !== repeats * (syncedBefore + eventCount) || stored.deadLetters !== 0) throw new Error(`the server holds ${JSON.stringify(stored)} after the catch-ups`);

    const warmUp = { synced: [], pending: kioskHistory({ kioskId: 'kiosk-pouch-warm', catalog: demoCatalog, events: warmUpEvents, now, endDaysAgo }) };
    pouch = await pouchInBrowser(browser, warmUp, histories[0]!);
  } finally {
    await browser.close();
    hall.remove();
  }
  const loadAfterBrowser = loadavg()[0]!;
  const node = await runSyncBench();

  const perBatch = medianPerBatchSize(pouch);
  const best = fastest(perBatch);
  const catchUpSeconds = median(catchUps.map((c) => c.seconds));
  const medianOf = (pick: (c: PageCatchUp) => number) => median(catchUps.map(pick));
  const detail: Figures = {
    comparison:
      `the real kiosk page (host mode) in ${platform}: its SyncEngine pushing ${eventCount} pending outbox entries from Chromium's IndexedDB through the privileged side to the hall server (SQLite, own process), ` +
      `from the round that made the first acknowledged push to the answer to the last one; vs PouchDB (idb adapter on Chromium's IndexedDB) replicating the same ${eventCount} documents to express-pouchdb (memory) in the same browser; medians of ${repeats}`,
    catchup_runs_s: catchUps.map((c) => round3(c.seconds)).join(', '),
    catchup_round_s: round3(medianOf((c) => c.roundSeconds)),
    pushes: medianOf((c) => c.pushes),
    read_ms: Math.round(medianOf((c) => c.readMs)),
    read_waited_ms: Math.round(medianOf((c) => c.readWaitedMs)),
    push_round_trips_ms: Math.round(medianOf((c) => c.pushMs)),
    ack_ms: Math.round(medianOf((c) => c.ackMs)),
    pouchdb_batch_size: best.batchSize,
    ...Object.fromEntries(perBatch.map((b) => [`pouchdb_batch${b.batchSize}_s`, round3(b.seconds)])),
    pouchdb_runs_s: best.runs.map(round3).join(', '),
    synced_before_outage: syncedBefore,
    repeats,
  };
  // The shape, headline first; where the browser's time goes is its own file.
  writeFileSync('bench/results/sync-detail.json', `${JSON.stringify(detail, null, 2)}\n`);
  console.log('\nsync: in the browser, where the time goes (bench/results/sync-detail.json)');
  console.table(detail);
  return {
    events: eventCount,
    catchup_s: round3(catchUpSeconds),
    pouchdb_catchup_s: round3(best.seconds),
    ratio: Math.round((best.seconds / catchUpSeconds) * 10) / 10,
    platform,
    node,
    machine_load_1m: `${loadBefore.toFixed(1)} before, ${loadAfterBrowser.toFixed(1)} after the browser runs, ${loadavg()[0]!.toFixed(1)} after the Node runs`,
  };
}
