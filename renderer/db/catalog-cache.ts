import type { Catalog } from '../../core/catalog/catalog.ts';
import { catalogSchema } from '../../core/catalog/catalog.ts';
import type { CatalogDocument } from '../../core/catalog/catalog-document.ts';
import type { ServiceGuide, ServiceGuides } from '../../core/guide/service-guide.ts';
import { serviceGuidesSchema } from '../../core/guide/service-guide.ts';
import type { HallKioskDb } from './hall-kiosk-db.ts';

/**
 * 'cache': the last catalog pulled from the hall server; 'local': the catalog file the privileged
 * side was given (a kiosk with no hall server); 'none': neither, and the kiosk says so.
 */
export type CatalogSource = 'cache' | 'local' | 'none';

export interface LoadedCatalog {
  /** empty (no departments, no services) when `source` is 'none' */
  catalog: Catalog;
  /** the guides of `catalog`'s services, keyed by service id; a service without one has none here */
  guides: Readonly<Record<string, ServiceGuide>>;
  source: CatalogSource;
}

/** What a kiosk without a catalog holds in its place: nothing to offer, never invented services. */
export const noCatalog: Catalog = Object.freeze({ version: 0, departments: [], services: [] });

/** Where a kiosk takes its catalog from. */
export interface CatalogChoice {
  /** the catalog file the privileged side was given; null when none */
  local: CatalogDocument | null;
  /**
   * A kiosk with a hall server offers what it pulled and nothing else; one without offers its
   * file, else what it pulled when it last had a server.
   */
  synced: boolean;
}

/**
 * Only guides that describe the service the catalog lists: same id and same 事项编码. Guides are
 * kept when a catalog arrives without any, so a guide may be older than the catalog; one whose
 * code no longer matches would tell the citizen about another item, and is better not shown.
 */
function guidesOf(catalog: Catalog, guides: Readonly<Record<string, ServiceGuide>>): Record<string, ServiceGuide> {
  const usable: Record<string, ServiceGuide> = {};
  for (const service of catalog.services) {
    const guide = Object.hasOwn(guides, service.id) ? guides[service.id] : undefined;
    if (guide && guide.code === service.code) usable[service.id] = guide;
  }
  return usable;
}

/** The catalog last synced from the hall's server, with its guides; null when none, or when the copy no longer validates (not trusted). */
export async function readCachedCatalog(db: HallKioskDb): Promise<{ catalog: Catalog; guides: Readonly<Record<string, ServiceGuide>> } | null> {
  const cached = await db.catalog.get('current');
  const catalog = catalogSchema.safeParse(cached?.catalog);
  if (!catalog.success) return null;
  const guides = cached?.guides === undefined ? null : serviceGuidesSchema.safeParse(cached.guides);
  return { catalog: catalog.data, guides: guides?.success ? guidesOf(catalog.data, guides.data) : {} };
}

/**
 * The catalog and guides the kiosk shows. Never a bundled one: a kiosk with neither a synced
 * catalog nor a file offers nothing and says so (app.tsx).
 */
export async function loadCatalog(db: HallKioskDb, choice: CatalogChoice = { local: null, synced: true }): Promise<LoadedCatalog> {
  const local = !choice.synced && choice.local ? { catalog: choice.local.catalog, guides: guidesOf(choice.local.catalog, choice.local.guides) } : null;
  if (local) return { ...local, source: 'local' };
  const cached = await readCachedCatalog(db);
  if (cached) return { ...cached, source: 'cache' };
  return { catalog: noCatalog, guides: {}, source: 'none' };
}

/**
 * Stores a catalog the server published. Guides, when it sent them, replace every guide held;
 * when it did not (a catalog published without guides, or a server older than guides), the
 * guides held stay. Run it inside a transaction over `catalog` when it must not interleave.
 */
export async function saveCatalog(db: HallKioskDb, catalog: Catalog, savedAt: number, guides?: ServiceGuides | null): Promise<void> {
  const kept = guides ? serviceGuidesSchema.parse(guides) : (await db.catalog.get('current'))?.guides;
  await db.catalog.put({ key: 'current', catalog: catalogSchema.parse(catalog), ...(kept === undefined ? {} : { guides: kept }), savedAt });
}
