import { performance } from 'node:perf_hooks';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import type { Kysely } from 'kysely';
import { kioskEventSchema } from '../../core/kiosk/kiosk-api.ts';
import type { QueueState } from '../../core/ticket/queue-state.ts';
import type { PriorityClass } from '../../core/ticket/ticket.ts';
import { EventStreamReader } from '../../core/http/event-stream-reader.ts';
import { createAdminUser } from '../../server/admin/admin-users.ts';
import { CatalogStore } from '../../server/catalog/catalog-store.ts';
import { openDatabase } from '../../server/db/connect.ts';
import type { Database } from '../../server/db/schema.ts';
import { migrateToLatest } from '../../server/db/migrations.ts';
import { createDevice } from '../../server/devices/devices.ts';
import { HallCalendarStore } from '../../server/calendar/calendar-store.ts';
import { findPostgresBinDir, postgresSkipReason, startPostgresCluster, type PostgresCluster } from '../server/support/postgres.ts';
import { spawnServer, type SpawnedServer } from '../server/support/servers.ts';
import { startKioskHost, type KioskHost } from './support/kiosk-host.ts';
import { staffedAllDay } from './support/staffed-all-day.ts';
import { finishTicket, takeNumber } from './support/kiosk-page.ts';
import { demoCatalog } from '../support/demo-hall.ts';

// The hall outgrew one machine: two server processes (`server/cli.ts serve`) on ONE PostgreSQL,
// kiosk A behind the first, kiosk B behind the second, both issuing online at once.
const postgresAvailable = Boolean(process.env.HALL_TEST_DATABASE_URL) || findPostgresBinDir() !== null;
test.skip(!postgresAvailable, `two server processes need one PostgreSQL: ${postgresSkipReason}`);
test.describe.configure({ mode: 'serial' });

const clock = { now: () => Date.now() };
let cluster: PostgresCluster;
let databaseUrl: string;
const servers: SpawnedServer[] = [];
let hostA: KioskHost;
let hostB: KioskHost;
let contextA: BrowserContext;
let contextB: BrowserContext;

async function look<T>(read: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const opened = openDatabase({ postgresUrl: databaseUrl }, { poolSize: 1 });
  try {
    return await read(opened.db);
  } finally {
    await opened.close();
  }
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(60_000);
  cluster = await startPostgresCluster();
  databaseUrl = await cluster.createDatabase(`hall_multi_${process.pid}`);
  // Set up as an admin would: the schema, the hall's catalog and two kiosks.
  const codes = await (async () => {
    const opened = openDatabase({ postgresUrl: databaseUrl });
    try {
      await migrateToLatest(opened, clock);
      await new CatalogStore(opened.db).import(demoCatalog, clock);
      // Numbers at any hour the suite runs: the kiosks pull a calendar that keeps the counters open.
      await new HallCalendarStore(opened.db).save(staffedAllDay, clock, 'e2e');
      await createAdminUser(opened.db, clock, 'office', 'correct horse battery');
      return [(await createDevice(opened.db, clock, 'kiosk A')).enrollmentCode, (await createDevice(opened.db, clock, 'kiosk B')).enrollmentCode];
    } finally {
      await opened.close();
    }
  })();
  servers.push(...(await Promise.all([0, 1].map(() => spawnServer(['serve', '--port', '0', '--db', databaseUrl, '--log-level', 'warn'])))));
  [hostA, hostB] = await Promise.all([
    startKioskHost({ serverUrl: servers[0]!.url, enrollCode: codes[0] }),
    startKioskHost({ serverUrl: servers[1]!.url, enrollCode: codes[1] }),
  ]);
  [contextA, contextB] = [await browser.newContext(), await browser.newContext()];
});

test.afterAll(async () => {
  await contextA?.close();
  await contextB?.close();
  await Promise.all([hostA?.stop(), hostB?.stop()]);
  for (const server of servers.splice(0)) await server.stop();
  await cluster?.stop();
});

async function openKiosk(context: BrowserContext, host: KioskHost): Promise<Page> {
  const page = await context.newPage();
  await page.goto(host.url);
  await expect(page.getByTestId('home')).toBeVisible();
  await expect(page.getByTestId('status-online')).toHaveAttribute('data-state', 'online', { timeout: 15_000 });
  return page;
}

interface Issue {
  kiosk: 'A' | 'B';
  label: string;
  /** test clock when the citizen started and when the number was on screen */
  startedAt: number;
  shownAt: number;
}

async function issueOn(page: Page, kiosk: 'A' | 'B', serviceId = 'biz-registration', departmentId = 'market', priority: PriorityClass = 'normal'): Promise<Issue> {
  const startedAt = performance.now();
  const label = await takeNumber(page, departmentId, serviceId, priority);
  const shownAt = performance.now();
  await expect(page.getByTestId('ticket-print-state')).toHaveAttribute('data-state', 'printed');
  return { kiosk, label, startedAt, shownAt };
}

/** Issue order across kiosks: a number shown before another citizen started must be smaller. */
function expectIssueOrder(issues: Issue[]): void {
  for (const earlier of issues) {
    for (const later of issues) {
      if (earlier.shownAt < later.startedAt) expect(Number(earlier.label.slice(1)), `${earlier.kiosk} ${earlier.label} before ${later.kiosk} ${later.label}`).toBeLessThan(Number(later.label.slice(1)));
    }
  }
}

/**
 * What kiosk B's privileged side passes to its page: the host's own event stream, read here as
 * the page reads it. Resolves with the first queue state that satisfies `accept`.
 */
async function queueStateSeenBy(host: KioskHost, accept: (state: QueueState) => boolean, timeoutMs = 10_000): Promise<QueueState> {
  const token = new URLSearchParams(new URL(host.url).hash.slice(1)).get('token')!;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let last: QueueState | null = null;
  try {
    const response = await fetch(`${host.origin}/api/events?token=${encodeURIComponent(token)}`, { signal: controller.signal });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const parser = new EventStreamReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) throw new Error('host event stream ended');
      for (const message of parser.push(decoder.decode(value, { stream: true }))) {
        const event = kioskEventSchema.parse(JSON.parse(message.data));
        if (event.type !== 'queue-state') continue;
        last = event.state;
        if (event.state && accept(event.state)) return event.state;
      }
    }
  } catch (error) {
    throw new Error(`kiosk ${host.origin} did not see the expected queue state within ${timeoutMs} ms (last: ${JSON.stringify(last)})`, { cause: error });
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/** Printed (state issued) tickets of a service on the one database, as both processes see it. */
const issuedOnServer = (serviceId: string) =>
  look((db) => db.selectFrom('tickets').select('label').where('service_id', '=', serviceId).where('state', '=', 'issued').execute()).then((rows) => rows.length);

test('two kiosks behind two server processes on one PostgreSQL: unique numbers in issue order, the queue state crosses processes, both kiosks report their state', async () => {
  test.setTimeout(90_000);
  const [a, b] = await Promise.all([openKiosk(contextA, hostA), openKiosk(contextB, hostB)]);

  // In turn, each kiosk through its own process: the numbers follow the order of issue.
  const issues: Issue[] = [];
  for (const [page, kiosk] of [[a, 'A'], [b, 'B'], [a, 'A'], [b, 'B']] as const) {
    issues.push(await issueOn(page, kiosk));
    await finishTicket(page);
  }
  // At the same time on both, three each.
  const together = await Promise.all(
    ([[a, 'A'], [b, 'B']] as const).map(async ([page, kiosk]) => {
      const mine: Issue[] = [];
      for (let i = 0; i < 3; i++) {
        mine.push(await issueOn(page, kiosk));
        await finishTicket(page);
      }
      return mine;
    }),
  );
  issues.push(...together.flat());
  const labels = issues.map((i) => i.label);
  expect(new Set(labels).size, labels.join(' ')).toBe(issues.length);
  expectIssueOrder(issues);

  // All of them online numbers from the shared counter: none came out of an offline lease.
  await expect.poll(() => issuedOnServer('biz-registration'), { timeout: 20_000 }).toBe(issues.length);
  const stored = await look(async (db) => ({
    tickets: await db.selectFrom('tickets').select(['label', 'sequence']).where('service_id', '=', 'biz-registration').execute(),
    leases: await db.selectFrom('number_leases').select(['first_number', 'last_number']).where('service_id', '=', 'biz-registration').execute(),
  }));
  expect(stored.tickets.map((t) => t.label).sort()).toEqual([...labels].sort());
  for (const t of stored.tickets) expect(stored.leases.some((l) => l.first_number <= t.sequence && t.sequence <= l.last_number), `${t.label} from a lease`).toBe(false);

  // Kiosk A, behind process 1, issues the day's first social-security card ticket; kiosk B, whose
  // stream comes from process 2, hears of it and prints how many are ahead.
  await issueOn(a, 'A', 'ss-card', 'social');
  await finishTicket(a);
  await expect.poll(() => issuedOnServer('ss-card'), { timeout: 15_000 }).toBe(1);
  await queueStateSeenBy(hostB, (s) => s.services.some((x) => x.serviceId === 'ss-card' && x.waiting === 1));

  await issueOn(b, 'B', 'ss-card', 'social');
  await expect(b.getByTestId('ticket-people-ahead')).toHaveText('前面还有1人');
  await finishTicket(b);
  // A priority ticket waits behind priority tickets only: none yet.
  await issueOn(b, 'B', 'ss-card', 'social', 'elderly');
  await expect(b.getByTestId('ticket-people-ahead')).toHaveText('前面还有0人');
  await finishTicket(b);

  // Both kiosks report their state with their sync rounds; either process shows every kiosk.
  await expect.poll(() => look((db) => db.selectFrom('device_status').select('device_id').execute()).then((r) => r.length), { timeout: 15_000 }).toBe(2);
  const login = await fetch(`${servers[1]!.url}/api/v1/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'office', password: 'correct horse battery' }) });
  const { token } = (await login.json()) as { token: string };
  const listed = (await (await fetch(`${servers[1]!.url}/api/v1/admin/kiosks`, { headers: { authorization: `Bearer ${token}` } })).json()) as { kiosks: Array<{ name: string; alerts: string[]; report: { printer: { state: string } | null } | null }> };
  expect(listed.kiosks.map((k) => [k.name, k.alerts, k.report?.printer?.state])).toEqual([
    ['kiosk A', [], 'ready'],
    ['kiosk B', [], 'ready'],
  ]);

  const printed = (await hostB.printer.waitForTickets(hostB.printer.ticketCount, 5_000)).slice(-2).map((t) => t.lines.join('\n'));
  expect(printed[0]).toContain('前面还有1人');
  expect(printed[1]).toContain('前面还有0人');
  expect(printed[1]).toContain('优先 · 老年人');
});
