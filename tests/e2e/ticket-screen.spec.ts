import { expect, test, type Page } from '@playwright/test';
import { startKioskHost, type KioskHost } from './support/kiosk-host.ts';
import { takeNumber } from './support/kiosk-page.ts';
import { stubSpeech } from './support/speech-stub.ts';

// The ticket screen's own return to the home screen, on a standalone host-mode kiosk in Chromium
// with the page's clock injected: 10 s after a printed ticket, 30 s after a failed print, and
// three times as long in 长辈模式 (the factor that stretches the idle timeout).
const hallMorning = Date.parse('2026-11-25T01:30:00Z');

let host: KioskHost;
test.beforeEach(async () => {
  host = await startKioskHost();
});
test.afterEach(async () => {
  await host.stop();
});

async function openKiosk(page: Page): Promise<void> {
  await stubSpeech(page, []);
  await page.clock.install({ time: hallMorning });
  await page.goto(host.url);
  await expect(page.getByTestId('home')).toBeVisible();
}

/** Seconds the countdown shows now; the clock flows meanwhile, so it may have ticked once or twice. */
async function countdownSeconds(page: Page): Promise<number> {
  return Number(await page.getByTestId('ticket-countdown').getAttribute('data-seconds'));
}

test('a printed ticket returns home after 10 s, in elder mode after 30 s', async ({ page }) => {
  await openKiosk(page);
  await takeNumber(page, 'market', 'biz-registration');
  await expect(page.getByTestId('ticket-print-state')).toHaveAttribute('data-state', 'printed');
  expect(await countdownSeconds(page)).toBeGreaterThanOrEqual(8);
  expect(await countdownSeconds(page)).toBeLessThanOrEqual(10);
  await page.clock.runFor(7_000);
  await expect(page.getByTestId('ticket')).toBeVisible();
  await page.clock.runFor(4_000);
  await expect(page.getByTestId('home')).toBeVisible();

  await page.getByTestId('elder-toggle').click();
  await takeNumber(page, 'market', 'biz-registration');
  await expect(page.getByTestId('ticket-print-state')).toHaveAttribute('data-state', 'printed');
  await expect(page.getByTestId('ticket-countdown')).toContainText('秒后自动返回首页');
  expect(await countdownSeconds(page)).toBeGreaterThanOrEqual(28);
  expect(await countdownSeconds(page)).toBeLessThanOrEqual(30);
  // Well past the normal 10 s, the elder is still reading the number.
  await page.clock.runFor(25_000);
  await expect(page.getByTestId('ticket')).toBeVisible();
  await page.clock.runFor(6_000);
  await expect(page.getByTestId('home')).toBeVisible();
  // The next citizen starts in normal mode.
  await expect(page.getByTestId('elder-toggle')).toHaveAttribute('aria-pressed', 'false');
});

test('a failed print holds the screen 30 s, in elder mode 90 s', async ({ page }) => {
  await openKiosk(page);
  host.printer.setCondition({ paperOut: true });
  await takeNumber(page, 'market', 'biz-registration');
  await expect(page.getByTestId('ticket-print-state')).toHaveAttribute('data-state', 'paper-out');
  expect(await countdownSeconds(page)).toBeGreaterThanOrEqual(28);
  await page.clock.runFor(26_000);
  await expect(page.getByTestId('ticket')).toBeVisible();
  await page.clock.runFor(5_000);
  await expect(page.getByTestId('home')).toBeVisible();

  await page.getByTestId('elder-toggle').click();
  await takeNumber(page, 'market', 'biz-registration');
  await expect(page.getByTestId('ticket-print-state')).toHaveAttribute('data-state', 'paper-out');
  expect(await countdownSeconds(page)).toBeGreaterThanOrEqual(88);
  expect(await countdownSeconds(page)).toBeLessThanOrEqual(90);
  await page.clock.runFor(85_000);
  await expect(page.getByTestId('ticket')).toBeVisible();
  await page.clock.runFor(6_000);
  await expect(page.getByTestId('home')).toBeVisible();
});
