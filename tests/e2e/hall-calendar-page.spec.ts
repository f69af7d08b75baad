import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { createAdminUser } from '../../server/admin/admin-users.ts';
import { startEmbeddedServer, type RunningServer } from '../../server/embedded.ts';
import { createServerLogger } from '../../server/http/logger.ts';
import { startKioskHost, type KioskHost } from './support/kiosk-host.ts';
import { demoCatalog } from '../support/demo-hall.ts';

// The hall office adds a holiday on the server's calendar page; the kiosk, on a working Wednesday
// morning, pulls it and closes its counters. The server's clock and the kiosk page's run together.
const shanghai = (wall: string): number => Date.parse(`${wall.replace(' ', 'T')}:00+08:00`);

let dir: string;
let server: RunningServer;
let host: KioskHost;
const start = shanghai('2026-06-10 10:00');
const shift = start - Date.now();
const clock = { now: () => Date.now() + shift };

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hall-calendar-page-e2e-'));
  server = await startEmbeddedServer({ dbFile: join(dir, 'hall.sqlite'), clock, logger: createServerLogger({ level: 'silent' }), seedCatalog: demoCatalog });
  await createAdminUser(server.db.db, clock, 'office', 'correct horse battery');
  host = await startKioskHost({ serverUrl: server.url, enrollCode: (await server.createDevice('entrance 1')).enrollmentCode });
});
test.afterAll(async () => {
  await host?.stop();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a holiday added on the calendar page reaches the kiosk, which closes its counters for the day', async ({ page, browser }) => {
  await page.clock.install({ time: clock.now() });
  await page.goto(host.url);
  await expect(page.locator('.kiosk')).toHaveAttribute('data-mode', 'staffed');
  await expect(page.getByTestId('take-ticket')).toBeVisible();

  const office = await browser.newPage();
  await office.goto(`${server.url}/admin/hall-calendar`);
  await office.locator('input[name="username"]').fill('office');
  await office.locator('input[name="password"]').fill('correct horse battery');
  await office.getByRole('button', { name: '登录' }).click();
  await expect(office.getByTestId('revision')).toContainText('当前为第 0 版');
  // The preview opens on the server's now: a staffed Wednesday morning.
  await expect(office.getByTestId('preview-mode')).toHaveAttribute('data-mode', 'staffed');

  // A typo in a quota is refused beside its field; the holiday typed with it is kept, nothing saved.
  await office.getByLabel('企业设立登记 每日限号').fill('15o');
  await office.getByLabel('新节假日名称').fill('城市节');
  await office.getByLabel('新节假日开始日期').fill('2026-06-10');
  await office.getByTestId('save').click();
  await expect(office.getByTestId('refused')).toContainText('有 1 处需要修改');
  await expect(office.locator('[data-error-for="quota.0.day"]')).toHaveText('限号应为 1–100000 的整数；留空表示不限');
  await expect(office.getByTestId('revision')).toContainText('当前为第 0 版');
  await expect(office.getByLabel('新节假日名称')).toHaveValue('城市节');

  await office.getByLabel('企业设立登记 每日限号').fill('150');
  await office.getByTestId('save').click();
  await expect(office.getByTestId('notice')).toHaveText('已保存为第 1 版');
  await expect(office.getByTestId('revision')).toContainText('当前版本：第 1 版');
  await expect(office.locator('tr[data-holiday="2026-06-10"]')).toContainText('城市节');
  await expect(office.getByTestId('preview-mode')).toHaveAttribute('data-mode', 'self-service');
  await expect(office.locator('[data-preview-service="biz-registration"]')).toContainText('城市节休息，明天 9:00 开始取号');

  // What the API (and so every kiosk's pull) now holds.
  const login = await fetch(`${server.url}/api/v1/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'office', password: 'correct horse battery' }) });
  const { token } = (await login.json()) as { token: string };
  const calendar = (await (await fetch(`${server.url}/api/v1/admin/hall-calendar`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
    revision: number;
    rules: { calendar: { holidays: { name: { zh: string }; from: string; to: string }[] }; services: { serviceId: string; quota?: { perDay?: number } }[] };
  };
  expect(calendar.revision).toBe(1);
  expect(calendar.rules.calendar.holidays).toContainEqual({ name: { zh: '城市节', en: '城市节' }, from: '2026-06-10', to: '2026-06-10' });
  expect(calendar.rules.services.find((s) => s.serviceId === 'biz-registration')?.quota?.perDay).toBe(150);
  await office.close();

  // The kiosk's next pull brings it, without a reload: the hall is closed today, the 24-hour area stays.
  await expect(page.locator('.kiosk')).toHaveAttribute('data-mode', 'self-service', { timeout: 30_000 });
  await expect(page.getByTestId('hall-closed')).toContainText('城市节假期，大厅休息');
  await expect(page.getByTestId('hall-opens')).toHaveText('人工窗口 明天 9:00 开放');
  await expect(page.getByTestId('service-ss-card')).toBeVisible();
});
