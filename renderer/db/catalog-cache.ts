import type { Catalog } from '../../core/catalog.ts';
import { catalogSchema } from '../../core/catalog.ts';
import { demoCatalog } from '../../core/demo-catalog.ts';
import type { HallKioskDb } from './hall-kiosk-db.ts';

export type CatalogSource = 'cache' | 'demo';

/**
 * The catalog the kiosk shows: the last one synced from the hall's server, or the shipped demo
 * catalog until the first sync. A cached copy that no longer validates is ignored, not trusted.
 */
export async function loadCatalog(db: HallKioskDb): Promise<{ catalog: Catalog; source: CatalogSource }> {
  const cached = await db.catalog.get('current');
  const parsed = catalogSchema.safeParse(cached?.catalog);
  return parsed.success ? { catalog: parsed.data, source: 'cache' } : { catalog: demoCatalog, source: 'demo' };
}

export async function saveCatalog(db: HallKioskDb, catalog: Catalog, savedAt: number): Promise<void> {
  await db.catalog.put({ key: 'current', catalog: catalogSchema.parse(catalog), savedAt });
}
