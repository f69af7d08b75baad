import { describe, expect, it } from 'vitest';
import { parseCatalogDocument } from '../../../core/catalog/catalog-document.ts';
import { demoCatalog, demoGuides, demoHallContent } from '../../support/demo-hall.ts';

describe('the catalog document', () => {
  it('reads the demo hall as the server exports it', () => {
    const parsed = parseCatalogDocument(JSON.parse(JSON.stringify(demoHallContent)));
    expect(parsed).toEqual({ ok: true, document: demoHallContent });
  });

  it('reads a hand-written file without a version as version 0', () => {
    const { version: _version, ...catalog } = demoCatalog;
    const guides = Object.fromEntries(demoCatalog.services.map((s) => [s.id, demoGuides[s.id]!]));
    const parsed = parseCatalogDocument({ catalog, guides });
    expect(parsed.ok && parsed.document.catalog.version).toBe(0);
  });

  it('refuses a catalog and guides that disagree, naming the service, and a bare catalog', () => {
    const guides = Object.fromEntries(demoCatalog.services.map((s) => [s.id, demoGuides[s.id]!]));
    delete guides['pension'];
    guides['fund-loan'] = { ...guides['fund-loan']!, code: 'GJJ-999' };
    const parsed = parseCatalogDocument({ catalog: demoCatalog, guides });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual(expect.arrayContaining(['guides.pension: no guide', expect.stringMatching(/^guides\.fund-loan: guide code GJJ-999 differs/)]));
    const bare = parseCatalogDocument(demoCatalog);
    expect(bare.ok).toBe(false);
    expect(!bare.ok && bare.errors).toEqual(expect.arrayContaining([expect.stringMatching(/^catalog: /), expect.stringMatching(/^guides: /)]));
  });
});
