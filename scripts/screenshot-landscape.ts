/**
 * Regenerates docs/*-landscape.png: the main kiosk screens on a landscape kiosk (1920 × 1080), in
 * normal and 长辈模式, Chinese, at a fixed staffed morning (and a fixed evening for the after-hours
 * home) so the pictures do not depend on the real clock. Issue 13 point 8.
 *
 *   node scripts/build.mjs && node --import tsx scripts/screenshot-landscape.ts [out-dir]
 */
import { resolve } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { chromiumFlags } from '../playwright.config.ts';
import { adminPin, startKioskHost } from '../tests/e2e/support/kiosk-host.ts';

/** Wednesday 25 November 2026, 10:00 and 17:01 in the hall. */
const hallMorning = Date.parse('2026-11-25T10:00:00+08:00');
const hallEvening = Date.parse('2026-11-25T17:01:00+08:00');
const outDir = resolve(process.argv[2] ?? 'docs');
/** `en` takes the same pictures in English (for checking the layout; docs/ keeps the Chinese ones). */
const language = process.argv[3] === 'en' ? 'en' : 'zh';

async function settle(page: Page): Promise<void> {
  await page.getByTestId('tap-shield').waitFor({ state: 'hidden' });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

async function shoot(page: Page, name: string, elder: boolean): Promise<void> {
  await settle(page);
  const path = `${outDir}/${name}${elder ? '-elder' : ''}-landscape.png`;
  await page.screenshot({ path });
  console.log(`wrote ${path}`);
}

async function home(page: Page, elder: boolean): Promise<void> {
  if ((await page.getByTestId('nav-home').count()) > 0) await page.getByTestId('nav-home').click();
  await page.getByTestId('home').waitFor();
  if (language === 'en' && (await page.locator('html').getAttribute('lang')) !== 'en') await page.getByTestId('lang-toggle').click();
  const toggle = page.getByTestId('elder-toggle');
  if ((await toggle.count()) > 0 && (await toggle.getAttribute('aria-pressed')) !== String(elder)) await toggle.click();
  await settle(page);
}

const host = await startKioskHost();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumFlags });
try {
  for (const elder of [false, true]) {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' });
    await page.clock.install({ time: hallMorning });
    await page.goto(host.url);
    await page.locator('[data-testid="status-bar"]').getByText('打印机正常').waitFor();
    await home(page, elder);
    await shoot(page, 'home', elder);

    await page.getByTestId('take-ticket').click();
    await page.getByTestId('dept-market').click();
    await page.getByTestId('service-biz-registration').click();
    await page.getByTestId('priority-elderly').click();
    await shoot(page, 'priority', elder);
    await page.getByTestId('confirm-ticket').click();
    await page.locator('[data-testid="ticket-print-state"][data-state="printed"]').waitFor();
    await shoot(page, 'ticket', elder);
    await page.getByTestId('ticket-done').click();

    await home(page, elder);
    await page.getByTestId('find-guide').click();
    for (const key of 'yyzz') await page.getByTestId(`key-${key}`).click();
    await page.getByTestId('search-results').locator('.service-row').first().waitFor();
    await shoot(page, 'search', elder);
    await page.getByTestId('search-results').locator('.service-main').first().click();
    await page.getByTestId('guide').waitFor();
    await shoot(page, 'guide', elder);

    await home(page, elder);
    await page.getByTestId('staff-entry').click();
    await page.getByTestId('pin-input').waitFor();
    for (const digit of adminPin.slice(0, 3)) await page.getByTestId(`pin-key-${digit}`).click();
    await shoot(page, 'staff-pin', elder);

    await home(page, elder);
    await page.clock.setSystemTime(hallEvening);
    await page.locator('.kiosk[data-mode="self-service"]').waitFor();
    await shoot(page, 'after-hours-home', elder);
    await page.close();
  }
} finally {
  await browser.close();
  await host.stop();
}
