import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import type { Kysely } from 'kysely';
import { openDatabase } from '../../server/db/connect.ts';
import type { Database } from '../../server/db/schema.ts';
import { startEmbeddedServer, type RunningServer } from '../../server/embedded.ts';
import { createServerLogger } from '../../server/http/logger.ts';
import { spawnServer, type SpawnedServer } from '../server/support/servers.ts';
import { TestKiosk } from '../server/support/kiosk.ts';
import { adminPin, startKioskHost, type KioskHost } from './support/kiosk-host.ts';
import { finishTicket, openStaffScreen, takeNumber } from './support/kiosk-page.ts';
import { staffedAllDay } from './support/staffed-all-day.ts';
import { demoCatalog } from '../support/demo-hall.ts';
import { freePort } from '../support/free-port.ts';

// Two host-mode kiosks enrolled with one central server (a SQLite file on a fixed loopback port,
// stopped, restarted and killed as the test goes). Kiosk B's clock runs five minutes fast.
const skewB = 5 * 60 * 1000;

async function look<T>(dbFile: string, read: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const opened = openDatabase({ sqliteFile: dbFile });
  try {
    return await read(opened.db);
  } finally {
    await opened.close();
  }
}

interface Issued {
  kiosk: 'A' | 'B';
  label: string;
}

let dir: string;
let dbFile: string;
let port: number;
let serverUrl: string;
let server: RunningServer | null = null;
let spawned: SpawnedServer | null = null;
let hostA: KioskHost;
let hostB: KioskHost;
// One browser profile per kiosk for the whole file, as on a real kiosk: its IndexedDB holds the
// outbox, whose seqs the server already knows.
let contextA: BrowserContext;
let contextB: BrowserContext;

const startServer = async () => {
  // Numbers at any hour the suite runs: the kiosks pull a calendar that keeps the counters open.
  server = await startEmbeddedServer({ dbFile, port, clock: { now: () => Date.now() }, logger: createServerLogger({ level: 'silent' }), seedCatalog: demoCatalog, seedHallRules: staffedAllDay });
};
const stopServer = async () => {
  await server?.close();
  server = null;
};

test.beforeAll(async ({ browser }) => {
  [contextA, contextB] = [await browser.newContext(), await browser.newContext()];
  dir = mkdtempSync(join(tmpdir(), 'hall-sync-e2e-'));
  dbFile = join(dir, 'hall.sqlite');
  port = await freePort();
  serverUrl = `http://127.0.0.1:${port}`;
  await startServer();
  const [a, b] = [await server!.createDevice('kiosk A'), await server!.createDevice('kiosk B')];
  [hostA, hostB] = await Promise.all([startKioskHost({ serverUrl, enrollCode: a.enrollmentCode }), startKioskHost({ serverUrl, enrollCode: b.enrollmentCode })]);
});

test.afterAll(async () => {
  await contextA?.close();
  await contextB?.close();
  await Promise.all([hostA?.stop(), hostB?.stop()]);
  await spawned?.kill();
  await stopServer();
  rmSync(dir, { recursive: true, force: true });
});

async function openKiosk(context: BrowserContext, host: KioskHost, fastByMs = 0): Promise<Page> {
  const page = await context.newPage();
  if (fastByMs) await page.clock.install({ time: Date.now() + fastByMs });
  await page.goto(host.url);
  await expect(page.getByTestId('home')).toBeVisible();
  return page;
}

/** Staff press 同步 on the sync panel and wait until nothing is left to upload. */
async function syncUntilDrained(page: Page): Promise<void> {
  if ((await page.getByTestId('staff').count()) === 0) await openStaffScreen(page, adminPin);
  const panel = page.getByTestId('sync-panel');
  await expect(async () => {
    await page.getByTestId('sync-now').click();
    await expect(panel).toHaveAttribute('data-pending', '0', { timeout: 2_000 });
    await expect(panel).toHaveAttribute('data-connection', 'online', { timeout: 1_000 });
    await expect(page.getByTestId('sync-last-error')).toHaveText('最近错误：无', { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await page.getByTestId('staff-logout').click();
}

async function issueOn(page: Page, kiosk: 'A' | 'B', serviceId = 'biz-registration', departmentId = 'market'): Promise<Issued> {
  const label = await takeNumber(page, departmentId, serviceId);
  await expect(page.getByTestId('ticket-print-state')).toHaveAttribute('data-state', 'printed');
  await finishTicket(page);
  return { kiosk, label };
}

async function deviceIds(): Promise<Record<'A' | 'B', string>> {
  const rows = await look(dbFile, (db) => db.selectFrom('devices').select(['id', 'name']).execute());
  const id = (name: string) => rows.find((r) => r.name === name)!.id;
  return { A: id('kiosk A'), B: id('kiosk B') };
}

/** Exactly once: every ticket the kiosks issued is on the server once, with no gap in any device's events. */
async function expectExactlyOnce(issued: Issued[]): Promise<void> {
  const stored = await look(dbFile, async (db) => ({
    tickets: await db.selectFrom('tickets').select(['label', 'business_day', 'state', 'device_id']).execute(),
    events: await db.selectFrom('device_events').select(['device_id', 'seq', 'outcome']).execute(),
    sync: await db.selectFrom('device_sync').select(['device_id', 'last_applied_seq']).execute(),
    deadLetters: await db.selectFrom('dead_letters').select(['reason']).execute(),
  }));
  expect(stored.deadLetters).toEqual([]);
  expect(stored.tickets.map((t) => t.label).sort()).toEqual(issued.map((t) => t.label).sort());
  expect(new Set(stored.tickets.map((t) => `${t.business_day} ${t.label}`)).size).toBe(stored.tickets.length);
  expect(stored.tickets.every((t) => t.state === 'issued')).toBe(true);
  for (const { device_id, last_applied_seq } of stored.sync) {
    const seqs = stored.events.filter((e) => e.device_id === device_id).map((e) => e.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: last_applied_seq }, (_, i) => i + 1));
  }
  const ids = await deviceIds();
  for (const kiosk of ['A', 'B'] as const) {
    expect(stored.tickets.filter((t) => t.device_id === ids[kiosk]).map((t) => t.label).sort()).toEqual(issued.filter((t) => t.kiosk === kiosk).map((t) => t.label).sort());
  }
}

test.describe.configure({ mode: 'serial' });

test('two kiosks online, offline, online again: unique numbers, everything on the server once, called by corrected time', async () => {
  test.setTimeout(90_000);
  const a = await openKiosk(contextA, hostA);
  const b = await openKiosk(contextB, hostB, skewB);
  for (const page of [a, b]) await expect(page.getByTestId('status-online')).toHaveAttribute('data-state', 'online', { timeout: 15_000 });
  // Both hold leased numbers before the server goes away.
  const ids = await deviceIds();
  await expect
    .poll(() => look(dbFile, (db) => db.selectFrom('number_leases').select('device_id').where('service_id', '=', 'biz-registration').execute()).then((r) => new Set(r.map((x) => x.device_id)).size), { timeout: 15_000 })
    .toBe(2);

  // Online, in turn: the server hands out increasing numbers across both kiosks.
  const sequential: Issued[] = [];
  for (const [page, kiosk] of [[a, 'A'], [b, 'B'], [a, 'A'], [b, 'B']] as const) sequential.push(await issueOn(page, kiosk));
  // The day's first ticket is 001 although both kiosks hold leases: those come from the top of the quota.
  const onlineNumbers = sequential.map((t) => Number(t.label.slice(1)));
  expect(onlineNumbers).toEqual([1, 2, 3, 4]);
  // And at the same moment on both: still unique.
  const together = await Promise.all([issueOn(a, 'A', 'ss-card', 'social'), issueOn(b, 'B', 'ss-card', 'social')]);
  expect(together[0].label).not.toBe(together[1].label);

  // The server goes away; both kiosks go on from their leases.
  await stopServer();
  const offline: Issued[] = [];
  for (const [page, kiosk] of [[a, 'A'], [b, 'B'], [a, 'A'], [b, 'B']] as const) offline.push(await issueOn(page, kiosk));
  for (const page of [a, b]) await expect(page.getByTestId('status-online')).toHaveAttribute('data-state', 'offline');
  const all = [...sequential, ...together, ...offline];
  expect(new Set(all.map((t) => t.label)).size).toBe(all.length);
  const leases = await look(dbFile, (db) => db.selectFrom('number_leases').select(['device_id', 'first_number', 'last_number']).where('service_id', '=', 'biz-registration').execute());
  for (const ticket of offline) {
    const n = Number(ticket.label.slice(1));
    expect(leases.some((l) => l.device_id === ids[ticket.kiosk] && l.first_number <= n && n <= l.last_number), `${ticket.label} from a lease of kiosk ${ticket.kiosk}`).toBe(true);
  }

  // Back on the same file and port: both catch up.
  await startServer();
  await Promise.all([syncUntilDrained(a), syncUntilDrained(b)]);
  await expectExactlyOnce(all);

  // Calling order is by issue time corrected for each kiosk's clock: B's clock is five minutes
  // fast, yet its tickets interleave with A's exactly as they were issued.
  const observer = await TestKiosk.enroll(serverUrl, (await server!.createDevice('calling display')).enrollmentCode);
  const queue = await fetch(`${serverUrl}/api/v1/queue/biz-registration`, { headers: { authorization: `Bearer ${observer.token}` } }).then((r) => r.json() as Promise<{ waiting: Array<{ label: string }> }>);
  expect(queue.waiting.map((w) => w.label)).toEqual([...sequential, ...offline].map((t) => t.label));
  const raw = await look(dbFile, (db) => db.selectFrom('tickets').select(['label', 'issued_at', 'clock_offset_ms', 'device_id']).where('service_id', '=', 'biz-registration').execute());
  for (const row of raw.filter((r) => r.device_id === ids.B)) expect(Math.abs(row.clock_offset_ms + skewB)).toBeLessThan(2_000);
  await a.close();
  await b.close();
});

test('the server killed in the middle of a push, and the kiosk page closed in the middle of one: exactly once', async () => {
  test.setTimeout(90_000);
  const before = await look(dbFile, (db) => db.selectFrom('tickets').select(['label', 'device_id']).execute());
  const ids = await deviceIds();
  const issued: Issued[] = before.map((t) => ({ kiosk: t.device_id === ids.A ? 'A' : 'B', label: t.label }));
  let a = await openKiosk(contextA, hostA);
  await expect(a.getByTestId('status-online')).toHaveAttribute('data-state', 'online', { timeout: 15_000 });

  // A backlog built offline: twelve tickets, twenty-four events — several of the server's commit
  // blocks (it applies a push in transactions of up to 8 events here), so a push can be cut short.
  const backlog = 24;
  await stopServer();
  for (let i = 0; i < backlog / 2; i++) issued.push(await issueOn(a, 'A', 'sole-trader'));
  const appliedOfA = () => look(dbFile, (db) => db.selectFrom('device_sync').select('last_applied_seq').where('device_id', '=', ids.A).executeTakeFirstOrThrow()).then((r) => r.last_applied_seq);
  const start = await appliedOfA();

  // A server that takes 100 ms over each event; killed once the push is part-way through.
  const slow = () => spawnServer(['--db', dbFile, '--hold-ms', '100', '--port', String(port)], { script: 'tests/server/support/slow-server-main.ts' });
  spawned = await slow();
  await openStaffScreen(a, adminPin);
  await a.getByTestId('sync-now').click();
  await expect.poll(appliedOfA, { timeout: 20_000, intervals: [50] }).toBeGreaterThan(start);
  await spawned.kill();
  spawned = null;
  const afterKill = await appliedOfA();
  expect(afterKill).toBeLessThan(start + backlog);

  // Again, and this time the kiosk page goes away while the server is still applying.
  spawned = await slow();
  await a.getByTestId('sync-now').click();
  await expect.poll(appliedOfA, { timeout: 20_000, intervals: [50] }).toBeGreaterThan(afterKill);
  expect(await appliedOfA()).toBeLessThan(start + backlog); // still applying
  await a.close();
  await expect.poll(appliedOfA, { timeout: 20_000 }).toBe(start + backlog); // the server finished the push no one hears back from
  await spawned.stop();
  spawned = null;

  // The kiosk page comes back (same browser profile): it re-sends, the server answers duplicate.
  await startServer();
  a = await openKiosk(contextA, hostA);
  await syncUntilDrained(a);
  expect(await appliedOfA()).toBe(start + backlog);
  await expectExactlyOnce(issued);
});
