import { expect, test, type Locator, type Page } from '@playwright/test';
import { startKioskHost, type KioskHost } from './support/kiosk-host.ts';

// What a hurried, unsteady or after-hours citizen met at the kiosk (issue 13 points 5, 9 and 11),
// each pinned where a person would see it: in Chromium, against the host-mode kiosk and its
// virtual printer.
const wednesdayMorning = Date.parse('2026-11-25T10:00:00+08:00');
const wednesdayEvening = Date.parse('2026-11-25T17:01:00+08:00');

let host: KioskHost;
test.beforeEach(async () => {
  host = await startKioskHost();
});
test.afterEach(async () => {
  await host.stop();
});

/** Waits long enough for a second print to have reached the printer, had one been sent. */
async function settle(page: Page): Promise<void> {
  // A real wait: the printer is another process, and the page clock does not move it.
  await page.waitForTimeout(1_500);
}

test('a double tap on 确认取号 shows the number, does not press 完成 where it lands, and prints one ticket (point 9)', async ({ page }) => {
  await page.clock.install({ time: wednesdayMorning });
  await page.goto(host.url);
  await page.getByTestId('take-ticket').click();
  await page.getByTestId('dept-market').click();
  await page.getByTestId('service-biz-registration').click();
  await page.getByTestId('priority-normal').click();
  await page.getByTestId('confirm-ticket').dblclick();
  await expect(page.getByTestId('ticket-label')).toHaveText('A001');
  await expect(page.getByTestId('ticket-print-state')).toHaveAttribute('data-state', 'printed');
  await settle(page);
  await expect(page.getByTestId('ticket-label')).toBeVisible();
  await expect(page.getByTestId('home')).toHaveCount(0);
  expect(host.printer.tickets()).toHaveLength(1);
});

test('a double tap on 打印告知单 prints one slip (point 9)', async ({ page }) => {
  await page.clock.install({ time: wednesdayMorning });
  await page.goto(host.url);
  await page.getByTestId('find-guide').click();
  for (const key of 'gtgsh') await page.getByTestId(`key-${key}`).click();
  await page.getByTestId('result-sole-trader').click();
  await page.getByTestId('guide-checklist').click();
  await page.getByTestId('print-slip').dblclick();
  await expect(page.getByTestId('slip-state')).toHaveAttribute('data-state', 'printed');
  await settle(page);
  expect(host.printer.tickets()).toHaveLength(1);
  await expect(page.getByTestId('slip-state')).toHaveAttribute('data-serial', /-001$/);
});

test('after hours the home keeps its 长辈模式 switch and 24小时可办 is shown only for the 24-hour list (point 5)', async ({ page }) => {
  await page.clock.install({ time: wednesdayEvening });
  await page.goto(host.url);
  await expect(page.locator('.kiosk')).toHaveAttribute('data-mode', 'self-service');
  const toggle = page.getByTestId('elder-toggle');
  await expect(toggle).toBeVisible();
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('html')).toHaveClass(/elder-mode/);

  // 社会保障卡 is on the calendar's 24-hour list; 挂失补办 is not, whatever its guide says.
  await expect(page.getByTestId('service-ss-card-24h')).toBeVisible();
  await expect(page.getByTestId('service-ss-card-reissue')).toHaveCount(0);
  await page.getByTestId('find-guide').click();
  await page.getByTestId('browse-departments').click();
  await page.getByTestId('dept-social').click();
  await expect(page.getByTestId('service-ss-card-reissue')).toBeVisible();
  await expect(page.getByTestId('service-ss-card-reissue-24h')).toHaveCount(0);
  await expect(page.getByTestId('service-ss-card-24h')).toBeVisible();
});

/**
 * The cards of a paged list cut at the top of the visible page: a page starts at a card's top. (Its
 * bottom may show the start of the card the next page begins with.)
 */
async function cutAtTop(body: Locator): Promise<string[]> {
  return body.evaluate((el) => {
    const view = el.getBoundingClientRect();
    return Array.from(el.querySelectorAll('.service-row'), (item) => {
      const r = item.getBoundingClientRect();
      return r.top < view.top - 1 && r.bottom > view.top + 1 ? `${item.getAttribute('data-service-id') ?? '?'} at ${Math.round(r.top - view.top)}..${Math.round(r.bottom - view.top)}` : null;
    }).filter((cut): cut is string => cut !== null);
  });
}

test('paging moves by whole service cards: no card is cut at the top of a page, in elder mode (point 11)', async ({ page }) => {
  await page.clock.install({ time: wednesdayMorning });
  await page.goto(host.url);
  await page.getByTestId('elder-toggle').click();
  await page.getByTestId('find-guide').click();
  // One letter: a long list, in the short space above the keyboard.
  await page.getByTestId('key-s').click();
  const pager = page.getByTestId('results-pager');
  const body = pager.locator('.pager-body');
  await expect(pager.locator('.service-row').first()).toBeVisible();
  const pages = Number(await pager.getAttribute('data-pages'));
  expect(pages, 'the list should need several pages for this test to mean anything').toBeGreaterThan(2);
  for (let p = 1; p < pages; p++) {
    await page.getByTestId('results-pager-next').click();
    await expect(pager).toHaveAttribute('data-page', String(p + 1));
    // Every page but the last starts at a card's top (the last is aligned to the list's end).
    if (p + 1 < pages) expect(await cutAtTop(body), `page ${p + 1}`).toEqual([]);
  }
});
