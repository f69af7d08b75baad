import type { CallingReport, ReportFigures } from '../../core/queue/calling-report.ts';
import { minutesText, reportDimensionNames, reportDimensions } from '../../core/queue/calling-report.ts';
import type { CounterAudit } from '../../core/queue/counter-audit.ts';
import { counterActionName } from '../../core/queue/counter-audit.ts';
import { legStateNames } from '../../core/queue/leg.ts';
import type { LegState } from '../../core/queue/leg.ts';
import { adminNav, logoutForm } from '../admin/admin-nav.ts';
import { escapeHtml, strictCsp } from '../http/html.ts';
import { hallLocalTime } from '../../core/calendar/business-day.ts';
import { waitByHourSvg } from './report-chart.ts';

/**
 * 叫号统计 and 叫号记录 for the hall office: plain HTML and inline SVG, no script, every value
 * escaped; filters are GET forms, so a report is a link that can be shared and bookmarked.
 */

export const callingPageStyle = `
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#1b1b1b;font-size:15px}
h1{font-size:22px}h2{font-size:18px;margin-top:28px}.muted{color:#555;font-size:13px}
table{border-collapse:collapse;font-size:14px}th,td{border:1px solid #bbb;padding:4px 8px;text-align:right}
th{background:#eef2f7}td.text,th.text{text-align:left}tr.total td{font-weight:bold;background:#f7f7f7}
form{margin:12px 0}label{margin-right:12px}input,select,button{font:inherit;padding:4px 6px}
.refused{color:#8a0018}.bad{color:#b00020;font-weight:bold}nav a{margin-right:12px}.pages a,.pages strong{margin-right:10px}`;

export const callingPageCsp = strictCsp(callingPageStyle);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${callingPageStyle}</style></head><body>${body}</body></html>`;
}

const figureHeads = ['排队人次', '办结', '已叫号', '平均等候（分钟）', 'P90 等候（分钟）', '平均办理（分钟）', '过号', '转移'];

function figureCells(f: ReportFigures): string {
  return [f.legs, f.served, f.called, minutesText(f.waitAvgMs), minutesText(f.waitP90Ms), minutesText(f.serviceAvgMs), f.noShows, f.transfers].map((v) => `<td>${escapeHtml(String(v))}</td>`).join('');
}

export interface ReportPageInput {
  report: CallingReport;
  /** the span as asked: a day, or a month */
  day: string | null;
  month: string;
  adminUser: string;
  csrfToken: string;
  /** a refused query, said in Chinese */
  error?: string;
}

const keyHead = { service: '事项', window: '窗口', staff: '工作人员' } as const;

export function callingReportPage(input: ReportPageInput): string {
  const { report } = input;
  const spanText = report.from === report.to ? report.from : `${report.from} 至 ${report.to}`;
  const query = new URLSearchParams({ by: report.by, ...(input.day ? { day: input.day } : { month: input.month, period: report.period }) }).toString();
  const byOptions = reportDimensions.map((d) => `<option value="${d}"${d === report.by ? ' selected' : ''}>${escapeHtml(reportDimensionNames[d].zh)}</option>`).join('');
  const name = (key: string) => {
    const known = report.names[key];
    if (report.by === 'window') return escapeHtml(known ?? `${key}号窗口`);
    return known === undefined ? escapeHtml(key) : `${escapeHtml(known)} <span class="muted">${escapeHtml(key)}</span>`;
  };
  const rows = report.rows.map((r) => `<tr><td class="text">${escapeHtml(r.period)}</td><td class="text">${name(r.key)}</td>${figureCells(r)}</tr>`).join('\n');
  return page(
    `叫号统计 ${spanText}`,
    `${adminNav('calling-report')}<h1>叫号统计 ${escapeHtml(spanText)}</h1>
${input.error ? `<p class="bad" role="alert">${escapeHtml(input.error)}</p>` : ''}
<p class="muted">等候：从取号（转移后从转移时）到叫号；办理：从开始到办结；过号、转移按号的当前状态计。时间为大厅时间（${escapeHtml(report.timeZone)}）。</p>
<form method="get" action="/admin/calling-report">
<label>统计方式 <select name="by">${byOptions}</select></label>
<label>月份 <input type="month" name="month" value="${escapeHtml(input.month)}"></label>
<label>每行 <select name="period"><option value="month"${report.period === 'month' && !input.day ? ' selected' : ''}>按月</option><option value="day"${report.period === 'day' && !input.day ? ' selected' : ''}>按日</option></select></label>
<button type="submit">查看</button>
</form>
<form method="get" action="/admin/calling-report">
<input type="hidden" name="by" value="${escapeHtml(report.by)}">
<label>单日 <input type="date" name="day" value="${escapeHtml(input.day ?? '')}" required></label>
<button type="submit">查看当日</button>
</form>
<p><a href="/admin/calling-report.csv?${escapeHtml(query)}">导出 CSV</a> <a href="/admin/calling-report.xlsx?${escapeHtml(query)}">导出 Excel</a></p>
<table><thead><tr><th class="text">${report.period === 'day' ? '日期' : '月份'}</th><th class="text">${keyHead[report.by]}</th>${figureHeads.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>
${rows || `<tr><td class="text" colspan="${figureHeads.length + 2}">所选期间没有叫号数据</td></tr>`}
<tr class="total"><td class="text">${escapeHtml(spanText)}</td><td class="text">合计</td>${figureCells(report.total)}</tr>
</tbody></table>
<h2>分时段等候</h2>
${waitByHourSvg(report.byHour, `${spanText} 分时段等候（分钟）`)}
${logoutForm(input.adminUser, input.csrfToken)}`,
  );
}

export interface AuditPageInput {
  audit: CounterAudit;
  timeZone: string;
  window: number | null;
  staff: string;
  adminUser: string;
  csrfToken: string;
  error?: string;
}

const stateText = (state: string | null) => (state === null ? '' : (legStateNames[state as LegState]?.zh ?? state));

export function counterAuditPage(input: AuditPageInput): string {
  const { audit } = input;
  const pages = Math.max(1, Math.ceil(audit.total / audit.pageSize));
  const link = (p: number) => `/admin/counter-audit?${new URLSearchParams({ day: audit.day, ...(input.window !== null ? { window: String(input.window) } : {}), ...(input.staff ? { staff: input.staff } : {}), page: String(p) }).toString()}`;
  const pager = pages <= 1 ? '' : `<p class="pages">${audit.page > 1 ? `<a href="${escapeHtml(link(audit.page - 1))}">上一页</a>` : ''}<strong>第 ${audit.page} / ${pages} 页</strong>${audit.page < pages ? `<a href="${escapeHtml(link(audit.page + 1))}">下一页</a>` : ''}</p>`;
  const rows = audit.entries
    .map((e) => {
      const who = e.admin !== null ? `管理员 ${escapeHtml(e.admin)}` : escapeHtml(e.staffId ?? '');
      const move = e.outcome === 'done' ? escapeHtml([stateText(e.fromState), stateText(e.toState)].filter(Boolean).join(' → ')) : `<span class="refused">未执行：${escapeHtml(e.refusal ?? '')}</span>`;
      return `<tr><td class="text">${escapeHtml(hallLocalTime(e.at, input.timeZone).time)}</td><td>${e.window ?? ''}</td><td class="text">${who}</td><td class="text">${escapeHtml(counterActionName(e.action).zh)}</td><td class="text">${escapeHtml(e.label ?? '')}</td><td class="text">${move}</td></tr>`;
    })
    .join('\n');
  return page(
    `叫号记录 ${audit.day}`,
    `${adminNav('counter-audit')}<h1>叫号记录 ${escapeHtml(audit.day)}</h1>
${input.error ? `<p class="bad" role="alert">${escapeHtml(input.error)}</p>` : ''}
<form method="get" action="/admin/counter-audit">
<label>日期 <input type="date" name="day" value="${escapeHtml(audit.day)}"></label>
<label>窗口 <input type="number" name="window" min="1" max="9999" value="${input.window ?? ''}"></label>
<label>工号 <input name="staff" value="${escapeHtml(input.staff)}"></label>
<button type="submit">查询</button>
</form>
<p class="muted">共 ${audit.total} 条，按时间先后；时间为大厅时间（${escapeHtml(input.timeZone)}）。</p>
${pager}
<table><thead><tr><th class="text">时间</th><th>窗口</th><th class="text">工作人员</th><th class="text">操作</th><th class="text">号码</th><th class="text">结果</th></tr></thead><tbody>
${rows || '<tr><td class="text" colspan="6">没有符合条件的记录</td></tr>'}
</tbody></table>
${pager}
${logoutForm(input.adminUser, input.csrfToken)}`,
  );
}
