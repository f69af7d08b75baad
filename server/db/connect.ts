import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresAdapter, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';
import { DatabaseIdentityWitness, MarkerFileWitness } from './restore-witness.ts';
import type { RestoreWitness } from './restore-witness.ts';
import { ImmediateSqliteDialect, withStatementCache } from './sqlite-dialect.ts';

export type DatabaseEngine = 'sqlite' | 'postgres';

export type DatabaseTarget = { sqliteFile: string } | { postgresUrl: string };

export interface ServerDb {
  db: Kysely<Database>;
  engine: DatabaseEngine;
  /**
   * Runs `work` as one transaction that other processes on the same database wait for. Only
   * SQLite needs it (for migrations: Kysely runs SQLite migrations without a transaction or a
   * cross-process lock); on PostgreSQL it just runs `work`, since Kysely's migrator already
   * serializes on an advisory lock.
   */
  exclusively<T>(work: () => Promise<T>): Promise<T>;
  /** what tells a restored backup from the latest database (null unless asked for: a server asks) */
  witness: RestoreWitness | null;
  /**
   * PostgreSQL only (null on SQLite): a connection of its own that LISTENs on `channel` and hands
   * each NOTIFY's payload to `onNotify`, whichever process sent it. `onLost` hears the connection
   * fail; the caller listens again.
   */
  listen: ((channel: string, onNotify: (payload: string) => void, onLost: (error: Error) => void) => Promise<{ close(): Promise<void> }>) | null;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  poolSize?: number;
  /** a server's: keep a restore witness (server/db/restore-witness.ts) */
  restoreWitness?: {
    /** SQLite: the marker file; default beside the database file, `<file>.restore-marker` */
    markerFile?: string;
    /** PostgreSQL: told when the database's identity cannot be read */
    warn?: (message: string) => void;
  };
}

/** Where a SQLite database's restore marker lives unless told otherwise. */
export const defaultRestoreMarkerFile = (sqliteFile: string): string => `${sqliteFile}.restore-marker`;

const int8Oid = 20;

export function openDatabase(target: DatabaseTarget, options: OpenDatabaseOptions = {}): ServerDb {
  if ('postgresUrl' in target) {
    const pool = new pg.Pool({
      connectionString: target.postgresUrl,
      max: options.poolSize ?? 10,
      // BIGINT holds epoch milliseconds and counters, all far below 2^53.
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === int8Oid ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
      },
    });
    // Without a listener, an idle connection dropped by PostgreSQL (restart, failover) would
    // crash the process; the pool discards it and the next query connects afresh.
    pool.on('error', () => {});
    const witness = options.restoreWitness ? new DatabaseIdentityWitness(options.restoreWitness.warn) : null;
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool, ...(witness ? { onCreateConnection: (connection) => witness.onConnection(connection) } : {}) }) });
    const listen = async (channel: string, onNotify: (payload: string) => void, onLost: (error: Error) => void) => {
      if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
      const client = new pg.Client({ connectionString: target.postgresUrl });
      let closed = false;
      client.on('notification', (message) => {
        if (message.channel === channel) onNotify(message.payload ?? '');
      });
      client.on('error', (error) => {
        if (!closed) onLost(error);
      });
      client.on('end', () => {
        if (!closed) onLost(new Error('the listening connection ended'));
      });
      await client.connect();
      await client.query(`listen ${channel}`);
      return {
        async close() {
          closed = true;
          await client.end().catch(() => undefined);
        },
      };
    };
    return { db, engine: 'postgres', exclusively: (work) => work(), witness, listen, close: () => db.destroy() };
  }
  const sqlite = new BetterSqlite3(target.sqliteFile);
  // WAL lets readers run beside the writer; FULL makes every acknowledged push survive a power cut.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) });
  const witness = options.restoreWitness ? new MarkerFileWitness(options.restoreWitness.markerFile ?? defaultRestoreMarkerFile(target.sqliteFile)) : null;
  return {
    db,
    engine: 'sqlite',
    witness,
    listen: null,
    // Kysely's single SQLite connection is this one, so its statements run inside this transaction.
    async exclusively(work) {
      sqlite.exec('begin immediate');
      try {
        const result = await work();
        sqlite.exec('commit');
        return result;
      } catch (error) {
        if (sqlite.inTransaction) sqlite.exec('rollback');
        throw error;
      }
    },
    async close() {
      await db.destroy();
      witness?.close();
    },
  };
}

/** `--db` (a file path or a postgres:// URL) wins over DATABASE_URL, which wins over the default file. */
export function databaseTargetFrom(dbOption: string | undefined, env: Record<string, string | undefined>, defaultFile: string): DatabaseTarget {
  const chosen = dbOption ?? env.DATABASE_URL;
  if (chosen && /^postgres(ql)?:\/\//.test(chosen)) return { postgresUrl: chosen };
  return { sqliteFile: chosen ?? defaultFile };
}

/** Which engine a Kysely instance (or a transaction of one) runs on: the few statements that differ ask this. */
export function engineOf(db: Kysely<Database>): DatabaseEngine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
