import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hallLocalTime } from '../../core/calendar/business-day.ts';
import { isCalendarDay } from '../../core/calendar/calendar-day.ts';
import type { HallRules } from '../../core/calendar/calendar-rules.ts';
import { HallCalendarError } from './calendar-store.ts';
import { readDemoHallRules } from './demo-calendar.ts';
import { readHallState } from '../hall/hall-settings.ts';
import { acceptBrowserForms, adminOrLoginRedirect } from '../admin/admin-cookie.ts';
import { setAdminPageHeaders } from '../admin/admin-intent.ts';
import type { RouteContext } from '../http/route-context.ts';
import { applyCalendarForm, field, generalError, type FieldErrors, type FormValues } from './page-form.ts';
import { hallCalendarCsp, hallCalendarPage, type HallCalendarPageInput } from './page.ts';
import { calendarPreview } from './page-preview.ts';

export const hallCalendarPagePath = '/admin/hall-calendar';

const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * The hall calendar page. Saves go through HallCalendarStore.save, the same validated,
 * all-or-nothing path as PUT /api/v1/admin/hall-calendar, after the form's own checks put each
 * problem beside its field. The form carries the revision it was made from, so an edit made on a
 * page that another admin's save has since overtaken is refused instead of undoing that save.
 */
export function registerHallCalendarPage(app: FastifyInstance, ctx: RouteContext): void {
  const { db, clock, calendars, catalogs } = ctx;

  const adminOrRedirect = (request: FastifyRequest, reply: FastifyReply) => adminOrLoginRedirect(ctx, request, reply, hallCalendarPagePath);

  async function current(): Promise<Pick<HallCalendarPageInput, 'revision' | 'savedAt' | 'source' | 'rules'>> {
    const stored = await calendars.latest();
    return stored ?? { revision: 0, savedAt: null, source: '内置规则', rules: readDemoHallRules() };
  }

  async function serviceNames(): Promise<Map<string, string>> {
    const catalog = (await catalogs.latest())?.catalog;
    return new Map((catalog?.services ?? []).map((s) => [s.id, s.name.zh]));
  }

  function send(reply: FastifyReply, status: number, html: string): FastifyReply {
    setAdminPageHeaders(reply, hallCalendarCsp);
    return reply.status(status).type('text/html; charset=utf-8').send(html);
  }

  /** The page for `rules` with a preview of `date` `time` (default: now in the hall). */
  async function render(request: FastifyRequest, user: string, query: Record<string, string | undefined>, extra: Partial<HallCalendarPageInput> & Pick<HallCalendarPageInput, 'revision' | 'savedAt' | 'source' | 'rules'>): Promise<string> {
    const hall = await readHallState(db);
    const now = clock.now();
    const local = hallLocalTime(now, hall.timeZone);
    const year = /^\d{4}$/.test(query.year ?? '') ? Number(query.year) : Number(local.day.slice(0, 4));
    const names = await serviceNames();
    const day = query.date || local.day;
    const time = query.time || local.time.slice(0, 5);
    const previewOk = isCalendarDay(day) && hhmm.test(time);
    return hallCalendarPage({
      hallName: hall.hallName,
      timeZone: hall.timeZone,
      adminUser: user,
      csrfToken: request.adminCsrf!,
      now,
      year,
      serviceNames: names,
      preview: previewOk ? calendarPreview(extra.rules, day, time, hall.timeZone, names) : null,
      ...(previewOk ? {} : { previewError: '预览的日期应为 YYYY-MM-DD，时间应为 HH:MM' }),
      ...extra,
    });
  }

  app.register(async (scope) => {
    acceptBrowserForms(scope);

    scope.get(hallCalendarPagePath, async (request, reply) => {
      const user = await adminOrRedirect(request, reply);
      if (!user) return reply;
      const query = request.query as Record<string, string | undefined>;
      const shown = await current();
      const saved = Number(query.saved);
      const notice = query.saved === undefined ? undefined : Number.isInteger(saved) && saved > 0 ? `已保存为第 ${saved} 版` : '没有改动，未保存新版本';
      return send(reply, 200, await render(request, user, query, { ...shown, ...(notice ? { notice } : {}) }));
    });

    scope.post(hallCalendarPagePath, async (request, reply) => {
      const user = await adminOrRedirect(request, reply);
      if (!user) return reply;
      // A browser sends strings only; anything else (a JSON body, an upload) is not this form's.
      const body = typeof request.body === 'object' && request.body !== null && !Buffer.isBuffer(request.body) ? Object.entries(request.body) : [];
      const form: FormValues = Object.fromEntries(body.filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
      const year = /^\d{4}$/.test(form.year ?? '') ? form.year! : '';
      const base = await current();
      const refused = async (status: number, errors: FieldErrors) =>
        send(reply, status, await render(request, user, { year }, { ...base, refused: { values: form, errors } }));

      if (form[field.baseRevision] === undefined) {
        return refused(400, { [generalError]: '表单不完整（缺少所依据的版本号），未保存。请在本页修改后再保存。' });
      }
      if (form[field.baseRevision] !== String(base.revision)) {
        // The field indexes belong to the revision the form was made from: nothing of it can be applied.
        const html = await render(request, user, { year }, { ...base, refused: { values: {}, errors: { [generalError]: `日历已由其他管理员保存为第 ${base.revision} 版，本次修改未保存。请在下面的最新版本上重新修改。` } } });
        return send(reply, 409, html);
      }
      const edit = applyCalendarForm(base.rules, form);
      if (!edit.ok) {
        request.log.info({ fields: Object.keys(edit.errors) }, 'hall calendar form refused');
        return refused(400, edit.errors);
      }
      const back = (saved: number) => reply.redirect(`${hallCalendarPagePath}?saved=${saved}${year ? `&year=${year}` : ''}`, 303);
      if (!edit.changed) return back(0);
      try {
        const stored = await calendars.save(edit.rules satisfies HallRules, clock, `${hallCalendarPagePath} by ${user}`);
        request.log.info({ revision: stored.revision }, 'hall calendar saved');
        return back(stored.revision);
      } catch (error) {
        if (!(error instanceof HallCalendarError)) throw error;
        const message = error.issues.length ? `不符合规则：${error.issues.join('；')}` : '另一位管理员同时保存了日历，本次修改未保存，请刷新后重试。';
        return refused(error.issues.length ? 400 : 409, { [generalError]: message });
      }
    });
  });
}
