import readXlsxFile from 'read-excel-file/node';
import writeXlsxFile from 'write-excel-file/node';
import type { Cell, Row } from 'write-excel-file/node';
import { catalogTables, isOptionalColumn, notesSheetName } from './catalog-tables.ts';
import { CatalogImportError } from './import-issue.ts';
import type { CellValue, SheetRows } from './sheet-cells.ts';

/** Every sheet of an .xlsx file, cells as typed in it (text, numbers, booleans, dates). */
export async function readWorkbook(bytes: Uint8Array, fileName: string): Promise<SheetRows[]> {
  try {
    const sheets = await readXlsxFile(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return sheets.map((s) => ({ name: s.sheet, rows: s.data.map((row) => row.map((cell) => (cell ?? null) as CellValue)) }));
  } catch (error) {
    throw new CatalogImportError(`cannot read ${fileName} as an .xlsx workbook, nothing imported: ${(error as Error).message}`, [], { cause: error });
  }
}

// Text cells are written as text, so a phone number or a code of digits stays as it was typed.
function cellOf(value: CellValue): Cell {
  if (value === null) return null;
  if (typeof value === 'number') return { value, type: Number };
  return { value: String(value), type: String };
}

const bold = (text: string): Cell => ({ value: text, type: String, fontWeight: 'bold' });

/** A sheet for people: what each table and column holds, and the rules of the file. */
function notesRows(): Row[] {
  const rows: Row[] = [['工作表', '列名', '英文名', '必填', '填写说明'].map(bold)];
  for (const table of catalogTables) {
    rows.push([bold(table.name), null, { value: table.englishName, type: String }, { value: table.required ? '必须有' : '可省略', type: String }, { value: table.note, type: String }]);
    for (const column of table.columns) {
      rows.push([null, column.header, column.key, isOptionalColumn(column) ? '' : '是', column.note].map((v) => (v === null ? null : cellOf(v))));
    }
  }
  rows.push([]);
  for (const rule of [
    '第一行为列名，可用中文列名或英文名；以 # 开头的列和工作表不导入，可作备注。',
    '每个事项在“办事指南”表中占一行，其受理条件、设定依据、材料、流程和常见问题按事项编号逐行列出，顺序即显示顺序。',
    '导入时检查全部内容，有任何错误则整批不导入，并逐条指出工作表、行号和列。',
  ]) {
    rows.push([cellOf(rule)]);
  }
  return rows;
}

/** An .xlsx file with one sheet per table (header row bold and frozen) and a 说明 sheet. */
export async function writeWorkbook(tables: readonly SheetRows[]): Promise<Buffer> {
  const sheets = tables.map((table) => {
    const spec = catalogTables.find((t) => t.name === table.name);
    const [header = [], ...rows] = table.rows;
    return {
      sheet: table.name,
      data: [header.map((h) => bold(String(h))), ...rows.map((row) => row.map(cellOf))],
      columns: spec?.columns.map((c) => ({ width: c.width })),
      stickyRowsCount: 1,
    };
  });
  sheets.push({ sheet: notesSheetName, data: notesRows(), columns: [16, 16, 22, 8, 60].map((width) => ({ width })), stickyRowsCount: 1 });
  return writeXlsxFile(sheets).toBuffer();
}
