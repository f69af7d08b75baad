import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { VirtualPrinter } from '../../hardware/sim/virtual-printer.ts';
import { createAdminUser } from '../../server/admin/admin-users.ts';
import { startEmbeddedServer, type RunningServer } from '../../server/embedded.ts';
import { createServerLogger } from '../../server/http/logger.ts';
import { adminPin, startKioskHost, type KioskHost } from './support/kiosk-host.ts';
import { finishTicket, openStaffScreen, takeNumber } from './support/kiosk-page.ts';

/** Wednesday 25 November 2026, 09:30 in the hall. */
const hallMorning = Date.parse('2026-11-25T01:30:00Z');

// The maintenance part of issue #6 end to end: a real host-mode kiosk in Chromium, the virtual
// printer over TCP, and for the heartbeat a real central server on SQLite.

// Each test starts one or two kiosk processes (and a server): slow on a loaded machine.
test.describe.configure({ timeout: 180_000 });

let dataDir: string;
let printer: VirtualPrinter;
const hosts: KioskHost[] = [];

test.beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'hall-maint-e2e-'));
  printer = new VirtualPrinter();
  await printer.start({ port: 0 });
});

test.afterEach(async () => {
  for (const host of hosts.splice(0)) await host.stop();
  await printer.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function startHost(options: Parameters<typeof startKioskHost>[0] = {}): Promise<KioskHost> {
  const host = await startKioskHost({ dataDir, printer, ...options });
  hosts.push(host);
  return host;
}

async function openKiosk(page: Page, host: KioskHost): Promise<void> {
  await page.goto(host.url);
  await expect(page.getByTestId('home')).toBeVisible();
}

async function enterPin(page: Page, pin: string): Promise<void> {
  await page.getByTestId('pin-input').fill(pin);
  await page.getByTestId('pin-submit').click();
}

test('five wrong PINs lock the staff screen with a countdown, and a restart does not lift the lock', async ({ page }) => {
  const first = await startHost();
  await openKiosk(page, first);
  await page.getByTestId('staff-entry').click();
  const message = page.getByTestId('pin-message');
  for (let left = 4; left >= 1; left--) {
    await enterPin(page, '000000');
    await expect(message).toHaveText(`密码错误，还可尝试 ${left} 次`);
  }
  await enterPin(page, '000000');
  await expect(message).toHaveAttribute('data-reason', 'locked');
  await expect(message).toHaveText(/^密码错误次数过多，已锁定。请 4 分 5\d 秒后再试$/);
  // Locked means locked for the right PIN too: the button is off, and the privileged side refuses.
  await page.getByTestId('pin-input').fill(adminPin);
  await expect(page.getByTestId('pin-submit')).toBeDisabled();
  const seconds = Number(await message.getAttribute('data-seconds'));
  await expect(async () => expect(Number(await message.getAttribute('data-seconds'))).toBeLessThan(seconds)).toPass({ timeout: 5_000 });

  const stored = JSON.parse(readFileSync(join(dataDir, 'config.json'), 'utf8')) as { adminPinLockout?: { lockedUntil: number } };
  expect(stored.adminPinLockout?.lockedUntil).toBeGreaterThan(Date.now());

  await first.stop();
  hosts.splice(0);
  const second = await startHost();
  await openKiosk(page, second);
  await page.getByTestId('staff-entry').click();
  // Shown on arrival, before anyone types: the lock came back with the kiosk.
  await expect(page.getByTestId('pin-message')).toHaveAttribute('data-reason', 'locked');
  await expect(page.getByTestId('pin-message')).toContainText('密码错误次数过多，已锁定');
  await expect(page.getByTestId('pin-submit')).toBeDisabled();
  await expect(page.getByTestId('staff')).toHaveCount(0);
});

test('a bad printer URI is refused with a clear Chinese message and nothing is saved', async ({ page }) => {
  const host = await startHost();
  await openKiosk(page, host);
  await openStaffScreen(page, adminPin);
  const configFile = join(dataDir, 'config.json');
  const before = readFileSync(configFile, 'utf8');

  await expect(page.getByTestId('config-printerAddress')).toHaveValue('virtual');
  await page.getByTestId('config-hallName').fill('东城区政务服务中心');
  await page.getByTestId('config-printerAddress').fill('lpt1');
  await page.getByTestId('config-save').click();

  const problem = page.getByTestId('config-printerAddress-problem');
  await expect(problem).toContainText('打印机接口无效：请填写 virtual、tcp://IP地址[:端口]、usb:/dev/usb/lp0 或 serial:/dev/ttyUSB0[?baud=波特率]');
  await expect(problem).toContainText('"lpt1" is not a printer address');
  await expect(page.getByTestId('config-printerAddress')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('config-outcome')).toHaveText('有 1 项填写有误，所有设置均未保存');
  await expect(page.getByTestId('config-hallName-problem')).toHaveCount(0);
  // Nothing half-written: not even the valid hall name.
  expect(readFileSync(configFile, 'utf8')).toBe(before);

  await page.getByTestId('config-printerAddress').fill('tcp://192.168.1.50:9100');
  await page.getByTestId('config-save').click();
  await expect(page.getByTestId('config-outcome')).toHaveText('设置已保存，重新启动自助机后生效');
  const saved = JSON.parse(readFileSync(configFile, 'utf8')) as { hall: { name: string }; printer: { address: string } };
  expect([saved.hall.name, saved.printer.address]).toEqual(['东城区政务服务中心', 'tcp://192.168.1.50:9100']);
});

test('the maintenance screen voids a printed ticket, prints a test page it previewed, exports the logs, and says host mode cannot leave kiosk mode', async ({ page }) => {
  const host = await startHost();
  // Staffed hours whenever the suite runs: outside them the home screen is the self-service area.
  await page.clock.install({ time: hallMorning });
  await openKiosk(page, host);
  const label = await takeNumber(page, 'market', 'biz-registration');
  await expect(page.getByTestId('ticket-print-state')).toHaveAttribute('data-state', 'printed');
  await finishTicket(page);
  await printer.waitForTickets(1, 10_000);
  printer.clear();
  await openStaffScreen(page, adminPin);

  // Voiding takes two taps, and the ticket leaves the list of printed ones.
  const issued = page.getByTestId('issued-list').locator(`[data-label="${label}"]`);
  await issued.getByRole('button', { name: '作废' }).click();
  await issued.getByRole('button', { name: `确认作废 ${label}` }).click();
  await expect(issued).toHaveCount(0);
  await expect(page.getByTestId('issued-list')).toContainText('今日还没有打印的票');

  await expect(page.getByTestId('test-page-preview')).toContainText('打印测试 · 非取号凭证');
  await page.getByTestId('test-print').click();
  await expect(page.getByTestId('test-print-result')).toHaveAttribute('data-outcome', 'printed');
  const [ticket] = await printer.waitForTickets(1, 10_000);
  expect(ticket!.lines.join('\n')).toContain('打印测试 · 非取号凭证');
  expect(ticket!.events.at(-1)?.type).toBe('cut');

  await expect(page.getByTestId('maintenance-versions')).toContainText(`node ${process.versions.node}`);
  await page.getByTestId('export-logs').click();
  await expect(page.getByTestId('export-outcome')).toContainText(`日志已导出到 ${join(dataDir, 'exports')}/hall-kiosk-logs-`);
  const exported = (await page.getByTestId('export-outcome').textContent())!.match(/导出到 (\S+\.log)/)![1]!;
  const text = readFileSync(exported, 'utf8');
  expect(text).toContain('kiosk services started');
  expect(text).not.toContain(adminPin);

  await page.getByTestId('exit-kiosk').click();
  await expect(page.getByTestId('exit-outcome')).toContainText('无法退出全屏自助模式：host mode');
});

test('the heartbeat reaches the server, and paper out raises an alert on the status page', async ({ page, browser }) => {
  const server: RunningServer = await startEmbeddedServer({ dbFile: join(dataDir, 'hall.sqlite'), clock: { now: () => Date.now() }, logger: createServerLogger({ level: 'silent' }) });
  try {
    const device = await server.createDevice('东门 1 号机');
    await startHost({ serverUrl: server.url, enrollCode: device.enrollmentCode });
    const host = hosts[0]!;
    await openKiosk(page, host);

    await createAdminUser(server.db.db, { now: () => Date.now() }, 'office', 'correct horse battery');
    const office = await browser.newPage();
    await office.goto(`${server.url}/admin/kiosks`);
    await office.locator('input[name="username"]').fill('office');
    await office.locator('input[name="password"]').fill('correct horse battery');
    await office.getByRole('button', { name: '登录' }).click();
    const row = office.locator(`tr[data-kiosk-id="${device.deviceId}"]`);

    // The first heartbeat: the kiosk is there, its printer fine, no alert.
    await expect(async () => {
      await office.reload();
      await expect(row).toHaveAttribute('data-alerts', '', { timeout: 1_000 });
      await expect(row).toContainText('正常', { timeout: 1_000 });
      await expect(row).toContainText(`node ${process.versions.node}`, { timeout: 1_000 });
    }).toPass({ timeout: 30_000 });

    printer.setCondition({ paperOut: true });
    await expect(page.getByTestId('status-bar')).toContainText('缺纸');
    await expect(async () => {
      await office.reload();
      await expect(row).toHaveAttribute('data-alerts', 'paper-out', { timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
    await expect(row.locator('[data-alert="paper-out"]')).toHaveText('缺纸');
    await expect(office.getByTestId('summary')).toHaveText('1 台自助机需要处理');
    await office.close();
  } finally {
    for (const host of hosts.splice(0)) await host.stop();
    await server.close();
  }
});
