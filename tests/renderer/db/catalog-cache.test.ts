import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import type { Catalog } from '../../../core/catalog/catalog.ts';
import { demoCatalog } from '../../../demo/catalog.ts';
import { demoGuides, fullDemoCatalog } from '../../../demo/full-catalog.ts';
import type { ServiceGuides } from '../../../core/guide/service-guide.ts';
import { loadCatalog, saveCatalog } from '../../../renderer/db/catalog-cache.ts';
import { HallKioskDb } from '../../../renderer/db/hall-kiosk-db.ts';

let db: HallKioskDb;
afterEach(() => db?.close());

const savedAt = Date.parse('2026-11-25T00:00:00Z');

describe('catalog cache', () => {
  it('falls back to the bundled demo hall, with every guide, until one is synced', async () => {
    db = new HallKioskDb({ indexedDB: new IDBFactory(), IDBKeyRange });
    const loaded = await loadCatalog(db);
    expect(loaded).toMatchObject({ catalog: fullDemoCatalog, source: 'demo', guidesSource: 'demo' });
    expect(Object.keys(loaded.guides)).toHaveLength(fullDemoCatalog.services.length);
    // The foundation's services and ticket prefixes are all still there.
    for (const s of demoCatalog.services) expect(loaded.catalog.services.find((x) => x.id === s.id)).toEqual(s);
  });

  it('serves the cached catalog, and ignores a cached one that no longer validates', async () => {
    db = new HallKioskDb({ indexedDB: new IDBFactory(), IDBKeyRange });
    const synced: Catalog = { ...demoCatalog, version: 12, services: demoCatalog.services.slice(0, 3) };
    await saveCatalog(db, synced, savedAt);
    expect(await loadCatalog(db)).toMatchObject({ catalog: synced, source: 'cache' });

    await db.catalog.put({ key: 'current', catalog: { ...synced, departments: [] }, savedAt: 0 });
    expect((await loadCatalog(db)).source).toBe('demo');
  });

  it('keeps the guides it has when a catalog comes without, and replaces them all when one comes with guides', async () => {
    db = new HallKioskDb({ indexedDB: new IDBFactory(), IDBKeyRange });
    const synced: Catalog = { ...demoCatalog, version: 3 };
    // Never sent guides: the bundled ones stand in, for the services the catalog lists.
    await saveCatalog(db, synced, savedAt, null);
    let loaded = await loadCatalog(db);
    expect(loaded.guidesSource).toBe('demo');
    expect(Object.keys(loaded.guides).sort()).toEqual(demoCatalog.services.map((s) => s.id).sort());

    const published: ServiceGuides = { 'sole-trader': { ...demoGuides['sole-trader']!, hours: '周一至周日 9:00—17:00' } };
    await saveCatalog(db, synced, savedAt, published);
    loaded = await loadCatalog(db);
    expect(loaded.guidesSource).toBe('cache');
    expect(Object.keys(loaded.guides)).toEqual(['sole-trader']);
    expect(loaded.guides['sole-trader']!.hours).toBe('周一至周日 9:00—17:00');

    // The next version comes without guides: the published ones stay, offline as online.
    await saveCatalog(db, { ...synced, version: 4 }, savedAt + 1, undefined);
    loaded = await loadCatalog(db);
    expect(loaded.catalog.version).toBe(4);
    expect(loaded.guides['sole-trader']!.hours).toBe('周一至周日 9:00—17:00');
  });

  it('shows no guide whose 事项编码 differs from the catalog’s: it would describe another item', async () => {
    db = new HallKioskDb({ indexedDB: new IDBFactory(), IDBKeyRange });
    const renumbered: Catalog = { ...demoCatalog, services: demoCatalog.services.map((s) => (s.id === 'sole-trader' ? { ...s, code: 'SC-102' } : s)) };
    await saveCatalog(db, renumbered, savedAt);
    const { guides } = await loadCatalog(db);
    expect(guides['sole-trader']).toBeUndefined();
    expect(guides['biz-registration']?.code).toBe('SC-001');
  });
});
