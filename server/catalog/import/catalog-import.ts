import type { CatalogContent } from './catalog-content.ts';
import { checkContent } from './content-checks.ts';
import type { PathIssue } from './content-checks.ts';
import { contentToTables } from './content-to-tables.ts';
import { readCsvTables, writeCsvTables } from './csv-tables.ts';
import type { NamedBytes } from './csv-tables.ts';
import { CatalogImportError } from './import-issue.ts';
import type { ImportIssue } from './import-issue.ts';
import { candidateOf, jsonPath, readJsonDocument, writeJsonDocument } from './json-document.ts';
import { placeIssue, tablesToContent } from './tables-to-content.ts';
import type { PlacedIssue } from './tables-to-content.ts';
import { readWorkbook, writeWorkbook } from './xlsx-workbook.ts';
import type { SheetRows } from './sheet-cells.ts';

/** Where an import comes from: a file's bytes, or a JSON body already parsed. */
export type ImportSource =
  | { kind: 'json'; name: string; text: string }
  | { kind: 'document'; document: unknown }
  | { kind: 'xlsx'; name: string; bytes: Uint8Array }
  | { kind: 'csv'; files: readonly NamedBytes[] };

const refused = (count: number) => `catalog import refused, nothing imported: ${count} problem${count === 1 ? '' : 's'}`;

function fromDocument(candidate: ReturnType<typeof candidateOf>): CatalogContent {
  const check = checkContent(candidate);
  if (check.ok) return check.content;
  const issues = check.issues.map(
    (i): ImportIssue => ({ where: jsonPath(i.path), message: i.related ? `${i.message}（另见 ${jsonPath(i.related)}）` : i.message }),
  );
  throw new CatalogImportError(refused(issues.length), issues);
}

function fromTables(sheets: readonly SheetRows[]): CatalogContent {
  const read = tablesToContent(sheets);
  const check = checkContent(read.candidate, read.pathIssues);
  if (check.ok && read.placed.length === 0) return check.content;
  const at = (issue: PathIssue): PlacedIssue => {
    const place = read.locate(issue.path);
    const related = issue.related && read.locate(issue.related);
    const relatedWhere = related ? placeIssue(related, '').where : issue.related && jsonPath(issue.related);
    const message = relatedWhere ? `${issue.message}（另见 ${relatedWhere}）` : issue.message;
    return place ? placeIssue(place, message) : { where: jsonPath(issue.path), message, place: { table: Number.MAX_SAFE_INTEGER, sheet: '', row: 0 } };
  };
  const placed = [...read.placed, ...(check.ok ? [] : check.issues.map(at))];
  // One problem per cell: the first found is the one that explains the rest.
  const seen = new Set<string>();
  const issues = placed
    .filter((i) => {
      const key = `${i.where}|${i.field ?? ''}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.place.table - b.place.table || a.place.row - b.place.row || (a.place.column?.index ?? -1) - (b.place.column?.index ?? -1))
    .map(({ where, field, message }): ImportIssue => ({ where, ...(field ? { field } : {}), message }));
  throw new CatalogImportError(refused(issues.length), issues);
}

/** A JSON document read and validated at once, for a caller that has its text in hand (the demo hall's files). */
export function readJsonImport(text: string, name: string): CatalogContent {
  return fromDocument(readJsonDocument(text, name));
}

/**
 * Reads and validates an import completely; throws CatalogImportError listing every problem, each
 * at its sheet, row and column (or JSON path), when anything is wrong.
 */
export async function readImport(source: ImportSource): Promise<CatalogContent> {
  switch (source.kind) {
    case 'json':
      return readJsonImport(source.text, source.name);
    case 'document':
      return fromDocument(candidateOf(source.document));
    case 'xlsx':
      return fromTables(await readWorkbook(source.bytes, source.name));
    case 'csv':
      return fromTables(readCsvTables(source.files));
  }
}

export type ExportFormat = 'json' | 'xlsx' | 'csv';

/** The files of an export: one for JSON and XLSX, one per table for CSV. */
export async function exportContent(content: CatalogContent, format: ExportFormat, baseName = 'catalog'): Promise<NamedBytes[]> {
  switch (format) {
    case 'json':
      return [{ name: `${baseName}.json`, bytes: Buffer.from(writeJsonDocument(content), 'utf8') }];
    case 'xlsx':
      return [{ name: `${baseName}.xlsx`, bytes: await writeWorkbook(contentToTables(content)) }];
    case 'csv':
      return writeCsvTables(contentToTables(content));
  }
}
