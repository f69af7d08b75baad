import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Catalog } from '../core/catalog/catalog.ts';
import type { Clock } from '../core/calendar/clock.ts';
import type { HallRules } from '../core/calendar/calendar-rules.ts';
import type { CatalogContent } from './catalog/import/catalog-content.ts';
import { CatalogStore } from './catalog/catalog-store.ts';
import { readDemoCatalog } from './catalog/demo-catalog.ts';
import { HallCalendarStore } from './calendar/calendar-store.ts';
import { openDatabase } from './db/connect.ts';
import type { DatabaseTarget, ServerDb } from './db/connect.ts';
import { migrateToLatest } from './db/migrations.ts';
import { createDevice } from './devices/devices.ts';
import type { NewDevice } from './devices/devices.ts';
import { createServerApp } from './http/app.ts';
import type { ServerAppOptions } from './http/app.ts';
import { createServerLogger } from './http/logger.ts';
import type { TemplateKey } from './staff/template-key.ts';

export interface RunningServer {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  app: FastifyInstance;
  db: ServerDb;
  /** an admin shortcut for demo mode and tests: a new device and its one-time code */
  createDevice(name: string): Promise<NewDevice>;
  close(): Promise<void>;
}

export interface StartServerOptions extends Omit<ServerAppOptions, 'db' | 'logger'> {
  target: DatabaseTarget;
  port?: number;
  /** loopback unless told otherwise */
  host?: string;
  logger?: FastifyBaseLogger;
  /** published when the database has no catalog yet (as version 0); null or absent publishes nothing */
  seed?: CatalogContent | null;
  /** a catalog without guides, published under its own version instead of `seed`, as before guides existed */
  seedCatalog?: Catalog | null;
  poolSize?: number;
  /** saved as the hall calendar when the database has none yet; absent: kiosks keep their bundled rules */
  seedHallRules?: HallRules | null;
}

/** Opens (and migrates) the database, then serves the API until close(). */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { clock } = options;
  const db = openDatabase(options.target, { poolSize: options.poolSize });
  try {
    await migrateToLatest(db, clock);
    const catalogs = new CatalogStore(db.db);
    if (options.seedCatalog) {
      if (!(await catalogs.latest())) await catalogs.import(options.seedCatalog, clock);
    } else if (options.seed) {
      await catalogs.seed(options.seed, clock);
    }
    if (options.seedHallRules) {
      const calendars = new HallCalendarStore(db.db);
      if ((await calendars.latestRevision()) === null) await calendars.save(options.seedHallRules, clock, 'seeded at start');
    }
    const app = await createServerApp({ ...options, db, logger: options.logger ?? createServerLogger({ level: 'warn' }) });
    await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
    return {
      url: `http://${options.host ?? '127.0.0.1'}:${port}`,
      port,
      app,
      db,
      createDevice: (name) => createDevice(db.db, clock, name),
      async close() {
        await app.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}

/**
 * The central server inside another process: the kiosk's demo mode runs one on a local SQLite
 * file, with the demo hall's catalog and guides, so a kiosk can enroll and sync with no hall server.
 */
export async function startEmbeddedServer(options: {
  dbFile: string;
  port?: number;
  clock: Clock;
  logger?: FastifyBaseLogger;
  /** default: the demo hall; null seeds nothing */
  seed?: CatalogContent | null;
  /** a catalog without guides instead; null seeds nothing */
  seedCatalog?: Catalog | null;
  seedHallRules?: HallRules | null;
  /** the key fingerprint templates are sealed with; absent: templates are refused (503 templates-disabled) */
  templateKey?: TemplateKey | null;
}): Promise<RunningServer> {
  const nothing = options.seed === null || options.seedCatalog === null;
  return startServer({
    target: { sqliteFile: options.dbFile },
    port: options.port ?? 0,
    clock: options.clock,
    logger: options.logger,
    seed: nothing ? null : (options.seed ?? readDemoCatalog()),
    seedCatalog: nothing ? null : options.seedCatalog,
    seedHallRules: options.seedHallRules,
    templateKey: options.templateKey ?? null,
  });
}
