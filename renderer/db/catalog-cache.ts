import type { Catalog } from '../../core/catalog/catalog.ts';
import { catalogSchema } from '../../core/catalog/catalog.ts';
import { demoGuides, fullDemoCatalog } from '../../demo/full-catalog.ts';
import type { ServiceGuide, ServiceGuides } from '../../core/guide/service-guide.ts';
import { serviceGuidesSchema } from '../../core/guide/service-guide.ts';
import type { HallKioskDb } from './hall-kiosk-db.ts';

export type CatalogSource = 'cache' | 'demo';

export interface LoadedCatalog {
  catalog: Catalog;
  /** the guides of `catalog`'s services, keyed by service id; a service without one has none here */
  guides: Readonly<Record<string, ServiceGuide>>;
  source: CatalogSource;
  guidesSource: CatalogSource;
}

/**
 * Only guides that describe the service the catalog lists: same id and same 事项编码. Guides are
 * kept when a catalog arrives without any, and the bundled ones stand in until the server sends
 * some, so a guide may be older than the catalog; one whose code no longer matches would tell
 * the citizen about another item, and is better not shown.
 */
function guidesOf(catalog: Catalog, guides: Readonly<Record<string, ServiceGuide>>): Record<string, ServiceGuide> {
  const usable: Record<string, ServiceGuide> = {};
  for (const service of catalog.services) {
    const guide = Object.hasOwn(guides, service.id) ? guides[service.id] : undefined;
    if (guide && guide.code === service.code) usable[service.id] = guide;
  }
  return usable;
}

/**
 * The catalog and guides the kiosk shows: the last ones synced from the hall's server, or the
 * bundled demo hall until the first sync. A cached copy that no longer validates is ignored, not
 * trusted.
 */
export async function loadCatalog(db: HallKioskDb): Promise<LoadedCatalog> {
  const cached = await db.catalog.get('current');
  const catalog = catalogSchema.safeParse(cached?.catalog);
  const guides = cached?.guides === undefined ? null : serviceGuidesSchema.safeParse(cached.guides);
  const chosen = catalog.success ? catalog.data : fullDemoCatalog;
  const chosenGuides = guides?.success ? guides.data : demoGuides;
  return {
    catalog: chosen,
    guides: guidesOf(chosen, chosenGuides),
    source: catalog.success ? 'cache' : 'demo',
    guidesSource: guides?.success ? 'cache' : 'demo',
  };
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
