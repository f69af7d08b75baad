import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { CatalogContent } from './catalog-content.ts';
import { exportContent } from './catalog-import.ts';
import type { ExportFormat, ImportSource } from './catalog-import.ts';
import { CatalogImportError } from './import-issue.ts';

/**
 * The catalog's files on disk, for the CLI. A spreadsheet is one .xlsx workbook or one .csv file
 * per table (named by the table: 事项.csv or services.csv), given one by one or as their directory.
 */

function read(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new CatalogImportError(`cannot read ${path}, nothing imported: ${(error as Error).message}`, [], { cause: error });
  }
}

const isDirectory = (path: string) => statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;

export function importSourceFrom(paths: readonly string[]): { source: ImportSource; description: string } {
  let files = [...paths];
  if (files.length === 1 && isDirectory(files[0]!)) {
    const dir = files[0]!;
    files = readdirSync(dir).filter((f) => extname(f).toLowerCase() === '.csv').sort().map((f) => join(dir, f));
    if (files.length === 0) throw new CatalogImportError(`${dir} holds no .csv files; nothing imported`);
  }
  const kinds = new Set(files.map((f) => extname(f).toLowerCase()));
  const only = kinds.size === 1 ? [...kinds][0] : undefined;
  if (only === '.csv') {
    return { source: { kind: 'csv', files: files.map((f) => ({ name: basename(f), bytes: read(f) })) }, description: files.map((f) => basename(f)).join(', ') };
  }
  if (files.length === 1 && only === '.json') return { source: { kind: 'json', name: files[0]!, text: read(files[0]!).toString('utf8') }, description: basename(files[0]!) };
  if (files.length === 1 && only === '.xlsx') return { source: { kind: 'xlsx', name: files[0]!, bytes: read(files[0]!) }, description: basename(files[0]!) };
  if (only === '.xls') throw new CatalogImportError('.xls is the old Excel format: save the workbook as .xlsx (Excel 工作簿) and import that');
  throw new CatalogImportError(`import one .xlsx or .json file, or CSV files (one per table) or their directory; not ${files.join(' ')}`);
}

/** Writes the export and returns the paths written. A path without .xlsx or .json is a directory for CSV files. */
export async function exportCatalogFiles(content: CatalogContent, target: string): Promise<string[]> {
  const extension = extname(target).toLowerCase();
  const format: ExportFormat | undefined = extension === '.xlsx' ? 'xlsx' : extension === '.json' ? 'json' : extension === '' || isDirectory(target) ? 'csv' : undefined;
  if (!format) throw new CatalogImportError(`export to a .xlsx or .json file, or to a directory for CSV files; not ${target}`);
  const files = await exportContent(content, format);
  if (format !== 'csv') {
    writeFileSync(target, files[0]!.bytes);
    return [target];
  }
  mkdirSync(target, { recursive: true });
  return files.map((file) => {
    const path = join(target, file.name);
    writeFileSync(path, file.bytes);
    return path;
  });
}
