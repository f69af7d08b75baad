import type { FastifyInstance } from 'fastify';
import { staffIdSchema } from '../../core/attendance/roster.ts';
import { listDevices } from '../devices/devices.ts';
import { readHallState } from '../hall/hall-settings.ts';
import { listStaff } from './roster.ts';
import { templateAuditOf } from './templates.ts';
import { adminOrLoginRedirect } from '../admin/admin-cookie.ts';
import { setAdminPageHeaders } from '../admin/admin-intent.ts';
import type { RouteContext } from '../http/route-context.ts';
import { templateAuditCsp, templateAuditPage, templateAuditPageRows } from './template-audit-page.ts';

export const templateAuditPagePath = '/admin/template-audit';

/** 指纹登记记录: the template audit (GET /api/v1/admin/template-audit) as a page, filtered by 工号 on request. */
export function registerTemplateAuditWeb(app: FastifyInstance, ctx: RouteContext): void {
  const { db } = ctx;

  app.get(templateAuditPagePath, async (request, reply) => {
    setAdminPageHeaders(reply, templateAuditCsp);
    const user = await adminOrLoginRedirect(ctx, request, reply);
    if (!user) return reply;
    const query = request.query as Record<string, unknown>;
    const staffFilter = typeof query.staff === 'string' ? query.staff.trim() : '';
    const valid = staffFilter === '' || staffIdSchema.safeParse(staffFilter).success;
    // One row more than shown tells the page there are more.
    const [hall, entries, staff, devices] = await Promise.all([
      readHallState(db),
      valid ? templateAuditOf(db, { ...(staffFilter ? { staffId: staffFilter } : {}), limit: templateAuditPageRows + 1 }) : [],
      listStaff(db, { includeInactive: true }),
      listDevices(db),
    ]);
    reply.status(valid ? 200 : 400).type('text/html; charset=utf-8');
    return templateAuditPage({
      hallName: hall.hallName,
      timeZone: hall.timeZone,
      adminUser: user,
      csrfToken: request.adminCsrf!,
      entries,
      staffNames: new Map(staff.map((s) => [s.id, s.name])),
      deviceNames: new Map(devices.map((d) => [d.id, d.name])),
      staffFilter,
      ...(valid ? {} : { filterError: '工号只能由字母、数字、点、横线或下划线组成（最多 36 位）' }),
    });
  });
}
