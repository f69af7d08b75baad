import type { TemplateAuditEntry } from './templates.ts';
import { adminNav, logoutForm } from '../admin/admin-nav.ts';
import { escapeHtml, minuteText, strictCsp } from '../http/html.ts';

/**
 * 指纹登记记录 for the hall office: every stored fingerprint template, who authorised it and from
 * which kiosk; the hall's answer when someone disputes a 代签. Plain HTML, no script, every value escaped.
 */

export const templateAuditStyle = `
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#1b1b1b;font-size:16px;line-height:1.5}
h1{font-size:24px}.muted{color:#555;font-size:14px}
table{border-collapse:collapse;margin-top:12px}th,td{border:1px solid #999;padding:6px 10px;text-align:left;vertical-align:top}
th{background:#e6ecf3}
input,button{font:inherit;padding:6px 8px;min-height:40px;border:1px solid #555;border-radius:4px}
button{background:#0b4f9c;color:#fff;border-color:#0b4f9c;padding:8px 20px;cursor:pointer}
.notice{padding:10px 14px;border-radius:4px;font-weight:bold;background:#fff6dd}
.notice.bad{background:#fde8ea;color:#8a0018}
.kind{font-weight:bold}.kind.again{color:#8a4b00}
nav a{margin-right:12px}`;

export const templateAuditCsp = strictCsp(templateAuditStyle);

/** The most rows one page shows; the page says so when the audit holds more. */
export const templateAuditPageRows = 200;

// core/attendance/roster.ts numbers the fingers 0–9, thumb to little finger, right hand first.
const fingerNames = ['拇指', '食指', '中指', '无名指', '小指'];
export function fingerText(finger: number): string {
  const name = fingerNames[finger % 5];
  return name === undefined || finger < 0 || finger > 9 ? `第 ${finger} 指` : `${finger < 5 ? '右手' : '左手'}${name}`;
}

export interface TemplateAuditPageInput {
  hallName: string;
  timeZone: string;
  adminUser: string;
  csrfToken: string;
  /** newest first, at most templateAuditPageRows + 1 (the one more says there are more) */
  entries: readonly TemplateAuditEntry[];
  staffNames: ReadonlyMap<string, string>;
  deviceNames: ReadonlyMap<string, string>;
  /** the 工号 filter as typed */
  staffFilter: string;
  /** a refused filter, said in Chinese */
  filterError?: string;
}

function personText(staffId: string, names: ReadonlyMap<string, string>): string {
  const name = names.get(staffId);
  return name === undefined ? `${escapeHtml(staffId)} <span class="muted">（不在名册）</span>` : `${escapeHtml(name)}<br><span class="muted">工号 ${escapeHtml(staffId)}</span>`;
}

function authoriserText(entry: TemplateAuditEntry, names: ReadonlyMap<string, string>): string {
  const by = entry.authorisedBy;
  if (by === null) return '<span class="muted">未记录（旧版自助机）</span>';
  if (by.method === 'pin') return '管理密码（PIN）';
  return `管理员指纹：${personText(by.staffId, names)}`;
}

function row(entry: TemplateAuditEntry, input: TemplateAuditPageInput): string {
  const device = entry.deviceId === null ? '—' : `${escapeHtml(input.deviceNames.get(entry.deviceId) ?? '（已删除的自助机）')}<br><span class="muted">${escapeHtml(entry.deviceId)}</span>`;
  const kind = entry.replaced ? '<span class="kind again">重新登记</span>' : '<span class="kind">新登记</span>';
  const cells = [
    `<td>${escapeHtml(minuteText(entry.at, input.timeZone))}</td>`,
    `<td>${personText(entry.staffId, input.staffNames)}</td>`,
    `<td>${escapeHtml(fingerText(entry.finger))}</td>`,
    `<td>${kind}</td>`,
    `<td>${device}</td>`,
    `<td>${authoriserText(entry, input.staffNames)}</td>`,
  ];
  return `<tr data-revision="${entry.revision}" data-staff-id="${escapeHtml(entry.staffId)}">${cells.join('')}</tr>`;
}

export function templateAuditPage(input: TemplateAuditPageInput): string {
  const shown = input.entries.slice(0, templateAuditPageRows);
  const more = input.entries.length > templateAuditPageRows;
  const title = `${input.hallName} · 指纹登记记录`;
  const filtered = input.staffFilter !== '' && !input.filterError;
  const empty = filtered ? `工号 ${escapeHtml(input.staffFilter)} 没有指纹登记记录` : '尚无指纹登记记录';
  const notices = [
    ...(input.filterError ? [`<p class="notice bad" data-testid="filter-error">${escapeHtml(input.filterError)}</p>`] : []),
    ...(more ? [`<p class="notice" data-testid="truncated">记录较多，只显示最近 ${templateAuditPageRows} 条${filtered ? '' : '；可按工号查询某人的全部记录'}。</p>`] : []),
  ];
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${templateAuditStyle}</style></head><body>
${adminNav('template-audit')}
<h1>${escapeHtml(title)}</h1>
<p class="muted">每次在自助机上登记或重新登记指纹，服务器都记下是谁、哪根手指、何时、在哪台自助机、由谁授权。时间为大厅时间（${escapeHtml(input.timeZone)}），最新的在前。</p>
<form method="get" action="/admin/template-audit"><label>工号 <input name="staff" value="${escapeHtml(input.staffFilter)}" aria-label="按工号查询"></label> <button type="submit">查询</button>${filtered ? ' <a href="/admin/template-audit">显示全部</a>' : ''}</form>
${notices.join('\n')}
<table><thead><tr><th>登记时间</th><th>工作人员</th><th>手指</th><th>类型</th><th>自助机</th><th>授权方式</th></tr></thead><tbody>
${shown.length ? shown.map((e) => row(e, input)).join('\n') : `<tr><td colspan="6">${empty}</td></tr>`}
</tbody></table>
${logoutForm(input.adminUser, input.csrfToken)}
</body></html>`;
}
