import { expect, test, type Page } from '@playwright/test';
import { adminPin, startKioskHost, type KioskHost } from './support/kiosk-host.ts';
import { screenFitProblems, type ScreenFitOptions } from './support/screen-fit.ts';
import { stubSpeech } from './support/speech-stub.ts';

// Every screen a citizen or staff member meets, in normal and elder mode, in Chinese and English,
// on the portrait kiosk and on a landscape one: nothing to press (or to read before the kiosk
// moves on) is covered by the navigation bar or off the screen.
const wednesdayMorning = Date.parse('2026-11-25T10:00:00+08:00');
const wednesdayEvening = Date.parse('2026-11-25T17:01:00+08:00');

let host: KioskHost;
test.beforeAll(async () => {
  host = await startKioskHost();
});
test.afterAll(async () => {
  await host.stop();
});

type Language = 'zh' | 'en';

/** Walks every screen, collecting what does not fit rather than stopping at the first. */
async function walk(page: Page, language: Language, elder: boolean): Promise<string[]> {
  const problems: string[] = [];
  const look = async (where: string, options?: ScreenFitOptions) => {
    for (const p of await screenFitProblems(page, options)) problems.push(`${where}: ${p}`);
  };
  const home = async () => {
    if ((await page.getByTestId('nav-home').count()) > 0) await page.getByTestId('nav-home').click();
    await expect(page.getByTestId('home')).toBeVisible();
    // 首页 puts the hall's default language back; the walk keeps its own.
    if (language === 'en' && (await page.locator('html').getAttribute('lang')) !== 'en') await page.getByTestId('lang-toggle').click();
    await expect(page.locator('html')).toHaveAttribute('lang', language === 'en' ? 'en' : 'zh-CN');
    const toggle = page.getByTestId('elder-toggle');
    if ((await toggle.count()) > 0 && (await toggle.getAttribute('aria-pressed')) !== String(elder)) await toggle.click();
  };

  await home();
  await look('home');

  await page.getByTestId('take-ticket').click();
  await look('departments');
  await page.getByTestId('dept-market').click();
  await look('services');
  await page.getByTestId('service-biz-registration').click();
  await look('priority');
  // 确认取号 without a choice: the message must not push the button under the bar.
  await page.getByTestId('confirm-ticket').click();
  await expect(page.getByTestId('issue-message')).toBeVisible();
  await look('priority with a message');
  await page.getByTestId('priority-normal').click();
  await page.getByTestId('confirm-ticket').click();
  await expect(page.getByTestId('ticket-print-state')).toHaveAttribute('data-state', 'printed');
  await look('ticket');
  await page.getByTestId('ticket-done').click();

  await home();
  await page.getByTestId('find-guide').click();
  await look('search');
  for (const key of 'yyzz') await page.getByTestId(`key-${key}`).click();
  await expect(page.getByTestId('search-results').locator('.service-row').first()).toBeVisible();
  await look('search results');
  await page.getByTestId('search-results').locator('.service-main').first().click();
  await expect(page.getByTestId('guide')).toBeVisible();
  await look('guide');
  await page.getByTestId('guide-checklist').click();
  await look('checklist');
  await page.getByTestId('nav-back').click();
  await page.getByTestId('nav-back').click();
  await page.getByTestId('browse-categories').click();
  await look('categories');
  await page.getByTestId('categories').locator('.button-choice').first().click();
  await look('category services');

  await home();
  await page.getByTestId('staff-checkin').click();
  await look('staff sign-in');
  await home();
  await page.getByTestId('staff-entry').click();
  await look('staff PIN');
  await page.getByTestId('pin-input').fill(adminPin);
  await page.getByTestId('pin-submit').click();
  await expect(page.getByTestId('staff')).toBeVisible();
  await look('staff', { scrolls: true });
  await page.getByTestId('staff-logout').click();

  await page.clock.setSystemTime(wednesdayEvening);
  await expect(page.locator('.kiosk')).toHaveAttribute('data-mode', 'self-service');
  await home();
  await look('after-hours home');
  await page.clock.setSystemTime(wednesdayMorning);
  await expect(page.locator('.kiosk')).toHaveAttribute('data-mode', 'staffed');
  return problems;
}

for (const viewport of [{ width: 1080, height: 1920 }, { width: 1920, height: 1080 }]) {
  for (const language of ['zh', 'en'] as const) {
    for (const elder of [false, true]) {
      test(`every screen fits at ${viewport.width}×${viewport.height}, ${language}, ${elder ? 'elder mode' : 'normal mode'}`, async ({ page }) => {
        await page.setViewportSize(viewport);
        await stubSpeech(page, []);
        await page.clock.install({ time: wednesdayMorning });
        await page.goto(host.url);
        expect(await walk(page, language, elder)).toEqual([]);
      });
    }
  }
}
