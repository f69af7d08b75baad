import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { expect } from 'vitest';
import type { Kysely } from 'kysely';
import type { Catalog } from '../../../core/catalog/catalog.ts';
import { hallApi } from '../../../core/http/contract.ts';
import { pathOf } from '../../../core/http/route-contract.ts';
import { openDatabase } from '../../../server/db/connect.ts';
import type { ServerDb } from '../../../server/db/connect.ts';
import type { Database } from '../../../server/db/schema.ts';
import { startServer } from '../../../server/embedded.ts';
import type { RunningServer, StartServerOptions } from '../../../server/embedded.ts';
import { createServerLogger } from '../../../server/http/logger.ts';
import { createAdminUser } from '../../../server/admin/admin-users.ts';
import { api } from './http.ts';
import type { TestDatabase } from './engines.ts';
import { demoCatalog } from '../../support/demo-hall.ts';
import { readChildLines, readyUrl } from '../../support/child-lines.ts';
import { TestClock } from '../../support/test-clock.ts';

export interface TestServer extends RunningServer {
  clock: TestClock;
}

export type TestServerOptions = Partial<Omit<StartServerOptions, 'target' | 'clock'>> & { clock?: TestClock; seedCatalog?: Catalog | null };

/** A real server on 127.0.0.1:0 in this process, with the demo catalog and a test clock. */
export async function startTestServer(db: TestDatabase, options: TestServerOptions = {}): Promise<TestServer> {
  const clock = options.clock ?? new TestClock();
  const server = await startServer({
    logger: createServerLogger({ level: 'silent' }),
    seedCatalog: demoCatalog,
    // Every answer is checked against the contract's response schema: a drifted handler fails its test.
    checkResponses: true,
    ...options,
    target: db.target,
    clock,
  });
  return { ...server, clock };
}

/** Opens the database beside the server to look at what it stored. */
export async function inspect<T>(db: TestDatabase, look: (db: Kysely<Database>, opened: ServerDb) => Promise<T>): Promise<T> {
  const opened = openDatabase(db.target, { poolSize: 2 });
  try {
    return await look(opened.db, opened);
  } finally {
    await opened.close();
  }
}

export async function countRows(db: TestDatabase): Promise<Record<'tickets' | 'device_events' | 'dead_letters' | 'number_leases', number>> {
  return inspect(db, async (k) => {
    const count = async (table: 'tickets' | 'device_events' | 'dead_letters' | 'number_leases') =>
      Number((await k.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return { tickets: await count('tickets'), device_events: await count('device_events'), dead_letters: await count('dead_letters'), number_leases: await count('number_leases') };
  });
}

export interface SpawnedServer {
  url: string;
  child: ChildProcess;
  /** SIGKILL: no shutdown code runs, as in a crash or power cut */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

// Spawned servers die with the test run, even when a test times out before its cleanup.
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/**
 * A server in its own Node process: `server/cli.ts serve` by default, or a test entry point.
 * Resolves when the process logs its ready line.
 */
export async function spawnServer(args: string[], options: { script?: string; env?: Record<string, string> } = {}): Promise<SpawnedServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', options.script ?? 'server/cli.ts', ...args], {
    env: { ...process.env, DATABASE_URL: '', HALL_CHECK_RESPONSES: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const url = await readyUrl(readChildLines(child, 'server'), 15_000);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    url,
    child,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export const testAdmin = { username: 'admin', password: 'correct horse battery' } as const;

/** Creates the hall's first admin on a test server and returns an admin session token. */
export async function adminSession(server: TestServer): Promise<string> {
  await createAdminUser(server.db.db, server.clock, testAdmin.username, testAdmin.password);
  const login = await api(server.url, hallApi.adminLogin.method, pathOf(hallApi.adminLogin), { body: testAdmin });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  return login.body.token as string;
}
