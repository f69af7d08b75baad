import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { staffIdSchema } from '../../core/attendance/roster.ts';
import { listDevices } from '../devices/devices.ts';
import { readHallState } from '../hall/hall-settings.ts';
import { minuteText } from '../http/html.ts';
import { grantEnrolment, maxGrantMinutes, openGrants } from './enrolment-grants.ts';
import { StaffError, listStaff } from './roster.ts';
import { templateAuditOf } from './templates.ts';
import { acceptBrowserForms, adminOrLoginRedirect } from '../admin/admin-cookie.ts';
import { setAdminPageHeaders } from '../admin/admin-intent.ts';
import type { RouteContext } from '../http/route-context.ts';
import { templateAuditCsp, templateAuditPage, templateAuditPageRows, type TemplateAuditPageInput } from './template-audit-page.ts';

export const templateAuditPagePath = '/admin/template-audit';
export const enrolmentGrantFormPath = '/admin/template-audit/grants';

/**
 * 指纹登记记录: the template audit (GET /api/v1/admin/template-audit) as a page, filtered by 工号 on
 * request, and 开通指纹录入: the enrolment grants (server/staff/enrolment-grants.ts) an admin gives here.
 */
export function registerTemplateAuditWeb(app: FastifyInstance, ctx: RouteContext): void {
  const { db, clock } = ctx;

  async function render(request: FastifyRequest, reply: FastifyReply, user: string, staffFilter: string, grantNotice?: TemplateAuditPageInput['grantNotice']): Promise<string> {
    setAdminPageHeaders(reply, templateAuditCsp);
    const valid = staffFilter === '' || staffIdSchema.safeParse(staffFilter).success;
    // One row more than shown tells the page there are more.
    const [hall, entries, staff, devices, grants] = await Promise.all([
      readHallState(db),
      valid ? templateAuditOf(db, { ...(staffFilter ? { staffId: staffFilter } : {}), limit: templateAuditPageRows + 1 }) : [],
      listStaff(db, { includeInactive: true }),
      listDevices(db),
      openGrants(db, clock.now()),
    ]);
    if (!valid) reply.status(400);
    reply.type('text/html; charset=utf-8');
    const staffNames = new Map(staff.map((s) => [s.id, s.name]));
    const deviceNames = new Map(devices.map((d) => [d.id, d.name]));
    const granted = typeof (request.query as Record<string, unknown>).granted === 'string' ? grants.find((g) => g.id === (request.query as Record<string, string>).granted) : undefined;
    return templateAuditPage({
      hallName: hall.hallName,
      timeZone: hall.timeZone,
      adminUser: user,
      csrfToken: request.adminCsrf!,
      entries,
      staffNames,
      deviceNames,
      staffFilter,
      grants,
      kiosks: devices.filter((d) => d.enrolled && d.revokedAt === null).map((d) => ({ id: d.id, name: d.name })),
      ...(valid ? {} : { filterError: '工号只能由字母、数字、点、横线或下划线组成（最多 36 位）' }),
      ...(grantNotice
        ? { grantNotice }
        : granted
          ? { grantNotice: { ok: true, text: `已开通：${staffNames.get(granted.staffId) ?? granted.staffId}（工号 ${granted.staffId}）可在 ${deviceNames.get(granted.deviceId) ?? granted.deviceId} 录入指纹，${minuteText(granted.expiresAt, hall.timeZone)} 前有效` } }
          : {}),
    });
  }

  app.register(async (scope) => {
    acceptBrowserForms(scope);

    scope.get(templateAuditPagePath, async (request, reply) => {
      const user = await adminOrLoginRedirect(ctx, request, reply);
      if (!user) return reply;
      const query = request.query as Record<string, unknown>;
      return render(request, reply, user, typeof query.staff === 'string' ? query.staff.trim() : '');
    });

    scope.post(enrolmentGrantFormPath, async (request, reply) => {
      const user = await adminOrLoginRedirect(ctx, request, reply, templateAuditPagePath);
      if (!user) return reply;
      const form = typeof request.body === 'object' && request.body !== null && !Buffer.isBuffer(request.body) ? (request.body as Record<string, unknown>) : {};
      const text = (name: string) => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');
      const refused = async (status: number, message: string) => {
        const html = await render(request, reply, user, '', { ok: false, text: message });
        return reply.status(status).send(html);
      };
      const staffId = staffIdSchema.safeParse(text('staffId'));
      const minutes = Number(text('minutes'));
      if (!staffId.success) return refused(400, '请填写要录入指纹的工作人员工号（字母、数字、点、横线或下划线，最多 36 位）');
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > maxGrantMinutes) return refused(400, `有效时间应为 1–${maxGrantMinutes} 分钟`);
      try {
        const grant = await grantEnrolment(db, clock, { staffId: staffId.data, deviceId: text('deviceId'), grantedBy: user, minutes });
        request.log.info({ staff: grant.staffId, device: grant.deviceId, admin: user, expiresAt: grant.expiresAt }, 'fingerprint enrolment granted');
        return reply.redirect(`${templateAuditPagePath}?granted=${encodeURIComponent(grant.id)}#grants`, 303);
      } catch (error) {
        if (!(error instanceof StaffError)) throw error;
        const message = error.kind === 'conflict' ? `工号 ${staffId.data} 已停用，请先恢复再录入指纹` : error.message.startsWith('no staff member') ? `名册中没有工号 ${staffId.data}` : '所选自助机未注册或已停用';
        return refused(error.kind === 'conflict' ? 409 : 404, `未开通：${message}`);
      }
    });
  });
}
