import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startEmbeddedServer, type RunningServer } from '../../server/embedded.ts';
import { createServerLogger } from '../../server/http/logger.ts';
import { TestKiosk } from '../server/support/kiosk.ts';
import { startKioskHost, type KioskHost } from './support/kiosk-host.ts';
import { finishTicket } from './support/kiosk-page.ts';
import { staffedEveryDay } from './support/staffed-all-day.ts';
import { demoCatalog } from '../support/demo-hall.ts';
import { freePort } from '../support/free-port.ts';

// Issue 13 point 1: the list said 可取号 · 余300号 while other kiosks had taken the numbers, and only
// 确认取号, three taps later, said 今日号已取完. The list now shows the hall server's count.

const quota = 3;
const catalog = { ...demoCatalog, services: demoCatalog.services.map((s) => (s.id === 'food-licence' ? { ...s, dailyQuota: quota } : s)) };

let dir: string;
let server: RunningServer;
let host: KioskHost;
let other: TestKiosk;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hall-quota-e2e-'));
  const port = await freePort();
  // Open around the clock, with only the catalog's 限号: whenever the suite runs.
  server = await startEmbeddedServer({
    dbFile: join(dir, 'hall.sqlite'),
    port,
    clock: { now: () => Date.now() },
    logger: createServerLogger({ level: 'silent' }),
    seedCatalog: catalog,
    seedHallRules: staffedEveryDay('00:00', '23:59', { withQuotas: false }),
  });
  const url = `http://127.0.0.1:${port}`;
  host = await startKioskHost({ serverUrl: url, enrollCode: (await server.createDevice('kiosk A')).enrollmentCode });
  other = await TestKiosk.enroll(url, (await server.createDevice('kiosk B')).enrollmentCode);
});

test.afterAll(async () => {
  await host?.stop();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The kiosk page at the market department's list, after a fresh pull (a reload starts the sync loop). */
async function marketList(page: Page): Promise<void> {
  if (page.url() === 'about:blank') await page.goto(host.url);
  else await page.reload();
  await expect(page.getByTestId('home')).toBeVisible();
  await expect(page.getByTestId('status-online')).toHaveAttribute('data-state', 'online', { timeout: 15_000 });
  await page.getByTestId('take-ticket').click();
  await page.getByTestId('dept-market').click();
}

test("the list's 余N号 is the hall's count after other kiosks issue, and 确认取号 says the same", async ({ page }) => {
  test.setTimeout(60_000);
  await marketList(page);
  const row = page.getByTestId('service-food-licence-status');
  await expect(row).toHaveText(`可取号 · 余${quota}号`, { timeout: 15_000 });

  // Another kiosk gives two citizens numbers.
  for (let i = 0; i < 2; i++) expect((await other.next('food-licence')).status).toBe(200);
  await marketList(page);
  await expect(row).toHaveText('可取号 · 余1号', { timeout: 15_000 });

  // 余1号 means one: 确认取号 gives the third number of the day.
  await page.getByTestId('service-food-licence').click();
  await page.getByTestId('priority-normal').click();
  await page.getByTestId('confirm-ticket').click();
  await expect(page.getByTestId('ticket-label')).toHaveText('C003');
  await finishTicket(page);

  // And then none, on this kiosk's list and at the other kiosk alike.
  expect((await other.next('food-licence')).body.error.code).toBe('quota-reached');
  await marketList(page);
  await expect(page.getByTestId('service-food-licence')).toBeDisabled({ timeout: 15_000 });
  await expect(row).toContainText('额满');
});
