import { beforeEach, describe, expect, it } from 'vitest';
import type { HallRules } from '../../../core/calendar/calendar-rules.ts';
import { pullResponseSchema } from '../../../core/sync/pull.ts';
import { applyCalendarForm, field } from '../../../server/calendar/page-form.ts';
import { describeEngines } from '../support/engines.ts';
import { api } from '../support/http.ts';
import { inspect } from '../support/servers.ts';
import { useHallServer } from '../support/hall-under-test.ts';
import { demoHallRules } from '../../support/demo-hall.ts';

const shanghai = (wall: string): number => Date.parse(`${wall.replace(' ', 'T')}:00+08:00`);

const unescape = (text: string) => text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** What a browser would post from the page's edit form as it stands: every input, checked boxes only. */
function formOf(html: string): Record<string, string> {
  const start = html.indexOf('data-testid="calendar-form"');
  expect(start).toBeGreaterThan(0);
  const form = html.slice(start, html.indexOf('</form>', start));
  const values: Record<string, string> = {};
  for (const [tag] of form.matchAll(/<(input|select)\b[^>]*>/g)) {
    const attr = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
    const name = attr('name');
    if (!name) continue;
    if (attr('type') === 'checkbox' && !/\schecked\b/.test(tag)) continue;
    values[unescape(name)] = tag.startsWith('<select') ? '' : unescape(attr('value') ?? 'on');
  }
  return values;
}

/** The text of the element carrying `data-error-for="name"`. */
function errorFor(html: string, name: string): string | undefined {
  return new RegExp(`data-error-for="${name.replace(/\./g, '\\.')}">([^<]*)<`).exec(html)?.[1];
}

describe('the calendar form (without a server)', () => {
  it('takes back exactly what it shows: the demo calendar posted untouched is no change', () => {
    const values: Record<string, string> = {};
    demoHallRules.timetables.forEach((t, i) =>
      demoHallRules.seasons.forEach((season, j) =>
        t.seasons[season.id]!.forEach((s, k) => {
          values[field.session(i, j, k, 'start')] = s.start;
          values[field.session(i, j, k, 'end')] = s.end;
          values[field.session(i, j, k, 'issueUntil')] = s.issueUntil ?? '';
        }),
      ),
    );
    demoHallRules.services.forEach((s, i) => (values[field.quotaDay(i)] = String(s.quota?.perDay ?? '')));
    expect(applyCalendarForm(demoHallRules, values)).toMatchObject({ ok: true, changed: false, rules: demoHallRules });
  });

  it('reads 9:00 as 09:00, lifts a quota left blank, and refuses a holiday that overlaps another or swallows a 调休 day', () => {
    const edit = applyCalendarForm(demoHallRules, { [field.session(0, 0, 0, 'start')]: '8:30', [field.quotaDay(0)]: '' });
    expect(edit.ok).toBe(true);
    if (!edit.ok) return;
    expect(edit.rules.timetables[0]!.seasons.summer![0]!.start).toBe('08:30');
    expect(edit.rules.services[0]!.quota).toBeUndefined();

    const overlap = applyCalendarForm(demoHallRules, { [field.newHolidayFrom]: '2026-10-07', [field.newHolidayTo]: '2026-10-08', [field.newHolidayName]: '加休' });
    expect(overlap).toEqual({ ok: false, errors: { [field.newHolidayFrom]: '与已有节假日「国庆节」（2026-10-01 至 2026-10-07）重叠' } });
    const swallows = applyCalendarForm(demoHallRules, { [field.newHolidayFrom]: '2026-10-10', [field.newHolidayName]: '加休' });
    expect(swallows).toEqual({ ok: false, errors: { [field.newHolidayFrom]: '2026-10-10 是调休上班日，请先删除该调休日' } });
  });

  it('puts what only the schema catches (overlapping sessions) on the field it is about, in Chinese', () => {
    const edit = applyCalendarForm(demoHallRules, { [field.session(0, 0, 0, 'end')]: '14:30' });
    expect(edit.ok).toBe(false);
    if (edit.ok) return;
    expect(edit.errors[field.session(0, 0, 1, 'start')]).toBe('时段 14:00–18:00 与时段「morning」（09:00–14:30）重叠');
  });
});

describeEngines('the hall calendar page', (engine) => {
  const hall = useHallServer(engine);
  let cookie: string;

  beforeEach(async () => {
    cookie = await hall.adminPageSession('/admin/hall-calendar');
  });

  const page = async (query = '', session: string | null = cookie) => {
    const response = await fetch(`${hall.server.url}/admin/hall-calendar${query}`, { headers: session ? { cookie: session } : {}, redirect: 'manual' });
    return { response, html: await response.text() };
  };
  const post = async (values: Record<string, string>, session: string | null = cookie) => {
    const response = await fetch(`${hall.server.url}/admin/hall-calendar`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(session ? { cookie: session } : {}) },
      body: new URLSearchParams(values).toString(),
      redirect: 'manual',
    });
    return { response, html: await response.text() };
  };
  const revisions = () => inspect(hall.db, (d) => d.selectFrom('hall_calendar').select('revision').orderBy('revision').execute()).then((rows) => rows.map((r) => r.revision));

  it('is behind the admin login, for reading and for saving', async () => {
    const anonymous = await page('', null);
    expect(anonymous.response.status).toBe(303);
    expect(anonymous.response.headers.get('location')).toBe('/admin/login?next=%2Fadmin%2Fhall-calendar');
    expect((await page('', 'hall_admin=hka_forged')).response.status).toBe(303);
    const form = formOf((await page()).html);
    const posted = await post({ ...form, [field.quotaDay(0)]: '5' }, null);
    expect(posted.response.status).toBe(303);
    expect(posted.response.headers.get('location')).toContain('/admin/login');
    expect(await revisions()).toEqual([]);
  });

  it('shows the current revision, timetables, quotas and the year\'s holidays and 调休, under a CSP that runs no script', async () => {
    const { response, html } = await page('?year=2026');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain('script-src');
    expect(csp).not.toContain('unsafe-inline');
    expect(html).not.toContain('<script');
    expect(html).toContain('当前为第 0 版');
    expect(html).toContain('<h3>大厅作息时间</h3>');
    expect(html).toContain('<p class="muted">适用于：大厅默认作息、市场监管 1–10号窗口、人社 21–27号窗口、公积金 31–37号窗口</p>');
    expect(html).toContain('<p class="muted">适用于：养老保险关系转移</p>');
    expect(html).toMatch(/<tr data-holiday="2026-10-01"><td>国庆节<\/td><td>2026-10-01<\/td><td>2026-10-07<\/td>/);
    expect(html).toContain('<tr data-workday="2026-10-10"><td>2026-10-10（周六）</td><td>按周三作息</td><td>国庆节调休上班</td>');
    const form = formOf(html);
    expect(form[field.session(0, 0, 0, 'start')]).toBe('09:00');
    expect(form[field.session(0, 0, 0, 'issueUntil')]).toBe('11:30');
    expect(form[field.quotaDay(0)]).toBe('200');
    // fund-loan: 30 in the morning, 30 in the afternoon.
    expect(form[field.quotaSession(6, 0)]).toBe('30');
    expect(form[field.baseRevision]).toBe('0');
    // Other years are a link away.
    expect((await page('?year=2027')).html).toContain('2027 年尚无节假日');

    // A save by the API shows here, with its number and time.
    const admin = await hall.adminToken();
    const rules: HallRules = structuredClone(demoHallRules);
    rules.calendar.holidays.push({ name: { zh: '<城市节>', en: 'City day' }, from: '2026-12-15', to: '2026-12-15' });
    expect((await api(hall.server.url, 'PUT', '/api/v1/admin/hall-calendar', { token: admin, body: rules })).status).toBe(200);
    const after = await page('?year=2026');
    expect(after.html).toMatch(/当前版本：第 1 版，保存于 2026-03-02 09:\d\d/);
    expect(after.html).toContain('<td>&lt;城市节&gt;</td>');
    expect(formOf(after.html)[field.baseRevision]).toBe('1');
  });

  it('saves the edited form as a new revision that kiosks pull, and an untouched form as nothing', async () => {
    const kiosk = await hall.enrolKiosk('east 1');
    expect(pullResponseSchema.parse((await kiosk.pull()).body).hallRules).toEqual(demoHallRules);
    expect(pullResponseSchema.parse((await kiosk.pull()).body).hallRules).toBeNull();

    const untouched = await post(formOf((await page()).html));
    expect(untouched.response.status).toBe(303);
    expect(untouched.response.headers.get('location')).toBe('/admin/hall-calendar?saved=0&year=2026');
    expect(await revisions()).toEqual([]);

    const form = formOf((await page('?year=2026')).html);
    const newYear = demoHallRules.calendar.holidays.findIndex((h) => h.from === '2026-01-01');
    const saved = await post({
      ...form,
      [field.session(0, 0, 0, 'issueUntil')]: '11:00',
      [field.session(0, 1, 1, 'start')]: '14:00',
      [field.quotaDay(0)]: '150',
      [field.quotaSession(6, 1)]: '',
      [field.removeHoliday(newYear)]: 'on',
      [field.newHolidayName]: '城市节',
      [field.newHolidayFrom]: '2026-12-15',
      [field.newHolidayTo]: '',
      [field.newWorkdayDate]: '2026-12-19',
      [field.newWorkdayAsWeekday]: '2',
      [field.newWorkdayName]: '城市节调休上班',
    });
    expect(saved.response.status, saved.html).toBe(303);
    expect(saved.response.headers.get('location')).toBe('/admin/hall-calendar?saved=1&year=2026');
    expect(await revisions()).toEqual([1]);

    const expected: HallRules = structuredClone(demoHallRules);
    expected.revision = 1;
    expected.timetables[0]!.seasons.summer![0]!.issueUntil = '11:00';
    expected.timetables[0]!.seasons.winter![1]!.start = '14:00';
    expected.services[0]!.quota = { perDay: 150 };
    expected.services[6]!.quota = { perDay: 60, perSession: { morning: 30 } };
    expected.calendar.holidays = [...expected.calendar.holidays.filter((h) => h.from !== '2026-01-01'), { name: { zh: '城市节', en: '城市节' }, from: '2026-12-15', to: '2026-12-15' }];
    expected.calendar.workdays.push({ date: '2026-12-19', asWeekday: 2, name: { zh: '城市节调休上班', en: 'Make-up workday' } });
    const admin = await hall.adminToken();
    expect((await api(hall.server.url, 'GET', '/api/v1/admin/hall-calendar', { token: admin })).body).toMatchObject({ revision: 1, source: '/admin/hall-calendar by office', rules: expected });
    expect(pullResponseSchema.parse((await kiosk.pull()).body).hallRules).toEqual(expected);

    const shown = await page('?saved=1&year=2026');
    expect(shown.html).toContain('已保存为第 1 版');
    expect(shown.html).toContain('<tr data-holiday="2026-12-15"><td>城市节</td>');
    expect(shown.html).not.toContain('data-holiday="2026-01-01"');
  });

  it('refuses bad values with a Chinese message beside each field, keeps what was typed, and saves nothing', async () => {
    const form = formOf((await page()).html);
    const refused = await post({
      ...form,
      [field.session(0, 0, 0, 'start')]: '25:00',
      [field.session(0, 1, 1, 'issueUntil')]: '17:30',
      [field.quotaDay(1)]: 'abc',
      [field.newWorkdayDate]: '2026-12-16',
      [field.newHolidayFrom]: '2026-12-15',
    });
    expect(refused.response.status).toBe(400);
    expect(refused.response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const { html } = refused;
    expect(html).toContain('有 6 处需要修改（见标红的输入框），未保存，日历仍为第 0 版。');
    expect(errorFor(html, field.session(0, 0, 0, 'start'))).toBe('时间应为 HH:MM（00:00–23:59），如 09:00');
    expect(errorFor(html, field.session(0, 1, 1, 'issueUntil'))).toBe('取号截止须晚于开始时间 13:30，且不晚于结束时间 17:00');
    expect(errorFor(html, field.quotaDay(1))).toBe('限号应为 1–100000 的整数；留空表示不限');
    expect(errorFor(html, field.newWorkdayDate)).toBe('2026-12-16 是周三，本来就上班；调休上班日须为周六或周日');
    expect(errorFor(html, field.newWorkdayAsWeekday)).toBe('请选择这一天按周几的作息上班（周一至周五）');
    expect(errorFor(html, field.newHolidayName)).toBe('请填写节假日名称，如 国庆节');
    expect(html).toContain(`name="${field.session(0, 0, 0, 'start')}" value="25:00" class="time invalid"`);
    expect(html).toContain(`name="${field.newHolidayFrom}" value="2026-12-15"`);
    expect(await revisions()).toEqual([]);

    // Not the page's form: a JSON body, or a form without the revision it was made from.
    const json = await fetch(`${hall.server.url}/admin/hall-calendar`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ _csrf: form._csrf, baseRevision: 0, [field.quotaDay(0)]: 5 }), redirect: 'manual' });
    expect(json.status).toBe(400);
    expect(await json.text()).toContain('表单不完整（缺少所依据的版本号），未保存');
    const { [field.baseRevision]: _base, ...baseless } = form;
    expect((await post({ ...baseless, [field.quotaDay(0)]: '10' })).response.status).toBe(400);
    expect(await revisions()).toEqual([]);

    // An edit made on a page another save has overtaken is not applied over it.
    const admin = await hall.adminToken();
    await api(hall.server.url, 'PUT', '/api/v1/admin/hall-calendar', { token: admin, body: demoHallRules });
    const stale = await post({ ...form, [field.quotaDay(0)]: '10' });
    expect(stale.response.status).toBe(409);
    expect(stale.html).toContain('日历已由其他管理员保存为第 1 版，本次修改未保存');
    expect(await revisions()).toEqual([1]);
    const admin2 = await api(hall.server.url, 'GET', '/api/v1/admin/hall-calendar', { token: admin });
    expect(admin2.body.rules.services[0].quota).toEqual({ perDay: 200 });
  });

  it('previews what a kiosk would offer at a chosen moment: a holiday, a working morning, a 24-hour service', async () => {
    const holiday = await page('?date=2026-10-02&time=10:00');
    expect(holiday.html).toContain('data-mode="self-service"');
    expect(holiday.html).toContain('2026-10-02（周五）10:00：24小时自助服务，10月8日（周四）9:00 人工窗口开放');
    expect(holiday.html).toContain('大厅当日：国庆节假期，大厅休息');
    expect(holiday.html).toContain('<tr data-preview-service="biz-registration"><td>企业设立登记</td><td class="closed" data-open="false">国庆节休息，10月8日（周四）9:00 开始取号</td>');
    expect(holiday.html).toContain('<tr data-preview-service="ss-card"><td>社会保障卡申领</td><td class="open" data-open="true">可取号 · 限 300 号</td>');

    const morning = await page('?date=2026-06-10&time=11:45');
    expect(morning.html).toContain('2026-06-10（周三）11:45：人工窗口服务（可取号），今天 18:00 转为24小时自助服务');
    expect(morning.html).toMatch(/data-preview-service="biz-registration"><td>[^<]+<\/td><td class="closed" data-open="false">本时段已停止取号，今天 14:00 开始取号<\/td>/);
    expect(morning.html).toMatch(/data-preview-service="re-transfer"><td>[^<]+<\/td><td class="closed" data-open="false">本时段已停止取号，今天 14:00 开始取号/);
    const early = await page('?date=2026-06-10&time=10:00');
    expect(early.html).toMatch(/data-preview-service="fund-loan"><td>[^<]+<\/td><td class="open" data-open="true">可取号 · 11:30 停止取号 · 限 30 号<\/td>/);

    // Without a date it previews now on the server's clock; a bad one says so.
    expect((await page()).html).toContain(`value="2026-03-02"`);
    expect(hall.server.clock.now()).toBeLessThan(shanghai('2026-03-02 10:00'));
    const bad = await page('?date=2026-02-30&time=10:00');
    expect(bad.response.status).toBe(200);
    expect(bad.html).toContain('预览的日期应为 YYYY-MM-DD，时间应为 HH:MM');
  });
});
