import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import type { Catalog } from '../../../core/catalog/catalog.ts';
import type { ServiceGuides } from '../../../core/guide/service-guide.ts';
import { loadCatalog, noCatalog, saveCatalog } from '../../../renderer/db/catalog-cache.ts';
import { HallKioskDb } from '../../../renderer/db/hall-kiosk-db.ts';
import { demoCatalog, demoGuides, fullDemoCatalog } from '../../support/demo-hall.ts';

let db: HallKioskDb;
afterEach(() => db?.close());

const savedAt = Date.parse('2026-11-25T00:00:00Z');

describe('catalog cache', () => {
  it('has no catalog at all until one is synced: no bundled demo hall, no invented services', async () => {
    db = new HallKioskDb({ indexedDB: new IDBFactory(), IDBKeyRange });
    const loaded = await loadCatalog(db);
    expect(loaded).toEqual({ catalog: noCatalog, guides: {}, source: 'none' });
    expect(loaded.catalog.services).toEqual([]);
    expect(await loadCatalog(db, { local: null, synced: false })).toMatchObject({ source: 'none' });
  });

  it('a kiosk with no hall server offers the catalog file it was given, with its guides; one with a server ignores the file', async () => {
    db = new HallKioskDb({ indexedDB: new IDBFactory(), IDBKeyRange });
    const file = { catalog: fullDemoCatalog, guides: demoGuides };
    const standalone = await loadCatalog(db, { local: file, synced: false });
    expect(standalone.source).toBe('local');
    expect(standalone.catalog).toEqual(fullDemoCatalog);
    expect(Object.keys(standalone.guides)).toHaveLength(fullDemoCatalog.services.length);
    expect(await loadCatalog(db, { local: file, synced: true })).toMatchObject({ source: 'none' });

    // What it pulled when it had a server: used with a server, and by a standalone kiosk given no file.
    const synced: Catalog = { ...demoCatalog, version: 7 };
    await saveCatalog(db, synced, savedAt);
    expect(await loadCatalog(db, { local: file, synced: true })).toMatchObject({ catalog: synced, source: 'cache' });
    expect(await loadCatalog(db, { local: null, synced: false })).toMatchObject({ catalog: synced, source: 'cache' });
    expect((await loadCatalog(db, { local: file, synced: false })).source).toBe('local');
  });

  it('serves the cached catalog, and ignores a cached one that no longer validates', async () => {
    db = new HallKioskDb({ indexedDB: new IDBFactory(), IDBKeyRange });
    const synced: Catalog = { ...demoCatalog, version: 12, services: demoCatalog.services.slice(0, 3) };
    await saveCatalog(db, synced, savedAt);
    expect(await loadCatalog(db)).toMatchObject({ catalog: synced, source: 'cache' });

    await db.catalog.put({ key: 'current', catalog: { ...synced, departments: [] }, savedAt: 0 });
    expect((await loadCatalog(db)).source).toBe('none');
  });

  it('keeps the guides it has when a catalog comes without, and replaces them all when one comes with guides', async () => {
    db = new HallKioskDb({ indexedDB: new IDBFactory(), IDBKeyRange });
    const synced: Catalog = { ...demoCatalog, version: 3 };
    // Never sent guides: none are shown, none are made up.
    await saveCatalog(db, synced, savedAt, null);
    let loaded = await loadCatalog(db);
    expect(loaded.source).toBe('cache');
    expect(loaded.guides).toEqual({});

    const published: ServiceGuides = { 'sole-trader': { ...demoGuides['sole-trader']!, hours: '周一至周日 9:00—17:00' } };
    await saveCatalog(db, synced, savedAt, published);
    loaded = await loadCatalog(db);
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
    await saveCatalog(db, renumbered, savedAt, demoGuides);
    const { guides } = await loadCatalog(db);
    expect(guides['sole-trader']).toBeUndefined();
    expect(guides['biz-registration']?.code).toBe('SC-001');
  });
});
