import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { demoCatalogFiles, readDemoCatalog } from '../../../server/catalog/demo-catalog.ts';
import { demoHallCalendarFile, readDemoHallRules } from '../../../server/calendar/demo-calendar.ts';
import { exportContent, readImport } from '../../../server/catalog/import/catalog-import.ts';

// The demo hall is data (demo/*.json), read through the same import a hall's own file goes through.

describe('the demo hall data', () => {
  it('the full demo hall reads through the catalog import: 13 departments, every service with its guide', async () => {
    const full = readDemoCatalog('full');
    expect(full.catalog.departments).toHaveLength(13);
    expect(Object.keys(full.guides).sort()).toEqual(full.catalog.services.map((s) => s.id).sort());
    expect(await readImport({ kind: 'json', name: 'catalog.json', text: readFileSync(demoCatalogFiles.full, 'utf8') })).toEqual(full);
  });

  it('the file is exactly what catalog:export writes for it, so a hall can start from it', async () => {
    const [exported] = await exportContent(readDemoCatalog('full'), 'json');
    expect(Buffer.from(exported!.bytes).toString('utf8')).toBe(readFileSync(demoCatalogFiles.full, 'utf8'));
  });

  it('the small demo catalog is the full one\'s first departments and services, unchanged, with the same guides', () => {
    const full = readDemoCatalog('full');
    const small = readDemoCatalog('small');
    expect(small.catalog.services).toHaveLength(11);
    for (const d of small.catalog.departments) expect(full.catalog.departments.find((x) => x.id === d.id)).toEqual(d);
    for (const s of small.catalog.services) {
      expect(full.catalog.services.find((x) => x.id === s.id)).toEqual(s);
      expect(small.guides[s.id]).toEqual(full.guides[s.id]);
    }
  });

  it('the demo calendar validates and names a rule for every service of the small catalog', () => {
    const rules = readDemoHallRules();
    expect(rules.revision).toBe(0);
    expect(JSON.parse(readFileSync(demoHallCalendarFile, 'utf8'))).toEqual(rules);
    const ruled = new Set(rules.services.map((s) => s.serviceId));
    for (const s of readDemoCatalog('small').catalog.services) expect(ruled.has(s.id), s.id).toBe(true);
  });
});
