import readXlsxFile from 'read-excel-file/node';
import { beforeEach, expect, it } from 'vitest';
import { pathOf } from '../../../core/http/route-contract.ts';
import { hallApi } from '../../../core/http/contract.ts';
import { callingReportSchema } from '../../../core/queue/calling-report.ts';
import { counterAuditSchema } from '../../../core/queue/counter-audit.ts';
import { saveCallingSettings } from '../../../server/calling/calling-settings-store.ts';
import { readCallingReport, readCounterAudit } from '../../../server/calling/report-store.ts';
import { CatalogStore } from '../../../server/catalog/catalog-store.ts';
import { TestClock, defaultTestStart } from '../../support/test-clock.ts';
import { callingDeps, hallIdOf, press, pressed, printedTickets, refusal, setUpWindows, signedIn } from '../support/calling.ts';
import { describeEngines } from '../support/engines.ts';
import { useHallServer } from '../support/hall-under-test.ts';
import { api } from '../support/http.ts';

const minute = 60_000;
/** 2026-03-02 09:00 in the hall (Asia/Shanghai) */
const nine = defaultTestStart;
/** HH:MM or HH:MM:SS on 2026-03-02, hall time; presses at one window never share a millisecond, so the audit's order is theirs */
const at = (time: string) => nine + (Number(time.slice(0, 2)) - 9) * 60 * minute + Number(time.slice(3, 5)) * minute + Number(time.slice(6) || 0) * 1000;

describeEngines('calling reports and the counter audit', (engine) => {
  // A clock that moves only when told: every figure below is exact.
  const hall = useHallServer(engine, { kiosk: { name: 'entrance', trueTime: 'hall' }, server: () => ({ clock: new TestClock(defaultTestStart, { ticking: false }) }) });

  /**
   * A morning at three windows of 社保, written through the real counter actions:
   *  D1 09:00 → window 1 calls 09:05, starts 09:06, finishes 09:16           (wait 5, service 10)
   *  D2 09:10 → window 2 calls 09:15, no-show refused at once, recall, 过号   (wait 5, no-show)
   *  D3 09:20 → window 1 calls 09:30, starts 09:31, 转移 to pension 09:35      (wait 10, transfer)
   *    its pension leg → window 3 calls 10:05, starts 10:06, finishes 10:26 (wait 30 from 09:35, service 20)
   *  E1 10:00 → window 3 calls 10:30, starts 10:30:30, finishes 10:40         (wait 30, service 9.5)
   */
  beforeEach(async () => {
    const deps = callingDeps(hall.server);
    await saveCallingSettings(hall.server.db.db, await hallIdOf(hall.server.db.db), { noShowAfterCalls: 2, noShowAfterSeconds: 0, recallCooldownSeconds: 0 }, hall.clock.now());
    await setUpWindows(hall.server, [1, 2]);
    await setUpWindows(hall.server, [3], { main: ['pension'] });
    const w1 = await signedIn(deps, 1, 's1');
    const w2 = await signedIn(deps, 2, 's2');
    const w3 = await signedIn(deps, 3, 's3');
    await printedTickets(hall.kiosk, [
      { sequence: 1, at: at('09:00') },
      { sequence: 2, at: at('09:10') },
      { sequence: 3, at: at('09:20') },
      { sequence: 1, at: at('10:00'), serviceId: 'pension', prefix: 'E' },
    ]);
    const step = async (hhmm: string, work: () => Promise<unknown>) => {
      hall.clock.setTo(at(hhmm));
      await work();
    };
    await step('09:05', () => pressed(deps, w1, { action: 'call' }));
    await step('09:06', () => pressed(deps, w1, { action: 'start' }));
    await step('09:15', () => pressed(deps, w2, { action: 'call' }));
    await step('09:15:30', async () => expect(await refusal(deps, w2, { action: 'no-show' })).toBe('no-show-too-soon'));
    await step('09:16', () => pressed(deps, w1, { action: 'finish' }));
    await step('09:16', () => pressed(deps, w2, { action: 'recall' }));
    await step('09:16:30', () => pressed(deps, w2, { action: 'no-show' }));
    await step('09:30', () => pressed(deps, w1, { action: 'call' }));
    await step('09:31', () => pressed(deps, w1, { action: 'start' }));
    await step('09:35', () => pressed(deps, w1, { action: 'transfer', serviceId: 'pension', window: null }));
    await step('10:05', async () => expect((await pressed(deps, w3, { action: 'call' })).leg!.label).toBe('D003'));
    await step('10:06', () => pressed(deps, w3, { action: 'start' }));
    await step('10:26', () => pressed(deps, w3, { action: 'finish' }));
    await step('10:30', () => pressed(deps, w3, { action: 'call' }));
    await step('10:30:30', () => pressed(deps, w3, { action: 'start' }));
    await step('10:40', () => pressed(deps, w3, { action: 'finish' }));
    // A press sent again with its key is one press in the audit.
    hall.clock.setTo(at('10:41'));
    const key = '01900000-0000-7000-8000-000000000001';
    await press(deps, w3, { action: 'pause', reason: 'away', note: null }, key);
    await press(deps, w3, { action: 'pause', reason: 'away', note: null }, key);
  });

  const reportDeps = () => ({ db: hall.server.db.db, catalogs: new CatalogStore(hall.server.db.db) });

  it('per service, window and staff member: served, average and p90 wait, service time, no-shows and transfers', async () => {
    const byService = await readCallingReport(reportDeps(), { by: 'service', day: '2026-03-02' }, hall.clock.now());
    expect(byService.rows).toEqual([
      { period: '2026-03-02', key: 'pension', legs: 2, served: 2, called: 2, waitAvgMs: 30 * minute, waitP90Ms: 30 * minute, serviceAvgMs: 14.75 * minute, noShows: 0, transfers: 0 },
      { period: '2026-03-02', key: 'ss-card', legs: 3, served: 1, called: 3, waitAvgMs: Math.round((20 * minute) / 3), waitP90Ms: 10 * minute, serviceAvgMs: 10 * minute, noShows: 1, transfers: 1 },
    ]);
    expect(byService.total).toMatchObject({ legs: 5, served: 3, noShows: 1, transfers: 1 });
    expect(byService.names['ss-card']).toBeTruthy();

    const byWindow = await readCallingReport(reportDeps(), { by: 'window', day: '2026-03-02' }, hall.clock.now());
    expect(byWindow.rows.map((r) => [r.key, r.served, r.waitAvgMs, r.serviceAvgMs, r.noShows, r.transfers])).toEqual([
      ['1', 1, 7.5 * minute, 10 * minute, 0, 1],
      ['2', 0, 5 * minute, null, 1, 0],
      ['3', 2, 30 * minute, 14.75 * minute, 0, 0],
    ]);
    expect(byWindow.names['3']).toBe('3号窗口');

    const byStaff = await readCallingReport(reportDeps(), { by: 'staff', month: '2026-03' }, hall.clock.now());
    expect(byStaff.period).toBe('month');
    expect(byStaff.rows.map((r) => [r.period, r.key, r.served])).toEqual([
      ['2026-03', 's1', 1],
      ['2026-03', 's2', 0],
      ['2026-03', 's3', 2],
    ]);
    // Another day or month holds none of it.
    expect((await readCallingReport(reportDeps(), { by: 'service', day: '2026-03-03' }, hall.clock.now())).rows).toEqual([]);
    expect((await readCallingReport(reportDeps(), { by: 'service', month: '2026-02' }, hall.clock.now())).total.legs).toBe(0);
  });

  it('the wait by hour of the day the wait began', async () => {
    const report = await readCallingReport(reportDeps(), { by: 'service', month: '2026-03', period: 'day' }, hall.clock.now());
    expect(report.byHour[9]).toEqual({ hour: 9, called: 4, waitAvgMs: 12.5 * minute, waitP90Ms: 30 * minute });
    expect(report.byHour[10]).toEqual({ hour: 10, called: 1, waitAvgMs: 30 * minute, waitP90Ms: 30 * minute });
    expect(report.byHour.filter((h) => h.called > 0)).toHaveLength(2);
  });

  it('the audit: every press of the day with window, staff, time, action and ticket, filtered and paged', async () => {
    const db = hall.server.db.db;
    const all = await readCounterAudit(db, { day: '2026-03-02', page: 1 }, hall.clock.now());
    // 3 sign-ins, 16 presses at windows (one refused), one pause sent twice with one key.
    expect(all.total).toBe(20);
    const refused = all.entries.filter((e) => e.outcome === 'refused');
    expect(refused).toEqual([expect.objectContaining({ window: 2, staffId: 's2', action: 'no-show', label: 'D002', refusal: 'no-show-too-soon', at: at('09:15:30') })]);
    expect(all.entries.map((e) => e.at)).toEqual([...all.entries.map((e) => e.at)].sort((a, b) => a - b));

    const w1 = await readCounterAudit(db, { day: '2026-03-02', window: 1, page: 1 }, hall.clock.now());
    expect(w1.entries.map((e) => [e.action, e.label])).toEqual([
      ['sign-in', null],
      ['call', 'D001'],
      ['start', 'D001'],
      ['finish', 'D001'],
      ['call', 'D003'],
      ['start', 'D003'],
      ['transfer', 'D003'],
    ]);
    expect(w1.entries.find((e) => e.action === 'finish')).toMatchObject({ staffId: 's1', fromState: 'serving', toState: 'done', at: at('09:16') });
    expect((await readCounterAudit(db, { day: '2026-03-02', staff: 's3', page: 1 }, hall.clock.now())).total).toBe(8);
    expect((await readCounterAudit(db, { day: '2026-03-03', page: 1 }, hall.clock.now())).total).toBe(0);

    const pages = await Promise.all([1, 2, 3].map((page) => readCounterAudit(db, { day: '2026-03-02', window: 1, page }, hall.clock.now(), 3)));
    expect(pages.map((p) => p.entries.length)).toEqual([3, 3, 1]);
    expect(pages.flatMap((p) => p.entries.map((e) => e.id))).toEqual(w1.entries.map((e) => e.id));
  });

  it('over the admin API from the contract: JSON, CSV and Excel agree', async () => {
    const token = await hall.adminToken();
    const url = hall.server.url;
    const json = await api(url, 'GET', pathOf(hallApi.adminCallingReport, { query: { by: 'window', day: '2026-03-02' } }), { token });
    expect(json.status).toBe(200);
    const report = callingReportSchema.parse(json.body.report);
    expect(report.rows.map((r) => r.key)).toEqual(['1', '2', '3']);

    const csv = await fetch(`${url}${pathOf(hallApi.adminCallingReportCsv, { query: { by: 'window', day: '2026-03-02' } })}`, { headers: { authorization: `Bearer ${token}` } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toContain('calling-2026-03-02-window-by-day.csv');
    const bytes = Buffer.from(await csv.arrayBuffer());
    // A byte-order mark first, so Excel reads UTF-8.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe('日期,窗口号,窗口,排队(人次),办结,已叫号,平均等候(分钟),P90等候(分钟),平均办理(分钟),过号,转移');
    expect(lines[1]).toBe('2026-03-02,1,1号窗口,2,1,2,7.5,10,10,0,1');
    expect(lines[3]).toBe('2026-03-02,3,3号窗口,2,2,2,30,30,14.75,0,0');
    expect(lines[4]).toBe('2026-03-02,,合计,5,3,5,16,30,13.17,1,1');

    const xlsx = await fetch(`${url}${pathOf(hallApi.adminCallingReportXlsx, { query: { by: 'window', day: '2026-03-02' } })}`, { headers: { authorization: `Bearer ${token}` } });
    expect(xlsx.status).toBe(200);
    const sheets = await readXlsxFile(Buffer.from(await xlsx.arrayBuffer()));
    expect(sheets.map((s) => s.sheet)).toEqual(['叫号统计按窗口', '分时段等候']);
    expect(sheets[1]!.data[1]).toEqual(['09:00', 4, 12.5, 30]);
    expect(sheets[0]!.data[1]).toEqual(['2026-03-02', '1', '1号窗口', 2, 1, 2, 7.5, 10, 10, 0, 1]);

    const audit = await api(url, 'GET', pathOf(hallApi.adminCounterAudit, { query: { day: '2026-03-02', window: 2 } }), { token });
    expect(counterAuditSchema.parse(audit.body).entries.map((e) => e.action)).toEqual(['sign-in', 'call', 'no-show', 'recall', 'no-show']);
    expect((await api(url, 'GET', pathOf(hallApi.adminCounterAudit, { query: { day: '2026-3-2' } }), { token })).status).toBe(400);
    expect((await api(url, 'GET', pathOf(hallApi.adminCallingReport, { query: { by: 'window' } }))).status).toBe(401);
  });

  it('as the hall office pages: the table and the chart as inline SVG, no script; the audit filtered and paged', async () => {
    const cookie = await hall.adminPageSession('/admin/calling-report');
    const get = (path: string, session: string | null = cookie) => fetch(`${hall.server.url}${path}`, { headers: session ? { cookie: session } : {}, redirect: 'manual' });

    const page = await get('/admin/calling-report?by=window&day=2026-03-02');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('<svg');
    expect(html).toMatch(/<rect [^>]*><title>09:00 平均等候 12.5 分钟，P90 30 分钟，4 人次<\/title>/);
    expect(html).toContain('3号窗口');
    expect(html).toContain('/admin/calling-report.csv?by=window&amp;day=2026-03-02');

    const download = await get('/admin/calling-report.csv?by=service&month=2026-03');
    expect(download.status).toBe(200);
    expect((await download.text()).split('\r\n')[1]).toMatch(/^2026-03,pension,/);
    expect((await get('/admin/calling-report.xlsx?by=staff&month=2026-03')).headers.get('content-type')).toContain('spreadsheetml');

    const bad = await get('/admin/calling-report?by=department');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('查询条件有误');

    const audit = await (await get('/admin/counter-audit?day=2026-03-02&window=2&staff=')).text();
    expect(audit).toContain('共 5 条');
    expect(audit).toContain('未执行：no-show-too-soon');
    expect(audit).toContain('D002');
    expect(audit).not.toContain('D001');

    // Without the session cookie: to the login form, nothing shown.
    const anonymous = await get('/admin/counter-audit', null);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toContain('/admin/login');
  });
});
