/**
 * Regenerates docs/kiosk-home.png, the README's picture of the home screen: a standalone host-mode
 * kiosk shown by Debian's Chromium with the project's flags, portrait 1080 × 1920 as the kiosk
 * screen is, at a fixed staffed morning so it is the day screen (with the 长辈模式 switch)
 * whatever the real clock says.
 *
 *   node scripts/build.mjs && node --import tsx scripts/screenshot-home.ts [out.png]
 */
import { resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumFlags } from '../playwright.config.ts';
import { startKioskHost } from '../tests/e2e/support/kiosk-host.ts';

/** Wednesday 25 November 2026, 09:30 in the hall. */
const hallMorning = Date.parse('2026-11-25T01:30:00Z');
const out = resolve(process.argv[2] ?? 'docs/kiosk-home.png');

const host = await startKioskHost();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumFlags });
try {
  const page = await browser.newPage({ viewport: { width: 1080, height: 1920 }, locale: 'zh-CN' });
  await page.clock.install({ time: hallMorning });
  await page.goto(host.url);
  const home = page.locator('[data-testid="home"]');
  await home.waitFor();
  if ((await home.getAttribute('data-mode')) === 'self-service') throw new Error('the kiosk shows the self-service screen, not the day screen');
  await page.locator('[data-testid="elder-toggle"]').waitFor();
  await page.locator('[data-testid="status-bar"]').getByText('打印机正常').waitFor();
  // The web fonts and the toggle's layout settle before the picture is taken.
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await host.stop();
}
