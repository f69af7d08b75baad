import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { businessDayOf } from '../../core/calendar/business-day.ts';
import { kioskShortId } from '../../core/guide/disclosure-slip.ts';
import type { DecodedTicket } from '../../hardware/sim/decoded-ticket.ts';
import { openDatabase } from '../../server/db/connect.ts';
import { startEmbeddedServer, type RunningServer } from '../../server/embedded.ts';
import { createServerLogger } from '../../server/http/logger.ts';
import { adminPin, startKioskHost, type KioskHost } from './support/kiosk-host.ts';
import { finishTicket, openStaffScreen } from './support/kiosk-page.ts';
import { staffedAllDay } from './support/staffed-all-day.ts';
import { demoGuides, fullDemoCatalog } from '../support/demo-hall.ts';

// 09:30 in the hall (Asia/Shanghai); the browser runs in New York, as in take-number.spec.ts.
const hallMorning = Date.parse('2026-11-25T01:30:00Z');
test.use({ timezoneId: 'America/New_York' });

const kioskIdOf = (host: KioskHost): string => (JSON.parse(readFileSync(join(host.dataDir, 'config.json'), 'utf8')) as { kioskId: string }).kioskId;

/** Home → 办事指南 → letters on the on-screen keyboard, one tap each. */
async function searchByKeyboard(page: Page, letters: string): Promise<void> {
  await page.getByTestId('find-guide').click();
  await expect(page.getByTestId('search')).toBeVisible();
  for (const letter of letters) await page.getByTestId(`key-${letter}`).click();
  await expect(page.getByTestId('search-input')).toHaveValue(letters);
}

/**
 * On the checklist: the ID card is at hand, the premises proof must be redone, the form is missing;
 * the citizen applies in person, so the agent's two papers do not apply (issue 13 point 12), and
 * says nothing of the pre-approval, which applies only to some trades.
 */
async function tickAndPrint(page: Page): Promise<string> {
  // A required material offers no 不适用; a conditional one starts undecided, not missing.
  await expect(page.getByTestId('material-id-card-not-applicable')).toHaveCount(0);
  await expect(page.getByTestId('material-pre-approval')).toHaveAttribute('data-status', 'undecided');
  await expect(page.getByTestId('material-pre-approval-decide')).toBeVisible();
  await page.getByTestId('material-id-card-have').click();
  await page.getByTestId('material-premises-to-correct').click();
  await page.getByTestId('material-power-of-attorney-not-applicable').click();
  await page.getByTestId('material-agent-id-card-not-applicable').click();
  await expect(page.getByTestId('material-id-card')).toHaveAttribute('data-status', 'have');
  await expect(page.getByTestId('material-premises')).toHaveAttribute('data-status', 'to-correct');
  await expect(page.getByTestId('material-application-form')).toHaveAttribute('data-status', 'missing');
  await expect(page.getByTestId('material-agent-id-card')).toHaveAttribute('data-status', 'not-applicable');
  await expect(page.getByTestId('material-agent-id-card-decide')).toHaveCount(0);
  await expect(page.getByTestId('checklist-summary')).toContainText('已备好 1 项，还没有 1 项，需修改 1 项，不适用 2 项，待确认 1 项');
  await page.screenshot({ path: join(import.meta.dirname, '../../docs', 'kiosk-checklist.png') });
  await page.getByTestId('print-slip').click();
  const state = page.getByTestId('slip-state');
  await expect(state).toHaveAttribute('data-state', 'printed');
  const serial = (await state.getAttribute('data-serial'))!;
  await expect(state).toContainText(serial);
  return serial;
}

/** What tickAndPrint says of each sole-trader material. */
const saidOf = (id: string): string =>
  ({ 'id-card': 'have', premises: 'to-correct', 'application-form': 'missing', 'pre-approval': 'undecided' } as Record<string, string>)[id] ?? 'not-applicable';

/** What the virtual printer decoded of the 个体工商户登记 slip. */
function expectSoleTraderSlip(slip: DecodedTicket, serial: string, consultPhone: string): void {
  const text = slip.lines.join('\n');
  const flat = slip.lines.map((l) => l.trim()).join('');
  expect(slip.lines[0]).toBe('市政务服务中心');
  expect(slip.lines[1]).toBe('一次性告知单');
  expect(text).toContain(`告知单编号：${serial}`);
  expect(text).toContain('办理事项：个体工商户登记');
  expect(text).toContain('事项编码：SC-002');
  // The summary wraps on 58 mm paper, and a wrap at a space drops the space.
  expect(flat.replace(/\s/g, '')).toContain('申请材料共6项：缺1项，需补正1项，不适用2项，视情况提供1项');
  expect(slip.lines).toContainEqual(expect.stringMatching(/^✗ 缺 +1\. 个体工商户登记（备案）申请书$/));
  expect(slip.lines).toContainEqual(expect.stringMatching(/^√ 已备 +2\. 经营者居民身份证$/));
  expect(slip.lines).toContainEqual(expect.stringMatching(/^△ 补正 +3\. 住所（经营场所）使用证明$/));
  expect(slip.lines).toContainEqual(expect.stringMatching(/^○ 视情况 +4\. /));
  expect(slip.lines.filter((l) => l.startsWith('✗ 缺'))).toHaveLength(1);
  expect(slip.lines.filter((l) => l.startsWith('— 不适用'))).toHaveLength(2);
  expect(flat).toContain('获取途径：政府部门核发（相关行业主管部门）');
  // The undecided one says when it applies; those that do not apply say nothing more.
  expect(flat).toContain('适用情形：经营范围含法律、行政法规规定须在登记前批准的项目的');
  expect(flat).not.toContain('适用情形：委托他人代为办理的');
  expect(flat).toContain('办理地点：市政务服务中心一楼东区 7–9号窗口');
  expect(text).toContain(`咨询电话：${consultPhone}`);
  expect(text).toContain('监督投诉电话：12345');
  expect(slip.qrPayloads).toEqual(['https://hall.example/zwfw/sole-trader']);
  expect(slip.events.at(-1)?.type).toBe('cut');
}

test.describe('a standalone kiosk', () => {
  let host: KioskHost;
  test.beforeEach(async () => {
    host = await startKioskHost();
  });
  test.afterEach(async () => {
    await host.stop();
  });

  test('finds services as citizens ask them: the matched words marked, the closest three, and help when nothing matches', async ({ page }) => {
    await page.clock.install({ time: hallMorning });
    await page.goto(host.url);
    const input = page.getByTestId('search-input');
    const rows = page.getByTestId('search-results').locator('.service-row');
    const status = page.getByTestId('search-status');
    const shoot = (name: string) => page.screenshot({ path: join(import.meta.dirname, '../../docs', name) });
    await page.getByTestId('find-guide').click();

    // Other word order: 住房公积金提取 found by 提取公积金, its words marked where they stand in the name.
    await input.fill('提取公积金');
    await expect(rows.first()).toHaveAttribute('data-service-id', 'fund-withdrawal');
    await expect(rows.first().locator('mark')).toHaveText(['公积金提取']);
    // Noise does not block: 办营业执照 is 营业执照, and 企业设立登记 shows the keyword it matched.
    await input.fill('办营业执照');
    await expect(rows.first()).toHaveAttribute('data-service-id', 'biz-registration');
    await expect(page.getByTestId('result-biz-registration-matched')).toHaveText('匹配：营业执照');
    // 俗称 from the hall's table: 房产 is 不动产 and 过户 is 转移登记, both marked in the name.
    await input.fill('房产过户');
    await expect(rows.first()).toHaveAttribute('data-service-id', 're-transfer');
    await expect(rows.first().locator('mark')).toHaveText(['不动产转移登记']);
    await expect(page.getByTestId('result-re-transfer-matched')).toHaveText('匹配：过户');

    // Part of the question matches: the closest three, said to be the closest.
    await input.fill('公积金能不能取出来装修');
    await expect(status).toHaveAttribute('data-partial', 'true');
    await expect(status).toHaveText('没有完全符合的事项，以下是最接近的 3 项');
    await expect(rows).toHaveCount(3);
    await expect(rows.first()).toHaveAttribute('data-service-id', 'fund-withdrawal');
    await expect(rows.first().locator('mark')).toHaveText(['公积金']);
    await shoot('search-few-results.png');

    // Nothing matches: the most used services and the way to the enquiry desk, never an empty screen.
    await input.fill('打官司');
    await expect(status).toHaveAttribute('data-count', '0');
    await expect(page.getByTestId('search-help')).toContainText('咨询台');
    const popular = page.getByTestId('search-popular').locator('button');
    await expect(popular).toHaveCount(4);
    const byQuota = [...fullDemoCatalog.services].sort((a, b) => b.dailyQuota - a.dailyQuota).slice(0, 4).map((s) => s.id);
    for (const [i, id] of byQuota.entries()) await expect(popular.nth(i)).toHaveAttribute('data-service-id', id);
    await shoot('search-no-results.png');
    // A most used service is one tap from its guide.
    await popular.first().click();
    await expect(page.getByTestId('guide')).toHaveAttribute('data-service-id', byQuota[0]!);
    await page.getByTestId('nav-back').click();
    await expect(input).toHaveValue('打官司');

    // The same in elder mode, where the type is larger and the list must still be read at a glance.
    await page.getByTestId('nav-home').click();
    await page.getByTestId('elder-toggle').click();
    await expect(page.getByTestId('elder-toggle')).toHaveAttribute('aria-pressed', 'true');
    await page.getByTestId('find-guide').click();
    await input.fill('公积金能不能取出来装修');
    await expect(rows).toHaveCount(3);
    await expect(rows.first().locator('mark')).toHaveText(['公积金']);
    await shoot('search-few-results-elder.png');
    await input.fill('打官司');
    await expect(page.getByTestId('search-help')).toBeVisible();
    await expect(popular.first()).toBeVisible();
    await shoot('search-no-results-elder.png');

    // In English, "tax" finds the tax services first (not 他项权证 for its pinyin ta-x…).
    await page.getByTestId('nav-home').click();
    await page.getByTestId('lang-toggle').click();
    await page.getByTestId('find-guide').click();
    await input.fill('tax');
    await expect(rows.first()).toContainText(/tax/i);
    const first = await rows.first().getAttribute('data-service-id');
    expect(fullDemoCatalog.services.find((s) => s.id === first)!.departmentId).toBe('tax');
  });

  test('a wiped browser profile never prints a slip serial of the day again (issue 13 point 2)', async ({ page, browser }) => {
    const printSlip = async (p: Page): Promise<string> => {
      await p.clock.install({ time: hallMorning });
      await p.goto(host.url);
      await searchByKeyboard(p, 'gtgsh');
      await p.getByTestId('result-sole-trader').click();
      await p.getByTestId('guide-checklist').click();
      await p.getByTestId('print-slip').click();
      const state = p.getByTestId('slip-state');
      await expect(state).toHaveAttribute('data-state', 'printed');
      return (await state.getAttribute('data-serial'))!;
    };
    const first = await printSlip(page);
    expect(first).toBe(`GZ-${kioskShortId(kioskIdOf(host))}-20261125-001`);

    // A new browser profile on the same kiosk (its IndexedDB is empty): the data dir still knows the day's serials.
    const wiped = await browser.newContext({ timezoneId: 'America/New_York', locale: 'zh-CN', viewport: { width: 1080, height: 1920 } });
    try {
      expect(await printSlip(await wiped.newPage())).toBe(first.replace(/001$/, '002'));
    } finally {
      await wiped.close();
    }
    const printed = await host.printer.waitForTickets(2, 10_000);
    expect(printed.map((slip) => slip.lines.find((l) => l.includes('GZ-'))?.match(/GZ-[A-Z0-9-]+/)?.[0])).toEqual([first, first.replace(/001$/, '002')]);
  });

  test('finds 个体工商户登记 by its initials, reads the guide, prints the disclosure slip and takes a number from the guide', async ({ page }) => {
    await page.clock.install({ time: hallMorning });
    await page.goto(host.url);
    await searchByKeyboard(page, 'gtgsh');
    const first = page.getByTestId('search-results').locator('.service-row').first();
    await expect(first).toHaveAttribute('data-service-id', 'sole-trader');
    await expect(first).toContainText('市场监督管理局');
    await expect(first.locator('mark')).toHaveText('个体工商户');
    // Backspace and clear, then the same letters again.
    await page.getByTestId('key-backspace').click();
    await expect(page.getByTestId('search-input')).toHaveValue('gtgs');
    await page.getByTestId('key-clear').click();
    await expect(page.getByTestId('search-status')).toHaveAttribute('data-count', '0');
    for (const letter of 'gtgsh') await page.getByTestId(`key-${letter}`).click();
    await page.getByTestId('result-sole-trader').click();

    const guide = page.getByTestId('guide');
    await expect(guide).toHaveAttribute('data-service-id', 'sole-trader');
    await expect(page.getByTestId('guide-name')).toHaveText('个体工商户登记');
    await expect(page.getByTestId('guide-code')).toContainText('SC-002');
    await expect(page.getByTestId('guide-basics')).toContainText('市市场监督管理局登记注册科');
    await expect(page.getByTestId('guide-legal-basis')).toContainText('《促进个体工商户发展条例》');
    await expect(page.getByTestId('guide-materials')).toContainText('申请材料（共 6 项）');
    await expect(page.getByTestId('guide-material-agent-id-card')).toContainText('适用情形：委托他人代为办理的');
    await expect(page.getByTestId('guide-process')).toContainText('受理');
    await expect(page.getByTestId('guide-time-limits')).toContainText('即办件');
    await expect(page.getByTestId('guide-fee')).toContainText('不收费');
    await expect(page.getByTestId('guide-windows')).toHaveText('7–9号窗口');
    await expect(page.getByTestId('guide-consult-phone')).toHaveText('12315');
    await expect(page.getByTestId('guide-supervision-phone')).toHaveText('12345');
    await expect(page.getByTestId('guide-qr')).toHaveAttribute('data-payload', 'https://hall.example/zwfw/sole-trader');
    await expect(page.getByTestId('guide-faq')).toContainText('个体工商户一定要起名称吗？');

    // The guide is longer than the screen: it pages with the big buttons.
    const pager = page.getByTestId('guide-pager');
    await expect(pager).not.toHaveAttribute('data-pages', '1');
    await expect(page.getByTestId('guide-pager-prev')).toBeDisabled();
    await page.getByTestId('guide-pager-next').click();
    await expect(pager).toHaveAttribute('data-page', '2');
    await expect(page.getByTestId('guide-pager-prev')).toBeEnabled();

    await page.getByTestId('guide-checklist').click();
    await expect(page.getByTestId('checklist')).toBeVisible();
    const serial = await tickAndPrint(page);
    expect(serial).toBe(`GZ-${kioskShortId(kioskIdOf(host))}-20261125-001`);
    const [slip] = await host.printer.waitForTickets(1, 10_000);
    expectSoleTraderSlip(slip!, serial, '12315');
    expect(slip!.lines.join('\n')).toContain('告知时间：2026-11-25 09:30');

    // A second slip the same day gets the next serial: a second press, a moment later (a press
    // within doubleTapMs of the first is the same press, and the page clock is the one it reads).
    await page.clock.runFor(1_000);
    await page.getByTestId('print-slip').click();
    await expect(page.getByTestId('slip-state')).toHaveAttribute('data-serial', serial.replace(/001$/, '002'));

    // Back to the guide, and a number for this service in one tap (then the usual class and confirm).
    await page.getByTestId('nav-back').click();
    await page.getByTestId('guide-take').click();
    await expect(page.getByTestId('priority')).toContainText('个体工商户登记');
    await page.getByTestId('priority-normal').click();
    await page.getByTestId('confirm-ticket').click();
    await expect(page.getByTestId('ticket-label')).toHaveText('B001');
    await expect(page.getByTestId('ticket-print-state')).toHaveAttribute('data-state', 'printed');
    const tickets = await host.printer.waitForTickets(3, 10_000);
    expect(tickets[2]!.lines.join('\n')).toContain('个体工商户登记');
    await finishTicket(page);
  });

  test('browses by topic and by department, finds a service from Chinese typed into the box, and reads the guide in English', async ({ page }) => {
    await page.clock.install({ time: hallMorning });
    await page.goto(host.url);
    await page.getByTestId('find-guide').click();
    await page.getByTestId('browse-categories').click();
    await page.getByTestId('category-business-licensing').click();
    await expect(page.getByTestId('services')).toContainText('经营许可');
    await page.getByTestId('service-food-licence').click();
    await expect(page.getByTestId('guide-name')).toHaveText('食品经营许可');
    await page.getByTestId('nav-back').click();
    await page.getByTestId('service-food-licence-take').click();
    await expect(page.getByTestId('priority')).toContainText('食品经营许可');
    await page.getByTestId('nav-back').click();
    await page.getByTestId('nav-back').click();

    // What the system input method commits lands in the box like any typing.
    await page.getByTestId('browse-search').click();
    await page.getByTestId('search-input').fill('社保卡');
    await expect(page.getByTestId('search-results').locator('.service-row').first()).toHaveAttribute('data-service-id', 'ss-card');
    await page.getByTestId('search-input').fill('shebaoka');
    await expect(page.getByTestId('search-results').locator('.service-row').first()).toHaveAttribute('data-service-id', 'ss-card');

    // From 取号, departments list the guides beside each service.
    await page.getByTestId('nav-home').click();
    await page.getByTestId('take-ticket').click();
    await expect(page.getByTestId('departments').locator('[data-testid^="dept-"]')).toHaveCount(fullDemoCatalog.departments.length);
    await page.getByTestId('dept-social').click();
    await page.getByTestId('service-ss-card-guide').click();
    await expect(page.getByTestId('guide-name')).toHaveText('社会保障卡申领');

    await page.getByTestId('lang-toggle').click();
    await expect(page.getByTestId('guide-name')).toHaveText('Social security card');
    await expect(page.getByTestId('guide-take')).toHaveText('Take a number for this');
    await expect(page.getByTestId('guide-summary')).toHaveText(demoGuides['ss-card']!.summary.en!);
    await page.getByTestId('guide-checklist').click();
    await expect(page.getByTestId('print-slip')).toHaveText('Print the notice');
    await page.getByTestId('lang-toggle').click();
    await expect(page.getByTestId('print-slip')).toHaveText('打印告知单');
  });
});

test.describe('a kiosk of a hall server that is stopped', () => {
  test.describe.configure({ mode: 'serial' });
  let dir: string;
  let dbFile: string;
  let port: number;
  let server: RunningServer | null = null;
  let host: KioskHost;
  // A guide published on the server that differs from the bundled one, to tell which is shown.
  const publishedPhone = '0571-12315';
  const seed = {
    catalog: fullDemoCatalog,
    guides: { ...demoGuides, 'sole-trader': { ...demoGuides['sole-trader']!, phones: { consult: publishedPhone, supervision: '12345' } } },
  };
  const startHallServer = async () => {
    // Numbers at any hour the suite runs: the kiosk pulls a calendar that keeps the counters open.
    server = await startEmbeddedServer({ dbFile, port, clock: { now: () => Date.now() }, logger: createServerLogger({ level: 'silent' }), seed, seedHallRules: staffedAllDay });
    port = server.port;
  };

  test.beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hall-guides-e2e-'));
    dbFile = join(dir, 'hall.sqlite');
    port = 0;
    await startHallServer();
    const device = await server!.createDevice('entrance kiosk');
    host = await startKioskHost({ serverUrl: server!.url, enrollCode: device.enrollmentCode });
  });
  test.afterAll(async () => {
    await host?.stop();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const look = async <T>(read: (db: ReturnType<typeof openDatabase>['db']) => Promise<T>): Promise<T> => {
    const opened = openDatabase({ sqliteFile: dbFile });
    try {
      return await read(opened.db);
    } finally {
      await opened.close();
    }
  };

  test('the published guide stays on the kiosk, the slip prints and a number is taken offline, and the slip reaches the server once', async ({ page }) => {
    test.setTimeout(90_000);
    await page.goto(host.url);
    await expect(page.getByTestId('status-online')).toHaveAttribute('data-state', 'online', { timeout: 15_000 });
    // The guides came with the catalog, and numbers were leased for offline use.
    await expect
      .poll(() => look((db) => db.selectFrom('number_leases').select('id').where('service_id', '=', 'sole-trader').execute()).then((r) => r.length), { timeout: 15_000 })
      .toBeGreaterThan(0);
    await searchByKeyboard(page, 'gtgsh');
    await page.getByTestId('result-sole-trader').click();
    await expect(page.getByTestId('guide-consult-phone')).toHaveText(publishedPhone);

    await server!.close();
    server = null;
    // A fresh start of the page with the server gone: everything comes from the kiosk's own cache.
    await page.reload();
    await expect(page.getByTestId('home')).toBeVisible();
    await searchByKeyboard(page, 'gtgsh');
    await page.getByTestId('result-sole-trader').click();
    await expect(page.getByTestId('guide-consult-phone')).toHaveText(publishedPhone);
    await page.getByTestId('guide-checklist').click();
    const serial = await tickAndPrint(page);
    const day = businessDayOf(Date.now(), 'Asia/Shanghai').replaceAll('-', '');
    expect(serial).toBe(`GZ-${kioskShortId(kioskIdOf(host))}-${day}-001`);
    const [slip] = await host.printer.waitForTickets(1, 10_000);
    expectSoleTraderSlip(slip!, serial, publishedPhone);

    await page.getByTestId('checklist-take').click();
    await page.getByTestId('priority-normal').click();
    await page.getByTestId('confirm-ticket').click();
    await expect(page.getByTestId('ticket-label')).toHaveText(/^B\d{3}$/);
    await expect(page.getByTestId('ticket-print-state')).toHaveAttribute('data-state', 'printed');
    await expect(page.getByTestId('status-online')).toHaveAttribute('data-state', 'offline');
    await finishTicket(page);

    // The server is back (staff press 立即同步 rather than wait out the backoff): the slip arrives,
    // once, with what it said of each material.
    await startHallServer();
    await openStaffScreen(page, adminPin);
    await expect(async () => {
      await page.getByTestId('sync-now').click();
      await expect(page.getByTestId('sync-panel')).toHaveAttribute('data-pending', '0', { timeout: 2_000 });
    }).toPass({ timeout: 30_000 });
    await expect
      .poll(() => look((db) => db.selectFrom('disclosure_slips').selectAll().execute()), { timeout: 30_000 })
      .toEqual([expect.objectContaining({ serial, service_id: 'sole-trader', missing_count: 1, to_correct_count: 1 })]);
    const materials = JSON.parse((await look((db) => db.selectFrom('disclosure_slips').select('materials_json').executeTakeFirstOrThrow())).materials_json);
    expect(materials).toEqual(demoGuides['sole-trader']!.materials.map((m) => ({ id: m.id, status: saidOf(m.id) })));
    expect(await look((db) => db.selectFrom('dead_letters').select('reason').execute())).toEqual([]);
  });
});
