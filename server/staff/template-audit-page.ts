import type { EnrolmentGrant } from './enrolment-grants.ts';
import { defaultGrantMinutes } from './enrolment-grants.ts';
import type { TemplateAuditEntry } from './templates.ts';
import { adminNav, logoutForm } from '../admin/admin-nav.ts';
import { csrfInput } from '../admin/admin-intent.ts';
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
input,select,button{font:inherit;padding:6px 8px;min-height:40px;border:1px solid #555;border-radius:4px}
h2{font-size:20px;margin-top:32px}
.notice.good{background:#e3f4e6;color:#114b1f}
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
  /** enrolment grants not yet expired, latest first */
  grants: readonly EnrolmentGrant[];
  /** enrolled kiosks not revoked: where a grant can be given */
  kiosks: readonly { id: string; name: string }[];
  /** the outcome of the grant form just sent, said in Chinese */
  grantNotice?: { ok: boolean; text: string };
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

function deviceText(deviceId: string, names: ReadonlyMap<string, string>): string {
  return `${escapeHtml(names.get(deviceId) ?? '（已删除的自助机）')}<br><span class="muted">${escapeHtml(deviceId)}</span>`;
}

function row(entry: TemplateAuditEntry, input: TemplateAuditPageInput): string {
  const device = entry.deviceId === null ? '—' : deviceText(entry.deviceId, input.deviceNames);
  const granted = entry.grantedBy === null ? '<span class="muted">—</span>' : `管理员 ${escapeHtml(entry.grantedBy)}`;
  const kind = entry.replaced ? '<span class="kind again">重新登记</span>' : '<span class="kind">新登记</span>';
  const cells = [
    `<td>${escapeHtml(minuteText(entry.at, input.timeZone))}</td>`,
    `<td>${personText(entry.staffId, input.staffNames)}</td>`,
    `<td>${escapeHtml(fingerText(entry.finger))}</td>`,
    `<td>${kind}</td>`,
    `<td>${device}</td>`,
    `<td>${authoriserText(entry, input.staffNames)}</td>`,
    `<td>${granted}</td>`,
  ];
  return `<tr data-revision="${entry.revision}" data-staff-id="${escapeHtml(entry.staffId)}">${cells.join('')}</tr>`;
}

const grantMinutes = [15, 30, 60, 120, 240];

/**
 * 开通指纹录入: a kiosk takes a finger for the server only under an admin's grant (one person, one
 * kiosk, a short while), given here in the admin's own session; the kiosk's PIN is no proof to the server.
 */
function grantSection(input: TemplateAuditPageInput): string {
  const notice = input.grantNotice ? `<p class="notice ${input.grantNotice.ok ? 'good' : 'bad'}" data-testid="grant-notice">${escapeHtml(input.grantNotice.text)}</p>` : '';
  const kiosks = input.kiosks.map((k) => `<option value="${escapeHtml(k.id)}">${escapeHtml(k.name)}</option>`).join('');
  const minutes = grantMinutes.map((m) => `<option value="${m}"${m === defaultGrantMinutes ? ' selected' : ''}>${m} 分钟</option>`).join('');
  const form = input.kiosks.length
    ? `<form method="post" action="/admin/template-audit/grants">${csrfInput(input.csrfToken)}<label>工号 <input name="staffId" required aria-label="要录入指纹的工作人员工号"></label> <label>自助机 <select name="deviceId" aria-label="在哪台自助机录入">${kiosks}</select></label> <label>有效 <select name="minutes" aria-label="有效时间">${minutes}</select></label> <button type="submit">开通</button></form>`
    : '<p class="muted">尚无已注册的自助机。</p>';
  const rows = input.grants.map(
    (g) => `<tr data-grant-id="${escapeHtml(g.id)}"><td>${personText(g.staffId, input.staffNames)}</td><td>${deviceText(g.deviceId, input.deviceNames)}</td><td>${escapeHtml(minuteText(g.expiresAt, input.timeZone))} 前</td><td>管理员 ${escapeHtml(g.grantedBy)}</td></tr>`,
  );
  return `<h2 id="grants">开通指纹录入</h2>
<p class="muted">自助机只在管理员于此开通后，才能把某位工作人员的指纹录入服务器：填工号、选自助机，在有效时间内到该自助机的维护界面录入（可录多根手指）。自助机上的管理密码只由自助机自己核对，服务器无法核对，所以不能代替开通。</p>
${notice}
${form}
<table data-testid="grants"><thead><tr><th>工作人员</th><th>自助机</th><th>有效期</th><th>开通人</th></tr></thead><tbody>
${rows.length ? rows.join('\n') : '<tr><td colspan="4">当前没有有效的录入开通</td></tr>'}
</tbody></table>`;
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
<table><thead><tr><th>登记时间</th><th>工作人员</th><th>手指</th><th>类型</th><th>自助机</th><th>自助机上的授权</th><th>服务器开通</th></tr></thead><tbody>
${shown.length ? shown.map((e) => row(e, input)).join('\n') : `<tr><td colspan="7">${empty}</td></tr>`}
</tbody></table>
${grantSection(input)}
${logoutForm(input.adminUser, input.csrfToken)}
</body></html>`;
}
