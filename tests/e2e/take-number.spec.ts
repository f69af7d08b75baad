import { expect, test } from '@playwright/test';
import { adminPin, startKioskHost, type KioskHost } from './support/kiosk-host.ts';
import { finishTicket, openStaffScreen, takeNumber } from './support/kiosk-page.ts';

// 09:30 in the hall (Asia/Shanghai) on a weekday; the browser runs in New York to prove the hall's
// zone, not the machine's, decides the business day and the printed time.
const hallMorning = Date.parse('2026-11-25T01:30:00Z');
test.use({ timezoneId: 'America/New_York' });

let host: KioskHost;
test.beforeEach(async () => {
  host = await startKioskHost();
});
test.afterEach(async () => {
  await host.stop();
});

test('a citizen takes a normal and a priority number and the printer gets both tickets', async ({ page }) => {
  await page.clock.install({ time: hallMorning });
  await page.goto(host.url);
  await expect(page.getByTestId('home')).toBeVisible();

  expect(await takeNumber(page, 'market', 'biz-registration')).toBe('A001');
  await expect(page.getByTestId('ticket-print-state')).toHaveAttribute('data-state', 'printed');
  await expect(page.getByTestId('ticket-time')).toContainText('09:30');
  await finishTicket(page);

  expect(await takeNumber(page, 'market', 'biz-registration', 'elderly')).toBe('A002');
  await expect(page.getByTestId('ticket-print-state')).toHaveAttribute('data-state', 'printed');

  const [normal, priority] = await host.printer.waitForTickets(2, 10_000);
  const normalText = normal!.lines.join('\n');
  expect(normalText).toContain('市政务服务中心');
  expect(normalText).toContain('A001');
  expect(normalText).toContain('企业设立登记');
  expect(normalText).toContain('2026-11-25 09:30');
  expect(normalText).not.toContain('优先');
  // A standalone kiosk knows no public address of the hall: no QR at all (tests/e2e/live-ticket.spec.ts has one).
  expect(normal!.qrPayloads).toEqual([]);
  expect(normal!.events.at(-1)?.type).toBe('cut');

  const priorityText = priority!.lines.join('\n');
  expect(priorityText).toContain('A002');
  expect(priorityText).toContain('优先 · 老年人');
  expect(priority!.events.at(-1)?.type).toBe('cut');
});

test('paper out: the citizen is told, the ticket stays unprinted, staff reprint it after reloading paper', async ({ page }) => {
  await page.clock.install({ time: hallMorning });
  await page.goto(host.url);
  host.printer.setCondition({ paperOut: true });

  expect(await takeNumber(page, 'social', 'ss-card')).toBe('D001');
  const state = page.getByTestId('ticket-print-state');
  await expect(state).toHaveAttribute('data-state', 'paper-out');
  await expect(state).toContainText('缺纸');
  expect(host.printer.ticketCount).toBe(0);
  await finishTicket(page);

  await openStaffScreen(page, adminPin);
  const unprinted = page.locator('[data-testid^="unprinted-"]').filter({ hasText: 'D001' });
  await expect(unprinted).toHaveCount(1);
  const ticketId = (await unprinted.getAttribute('data-testid'))!.replace('unprinted-', '');

  host.printer.setCondition({ paperOut: false });
  await page.getByTestId(`reprint-${ticketId}`).click();
  const [reprinted] = await host.printer.waitForTickets(1, 10_000);
  expect(reprinted!.lines.join('\n')).toContain('D001');
  expect(reprinted!.qrPayloads).toEqual([]);
  await expect(page.getByTestId(`unprinted-${ticketId}`)).toHaveCount(0);
  expect(host.printer.ticketCount).toBe(1);
});

test('a ticket can be voided from the staff screen and is never printed', async ({ page }) => {
  await page.clock.install({ time: hallMorning });
  await page.goto(host.url);
  host.printer.setCondition({ coverOpen: true });
  expect(await takeNumber(page, 'housing-fund', 'fund-withdrawal')).toBe('F001');
  await expect(page.getByTestId('ticket-print-state')).toHaveAttribute('data-state', 'cover-open');
  await finishTicket(page);

  await openStaffScreen(page, adminPin);
  const row = page.locator('[data-testid^="unprinted-"]').filter({ hasText: 'F001' });
  const ticketId = (await row.getAttribute('data-testid'))!.replace('unprinted-', '');
  await page.getByTestId(`void-${ticketId}`).click();
  await expect(page.getByTestId(`unprinted-${ticketId}`)).toHaveCount(0);
  expect(host.printer.ticketCount).toBe(0);
});

test('a wrong PIN does not open the staff screen', async ({ page }) => {
  await page.goto(host.url);
  await page.getByTestId('staff-entry').click();
  await page.getByTestId('pin-input').fill('999999');
  await page.getByTestId('pin-submit').click();
  await expect(page.getByTestId('pin-message')).toHaveAttribute('data-reason', 'wrongPin');
  await expect(page.getByTestId('staff')).toHaveCount(0);
});

test('reloading the page mid-day continues the numbering without reuse', async ({ page }) => {
  await page.clock.install({ time: hallMorning });
  await page.goto(host.url);
  expect(await takeNumber(page, 'market', 'sole-trader')).toBe('B001');
  await page.reload();
  await expect(page.getByTestId('home')).toBeVisible();
  expect(await takeNumber(page, 'market', 'sole-trader')).toBe('B002');
  const tickets = await host.printer.waitForTickets(2, 10_000);
  expect(tickets.map((t) => t.lines.find((l) => /^B\d{3}$/.test(l.trim()))?.trim())).toEqual(['B001', 'B002']);
});

test('a wiped browser profile never issues a number of the day again (issue 13 point 2)', async ({ page, browser }) => {
  await page.clock.install({ time: hallMorning });
  await page.goto(host.url);
  expect(await takeNumber(page, 'market', 'biz-registration')).toBe('A001');
  await finishTicket(page);
  expect(await takeNumber(page, 'market', 'biz-registration')).toBe('A002');

  // A new browser profile on the same kiosk: its IndexedDB is empty, the kiosk's data dir is not.
  const wiped = await browser.newContext({ timezoneId: 'America/New_York', locale: 'zh-CN', viewport: { width: 1080, height: 1920 } });
  try {
    const fresh = await wiped.newPage();
    await fresh.clock.install({ time: hallMorning + 60_000 });
    await fresh.goto(host.url);
    expect(await takeNumber(fresh, 'market', 'biz-registration')).toBe('A003');
    await finishTicket(fresh);
    expect(await takeNumber(fresh, 'market', 'sole-trader')).toBe('B001');
  } finally {
    await wiped.close();
  }
  const tickets = await host.printer.waitForTickets(4, 10_000);
  expect(tickets.map((t) => t.lines.find((l) => /^[A-Z]\d{3}$/.test(l.trim()))?.trim())).toEqual(['A001', 'A002', 'A003', 'B001']);
});

test('numbers restart at the hall\'s midnight, not the machine\'s', async ({ page }) => {
  // 23:59 in Shanghai is 10:59 in New York: the browser's own date does not change at this moment.
  // At midnight only the 24-hour self-service area issues numbers (a day no other test uses).
  await page.clock.install({ time: Date.parse('2026-11-26T15:59:00Z') });
  await page.goto(host.url);
  const takeSelfService = async () => {
    await page.getByTestId('service-ss-card').click();
    await page.getByTestId('priority-normal').click();
    await page.getByTestId('confirm-ticket').click();
    const label = (await page.getByTestId('ticket-label').textContent())!.trim();
    await finishTicket(page);
    return label;
  };
  await expect(page.getByTestId('self-service')).toBeVisible();
  expect(await takeSelfService()).toBe('D001');
  await page.clock.fastForward('02:00');
  expect(await takeSelfService()).toBe('D001');
});

test('an idle kiosk returns home from anywhere', async ({ page }) => {
  await page.clock.install({ time: hallMorning });
  await page.goto(host.url);
  await page.getByTestId('take-ticket').click();
  await page.getByTestId('dept-market').click();
  await expect(page.getByTestId('services')).toBeVisible();
  await page.clock.fastForward('00:30');
  await expect(page.getByTestId('services')).toBeVisible(); // default timeout is 60 s
  // runFor, not fastForward: the last seconds are a countdown that ticks once a second.
  await page.clock.runFor('00:22');
  // Ten seconds before it starts over the kiosk asks, and 继续 keeps the citizen's place.
  await expect(page.getByTestId('idle-warning')).toBeVisible();
  await expect(page.getByTestId('idle-countdown')).toHaveAttribute('data-seconds', '8');
  await page.getByTestId('idle-stay').click();
  await expect(page.getByTestId('idle-warning')).toBeHidden();
  await page.clock.runFor('00:45');
  await expect(page.getByTestId('services')).toBeVisible();
  await page.clock.runFor('00:16');
  await expect(page.getByTestId('home')).toBeVisible();
});

test('the citizen can switch to English and back', async ({ page }) => {
  await page.clock.install({ time: hallMorning });
  await page.goto(host.url);
  await expect(page.getByTestId('take-ticket')).toContainText('取号');
  await page.getByTestId('lang-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByTestId('take-ticket')).toContainText(/take a number/i);
  await page.getByTestId('take-ticket').click();
  await expect(page.getByTestId('dept-market')).toContainText('Market Regulation');
  await page.getByTestId('lang-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByTestId('dept-market')).toContainText('市场监督管理局');
});

test('a standalone kiosk given no catalog or calendar says so, Chinese first, English on request, and shows no services', async ({ page }) => {
  const bare = await startKioskHost({ content: null });
  try {
    await page.clock.install({ time: hallMorning });
    await page.goto(bare.url);
    const notice = page.getByTestId('no-content');
    await expect(notice).toBeVisible();
    await expect(notice).toHaveAttribute('data-missing', 'catalog hallRules');
    await expect(notice).toContainText('本机暂时不能取号');
    await expect(page.getByTestId('no-content-ask')).toHaveText('请到咨询台或向工作人员求助。');
    await expect(page.getByTestId('missing-catalog')).toHaveText('缺少：办事事项目录');
    // Nothing to take and nothing invented: no home, no departments, no services.
    await expect(page.getByTestId('home')).toHaveCount(0);
    await expect(page.getByTestId('take-ticket')).toHaveCount(0);
    await expect(page.locator('[data-testid^="service-"], [data-testid^="dept-"]')).toHaveCount(0);

    await page.getByTestId('lang-toggle').click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByTestId('no-content-ask')).toHaveText('Please ask at the information desk or a member of staff.');
    await expect(page.getByTestId('missing-hallRules')).toHaveText("Missing: the hall's opening hours");

    // Staff still get in, to see why.
    await openStaffScreen(page, adminPin);
  } finally {
    await bare.stop();
  }
});

test('the status bar shows the hall clock, connection and printer state', async ({ page }) => {
  await page.clock.install({ time: hallMorning });
  await page.goto(host.url);
  await expect(page.getByTestId('status-clock')).toContainText('09:30');
  // No hall server configured: the kiosk numbers by itself and says so (sync.spec.ts has the rest).
  await expect(page.getByTestId('status-online')).toHaveAttribute('data-state', 'standalone');
  await expect(page.getByTestId('status-printer')).toHaveAttribute('data-state', 'ready');
});
