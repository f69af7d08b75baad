import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { businessDayOf } from '../../core/calendar/business-day.ts';
import { hallApi } from '../../core/http/contract.ts';
import type { CallingReportQuery } from '../../core/queue/calling-report.ts';
import { callingReportQuerySchema } from '../../core/queue/calling-report.ts';
import type { CounterAuditQuery } from '../../core/queue/counter-audit.ts';
import { counterAuditQuerySchema } from '../../core/queue/counter-audit.ts';
import { acceptBrowserForms, adminOrLoginRedirect } from '../admin/admin-cookie.ts';
import { setAdminPageHeaders } from '../admin/admin-intent.ts';
import { sendCsv, sendXlsx } from '../attendance/routes.ts';
import { readHallState } from '../hall/hall-settings.ts';
import { contractRoutes } from '../http/contract-routes.ts';
import type { RouteContext } from '../http/route-context.ts';
import { reportCsv, reportFilename, reportXlsx } from './report-files.ts';
import { callingPageCsp, callingReportPage, counterAuditPage } from './report-page.ts';
import { readCallingReport, readCounterAudit } from './report-store.ts';

export const callingReportPagePath = '/admin/calling-report';
export const counterAuditPagePath = '/admin/counter-audit';

/**
 * 叫号统计 and 叫号记录: over the admin API (hallApi.adminCallingReport*, adminCounterAudit, bearer
 * token) and as the hall office's pages with their CSV and Excel downloads (session cookie). Both
 * only read.
 */
export function registerCallingReportRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { db, clock, catalogs } = ctx;
  const deps = { db, catalogs };
  const serve = contractRoutes(app, ctx);

  serve(hallApi.adminCallingReport, async ({ query }) => ({ report: await readCallingReport(deps, query, clock.now()) }));
  serve(hallApi.adminCallingReportCsv, async ({ query }, _request, reply) => {
    const report = await readCallingReport(deps, query, clock.now());
    return sendCsv(reply, reportFilename(report, 'csv'), reportCsv(report));
  });
  serve(hallApi.adminCallingReportXlsx, async ({ query }, _request, reply) => {
    const report = await readCallingReport(deps, query, clock.now());
    return sendXlsx(reply, reportFilename(report, 'xlsx'), await reportXlsx(report));
  });
  serve(hallApi.adminCounterAudit, async ({ query }) => readCounterAudit(db, query, clock.now()));

  /** The query of a page or download; a refused one falls back to this month, with the reason. */
  const reportQueryOf = (request: FastifyRequest): { query: CallingReportQuery; error?: string } => {
    const parsed = callingReportQuerySchema.safeParse(withoutBlanks(request.query));
    return parsed.success ? { query: parsed.data } : { query: { by: 'service' }, error: `查询条件有误，已显示本月：${parsed.error.issues.map((i) => i.message).join('；')}` };
  };

  app.register(async (scope) => {
    acceptBrowserForms(scope);

    scope.get(callingReportPagePath, async (request, reply) => {
      const user = await adminOrLoginRedirect(ctx, request, reply);
      if (!user) return reply;
      const { query, error } = reportQueryOf(request);
      const report = await readCallingReport(deps, query, clock.now());
      setAdminPageHeaders(reply, callingPageCsp);
      if (error) reply.status(400);
      reply.type('text/html; charset=utf-8');
      return callingReportPage({ report, day: query.day ?? null, month: (query.day ?? report.from).slice(0, 7), adminUser: user, csrfToken: request.adminCsrf!, ...(error ? { error } : {}) });
    });

    const download = (kind: 'csv' | 'xlsx') => async (request: FastifyRequest, reply: FastifyReply) => {
      if (!(await adminOrLoginRedirect(ctx, request, reply))) return reply;
      const { query, error } = reportQueryOf(request);
      if (error) return reply.status(400).type('text/plain; charset=utf-8').send(error);
      const report = await readCallingReport(deps, query, clock.now());
      reply.header('cache-control', 'no-store');
      return kind === 'csv' ? sendCsv(reply, reportFilename(report, 'csv'), reportCsv(report)) : sendXlsx(reply, reportFilename(report, 'xlsx'), await reportXlsx(report));
    };
    scope.get(`${callingReportPagePath}.csv`, download('csv'));
    scope.get(`${callingReportPagePath}.xlsx`, download('xlsx'));

    scope.get(counterAuditPagePath, async (request, reply) => {
      const user = await adminOrLoginRedirect(ctx, request, reply);
      if (!user) return reply;
      const hall = await readHallState(db);
      const parsed = counterAuditQuerySchema.safeParse(withoutBlanks(request.query));
      const query: CounterAuditQuery = parsed.success ? parsed.data : { day: businessDayOf(clock.now(), hall.timeZone), page: 1 };
      const audit = await readCounterAudit(db, query, clock.now());
      setAdminPageHeaders(reply, callingPageCsp);
      if (!parsed.success) reply.status(400);
      reply.type('text/html; charset=utf-8');
      return counterAuditPage({
        audit,
        timeZone: hall.timeZone,
        window: query.window ?? null,
        staff: query.staff ?? '',
        adminUser: user,
        csrfToken: request.adminCsrf!,
        ...(parsed.success ? {} : { error: `查询条件有误，已显示今天的全部记录：${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('；')}` }),
      });
    });
  });
}

/** A GET form sends its empty fields as ""; they mean "any". */
function withoutBlanks(query: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries((query ?? {}) as Record<string, unknown>).filter(([, v]) => v !== '' && v !== undefined));
}
