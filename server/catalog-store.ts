import type { Kysely } from 'kysely';
import { catalogSchema } from '../core/catalog.ts';
import type { Catalog, ServiceItem } from '../core/catalog.ts';
import type { Clock } from '../core/clock.ts';
import type { Database } from './db/schema.ts';

export class CatalogImportError extends Error {
  override readonly name = 'CatalogImportError';
}

export interface StoredCatalog {
  version: number;
  catalog: Catalog;
}

/**
 * Catalog versions are immutable rows, so each process may keep the parsed latest one; it asks
 * the database which version is latest on every use, so an import by another process is seen
 * at once. The import time is part of the key because a restored database may reuse a number.
 */
export class CatalogStore {
  private cached: { key: string; stored: StoredCatalog } | null = null;

  constructor(private readonly db: Kysely<Database>) {}

  /** `executor` must be the open transaction when called inside one: SQLite has a single connection. */
  async latest(executor: Kysely<Database> = this.db): Promise<StoredCatalog | null> {
    const head = await executor
      .selectFrom('catalog_versions')
      .select(['version', 'imported_at'])
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!head) return null;
    const key = `${head.version}@${head.imported_at}`;
    if (this.cached?.key === key) return this.cached.stored;
    const row = await executor.selectFrom('catalog_versions').select('catalog_json').where('version', '=', head.version).executeTakeFirstOrThrow();
    const stored = { version: head.version, catalog: catalogSchema.parse(JSON.parse(row.catalog_json)) };
    this.cached = { key, stored };
    return stored;
  }

  async service(serviceId: string, executor: Kysely<Database> = this.db): Promise<ServiceItem | null> {
    const latest = await this.latest(executor);
    return latest?.catalog.services.find((s) => s.id === serviceId) ?? null;
  }

  /**
   * A ticket a kiosk issued offline may name a service a newer catalog dropped; it is still a
   * real ticket in a citizen's hand, so any version that ever had the service counts.
   */
  async everHadService(db: Kysely<Database>, serviceId: string): Promise<boolean> {
    if (await this.service(serviceId, db)) return true;
    const rows = await db.selectFrom('catalog_versions').select('catalog_json').execute();
    return rows.some((r) => (JSON.parse(r.catalog_json) as Catalog).services.some((s) => s.id === serviceId));
  }

  /** Validated by core's schema and stored in one statement: all of it or none of it. */
  async import(input: unknown, clock: Clock): Promise<StoredCatalog> {
    const parsed = catalogSchema.safeParse(input);
    if (!parsed.success) {
      const lines = parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
      throw new CatalogImportError(`catalog is invalid, nothing imported:\n  ${lines.join('\n  ')}`);
    }
    const catalog = parsed.data;
    const current = await this.latest();
    if (current && catalog.version <= current.version) {
      throw new CatalogImportError(`catalog version ${catalog.version} is not newer than the current version ${current.version}; raise "version"`);
    }
    try {
      await this.db.insertInto('catalog_versions').values({ version: catalog.version, catalog_json: JSON.stringify(catalog), imported_at: clock.now() }).execute();
    } catch (error) {
      throw new CatalogImportError(`catalog version ${catalog.version} was imported concurrently; nothing imported`, { cause: error });
    }
    return { version: catalog.version, catalog };
  }
}
