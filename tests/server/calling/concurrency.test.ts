import { expect, it } from 'vitest';
import { businessDayOf } from '../../../core/calendar/business-day.ts';
import { demoCatalog } from '../../support/demo-hall.ts';
import { CatalogStore } from '../../../server/catalog/catalog-store.ts';
import { openDatabase } from '../../../server/db/connect.ts';
import { migrateToLatest } from '../../../server/db/migrations.ts';
import { readHallState } from '../../../server/hall/hall-settings.ts';
import { checkCallingDay, runCallingDay, windowsPerService } from '../support/calling-day.ts';
import { describeEngines } from '../support/engines.ts';
import { spawnServer, startTestServer } from '../support/servers.ts';
import type { SpawnedServer } from '../support/servers.ts';
import { systemClockForTests } from '../support/system-clock.ts';

const windows = 200;
const runMs = 8_000;
/** Enough that windows called against one another; a busy test machine manages a few hundred. */
const minCalls = 100;

describeEngines('200 windows calling at once', (engine) => {
  it(`for ${runMs / 1000} s through one server: no ticket called twice, every move legal, each call the queue's first (offline-pushed tickets in their place)`, { timeout: 120_000 }, async () => {
    const db = await engine.fresh();
    // Room for every window's request at once: this test is about the store, not load shedding.
    const server = await startTestServer(db, { inFlightLimit: { maxInFlight: 1000, retryAfterSeconds: 1 } });
    try {
      const hall = await readHallState(server.db.db);
      const today = businessDayOf(server.clock.now(), hall.timeZone);
      const stats = await runCallingDay({ db: server.db.db, clock: server.clock, urls: [server.url], today, windows, runMs, ticketsPerService: 150 });
      console.info(`[${engine.name}] one process: ${JSON.stringify({ ...stats, offlineTickets: stats.offlineTickets.length })}`);
      expect(stats.calls).toBeGreaterThanOrEqual(minCalls);
      // SQLite's writers take turns: every call takes exactly the first waiting leg. PostgreSQL's
      // windows skip legs another window has locked at that instant, never more than those.
      const perService = windowsPerService(windows);
      const slack = engine.name === 'sqlite' ? () => 0 : (serviceId: string) => perService(serviceId) - 1;
      const checked = await checkCallingDay(server.db.db, slack, stats.offlineTickets);
      expect(checked.offlineCalled).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it(`for ${runMs / 1000} s through two server processes on one database, every press to the next process`, { timeout: 120_000 }, async () => {
    const db = await engine.fresh();
    const opened = openDatabase(db.target);
    const servers: SpawnedServer[] = [];
    try {
      await migrateToLatest(opened, systemClockForTests);
      await new CatalogStore(opened.db).import(demoCatalog, systemClockForTests);
      for (let i = 0; i < 2; i++) servers.push(await spawnServer(['serve', '--port', '0', '--db', db.dbArg, '--log-level', 'warn']));
      const hall = await readHallState(opened.db);
      const today = businessDayOf(systemClockForTests.now(), hall.timeZone);
      const stats = await runCallingDay({ db: opened.db, clock: systemClockForTests, urls: servers.map((s) => s.url), today, windows, runMs, ticketsPerService: 150 });
      console.info(`[${engine.name}] two processes: ${JSON.stringify({ ...stats, offlineTickets: stats.offlineTickets.length })}`);
      expect(stats.calls).toBeGreaterThanOrEqual(minCalls);
      const perService = windowsPerService(windows);
      // Two SQLite processes take turns at the file's write lock; PostgreSQL as above.
      const slack = engine.name === 'sqlite' ? () => 0 : (serviceId: string) => perService(serviceId) - 1;
      const checked = await checkCallingDay(opened.db, slack, stats.offlineTickets);
      expect(checked.offlineCalled).toBeGreaterThan(0);
    } finally {
      for (const s of servers) await s.stop();
      await opened.close();
    }
  });
});
