// A hall database made ready for a benchmark, and its server in a separate process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Catalog } from '../../core/catalog/catalog.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import type { HallRules } from '../../core/calendar/calendar-rules.ts';
import { benchClock, benchClockEnv } from './bench-clock.ts';
import { CatalogStore } from '../../server/catalog/catalog-store.ts';
import { openDatabase } from '../../server/db/connect.ts';
import type { DatabaseTarget, ServerDb } from '../../server/db/connect.ts';
import { migrateToLatest } from '../../server/db/migrations.ts';
import { createDevice, enrollDevice } from '../../server/devices/devices.ts';
import { HallCalendarStore } from '../../server/calendar/calendar-store.ts';
import { startPostgresCluster } from '../../tests/server/support/postgres.ts';
import type { PostgresCluster } from '../../tests/server/support/postgres.ts';
import { spawnServer } from '../../tests/server/support/servers.ts';
import type { SpawnedServer } from '../../tests/server/support/servers.ts';

/** The bench's hall clock (bench-clock.ts): kept under its old name for the benches that import it. */
export const systemClock: Clock = benchClock;

export interface EnrolledDevice {
  deviceId: string;
  token: string;
}

/**
 * Migrates, imports `catalog` and enrolls `deviceCount` devices straight through the server's own
 * functions (enrolling over HTTP would meet the per-address limit meant for guessed codes).
 */
/** `hallCalendar`: saved as the hall's calendar, so every number goes through the calendar's checks as in a real hall. */
export async function prepareHall(target: DatabaseTarget, options: { catalog: Catalog; deviceCount: number; hallCalendar?: HallRules }): Promise<EnrolledDevice[]> {
  const db = openDatabase(target, { poolSize: 2 });
  try {
    await migrateToLatest(db, systemClock);
    await new CatalogStore(db.db).import(options.catalog, systemClock);
    if (options.hallCalendar) await new HallCalendarStore(db.db).save(options.hallCalendar, systemClock, 'bench');
    const devices: EnrolledDevice[] = [];
    for (let i = 1; i <= options.deviceCount; i++) {
      const created = await createDevice(db.db, systemClock, `bench kiosk ${i}`);
      const enrolled = await enrollDevice(db.db, systemClock, created.enrollmentCode, 'bench');
      if (!enrolled) throw new Error(`could not enroll bench kiosk ${i}`);
      devices.push({ deviceId: enrolled.deviceId, token: enrolled.token });
    }
    return devices;
  } finally {
    await db.close();
  }
}

/** Opens the database beside the server (or after it stopped) to check what it stored. */
export async function withDatabase<T>(target: DatabaseTarget, look: (db: ServerDb) => Promise<T>): Promise<T> {
  const db = openDatabase(target, { poolSize: 2 });
  try {
    return await look(db);
  } finally {
    await db.close();
  }
}

/**
 * The server under test in its own Node process (it inherits BENCH_SERVER_CPU_PROF=DIR, which
 * makes it write a CPU profile there when it stops). BENCH_SERVER_LOG=1 shows its log lines.
 */
export async function spawnBenchServer(target: DatabaseTarget, options: { deviceRateLimitPerSecond?: number; port?: number; maxInFlight?: number; env?: Record<string, string> } = {}): Promise<SpawnedServer> {
  const args = ['--db', 'sqliteFile' in target ? target.sqliteFile : target.postgresUrl];
  if (options.deviceRateLimitPerSecond) args.push('--device-rate-limit', String(options.deviceRateLimitPerSecond));
  if (options.port !== undefined) args.push('--port', String(options.port));
  if (options.maxInFlight !== undefined) args.push('--max-in-flight', String(options.maxInFlight));
  const server = await spawnServer(args, { script: 'bench/support/server-main.ts', env: { ...benchClockEnv(), ...options.env } });
  if (process.env.BENCH_SERVER_LOG) server.child.stdout!.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  return server;
}

export interface ScratchSqlite {
  target: DatabaseTarget;
  remove(): void;
}

export function scratchSqlite(name: string): ScratchSqlite {
  const dir = mkdtempSync(join(tmpdir(), `hall-bench-${name}-`));
  return { target: { sqliteFile: join(dir, `${name}.sqlite`) }, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A private PostgreSQL cluster, started the way the server tests start theirs — but with
 * durability back on: the tests run it with fsync off, and a benchmark must commit for real,
 * as the SQLite side does (synchronous = FULL). Both settings take effect on reload.
 */
export async function startBenchPostgres(): Promise<PostgresCluster> {
  const cluster = await startPostgresCluster();
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: cluster.url('postgres') });
  await client.connect();
  try {
    await client.query('alter system set fsync = on');
    await client.query('alter system set full_page_writes = on');
    await client.query('select pg_reload_conf()');
    // The reload is asynchronous; wait until this backend sees it.
    for (let i = 0; i < 50; i++) {
      const { rows } = await client.query<{ fsync: string }>('show fsync');
      if (rows[0]?.fsync === 'on') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await client.end();
  }
  return cluster;
}
