import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { CatalogImportError } from './import-issue.ts';
import type { SheetRows } from './sheet-cells.ts';

export interface NamedBytes {
  /** file name with its extension; the table is named by the rest */
  name: string;
  bytes: Uint8Array;
}

/**
 * Excel in a Chinese locale saves "CSV" as GB18030 (GBK) unless "CSV UTF-8" is chosen, and both
 * reach the hall's admin. Bytes that are valid UTF-8 are read as UTF-8; anything else as GB18030.
 */
function decode(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'gb18030');
  }
}

const tableName = (fileName: string) => fileName.replace(/^.*[\\/]/, '').replace(/\.csv$/i, '');

/** One table per file, named by the file: 事项.csv or services.csv. Rows keep their numbers (row 1 = header). */
export function readCsvTables(files: readonly NamedBytes[]): SheetRows[] {
  return files.map((file) => {
    try {
      const records = parse(decode(file.bytes), { relax_column_count: true, skip_empty_lines: false }) as string[][];
      return { name: tableName(file.name), rows: records };
    } catch (error) {
      throw new CatalogImportError(`cannot read ${file.name} as CSV, nothing imported: ${(error as Error).message}`, [], { cause: error });
    }
  });
}

/** UTF-8 with a byte-order mark: what Excel needs to open Chinese CSV correctly. */
export function writeCsvTables(tables: readonly SheetRows[]): NamedBytes[] {
  return tables.map((table) => ({
    name: `${table.name}.csv`,
    bytes: Buffer.from(stringify(table.rows.map((row) => row.map((cell) => (cell === null ? '' : String(cell)))), { bom: true, record_delimiter: 'windows' }), 'utf8'),
  }));
}
