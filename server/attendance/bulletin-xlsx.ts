import writeXlsxFile from 'write-excel-file/node';
import type { Cell } from 'write-excel-file/node';
import type { BulletinReport } from './bulletin.ts';
import { bulletinRows } from './bulletin-csv.ts';
import type { BulletinCell } from './bulletin-csv.ts';

/**
 * The bulletin as an .xlsx workbook: a sheet per person and one per department, header bold and
 * frozen. Written with the spreadsheet library the catalog import already uses. Text goes in as
 * text cells, so a name that looks like a formula stays a name.
 */
function cellOf(value: BulletinCell, header: boolean): Cell {
  if (value === null) return null;
  if (typeof value === 'number') return { value, type: Number };
  return header ? { value, type: String, fontWeight: 'bold' } : { value, type: String };
}

function sheet(name: string, rows: BulletinCell[][], widths: number[]) {
  return {
    sheet: name,
    data: rows.map((row, i) => row.map((v) => cellOf(v, i === 0))),
    columns: rows[0]!.map((_, i) => ({ width: widths[i] ?? 10 })),
    stickyRowsCount: 1,
  };
}

export async function bulletinXlsx(report: BulletinReport): Promise<Buffer> {
  return writeXlsxFile([
    sheet('人员', bulletinRows(report, 'person'), [9, 14, 24, 14, 10, 12]),
    sheet('部门', bulletinRows(report, 'department'), [9, 14, 24, 6]),
  ]).toBuffer();
}
