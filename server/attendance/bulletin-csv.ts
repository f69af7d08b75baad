import type { AttendanceCounts } from '../../core/attendance/bulletin.ts';
import type { BulletinReport } from './bulletin.ts';

/**
 * The bulletin as CSV for the hall office's spreadsheet. UTF-8 with a byte-order mark and CRLF
 * lines, because that is what makes Excel on a Chinese Windows desktop read the names right.
 */

const countColumns: [keyof AttendanceCounts, string][] = [
  ['sessionsDue', '应到(次)'],
  ['onTime', '准时(次)'],
  ['late', '迟到(次)'],
  ['lateMinutes', '迟到(分钟)'],
  ['leftEarly', '早退(次)'],
  ['earlyMinutes', '早退(分钟)'],
  ['absent', '缺勤(次)'],
  ['missingSignIn', '未签到(次)'],
  ['missingSignOut', '未签退(次)'],
  ['leaveDays', '请假(天)'],
  ['outings', '外出(次)'],
  ['spotChecks', '抽查(次)'],
  ['spotCheckAbsences', '抽查缺岗(次)'],
];

/**
 * Quotes what needs quoting; text a spreadsheet would run as a formula (a name typed as
 * "=HYPERLINK(…)") is prefixed with an apostrophe so it stays text.
 */
export function csvField(value: BulletinCell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csv(rows: BulletinCell[][]): string {
  return `\uFEFF${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

export type BulletinLevel = 'person' | 'department';
export type BulletinCell = string | number | null;

/** The bulletin as a table, header row first: what both the CSV and the workbook hold. */
export function bulletinRows(report: BulletinReport, level: BulletinLevel): BulletinCell[][] {
  const counts = (c: AttendanceCounts) => countColumns.map(([k]) => c[k]);
  const deptName = (id: string) => report.departmentNames[id] ?? id;
  if (level === 'department') {
    return [
      ['月份', '部门编号', '部门', '人数', ...countColumns.map(([, h]) => h)],
      ...report.departments.map((d) => [report.month, d.departmentId, deptName(d.departmentId), d.people, ...counts(d)]),
      [report.month, '', '合计', report.totals.people, ...counts(report.totals)],
    ];
  }
  return [
    ['月份', '部门编号', '部门', '工号', '姓名', '窗口', ...countColumns.map(([, h]) => h)],
    ...report.people.map((p) => [report.month, p.departmentId, deptName(p.departmentId), p.staffId, p.name, p.counter, ...counts(p)]),
  ];
}

export function bulletinCsv(report: BulletinReport, level: BulletinLevel): string {
  return csv(bulletinRows(report, level));
}

export const bulletinColumns = countColumns;
