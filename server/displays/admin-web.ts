import type { FastifyInstance } from 'fastify';
import { adminOrLoginRedirect } from '../admin/admin-cookie.ts';
import { setAdminPageHeaders } from '../admin/admin-intent.ts';
import { adminNav, logoutForm } from '../admin/admin-nav.ts';
import { readHallState } from '../hall/hall-settings.ts';
import { escapeHtml, minuteText, strictCsp } from '../http/html.ts';
import type { RouteContext } from '../http/route-context.ts';
import { kioskStatusStyle } from '../devices/status-page.ts';
import { listDisplays } from './displays.ts';
import type { LiveDisplays } from './routes.ts';

export const displayAdminPagePath = '/admin/displays';
const csp = strictCsp(kioskStatusStyle);

/** 大厅屏状态: which screens are live, their last contact and zone. Plain HTML, every value escaped, reloads itself. */
export function registerDisplayAdminWeb(app: FastifyInstance, ctx: RouteContext, live: LiveDisplays): void {
  const { db, clock } = ctx;
  app.get(displayAdminPagePath, async (request, reply) => {
    setAdminPageHeaders(reply, csp);
    const user = await adminOrLoginRedirect(ctx, request, reply, displayAdminPagePath);
    if (!user) return reply;
    const [hall, displays] = await Promise.all([readHallState(db), listDisplays(db, (id) => live.isLive(id))]);
    const now = clock.now();
    const rows = displays.map((d) => {
      const state = d.revoked ? '已停用' : !d.enrolled ? '待注册' : d.live ? '在线' : '离线';
      const cls = d.revoked ? 'inactive' : d.enrolled && !d.live ? 'alert' : '';
      const kind = d.kind === 'hall' ? '综合屏' : `窗口屏 · ${d.window ?? ''}号窗口`;
      const seen = d.lastSeenAt === null ? '—' : minuteText(d.lastSeenAt, hall.timeZone);
      return `<tr class="${cls}" data-display="${escapeHtml(d.displayId)}" data-live="${d.live}"><td>${escapeHtml(d.name)}</td><td>${escapeHtml(kind)}</td><td>${escapeHtml(d.zone.length ? d.zone.join('、') : '全大厅')}</td><td>${state}</td><td>${escapeHtml(seen)}</td></tr>`;
    });
    reply.type('text/html; charset=utf-8');
    return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta http-equiv="refresh" content="30"><title>大厅屏状态</title><style>${kioskStatusStyle}</style></head><body>
${adminNav('displays')}<h1>大厅屏状态 · ${escapeHtml(hall.hallName)}</h1><p class="muted">${escapeHtml(minuteText(now, hall.timeZone))} · 每30秒刷新</p>
<table><thead><tr><th>名称</th><th>类型</th><th>区域</th><th>状态</th><th>最后联系</th></tr></thead><tbody>${rows.join('') || '<tr><td colspan="5">尚无大厅屏</td></tr>'}</tbody></table>
${logoutForm(user, request.adminCsrf!)}</body></html>`;
  });
}
