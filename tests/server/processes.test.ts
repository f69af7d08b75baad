import { performance } from 'node:perf_hooks';
import { expect, it } from 'vitest';
import { systemClockForTests } from './support/system-clock.ts';
import { CatalogStore } from '../../server/catalog/catalog-store.ts';
import { openDatabase } from '../../server/db/connect.ts';
import { migrateToLatest } from '../../server/db/migrations.ts';
import { createDevice } from '../../server/devices/devices.ts';
import { describeEngines } from './support/engines.ts';
import type { TestDatabase } from './support/engines.ts';
import { TestKiosk } from './support/kiosk.ts';
import { leasesIn } from './support/number-grants.ts';
import { expectMonotonic } from './support/monotonic.ts';
import type { Timed } from './support/monotonic.ts';
import { countRows, spawnServer } from './support/servers.ts';
import type { SpawnedServer } from './support/servers.ts';
import { demoCatalog } from '../support/demo-hall.ts';

/** A database with the demo catalog and `devices` new devices, as an admin would set it up. */
async function prepare(db: TestDatabase, devices: number): Promise<string[]> {
  const opened = openDatabase(db.target);
  try {
    await migrateToLatest(opened, systemClockForTests);
    await new CatalogStore(opened.db).import(demoCatalog, systemClockForTests);
    const codes: string[] = [];
    for (let i = 0; i < devices; i++) codes.push((await createDevice(opened.db, systemClockForTests, `kiosk ${i}`)).enrollmentCode);
    return codes;
  } finally {
    await opened.close();
  }
}

async function lastApplied(db: TestDatabase): Promise<number> {
  const opened = openDatabase(db.target, { poolSize: 1 });
  try {
    const row = await opened.db.selectFrom('device_sync').select('last_applied_seq').executeTakeFirst();
    return row?.last_applied_seq ?? 0;
  } finally {
    await opened.close();
  }
}

describeEngines('separate server processes', (engine) => {
  it('two server processes on one database hand out unique, monotonic numbers and apply a push once', async () => {
    const db = await engine.fresh();
    const codes = await prepare(db, 4);
    const servers: SpawnedServer[] = [];
    try {
      servers.push(await spawnServer(['serve', '--port', '0', '--db', db.dbArg, '--log-level', 'warn']));
      servers.push(await spawnServer(['serve', '--port', '0', '--db', db.dbArg, '--log-level', 'warn']));
      const kiosks = await Promise.all(codes.map((code, i) => TestKiosk.enroll(servers[i % 2]!.url, code, {}, leasesIn(db))));
      // Each kiosk talks to both processes, alternating, as behind a load balancer.
      const via = (kiosk: TestKiosk, n: number) => new TestKiosk(servers[n % 2]!.url, kiosk.deviceId, kiosk.token, {}, leasesIn(db));

      const calls: Timed[] = [];
      await Promise.all(
        kiosks.map(async (kiosk, k) => {
          for (let n = 0; n < 15; n++) {
            const sentAt = performance.now();
            const client = via(kiosk, n + k);
            const response = n % 5 === 4 ? await client.lease('ss-card', (await client.next('pension')).body.businessDay, 3) : await client.next('ss-card');
            const receivedAt = performance.now();
            expect(response.status, JSON.stringify(response.body)).toBe(200);
            const numbers = response.body.lease ? [response.body.lease.first, response.body.lease.first + 1, response.body.lease.last] : [response.body.sequence];
            calls.push({ sentAt, receivedAt, numbers });
          }
        }),
      );
      // Online numbers count up from 1; leases come down from the top of ss-card's lease band (999, above its quota of 300).
      const online = calls.filter((c) => c.numbers.length === 1);
      const leases = calls.filter((c) => c.numbers.length === 3);
      expect(online.flatMap((c) => c.numbers).sort((a, b) => a - b)).toEqual(Array.from({ length: 4 * 12 }, (_, i) => i + 1));
      expectMonotonic(online);
      expect(leases.flatMap((c) => c.numbers).sort((a, b) => a - b)).toEqual(Array.from({ length: 4 * 3 * 3 }, (_, i) => 999 - 4 * 3 * 3 + 1 + i));
      expectMonotonic(leases.map((c) => ({ ...c, numbers: c.numbers.map((n) => -n) })));

      // The same batch through both processes at once: applied exactly once.
      const [first] = kiosks;
      for (let n = 1; n <= 30; n++) first!.issue({ serviceId: 'fund-loan', prefix: 'G', sequence: n, issuedAt: Date.now() });
      const responses = await Promise.all([0, 1, 2, 3].map((n) => via(first!, n).push(first!.outbox)));
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      const applied = responses.flatMap((r) => r.body.results).filter((r: { status: string }) => r.status === 'applied');
      expect(applied).toHaveLength(30);
      expect(await countRows(db)).toMatchObject({ tickets: 30, device_events: 30 });
    } finally {
      for (const s of servers) await s.stop();
    }
  });

  it('a server killed in the middle of a push loses nothing and doubles nothing after a restart and re-push', async () => {
    const db = await engine.fresh();
    const [code] = await prepare(db, 1);
    // Each event's transaction stays open 40 ms before committing, so the kill lands inside one.
    const server = await spawnServer(['--db', db.dbArg, '--hold-ms', '40'], { script: 'tests/server/support/slow-server-main.ts' });
    let restarted: SpawnedServer | null = null;
    try {
      const kiosk = await TestKiosk.enroll(server.url, code!, {}, leasesIn(db));
      for (let n = 1; n <= 30; n++) {
        const ticket = kiosk.issue({ serviceId: 'ss-card', prefix: 'D', sequence: n, issuedAt: Date.now() });
        if (n % 3 === 0) kiosk.printed(ticket, Date.now());
      }
      const total = kiosk.outbox.length;
      const inFlight = kiosk.push().then(
        (r) => ({ ok: true as const, status: r.status }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      const deadline = Date.now() + 10_000;
      while ((await lastApplied(db)) < 5) {
        if (Date.now() > deadline) throw new Error('the push never got going');
        await new Promise((r) => setTimeout(r, 10));
      }
      await server.kill();
      const outcome = await inflight(inFlight);
      expect(outcome.ok, 'the push must not have completed').toBe(false);

      const appliedBeforeCrash = await lastApplied(db);
      expect(appliedBeforeCrash).toBeGreaterThanOrEqual(5);
      expect(appliedBeforeCrash).toBeLessThan(total);
      // What the crash left is consistent: exactly the effects of the applied seqs, nothing half-done.
      const afterCrash = await countRows(db);
      expect(afterCrash.device_events).toBe(appliedBeforeCrash);
      const ticketsApplied = kiosk.outbox.filter((e) => e.seq <= appliedBeforeCrash && e.type === 'ticket.issued').length;
      expect(afterCrash.tickets).toBe(ticketsApplied);

      restarted = await spawnServer(['serve', '--port', '0', '--db', db.dbArg, '--log-level', 'warn']);
      kiosk.baseUrl = restarted.url;
      const repush = await kiosk.push();
      expect(repush.status).toBe(200);
      const statuses = repush.body.results.map((r: { status: string }) => r.status);
      expect(statuses).toEqual([...Array(appliedBeforeCrash).fill('duplicate'), ...Array(total - appliedBeforeCrash).fill('applied')]);
      expect(await countRows(db)).toMatchObject({ tickets: 30, device_events: total, dead_letters: 0 });
    } finally {
      await server.kill();
      await restarted?.stop();
    }
  });
});

function inflight<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the killed server left the request hanging')), 10_000))]);
}
