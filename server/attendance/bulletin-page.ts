import { csrfInput } from '../admin/admin-intent.ts';
import { adminNav } from '../admin/admin-nav.ts';
import type { AttendanceCounts } from '../../core/attendance/bulletin.ts';
import { hallLocalTime } from '../../core/calendar/business-day.ts';
import type { BulletinReport } from './bulletin.ts';
import { escapeHtml } from '../http/html.ts';
import { bulletinColumns } from './bulletin-csv.ts';

/** Server-rendered pages for the hall office: plain HTML, no script, every value escaped. */

/** The pages' one style sheet; the Content-Security-Policy allows exactly this one by its hash. */
export const pageStyle = `
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#1b1b1b}
h1{font-size:22px}h2{font-size:18px;margin-top:28px}
table{border-collapse:collapse;font-size:14px}th,td{border:1px solid #bbb;padding:4px 8px;text-align:right}
th{background:#eef2f7}td.text,th.text{text-align:left}tr.total td{font-weight:bold;background:#f7f7f7}
.bad{color:#b00020;font-weight:bold}form{margin:12px 0}label{margin-right:12px}
.muted{color:#666;font-size:13px}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${pageStyle}</style></head><body>${body}</body></html>`;
}

export function loginPage(options: { next: string; failed: boolean; lockedUntil?: string }): string {
  return page(
    '管理员登录',
    `<h1>管理员登录</h1>${options.failed ? '<p class="bad">用户名或密码错误</p>' : ''}${options.lockedUntil ? `<p class="bad" role="alert">登录失败次数过多，该账户已锁定至 ${escapeHtml(options.lockedUntil)}（大厅时间），请届时再试</p>` : ''}
<form method="post" action="/admin/login">
<input type="hidden" name="next" value="${escapeHtml(options.next)}">
<p><label>用户名 <input name="username" autocomplete="username" required></label></p>
<p><label>密码 <input name="password" type="password" autocomplete="current-password" required></label></p>
<p><button type="submit">登录</button></p></form>`,
  );
}

// Counts where any non-zero value is a mark against the person: shown in red.
const badColumns = new Set<keyof AttendanceCounts>(['late', 'lateMinutes', 'leftEarly', 'earlyMinutes', 'absent', 'missingSignIn', 'missingSignOut', 'spotCheckAbsences']);

function countCells(c: AttendanceCounts): string {
  return bulletinColumns.map(([k]) => `<td${badColumns.has(k) && c[k] > 0 ? ' class="bad"' : ''}>${c[k]}</td>`).join('');
}

const headCells = bulletinColumns.map(([, h]) => `<th>${escapeHtml(h)}</th>`).join('');

export function bulletinPage(report: BulletinReport, options: { departmentId: string | null; departments: string[]; csrfToken: string }): string {
  const name = (id: string) => escapeHtml(report.departmentNames[id] ?? id);
  const query = (extra: string) => `month=${encodeURIComponent(report.month)}${options.departmentId ? `&department=${encodeURIComponent(options.departmentId)}` : ''}${extra}`;
  const departmentOptions = ['<option value="">全部部门</option>', ...options.departments.map((d) => `<option value="${escapeHtml(d)}"${d === options.departmentId ? ' selected' : ''}>${name(d)}</option>`)].join('');
  const local = hallLocalTime(report.asOf, report.timeZone);
  const asOf = `${local.day} ${local.time.slice(0, 5)}`;
  return page(
    `考勤通报 ${report.month}`,
    `${adminNav('attendance')}<h1>考勤通报 ${escapeHtml(report.month)}</h1>
<p class="muted">统计截至 ${escapeHtml(asOf)}（${escapeHtml(report.timeZone)}）。次数按上午、下午各一次计；请假按天计。</p>
<form method="get" action="/admin/attendance">
<label>月份 <input type="month" name="month" value="${escapeHtml(report.month)}"></label>
<label>部门 <select name="department">${departmentOptions}</select></label>
<button type="submit">查看</button>
<a href="/admin/attendance.csv?${escapeHtml(query('&by=person'))}">导出 CSV（人员）</a>
<a href="/admin/attendance.csv?${escapeHtml(query('&by=department'))}">导出 CSV（部门）</a>
<a href="/admin/attendance.xlsx?${escapeHtml(query(''))}">导出 Excel</a>
</form>
<h2>各部门汇总</h2>
<table><thead><tr><th class="text">部门</th><th>人数</th>${headCells}</tr></thead><tbody>
${report.departments.map((d) => `<tr><td class="text">${name(d.departmentId)}</td><td>${d.people}</td>${countCells(d)}</tr>`).join('\n')}
<tr class="total"><td class="text">合计</td><td>${report.totals.people}</td>${countCells(report.totals)}</tr>
</tbody></table>
<h2>人员明细</h2>
<table><thead><tr><th class="text">部门</th><th class="text">工号</th><th class="text">姓名</th><th class="text">窗口</th>${headCells}</tr></thead><tbody>
${report.people.map((p) => `<tr><td class="text">${name(p.departmentId)}</td><td class="text">${escapeHtml(p.staffId)}</td><td class="text">${escapeHtml(p.name)}</td><td class="text">${escapeHtml(p.counter ?? '')}</td>${countCells(p)}</tr>`).join('\n')}
</tbody></table>
<form method="post" action="/admin/logout">${csrfInput(options.csrfToken)}<button type="submit">退出登录</button></form>`,
  );
}
