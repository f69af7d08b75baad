import { randomUUID } from 'node:crypto';
import { closeSync, constants, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { CompiledQuery, sql } from 'kysely';
import type { DatabaseConnection, Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Something outside the database that a restored backup does not bring back, so a server can
 * tell — before it hands out a number — that the database it opened is an older copy than the
 * one it (or another server process) last wrote. A database cannot tell this about itself: a
 * backup holds exactly what the database held when it was taken.
 *
 * SQLite (one server process beside one file): a marker file beside the database file. Every
 * transaction that hands out numbers moves `hall_settings.restore_generation` on, and the marker
 * is rewritten with it after the commit and before the answer. A backup carries the generation
 * of its moment; the marker carries the latest, so a database behind its marker is an older copy.
 * A database that has handed out numbers but finds no marker of its own (restored onto another
 * path or machine) cannot prove it is the latest and counts as restored too.
 *
 * PostgreSQL (any number of stateless server processes): the database's physical identity — the
 * cluster's system identifier, the WAL timeline, the database's OID and hall_settings' table
 * OID — read by every process on each new connection and compared with the stamp the database
 * holds. pg_restore (into a new or the same database) makes new OIDs, a restore into another
 * cluster another system identifier, point-in-time recovery and a promoted standby a new
 * timeline, and none of them can reproduce the old values. Shared by all processes, and no
 * write per number. Not seen: a file-system snapshot of the data directory put back as it was
 * (PostgreSQL itself takes that for a crash); the kiosks' pull cursors catch that one
 * (server/sync/pull.ts).
 */
export interface RestoreMarks {
  stamp: string | null;
  generation: number;
}

export interface RestoreWitness {
  /** for the log: where the witness keeps what it knows */
  readonly description: string;
  /** Reads what lives outside the database, after migrations and before the first answer. */
  start(db: Kysely<Database>): Promise<void>;
  /** False when the database holding `marks` is an older copy than this witness has seen. */
  vouchesFor(marks: RestoreMarks): boolean;
  /** The marks a server stamps the database with when it takes it over: at start, after a recovery. */
  claim(marks: RestoreMarks): RestoreMarks;
  /** After the claimed marks were committed. */
  claimed(marks: RestoreMarks): void;
  /** Inside a transaction that hands out numbers: returns what to pass to `committed`. */
  advance(trx: Kysely<Database>): Promise<number>;
  /** After that transaction committed, before its numbers are answered. */
  committed(generation: number): void;
  close(): void;
}

interface Marker {
  lineage: string;
  generation: number;
}

// Fixed length, rewritten in place: one write of one block, never a truncated file.
const markerBytes = 160;

function readMarker(file: string): Marker | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const parsed = JSON.parse(text.trim()) as Partial<Marker>;
    if (typeof parsed.lineage === 'string' && Number.isSafeInteger(parsed.generation)) return { lineage: parsed.lineage, generation: parsed.generation! };
  } catch {
    // A torn or edited marker proves nothing: treated as absent, which errs towards a restore.
  }
  return null;
}

/** SQLite: the marker file beside the database file (see above). */
export class MarkerFileWitness implements RestoreWitness {
  private marker: Marker | null = null;
  /**
   * The generation the database must hold at least: the marker's at start, then the one claimed.
   * Not the marker's running value: a request that read the row just before another transaction
   * committed would hold a smaller one, and that is no restore.
   */
  private floor = 0;
  private fd: number | null = null;

  constructor(readonly file: string) {}

  get description(): string {
    return `marker file ${this.file}`;
  }

  async start(): Promise<void> {
    this.marker = readMarker(this.file);
    this.floor = this.marker?.generation ?? 0;
  }

  vouchesFor(marks: RestoreMarks): boolean {
    // Never handed out a number (a new database): nothing a restore could have taken back.
    if (marks.generation === 0) return true;
    if (!this.marker || this.marker.lineage !== marks.stamp) return false;
    return marks.generation >= this.floor;
  }

  claim(marks: RestoreMarks): RestoreMarks {
    return { stamp: marks.stamp ?? randomUUID(), generation: Math.max(marks.generation, this.marker?.generation ?? 0) + 1 };
  }

  claimed(marks: RestoreMarks): void {
    if (marks.stamp === null) throw new Error('a claimed database has a lineage');
    this.marker = { lineage: marks.stamp, generation: marks.generation };
    this.floor = marks.generation;
    this.write();
    fsyncSync(this.fd!);
  }

  async advance(trx: Kysely<Database>): Promise<number> {
    const row = await trx
      .updateTable('hall_settings')
      .set((eb) => ({ restore_generation: eb('restore_generation', '+', 1) }))
      .where('id', '=', 1)
      .returning('restore_generation')
      .executeTakeFirstOrThrow();
    return Number(row.restore_generation);
  }

  committed(generation: number): void {
    // Written, not synced: a process that dies after the answer leaves it in the page cache. Only
    // an OS crash can lose the last writes, which leaves the marker behind the database: never a
    // false alarm, a missed one only for a backup taken in those last seconds.
    if (!this.marker || generation <= this.marker.generation) return;
    this.marker.generation = generation;
    this.write();
  }

  close(): void {
    if (this.fd === null) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = null;
  }

  private write(): void {
    this.fd ??= openSync(this.file, constants.O_RDWR | constants.O_CREAT, 0o600);
    const text = JSON.stringify(this.marker);
    if (text.length >= markerBytes) throw new Error(`restore marker too long: ${text.length} bytes`);
    writeSync(this.fd, Buffer.from(text.padEnd(markerBytes - 1, ' ') + '\n'), 0, markerBytes, 0);
  }
}

/**
 * One string for "this physical database": changes with anything that recreates or rewinds it.
 * The WAL file name begins with the timeline the server writes on now (pg_control's checkpoint
 * timeline lags a promotion until the next checkpoint). Every function used here is open to an
 * ordinary role.
 */
const identityQuery = `select (select system_identifier from pg_control_system())::text
  || '/' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)
  || '/' || (select oid from pg_database where datname = current_database())::text
  || '/' || coalesce(to_regclass('hall_settings')::oid::text, '-') as identity`;

/** PostgreSQL: the database's physical identity (see above). */
export class DatabaseIdentityWitness implements RestoreWitness {
  readonly description = 'PostgreSQL database identity';
  private identity: string | null = null;
  private unreadable: string | null = null;

  constructor(private readonly warn: (message: string) => void = () => {}) {}

  /** For the pool's onCreateConnection: a database put back while this process runs is seen on its next connection. */
  async onConnection(connection: DatabaseConnection): Promise<void> {
    this.note(await this.read(() => connection.executeQuery<{ identity: string }>(CompiledQuery.raw(identityQuery))));
  }

  async start(db: Kysely<Database>): Promise<void> {
    // Again now: connections opened before the migrations saw no hall_settings table.
    this.note(await this.read(() => sql.raw<{ identity: string }>(identityQuery).execute(db)));
  }

  vouchesFor(marks: RestoreMarks): boolean {
    // Not stamped yet (first start with the witness), or an engine without these functions.
    if (marks.stamp === null || this.identity === null) return true;
    return marks.stamp === this.identity;
  }

  claim(marks: RestoreMarks): RestoreMarks {
    return { stamp: this.identity ?? marks.stamp, generation: marks.generation };
  }

  claimed(): void {}

  async advance(): Promise<number> {
    return 0;
  }

  committed(): void {}

  close(): void {}

  private note(identity: string | null): void {
    if (identity !== null) this.identity = identity;
  }

  private async read(query: () => Promise<{ rows: { identity: string }[] }>): Promise<string | null> {
    try {
      return (await query()).rows[0]?.identity ?? null;
    } catch (error) {
      // A PostgreSQL-compatible engine may lack pg_control_system(); say so once and rely on the kiosks.
      const message = (error as Error).message;
      if (this.unreadable !== message) this.warn(`cannot read the database's identity (${message}): a restored backup is noticed only at a kiosk's pull`);
      this.unreadable = message;
      return null;
    }
  }
}
