import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { monthSchema } from '../../core/attendance/bulletin.ts';
import { departmentIdSchema } from '../../core/attendance/roster.ts';
import { businessDayOf } from '../../core/calendar/business-day.ts';
import { adminSessionTtlMs, revokeAdminSession } from '../admin/admin-users.ts';
import { readHallState } from '../hall/hall-settings.ts';
import { acceptBrowserForms, adminCookieName, adminOrLoginRedirect, adminSessionToken } from '../admin/admin-cookie.ts';
import { auditedLogin } from '../admin/admin-login.ts';
import { parseOrThrow } from '../http/api-error.ts';
import type { RouteContext } from '../http/route-context.ts';
import { strictCsp } from '../http/html.ts';
import { bulletinFilename, sendCsv, sendXlsx } from './routes.ts';
import { buildMonthlyBulletin } from './bulletin.ts';
import type { AttendanceDeps } from './bulletin.ts';
import { bulletinCsv } from './bulletin-csv.ts';
import { bulletinPage, loginPage, pageStyle } from './bulletin-page.ts';
import { bulletinXlsx } from './bulletin-xlsx.ts';

/**
 * The bulletin as a web page for the hall office, and the login form every /admin page shares. A
 * browser cannot send the API's bearer token on a link, so the form puts the same admin session
 * in a cookie that is HttpOnly (no script reads it), SameSite=Strict (no other site's page sends
 * it) and scoped to /admin.
 */

const pageQuery = z.object({ month: monthSchema.optional(), department: z.union([departmentIdSchema, z.literal('')]).optional() });
const csvQuery = z.object({ month: monthSchema, department: z.union([departmentIdSchema, z.literal('')]).optional(), by: z.enum(['person', 'department']).default('person') });
const loginForm = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024), next: z.string().max(300).optional() });

// Only a path on this server: never an open redirect to another site.
const safeNext = (next: string | undefined) => (next && /^\/admin\/[A-Za-z0-9/._?=&%-]*$/.test(next) ? next : '/admin/attendance');

const securityHeaders = (reply: FastifyReply) => {
  reply.header('content-security-policy', strictCsp(pageStyle));
  reply.header('cache-control', 'no-store');
};

export function registerBulletinWeb(app: FastifyInstance, ctx: RouteContext, deps: AttendanceDeps): void {
  const { db, clock } = ctx;

  const adminOrRedirect = (request: FastifyRequest, reply: FastifyReply) => adminOrLoginRedirect(ctx, request, reply);

  app.register(async (scope) => {
    acceptBrowserForms(scope);

    scope.get('/admin/login', async (request, reply) => {
      const query = request.query as { next?: string; failed?: string };
      securityHeaders(reply);
      reply.type('text/html; charset=utf-8');
      return loginPage({ next: safeNext(query.next), failed: query.failed === '1' });
    });

    scope.post('/admin/login', async (request, reply) => {
      ctx.limitAnonymous(request);
      const form = loginForm.safeParse(request.body);
      const next = safeNext(form.success ? form.data.next : undefined);
      const session = form.success ? await auditedLogin(ctx, request, form.data.username, form.data.password) : null;
      if (session?.ok === false && session.locked) {
        // Shown, not redirected to: the time comes from the server, never from a link's query.
        securityHeaders(reply);
        return reply.status(429).type('text/html; charset=utf-8').send(loginPage({ next, failed: false, lockedUntil: session.locked.hallTime }));
      }
      if (!session?.ok) return reply.redirect(`/admin/login?failed=1&next=${encodeURIComponent(next)}`, 303);
      reply.header('set-cookie', `${adminCookieName}=${encodeURIComponent(session.token)}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=${Math.floor(adminSessionTtlMs / 1000)}`);
      return reply.redirect(next, 303);
    });

    scope.post('/admin/logout', async (request, reply) => {
      const token = adminSessionToken(request);
      if (token && (await revokeAdminSession(db, token))) request.log.info({ audit: 'admin-logout' }, 'admin logged out');
      reply.header('set-cookie', `${adminCookieName}=; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=0`);
      return reply.redirect('/admin/login', 303);
    });

    scope.get('/admin/attendance', async (request, reply) => {
      if (!(await adminOrRedirect(request, reply))) return reply;
      const query = parseOrThrow(pageQuery, request.query, 'bulletin');
      const month = query.month ?? businessDayOf(clock.now(), (await readHallState(db)).timeZone).slice(0, 7);
      const department = query.department || null;
      const report = await buildMonthlyBulletin(deps, month, department ?? undefined);
      const departments = [...new Set([...Object.keys(report.departmentNames), ...report.departments.map((d) => d.departmentId)])].sort();
      securityHeaders(reply);
      reply.type('text/html; charset=utf-8');
      return bulletinPage(report, { departmentId: department, departments, csrfToken: request.adminCsrf! });
    });

    scope.get('/admin/attendance.csv', async (request, reply) => {
      if (!(await adminOrRedirect(request, reply))) return reply;
      const query = parseOrThrow(csvQuery, request.query, 'bulletin');
      const report = await buildMonthlyBulletin(deps, query.month, query.department || undefined);
      reply.header('cache-control', 'no-store');
      return sendCsv(reply, bulletinFilename(query.month, query.by), bulletinCsv(report, query.by));
    });

    scope.get('/admin/attendance.xlsx', async (request, reply) => {
      if (!(await adminOrRedirect(request, reply))) return reply;
      const query = parseOrThrow(csvQuery, request.query, 'bulletin');
      const report = await buildMonthlyBulletin(deps, query.month, query.department || undefined);
      reply.header('cache-control', 'no-store');
      return sendXlsx(reply, `attendance-${query.month}.xlsx`, await bulletinXlsx(report));
    });
  });
}
