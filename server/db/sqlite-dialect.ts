import { CompiledQuery, SqliteDialect, SqliteDriver } from 'kysely';
import type { DatabaseConnection, Driver, SqliteDatabase, SqliteDialectConfig, SqliteStatement } from 'kysely';

/**
 * Kysely opens SQLite transactions with a plain (deferred) BEGIN: such a transaction reads first
 * and takes the write lock only at its first write, where it fails with SQLITE_BUSY if another
 * process wrote in between — busy_timeout cannot help an upgrade. BEGIN IMMEDIATE takes the write
 * lock up front, so a second process on the same file simply waits its turn.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

export class ImmediateSqliteDialect extends SqliteDialect {
  private readonly driverConfig: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.driverConfig = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.driverConfig);
  }
}

/**
 * better-sqlite3 compiles SQL on every prepare(), and Kysely prepares each query anew: for the
 * handful of statements a push repeats per event, compiling costs more than running. Kysely never
 * streams our queries, so a cached statement is never busy when it is reused.
 */
export function withStatementCache(database: SqliteDatabase, maxStatements = 500): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => database.close(),
    prepare(text: string): SqliteStatement {
      let statement = cache.get(text);
      if (statement) {
        // Re-inserting keeps the Map in least-recently-used order.
        cache.delete(text);
      } else {
        statement = database.prepare(text);
        if (cache.size >= maxStatements) cache.delete(cache.keys().next().value!);
      }
      cache.set(text, statement);
      return statement;
    },
  };
}
