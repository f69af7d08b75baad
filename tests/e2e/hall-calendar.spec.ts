import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { HallRules } from '../../core/calendar/calendar-rules.ts';
import { startEmbeddedServer, type RunningServer } from '../../server/embedded.ts';
import { HallCalendarStore } from '../../server/calendar/calendar-store.ts';
import { createServerLogger } from '../../server/http/logger.ts';
import { startKioskHost, type KioskHost } from './support/kiosk-host.ts';
import { finishTicket, takeNumber } from './support/kiosk-page.ts';
import { demoCatalog, demoHallRules } from '../support/demo-hall.ts';

// The hall calendar decides what the kiosk offers, read on the kiosk's clock, which Playwright's
// page.clock injects. Demo rules: summer afternoons end at 18:00, mornings start at 9:00.
const shanghai = (wall: string): number => Date.parse(`${wall.replace(' ', 'T')}:00+08:00`);

async function takeFromSelfService(page: Page, serviceId: string): Promise<string> {
  await page.getByTestId(`service-${serviceId}`).click();
  await page.getByTestId('priority-normal').click();
  await page.getByTestId('confirm-ticket').click();
  const label = page.getByTestId('ticket-label');
  await expect(label).toBeVisible();
  return (await label.textContent())!.trim();
}

test.describe('a standalone kiosk on the bundled calendar', () => {
  let host: KioskHost;
  test.beforeAll(async () => {
    host = await startKioskHost();
  });
  test.afterAll(async () => {
    await host.stop();
  });

  test('at 17:59 it offers the counters, at 18:00 it is the self-service area without a reload, and at 9:00 the counters again', async ({ page }) => {
    // A summer Wednesday (winter closes at 17:00).
    await page.clock.install({ time: shanghai('2026-06-10 17:58') });
    await page.goto(host.url);
    await page.clock.pauseAt(shanghai('2026-06-10 17:59'));
    await expect(page.getByTestId('take-ticket')).toBeVisible();
    await expect(page.locator('.kiosk')).toHaveAttribute('data-mode', 'staffed');
    // The same document throughout: a reload would lose this.
    await page.evaluate(() => ((window as unknown as { sameDocument: string }).sameDocument = 'still here'));

    // The afternoon's numbers stopped at 17:30: the row says so and from when.
    await page.getByTestId('take-ticket').click();
    await page.getByTestId('dept-market').click();
    await expect(page.getByTestId('service-biz-registration')).toBeDisabled();
    await expect(page.getByTestId('service-biz-registration-status')).toHaveText('本时段已停止取号，明天 9:00 开始');
    // The guide stays open to read; a number from it is refused with the same words.
    await page.getByTestId('service-biz-registration-guide').click();
    await page.getByTestId('guide-take').click();
    await expect(page.getByTestId('issue-closed')).toHaveText('本时段已停止取号，明天 9:00 开始');
    await expect(page.getByTestId('confirm-ticket')).toBeDisabled();
    await page.getByTestId('nav-home').click();

    await page.clock.runFor('01:00');
    const selfService = page.getByTestId('self-service');
    await expect(selfService).toBeVisible();
    await expect(page.locator('.kiosk')).toHaveAttribute('data-mode', 'self-service');
    await expect(page.getByTestId('take-ticket')).toHaveCount(0);
    await expect(page.getByTestId('hall-closed')).toContainText('大厅今日已下班');
    await expect(page.getByTestId('hall-opens')).toHaveText('人工窗口 明天 9:00 开放');
    // Only the 24-hour services, and numbers for them; guides stay.
    const list = page.getByTestId('self-service-list');
    await expect(list.locator('.service-row')).toHaveCount(2);
    await expect(list.getByTestId('service-ss-card')).toBeVisible();
    await expect(list.getByTestId('service-fund-withdrawal')).toBeVisible();
    await expect(page.getByTestId('find-guide')).toBeVisible();
    expect(await takeFromSelfService(page, 'ss-card')).toBe('D001');
    await page.getByTestId('ticket-done').click();
    await expect(selfService).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: string }).sameDocument)).toBe('still here');

    // The next morning: closed until 9:00, then the counters again, still without a reload.
    await page.clock.pauseAt(shanghai('2026-06-11 08:59'));
    await expect(page.getByTestId('hall-closed')).toContainText('大厅尚未开门');
    await expect(page.getByTestId('hall-opens')).toHaveText('人工窗口 上午 9:00 开放');
    await page.clock.runFor('01:00');
    await expect(page.getByTestId('take-ticket')).toBeVisible();
    await expect(page.locator('.kiosk')).toHaveAttribute('data-mode', 'staffed');
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: string }).sameDocument)).toBe('still here');
    expect(await takeNumber(page, 'market', 'biz-registration')).toBe('A001');
  });

  test('a public holiday shows the hall closed and the next opening day, in both languages', async ({ page }) => {
    // 10:00 on 2 October, in the National Day holiday (1–7 October); Thursday 8 October is the next working day.
    await page.clock.install({ time: shanghai('2026-10-02 10:00') });
    await page.goto(host.url);
    await expect(page.getByTestId('self-service')).toBeVisible();
    await expect(page.getByTestId('hall-closed')).toContainText('国庆节假期，大厅休息');
    await expect(page.getByTestId('hall-opens')).toHaveText('人工窗口 10月8日（周四）9:00 开放');
    // The 24-hour services still issue numbers on a holiday.
    await expect(page.getByTestId('service-fund-withdrawal-status')).toHaveText('可取号 · 余250号');
    await page.getByTestId('lang-toggle').click();
    await expect(page.getByTestId('hall-closed')).toContainText('National Day holiday: the hall is closed');
    await expect(page.getByTestId('hall-opens')).toHaveText('Staffed counters open at 9:00 on Thu 8/10');
  });
});

test.describe('a kiosk on the hall server\'s calendar', () => {
  let dir: string;
  let server: RunningServer;
  let host: KioskHost;
  // The server's clock and the page's run together, on a summer Wednesday morning; a test that
  // moves the page's clock on moves the server's with it (`later`), so the two still agree.
  const start = shanghai('2026-06-10 10:00');
  const shift = start - Date.now();
  let later = 0;
  const serverNow = () => Date.now() + shift + later;

  test.beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hall-calendar-e2e-'));
    server = await startEmbeddedServer({ dbFile: join(dir, 'hall.sqlite'), clock: { now: serverNow }, logger: createServerLogger({ level: 'silent' }), seedCatalog: demoCatalog });
    // The hall office limits business registration to two numbers a day (限号).
    const rules: HallRules = structuredClone(demoHallRules);
    rules.services = rules.services.map((s) => (s.serviceId === 'biz-registration' ? { ...s, quota: { perDay: 2 } } : s));
    // …and housing-fund loans to one number a morning.
    rules.services = rules.services.map((s) => (s.serviceId === 'fund-loan' ? { ...s, quota: { perDay: 60, perSession: { morning: 1, afternoon: 30 } } } : s));
    await new HallCalendarStore(server.db.db).save(rules, { now: () => Date.now() + shift }, 'e2e');
    host = await startKioskHost({ serverUrl: server.url, enrollCode: (await server.createDevice('entrance 1')).enrollmentCode });
  });
  test.afterAll(async () => {
    await host?.stop();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the pulled quota runs out and the service shows as full (额满) until tomorrow', async ({ page }) => {
    await page.clock.install({ time: Date.now() + shift });
    await page.goto(host.url);
    await page.getByTestId('take-ticket').click();
    await page.getByTestId('dept-market').click();
    // The calendar arrives by pull: the bundled rules allow 200.
    await expect(page.getByTestId('service-biz-registration-status')).toHaveText('可取号 · 余2号', { timeout: 20_000 });
    await page.getByTestId('nav-home').click();

    expect(await takeNumber(page, 'market', 'biz-registration')).toBe('A001');
    await finishTicket(page);
    expect(await takeNumber(page, 'market', 'biz-registration')).toBe('A002');
    await finishTicket(page);

    await page.getByTestId('take-ticket').click();
    await page.getByTestId('dept-market').click();
    const row = page.locator('.service-row[data-service-id="biz-registration"]');
    await expect(row).toHaveAttribute('data-availability', 'full');
    await expect(page.getByTestId('service-biz-registration-status')).toHaveText('额满今日号已取完，明天 9:00 开始');
    await expect(page.getByTestId('service-biz-registration')).toBeDisabled();
    // Other services of the department are not affected.
    await expect(page.locator('.service-row[data-service-id="sole-trader"]')).toHaveAttribute('data-availability', 'open');
  });

  test("another kiosk used up the session: the server's refusal reads as this kiosk's own decision, and the list shows it full until the afternoon", async ({ page }) => {
    await page.clock.install({ time: Date.now() + shift });
    // Another kiosk takes the morning's only housing-fund loan number.
    const code = (await server.createDevice('entrance 2')).enrollmentCode;
    const json = { 'content-type': 'application/json' };
    const other = (await (await fetch(`${server.url}/api/v1/devices/enroll`, { method: 'POST', headers: json, body: JSON.stringify({ code, version: 'e2e' }) })).json()) as { token: string };
    const taken = await fetch(`${server.url}/api/v1/numbers/next`, {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${other.token}` },
      body: JSON.stringify({ serviceId: 'fund-loan', priority: 'normal' }),
    });
    expect(taken.status).toBe(200);

    await page.goto(host.url);
    await page.getByTestId('take-ticket').click();
    await page.getByTestId('dept-housing-fund').click();
    // By this kiosk's own tally (none issued here) the morning is open.
    await expect(page.locator('.service-row[data-service-id="fund-loan"]')).toHaveAttribute('data-availability', 'open');
    await page.getByTestId('service-fund-loan').click();
    await page.getByTestId('priority-normal').click();
    await page.getByTestId('confirm-ticket').click();
    await expect(page.getByTestId('issue-closed')).toHaveText(/^本时段号已取完，下午 ?14:00 开始$/);
    await expect(page.getByTestId('confirm-ticket')).toBeDisabled();
    await expect(page.getByTestId('ticket-label')).toHaveCount(0);

    // The next citizen sees it on the list at once, with the same words, without a reload.
    await page.evaluate(() => ((window as unknown as { sameDocument: string }).sameDocument = 'still here'));
    await page.getByTestId('nav-home').click();
    await page.getByTestId('take-ticket').click();
    await page.getByTestId('dept-housing-fund').click();
    const loanRow = page.locator('.service-row[data-service-id="fund-loan"]');
    await expect(loanRow).toHaveAttribute('data-availability', 'full');
    await expect(page.getByTestId('service-fund-loan-status')).toHaveText(/^额满本时段号已取完，下午 ?14:00 开始$/);
    await expect(page.getByTestId('service-fund-loan')).toBeDisabled();
    // The refusal was for the loan only.
    await expect(page.locator('.service-row[data-service-id="fund-withdrawal"]')).toHaveAttribute('data-availability', 'open');

    // Past 14:00 (the hall server's clock too) the afternoon's numbers are offered again, by the minute tick alone.
    later = 4 * 3_600_000;
    await page.clock.setSystemTime(serverNow());
    await expect(loanRow).toHaveAttribute('data-availability', 'open');
    await expect(page.getByTestId('service-fund-loan-status')).toHaveText('可取号 · 余30号');
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: string }).sameDocument)).toBe('still here');
    await page.getByTestId('service-fund-loan').click();
    await page.getByTestId('priority-normal').click();
    await page.getByTestId('confirm-ticket').click();
    await expect(page.getByTestId('ticket-label')).toHaveText('G002');
  });
});
