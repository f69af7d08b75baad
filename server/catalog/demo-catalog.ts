import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CatalogContent } from './import/catalog-content.ts';
import { readJsonImport } from './import/catalog-import.ts';
import { CatalogImportError } from './import/import-issue.ts';

/**
 * The demo hall's catalog and guides (demo/*.json, in the catalog import's JSON form): what
 * `npm start`'s embedded server seeds a new database with, and what tests and benches issue
 * from. `full` is the whole demo hall (13 departments); `small` its first five departments and
 * eleven services, which it keeps unchanged (ids, prefixes), for tests and benches that want a
 * short list. A kiosk never reads these: it gets a catalog from its hall server or from a file
 * its privileged side was given.
 */
export type DemoCatalogSize = 'full' | 'small';

export const demoCatalogFiles: Readonly<Record<DemoCatalogSize, string>> = {
  full: fileURLToPath(new URL('../../demo/catalog.json', import.meta.url)),
  small: fileURLToPath(new URL('../../demo/catalog-small.json', import.meta.url)),
};

const loaded = new Map<DemoCatalogSize, CatalogContent>();

/** Read once through the catalog import, as a hall's own file would be: a broken demo file fails as loudly. */
export function readDemoCatalog(size: DemoCatalogSize = 'full'): CatalogContent {
  const cached = loaded.get(size);
  if (cached) return cached;
  const file = demoCatalogFiles[size];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CatalogImportError(`cannot read the demo catalog ${file}: ${(error as Error).message}`, [], { cause: error });
  }
  const content = readJsonImport(text, file);
  loaded.set(size, content);
  return content;
}
