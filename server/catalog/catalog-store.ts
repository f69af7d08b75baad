import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { catalogSchema } from '../../core/catalog/catalog.ts';
import type { Catalog, ServiceItem } from '../../core/catalog/catalog.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import { serviceGuidesSchema } from '../../core/guide/service-guide.ts';
import type { ServiceGuides } from '../../core/guide/service-guide.ts';
import type { CatalogContent } from './import/catalog-content.ts';
import { CatalogImportError } from './import/import-issue.ts';
import { ApiError } from '../http/api-error.ts';
import type { Database } from '../db/schema.ts';

export { CatalogImportError };

export interface StoredCatalog {
  version: number;
  catalog: Catalog;
}

export interface PublishedContent extends StoredCatalog {
  /** null for a version published without guides */
  guides: ServiceGuides | null;
}

export interface ImportRecord {
  id: string;
  createdAt: number;
  source: string;
  /** the version it became, once published */
  publishedVersion: number | null;
}

export interface CatalogDraft extends ImportRecord {
  content: CatalogContent;
}

export interface SavedDraft {
  draft: CatalogDraft;
  /** the version kiosks now pull, when the import was published at once */
  published: StoredCatalog | null;
}

type Executor = Kysely<Database>;

/** The latest published version's number and import time: what a cached catalog is keyed on. */
export interface CatalogHead {
  version: number;
  imported_at: number;
}

/**
 * Catalog versions are immutable rows, so each process may keep the parsed latest one; it asks
 * the database which version is latest on every use, so an import by another process is seen
 * at once. The import time is part of the key because a restored database may reuse a number.
 *
 * An import is validated completely before it reaches the store (catalog-import/), then kept as
 * a draft; publishing gives it the next version number, which is what kiosks pull. Version
 * numbers only grow, so a kiosk's cursor never sees the catalog go back unless the database did.
 */
export class CatalogStore {
  private cached: { key: string; stored: StoredCatalog } | null = null;
  private cachedGuides: { key: string; guides: ServiceGuides | null } | null = null;

  constructor(private readonly db: Kysely<Database>) {}

  private async head(executor: Executor): Promise<CatalogHead | undefined> {
    return executor.selectFrom('catalog_versions').select(['version', 'imported_at']).orderBy('version', 'desc').limit(1).executeTakeFirst();
  }

  /** `executor` must be the open transaction when called inside one: SQLite has a single connection. */
  async latest(executor: Executor = this.db): Promise<StoredCatalog | null> {
    return this.atHead((await this.head(executor)) ?? null, executor);
  }

  /**
   * The catalog at a head the caller already read (numbering reads it with the hall's settings,
   * see readNumberingState): no round trip unless the head moved.
   */
  async atHead(head: CatalogHead | null, executor: Executor = this.db): Promise<StoredCatalog | null> {
    if (!head) return null;
    const key = `${head.version}@${head.imported_at}`;
    if (this.cached?.key === key) return this.cached.stored;
    const row = await executor.selectFrom('catalog_versions').select('catalog_json').where('version', '=', head.version).executeTakeFirstOrThrow();
    const stored = { version: head.version, catalog: catalogSchema.parse(JSON.parse(row.catalog_json)) };
    this.cached = { key, stored };
    return stored;
  }

  /** The latest published version with its guides; kept apart from latest(), which numbering calls on every ticket. */
  async latestContent(executor: Executor = this.db): Promise<PublishedContent | null> {
    const stored = await this.latest(executor);
    if (!stored) return null;
    return { ...stored, guides: await this.guidesOf(stored.version, executor) };
  }

  private async guidesOf(version: number, executor: Executor): Promise<ServiceGuides | null> {
    const row = await executor.selectFrom('catalog_versions').select(['guides_json', 'imported_at']).where('version', '=', version).executeTakeFirst();
    if (!row) return null;
    const key = `${version}@${row.imported_at}`;
    if (this.cachedGuides?.key === key) return this.cachedGuides.guides;
    const guides = row.guides_json === null ? null : serviceGuidesSchema.parse(JSON.parse(row.guides_json));
    this.cachedGuides = { key, guides };
    return guides;
  }

  async service(serviceId: string, executor: Executor = this.db): Promise<ServiceItem | null> {
    const latest = await this.latest(executor);
    return latest?.catalog.services.find((s) => s.id === serviceId) ?? null;
  }

  /**
   * A ticket a kiosk issued offline may name a service a newer catalog dropped; it is still a
   * real ticket in a citizen's hand, so any version that ever had the service counts.
   */
  async everHadService(db: Executor, serviceId: string): Promise<boolean> {
    if (await this.service(serviceId, db)) return true;
    const rows = await db.selectFrom('catalog_versions').select('catalog_json').execute();
    return rows.some((r) => (JSON.parse(r.catalog_json) as Catalog).services.some((s) => s.id === serviceId));
  }

  /**
   * The ticket prefixes `serviceId` had: the current catalog's, else those of every version that
   * had it (as everHadService); empty for a service no catalog ever had. A pushed ticket's label
   * must be one of them with its number (server/sync/ticket-numbers.ts).
   */
  async prefixesOf(db: Executor, serviceId: string): Promise<string[]> {
    const current = await this.service(serviceId, db);
    if (current) return [current.prefix];
    const rows = await db.selectFrom('catalog_versions').select('catalog_json').execute();
    const prefixes = rows.flatMap((r) => (JSON.parse(r.catalog_json) as Catalog).services.filter((s) => s.id === serviceId).map((s) => s.prefix));
    return [...new Set(prefixes)];
  }

  /**
   * Publishes a catalog without guides under the version it names, which must be newer than the
   * current one. What the server did before guides existed; tests and benchmarks set up halls
   * with it. A hall imports through catalog-import/ and publishes with saveDraft/publish.
   */
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
      await this.db.insertInto('catalog_versions').values({ version: catalog.version, catalog_json: JSON.stringify(catalog), guides_json: null, imported_at: clock.now() }).execute();
    } catch (error) {
      throw new CatalogImportError(`catalog version ${catalog.version} was imported concurrently; nothing imported`, [], { cause: error });
    }
    return { version: catalog.version, catalog };
  }

  /** Gives `content` the next version number; the caller's transaction makes it all or nothing. */
  private async publishInto(trx: Executor, content: CatalogContent, clock: Clock, draftId: string | null): Promise<StoredCatalog> {
    const head = await this.head(trx);
    const version = head ? head.version + 1 : 0;
    if (draftId !== null) {
      // Only one of two admins publishing the same draft at once gets it; the other changes nothing.
      const claimed = await trx.updateTable('catalog_drafts').set({ published_version: version }).where('id', '=', draftId).where('published_version', 'is', null).executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) throw new CatalogImportError('this import was published meanwhile by someone else; nothing changed');
    }
    const catalog: Catalog = { ...content.catalog, version };
    try {
      await trx
        .insertInto('catalog_versions')
        .values({ version, catalog_json: JSON.stringify(catalog), guides_json: JSON.stringify(content.guides), imported_at: clock.now() })
        .execute();
    } catch (error) {
      throw new CatalogImportError(`another catalog was published as version ${version} at the same time; nothing published, try again`, [], { cause: error });
    }
    return { version, catalog };
  }

  /** Stores a validated import as a draft; with `publish`, publishes it in the same transaction. */
  async saveDraft(content: CatalogContent, clock: Clock, options: { source: string; publish: boolean }): Promise<SavedDraft> {
    const now = clock.now();
    const id = uuidv7({ msecs: now });
    return this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('catalog_drafts')
        .values({ id, catalog_json: JSON.stringify(content.catalog), guides_json: JSON.stringify(content.guides), source: options.source, created_at: now, published_version: null })
        .execute();
      const published = options.publish ? await this.publishInto(trx, content, clock, id) : null;
      return { draft: { id, createdAt: now, source: options.source, publishedVersion: published?.version ?? null, content }, published };
    });
  }

  /** The latest import without its content, for a status page. */
  async latestImport(): Promise<ImportRecord | null> {
    const row = await this.db
      .selectFrom('catalog_drafts')
      .select(['id', 'created_at', 'source', 'published_version'])
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? { id: row.id, createdAt: row.created_at, source: row.source, publishedVersion: row.published_version } : null;
  }

  async latestDraft(executor: Executor = this.db): Promise<CatalogDraft | null> {
    const row = await executor.selectFrom('catalog_drafts').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
    if (!row) return null;
    return {
      id: row.id,
      createdAt: row.created_at,
      source: row.source,
      publishedVersion: row.published_version,
      content: { catalog: catalogSchema.parse(JSON.parse(row.catalog_json)), guides: serviceGuidesSchema.parse(JSON.parse(row.guides_json)) },
    };
  }

  /**
   * Publishes the latest import. Only the latest: an older draft was superseded by the import
   * after it, and publishing it would undo that one.
   */
  async publish(clock: Clock): Promise<StoredCatalog & { draftId: string }> {
    return this.db.transaction().execute(async (trx) => {
      const draft = await this.latestDraft(trx);
      if (!draft) throw new CatalogImportError('there is no imported catalog to publish; import one first (catalog:import)');
      if (draft.publishedVersion !== null) {
        throw new CatalogImportError(`the latest import (${draft.id}, from ${draft.source}) is already published as version ${draft.publishedVersion}; import again to publish changes`);
      }
      return { ...(await this.publishInto(trx, draft.content, clock, draft.id)), draftId: draft.id };
    });
  }

  /**
   * The content a new database starts with. Publishes it only when no catalog was ever
   * published; two servers starting together on one new database publish it once.
   */
  async seed(content: CatalogContent, clock: Clock): Promise<void> {
    if (await this.latest()) return;
    try {
      await this.db.transaction().execute(async (trx) => {
        if (!(await this.head(trx))) await this.publishInto(trx, content, clock, null);
      });
    } catch (error) {
      if (!(error instanceof CatalogImportError) || !(await this.latest())) throw error;
    }
  }
}

/** The service of the hall's current catalog, or 404 unknown-service. */
export function serviceIn(catalog: Catalog | null, serviceId: string): ServiceItem {
  const service = catalog?.services.find((s) => s.id === serviceId);
  if (!service) throw new ApiError(404, 'unknown-service', `service "${serviceId}" is not in the hall's current catalog`, { field: 'serviceId' });
  return service;
}
