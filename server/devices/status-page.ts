import { adminNav, logoutForm } from '../admin/admin-nav.ts';
import { byteSizeText } from '../../core/kiosk/byte-size.ts';
import type { KioskAlertKind } from '../../core/kiosk/device-status.ts';
import { backlogGrowingAfterMs, kioskOfflineAfterMs } from '../../core/kiosk/device-status.ts';
import type { PrinterState } from '../../core/printing/printing.ts';
import type { KioskStatus } from './status.ts';
import { escapeHtml, minuteText, strictCsp } from '../http/html.ts';

/** The hall office's view of its kiosks: plain HTML, no script, every value escaped. */

export const kioskStatusStyle = `
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#1b1b1b}
h1{font-size:22px}.muted{color:#666;font-size:13px}
table{border-collapse:collapse;font-size:14px;margin-top:12px}th,td{border:1px solid #bbb;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef2f7}td.num{text-align:right}
tr.alert td{background:#fde8ea}tr.warn td{background:#fff6dd}tr.inactive td{color:#888}
.badge{display:inline-block;margin:0 4px 2px 0;padding:0 6px;border-radius:3px;font-size:13px;font-weight:bold}
.badge.alert{background:#b00020;color:#fff}.badge.warn{background:#f2c94c;color:#1b1b1b}
.summary{font-weight:bold}.summary.alert{color:#b00020}.summary.ok{color:#1e7d32}
.error{font-family:monospace;font-size:12px;max-width:28em;overflow-wrap:anywhere}`;

export const kioskStatusCsp = strictCsp(kioskStatusStyle);

/** How often the page reloads itself; a meta refresh needs no script. */
export const kioskStatusRefreshSeconds = 30;

const alertText: Record<KioskAlertKind, string> = {
  offline: '离线',
  'paper-out': '缺纸',
  'printer-fault': '打印机故障',
  'backlog-growing': '待上传积压增长',
  'reader-disconnected': '指纹仪未连接',
  'storage-low': '存储空间不足',
  'paper-near-end': '纸将用完',
};
// Worth a look, not an emergency: the printer still prints, citizens still get numbers.
const warningsOnly = new Set<KioskAlertKind>(['paper-near-end', 'reader-disconnected']);

const printerText: Record<PrinterState, string> = {
  ready: '正常',
  'paper-out': '缺纸',
  'cover-open': '纸仓盖未关',
  offline: '未连接',
  error: '故障',
};

const stateText: Record<KioskStatus['state'], string> = {
  active: '',
  'awaiting-enrollment': '待注册',
  revoked: '已停用',
};

function agoText(ms: number): string {
  if (ms < 60_000) return '刚刚';
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} 分钟前`;
  if (ms < 86_400_000) return `${Math.floor(ms / 3_600_000)} 小时前`;
  return `${Math.floor(ms / 86_400_000)} 天前`;
}

function uptimeText(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return days > 0 ? `${days} 天 ${hours} 小时` : hours > 0 ? `${hours} 小时 ${minutes} 分` : `${minutes} 分`;
}

function storageCell(report: NonNullable<KioskStatus['report']>): string {
  const parts: string[] = [];
  if (report.storage) parts.push(`本地数据 ${byteSizeText(report.storage.usedBytes)} / ${byteSizeText(report.storage.quotaBytes)}`);
  if (report.diskFreeBytes !== null) parts.push(`磁盘剩余 ${byteSizeText(report.diskFreeBytes)}`);
  return parts.length ? parts.map(escapeHtml).join('<br>') : '—';
}

function rowClass(kiosk: KioskStatus): string {
  if (kiosk.state !== 'active') return 'inactive';
  if (kiosk.alerts.some((a) => !warningsOnly.has(a))) return 'alert';
  return kiosk.alerts.length ? 'warn' : 'ok';
}

function row(kiosk: KioskStatus, now: number, timeZone: string): string {
  const { report } = kiosk;
  const badges = [
    ...(stateText[kiosk.state] ? [`<span class="badge">${escapeHtml(stateText[kiosk.state])}</span>`] : []),
    ...kiosk.alerts.map((a) => `<span class="badge ${warningsOnly.has(a) ? 'warn' : 'alert'}" data-alert="${escapeHtml(a)}">${escapeHtml(alertText[a])}</span>`),
  ].join('');
  const seen = kiosk.lastSeenAt === null ? '从未' : `${agoText(now - kiosk.lastSeenAt)}<br><span class="muted">${escapeHtml(minuteText(kiosk.lastSeenAt, timeZone))}</span>`;
  const printer = report?.printer
    ? `${escapeHtml(printerText[report.printer.state])}${report.printer.paperNearEnd ? '（纸将用完）' : ''}${report.printer.detail ? `<br><span class="muted">${escapeHtml(report.printer.detail)}</span>` : ''}`
    : report
      ? '无法读取'
      : '—';
  const cells = [
    `<td>${escapeHtml(kiosk.name)}<br><span class="muted">${escapeHtml(kiosk.id)}</span></td>`,
    `<td>${badges || '正常'}</td>`,
    `<td>${seen}</td>`,
    `<td>${escapeHtml(kiosk.appVersion ?? '—')}${report?.runtimeVersions ? `<br><span class="muted">${escapeHtml(report.runtimeVersions)}</span>` : ''}</td>`,
    `<td class="num">${report ? report.pendingEvents : '—'}</td>`,
    `<td>${printer}</td>`,
    `<td>${report?.reader ? (report.reader.state === 'connected' ? '正常' : '未连接') : '—'}</td>`,
    `<td>${report ? storageCell(report) : '—'}</td>`,
    `<td class="num">${kiosk.deadLetters}</td>`,
    `<td>${report ? escapeHtml(uptimeText(report.uptimeSeconds)) : '—'}</td>`,
    `<td class="error">${report?.lastSyncError ? escapeHtml(report.lastSyncError) : '—'}</td>`,
    `<td class="error">${report?.lastError ? escapeHtml(report.lastError) : '—'}</td>`,
  ];
  return `<tr class="${rowClass(kiosk)}" data-kiosk-id="${escapeHtml(kiosk.id)}" data-alerts="${escapeHtml(kiosk.alerts.join(' '))}">${cells.join('')}</tr>`;
}

export interface KioskStatusPageInput {
  kiosks: KioskStatus[];
  now: number;
  timeZone: string;
  hallName: string;
  adminUser: string;
  csrfToken: string;
}

export function kioskStatusPage(input: KioskStatusPageInput): string {
  const { kiosks, now, timeZone } = input;
  const needing = kiosks.filter((k) => rowClass(k) === 'alert').length;
  const summary = needing > 0 ? `<p class="summary alert" data-testid="summary">${needing} 台自助机需要处理</p>` : '<p class="summary ok" data-testid="summary">所有自助机正常</p>';
  const title = `${input.hallName} · 自助机状态`;
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta http-equiv="refresh" content="${kioskStatusRefreshSeconds}"><title>${escapeHtml(title)}</title><style>${kioskStatusStyle}</style></head><body>
${adminNav('kiosks')}
<h1>${escapeHtml(title)}</h1>
<p class="muted">更新于 ${escapeHtml(minuteText(now, timeZone))}（大厅时区 ${escapeHtml(timeZone)}），每 ${kioskStatusRefreshSeconds} 秒自动刷新。超过 ${kioskOfflineAfterMs / 60_000} 分钟未联系服务器即为离线；待上传记录 ${backlogGrowingAfterMs / 60_000} 分钟未减少且在增长即为积压增长。</p>
${summary}
<table><thead><tr><th>自助机</th><th>提醒</th><th>最后联系</th><th>版本</th><th>待上传</th><th>打印机</th><th>指纹仪</th><th>存储</th><th>死信</th><th>运行时长</th><th>最近同步错误</th><th>最近日志错误</th></tr></thead><tbody>
${kiosks.length ? kiosks.map((k) => row(k, now, timeZone)).join('\n') : '<tr><td colspan="12">尚未添加自助机</td></tr>'}
</tbody></table>
${logoutForm(input.adminUser, input.csrfToken)}
</body></html>`;
}
