import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { Kysely } from 'kysely';
import type { Clock } from '../../../core/calendar/clock.ts';
import { defaultKioskConfig } from '../../../core/kiosk/kiosk-config.ts';
import { CentralServerClient } from '../../../main/services/central-server-client.ts';
import type { DeviceCredentials, StoredDevice } from '../../../main/services/config-service.ts';
import { createKioskLogger } from '../../../main/services/logger.ts';
import { HallKioskDb } from '../../../renderer/db/hall-kiosk-db.ts';
import { TicketIssuer } from '../../../renderer/db/ticket-issuer.ts';
import type { SyncSettings, Timers } from '../../../renderer/sync/sync-engine.ts';
import { SyncEngine } from '../../../renderer/sync/sync-engine.ts';
import type { ServerRequestFn } from '../../../renderer/sync/server-link.ts';
import { openDatabase } from '../../../server/db/connect.ts';
import type { Database } from '../../../server/db/schema.ts';
import { startEmbeddedServer, startServer } from '../../../server/embedded.ts';
import type { RunningServer } from '../../../server/embedded.ts';
import { createServerLogger } from '../../../server/http/logger.ts';
import { parseTemplateKey } from '../../../server/staff/template-key.ts';
import { TemplateStore } from '../../../server/staff/templates.ts';
import { demoCatalog } from '../../support/demo-hall.ts';
import { TestClock } from '../../support/test-clock.ts';

export const hallZone = 'Asia/Shanghai';

/**
 * The real central server (server/embedded.ts) on a SQLite file and a fixed loopback port, so a
 * test can stop it, copy its file as a "backup" and start it again — kiosks keep their URL.
 */
export class TestHall {
  readonly dir = mkdtempSync(join(tmpdir(), 'hall-sync-'));
  readonly dbFile = join(this.dir, 'hall.sqlite');
  readonly clock = new TestClock();
  server: RunningServer | null = null;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(dbFile = this.dbFile): Promise<RunningServer> {
    this.server = await startEmbeddedServer({ dbFile, port: this.port, clock: this.clock, logger: createServerLogger({ level: 'silent' }), seedCatalog: demoCatalog });
    this.port = this.server.port;
    return this.server;
  }

  async stop(): Promise<void> {
    await this.server?.close();
    this.server = null;
  }

  /** A copy of the database as it is now; the server must be stopped. */
  backup(name: string): string {
    const copy = join(this.dir, `${name}.sqlite`);
    copyFileSync(this.dbFile, copy);
    if (existsSync(`${this.dbFile}-wal`)) copyFileSync(`${this.dbFile}-wal`, `${copy}-wal`);
    return copy;
  }

  async look<T>(file: string, read: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    const opened = openDatabase({ sqliteFile: file });
    try {
      return await read(opened.db);
    } finally {
      await opened.close();
    }
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The hall server with fingerprint templates enabled (a template key), which TestHall lacks. */
export class TemplateHall extends TestHall {
  private readonly templateKey = parseTemplateKey(randomBytes(32).toString('base64'), 'test key');

  /** The server's template store, as if the templates had been enrolled at another kiosk. */
  templates(): TemplateStore {
    return new TemplateStore(this.server!.db.db, this.clock, this.templateKey);
  }

  override async start(dbFile = this.dbFile): Promise<RunningServer> {
    this.server = await startServer({ target: { sqliteFile: dbFile }, port: this.port, clock: this.clock, templateKey: this.templateKey, logger: createServerLogger({ level: 'silent' }), seedCatalog: demoCatalog, checkResponses: true });
    this.port = this.server.port;
    return this.server;
  }
}

class MemoryDevices {
  stored: DeviceCredentials | null = null;
  device(): StoredDevice {
    return this.stored ? { ok: true, device: this.stored } : null;
  }
  saveDevice(device: DeviceCredentials): void {
    this.stored = device;
  }
}

/** The privileged side of one kiosk: the real central-server client, enrolled with `hall`. */
export async function enrolledClient(hall: TestHall, name: string, clock: Clock = hall.clock): Promise<CentralServerClient> {
  const { enrollmentCode } = await hall.server!.createDevice(name);
  const config = { ...defaultKioskConfig(name.replace(/[^A-Za-z0-9-]/g, '-')), serverUrl: hall.url };
  const client = new CentralServerClient({
    fetch,
    config: () => config,
    devices: new MemoryDevices(),
    clock,
    logger: createKioskLogger({ stdout: false, level: 'silent' }),
    version: 'test',
    enrollCode: enrollmentCode,
  });
  await client.enrollIfNeeded();
  if (!client.status().enrolled) throw new Error(`enrollment failed: ${client.status().enrollmentError}`);
  return client;
}

/** Timers that never fire by themselves: tests drive the loop round by round. */
export class ManualTimers implements Timers {
  readonly waits: number[] = [];
  private pending: { callback: () => void; handle: number } | null = null;
  private next = 1;

  setTimeout(callback: () => void, ms: number): unknown {
    this.waits.push(ms);
    const handle = this.next++;
    this.pending = { callback, handle };
    return handle;
  }

  clearTimeout(handle: unknown): void {
    if (this.pending?.handle === handle) this.pending = null;
  }

  /** Waits until the loop sleeps, then returns how long it asked to wait (without firing). */
  async nextWait(): Promise<number> {
    for (let i = 0; i < 5000 && !this.pending; i++) await new Promise((r) => setTimeout(r, 1));
    if (!this.pending) throw new Error('the sync loop never went to sleep');
    return this.waits.at(-1)!;
  }

  fire(): void {
    const due = this.pending;
    this.pending = null;
    due?.callback();
  }
}

/** A clock offset from the hall's: a kiosk whose clock runs fast has a positive skew. */
export function skewed(clock: Clock, skewMs: number): Clock {
  return { now: () => clock.now() + skewMs };
}

/** One kiosk renderer: its own IndexedDB, sync engine and issuer, which survive "restarts". */
export class TestKioskApp {
  readonly indexedDB = new IDBFactory();
  db!: HallKioskDb;
  engine!: SyncEngine;
  issuer!: TicketIssuer;
  private readonly opened: HallKioskDb[] = [];

  constructor(
    readonly name: string,
    readonly clock: Clock,
    private readonly request: ServerRequestFn,
    private readonly status: CentralServerClient['status'] | (() => ReturnType<CentralServerClient['status']>),
    private readonly settings: Partial<SyncSettings> = {},
  ) {}

  /** What a start of the kiosk app does: open the database, load the engine, make an issuer. */
  async start(request: ServerRequestFn = this.request): Promise<this> {
    this.db = new HallKioskDb({ indexedDB: this.indexedDB, IDBKeyRange });
    this.opened.push(this.db);
    this.engine = new SyncEngine({
      db: this.db,
      serverRequest: request,
      serverStatus: async () => this.status(),
      clock: this.clock,
      random: () => 0.5,
      timers: new ManualTimers(),
      lock: { request: (_name, hold) => hold() },
      settings: this.settings,
    });
    await this.engine.load();
    this.issuer = new TicketIssuer({ db: this.db, clock: this.clock, kioskId: this.name, timeZone: hallZone, numbers: this.engine.numbers, clockOffset: () => this.engine.clockOffsetMs() });
    return this;
  }

  close(): void {
    for (const db of this.opened) db.close();
  }
}
