import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import type { Catalog } from '../../core/catalog.ts';
import { demoCatalog } from '../../core/demo-catalog.ts';
import { loadCatalog, saveCatalog } from '../../renderer/db/catalog-cache.ts';
import { HallKioskDb } from '../../renderer/db/hall-kiosk-db.ts';

let db: HallKioskDb;
afterEach(() => db?.close());

describe('catalog cache', () => {
  it('falls back to the demo catalog until one is synced', async () => {
    db = new HallKioskDb({ indexedDB: new IDBFactory(), IDBKeyRange });
    expect(await loadCatalog(db)).toEqual({ catalog: demoCatalog, source: 'demo' });
  });

  it('serves the cached catalog, and ignores a cached one that no longer validates', async () => {
    db = new HallKioskDb({ indexedDB: new IDBFactory(), IDBKeyRange });
    const synced: Catalog = { ...demoCatalog, version: 12, services: demoCatalog.services.slice(0, 3) };
    await saveCatalog(db, synced, Date.parse('2026-11-25T00:00:00Z'));
    expect(await loadCatalog(db)).toEqual({ catalog: synced, source: 'cache' });

    await db.catalog.put({ key: 'current', catalog: { ...synced, departments: [] }, savedAt: 0 });
    expect((await loadCatalog(db)).source).toBe('demo');
  });
});
