import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import type { DatabaseTarget } from '../../../server/db/connect.ts';
import { findPostgresBinDir, postgresSkipReason, startPostgresCluster } from './postgres.ts';
import type { PostgresCluster } from './postgres.ts';

/** One database the tests can point a server at, and copy as a "backup". */
export interface TestDatabase {
  target: DatabaseTarget;
  /** the same for a spawned server: `--db` value */
  dbArg: string;
}

export interface TestEngine {
  name: 'sqlite' | 'postgres';
  fresh(): Promise<TestDatabase>;
  /** a copy of `db` as it is now; every server on `db` must be closed first */
  snapshot(db: TestDatabase): Promise<TestDatabase>;
}

let counter = 0;
const uniqueName = (prefix: string) => `${prefix}_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;

function sqliteEngine(): { engine: TestEngine; setup(): Promise<void>; teardown(): Promise<void> } {
  let dir = '';
  const engine: TestEngine = {
    name: 'sqlite',
    async fresh() {
      const file = join(dir, `${uniqueName('hall')}.sqlite`);
      return { target: { sqliteFile: file }, dbArg: file };
    },
    async snapshot(db) {
      if (!('sqliteFile' in db.target)) throw new Error('not a SQLite database');
      const file = join(dir, `${uniqueName('backup')}.sqlite`);
      // Closing the last connection checkpoints the WAL into the main file; copy a leftover too.
      copyFileSync(db.target.sqliteFile, file);
      if (existsSync(`${db.target.sqliteFile}-wal`)) copyFileSync(`${db.target.sqliteFile}-wal`, `${file}-wal`);
      return { target: { sqliteFile: file }, dbArg: file };
    },
  };
  return {
    engine,
    async setup() {
      dir = mkdtempSync(join(tmpdir(), 'hall-sqlite-'));
    },
    async teardown() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresEngine(): { engine: TestEngine; setup(): Promise<void>; teardown(): Promise<void> } {
  let cluster: PostgresCluster | null = null;
  const need = () => {
    if (!cluster) throw new Error('PostgreSQL cluster not started');
    return cluster;
  };
  const engine: TestEngine = {
    name: 'postgres',
    async fresh() {
      const url = await need().createDatabase(uniqueName('hall'));
      return { target: { postgresUrl: url }, dbArg: url };
    },
    async snapshot(db) {
      if (!('postgresUrl' in db.target)) throw new Error('not a PostgreSQL database');
      const source = new URL(db.target.postgresUrl).pathname.slice(1);
      const url = await need().createDatabase(uniqueName('backup'), source);
      return { target: { postgresUrl: url }, dbArg: url };
    },
  };
  return {
    engine,
    async setup() {
      cluster = await startPostgresCluster();
    },
    async teardown() {
      await cluster?.stop();
      cluster = null;
    },
  };
}

const postgresAvailable = Boolean(process.env.HALL_TEST_DATABASE_URL) || findPostgresBinDir() !== null;
let warned = false;
/** `HALL_TEST_ENGINES=sqlite`: the fast tier (vitest.fast.config.ts) leaves PostgreSQL to `npm test`. */
const chosenEngines = process.env.HALL_TEST_ENGINES?.split(',').map((name) => name.trim());

/**
 * Runs `suite` once per engine: a SQLite file and a real PostgreSQL. PostgreSQL is skipped, with
 * the reason in the suite's name, only when its binaries are absent; a cluster that fails to
 * start fails the tests.
 */
export function describeEngines(title: string, suite: (engine: TestEngine) => void): void {
  for (const name of ['sqlite', 'postgres'] as const) {
    if (chosenEngines && !chosenEngines.includes(name)) {
      describe.skip(`${title} [${name} — not in this run: HALL_TEST_ENGINES=${process.env.HALL_TEST_ENGINES}]`, () => suite(name === 'sqlite' ? sqliteEngine().engine : postgresEngine().engine));
      continue;
    }
    if (name === 'postgres' && !postgresAvailable) {
      if (!warned) console.warn(`[server tests] PostgreSQL cases SKIPPED: ${postgresSkipReason}`);
      warned = true;
      describe.skip(`${title} [postgres — SKIPPED: ${postgresSkipReason}]`, () => suite(postgresEngine().engine));
      continue;
    }
    describe(`${title} [${name}]`, () => {
      const handle = name === 'sqlite' ? sqliteEngine() : postgresEngine();
      beforeAll(() => handle.setup());
      afterAll(() => handle.teardown());
      suite(handle.engine);
    });
  }
}
