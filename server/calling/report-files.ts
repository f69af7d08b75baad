import { stringify } from 'csv-stringify/sync';
import writeXlsxFile from 'write-excel-file/node';
import type { Cell } from 'write-excel-file/node';
import type { CallingReport, ReportFigures } from '../../core/queue/calling-report.ts';
import { reportDimensionNames } from '../../core/queue/calling-report.ts';

/**
 * The calling report as CSV and as an .xlsx workbook, the same table in both: what the page shows.
 * CSV is UTF-8 with a byte-order mark and CRLF lines (what Excel on a Chinese Windows desktop reads
 * right); a name that looks like a formula is escaped so a spreadsheet keeps it text.
 */

export type ReportCell = string | number | null;

const minutes = (ms: number | null): number | null => (ms === null ? null : Math.round(ms / 600) / 100);

const figureHeads = ['排队(人次)', '办结', '已叫号', '平均等候(分钟)', 'P90等候(分钟)', '平均办理(分钟)', '过号', '转移'];

function figureCells(f: ReportFigures): ReportCell[] {
  return [f.legs, f.served, f.called, minutes(f.waitAvgMs), minutes(f.waitP90Ms), minutes(f.serviceAvgMs), f.noShows, f.transfers];
}

const keyHeads: { readonly [D in CallingReport['by']]: [string, string] } = {
  service: ['事项编号', '事项'],
  window: ['窗口号', '窗口'],
  staff: ['工号', '姓名'],
};

/** The report as a table, header row first, the total last. */
export function reportRows(report: CallingReport): ReportCell[][] {
  return [
    [report.period === 'day' ? '日期' : '月份', ...keyHeads[report.by], ...figureHeads],
    ...report.rows.map((r) => [r.period, r.key, report.names[r.key] ?? '', ...figureCells(r)]),
    [report.from === report.to ? report.from : `${report.from}至${report.to}`, '', '合计', ...figureCells(report.total)],
  ];
}

/** The wait by hour of the day, the hours with a call. */
export function hourRows(report: CallingReport): ReportCell[][] {
  return [['时段', '已叫号', '平均等候(分钟)', 'P90等候(分钟)'], ...report.byHour.filter((h) => h.called > 0).map((h) => [`${String(h.hour).padStart(2, '0')}:00`, h.called, minutes(h.waitAvgMs), minutes(h.waitP90Ms)])];
}

export function reportCsv(report: CallingReport): string {
  return stringify(
    reportRows(report).map((row) => row.map((cell) => (cell === null ? '' : cell))),
    { bom: true, record_delimiter: 'windows', escape_formulas: true },
  );
}

export function reportFilename(report: CallingReport, extension: 'csv' | 'xlsx'): string {
  const span = report.from === report.to ? report.from : report.from.slice(0, 7);
  return `calling-${span}-${report.by}-by-${report.period}.${extension}`;
}

function cellOf(value: ReportCell, header: boolean): Cell {
  if (value === null) return null;
  if (typeof value === 'number') return { value, type: Number };
  return header ? { value, type: String, fontWeight: 'bold' } : { value, type: String };
}

function sheet(name: string, rows: ReportCell[][]) {
  return {
    sheet: name,
    data: rows.map((row, i) => row.map((v) => cellOf(v, i === 0))),
    columns: rows[0]!.map((_, i) => ({ width: i < 3 ? 16 : 12 })),
    stickyRowsCount: 1,
  };
}

/** Two sheets: the report, and the wait by hour. Text cells stay text, whatever they look like. */
export async function reportXlsx(report: CallingReport): Promise<Buffer> {
  return writeXlsxFile([sheet(`叫号统计${reportDimensionNames[report.by].zh}`, reportRows(report)), sheet('分时段等候', hourRows(report))]).toBuffer();
}
