import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { syntheticTemplate } from '../../hardware/sim/fingerprint/fingers.ts';
import { SimulatedFingerprintModule } from '../../hardware/sim/fingerprint/module.ts';
import { startServer, type RunningServer } from '../../server/embedded.ts';
import { createServerLogger } from '../../server/http/logger.ts';
import { addStaff } from '../../server/staff/roster.ts';
import { parseTemplateKey } from '../../server/staff/template-key.ts';
import { TemplateStore } from '../../server/staff/templates.ts';
import { openPtyPair, type PtyPair } from '../hardware/support/pty-pair.ts';
import { adminPin, startKioskHost, type KioskHost } from './support/kiosk-host.ts';
import { openStaffScreen } from './support/kiosk-page.ts';
import { staffedAllDay } from './support/staffed-all-day.ts';
import { demoCatalog } from '../support/demo-hall.ts';

// The kiosk's reader on a real serial line: a socat PTY pair with the protocol-faithful module
// on one end (in this test process) and the host-mode kiosk's driver on the other, chosen on the
// staff screen's port picker. The template is enrolled on the server; the kiosk's sync downloads
// it into the module over the PTY (DownChar, Store) and the finger is identified over it.
test.describe.configure({ mode: 'serial' });

const clock = { now: () => Date.now() };
const templateKey = parseTemplateKey(randomBytes(32).toString('base64'), 'e2e key');
let dir: string;
let server: RunningServer;
let pty: PtyPair;
let module: SimulatedFingerprintModule;
let host: KioskHost;
let page: Page;

test.beforeAll(async ({ browser }) => {
  dir = mkdtempSync(join(tmpdir(), 'hall-fingerprint-pty-'));
  server = await startServer({ target: { sqliteFile: join(dir, 'hall.sqlite') }, port: 0, clock, templateKey, logger: createServerLogger({ level: 'silent' }), seedCatalog: demoCatalog, seedHallRules: staffedAllDay });
  await addStaff(server.db.db, clock, { id: 'B2002', name: '李四', departmentId: 'market', counter: '3号窗口' });
  await new TemplateStore(server.db.db, clock, templateKey).put('B2002', 1, syntheticTemplate('finger-b2002'), 'as608-char', null);
  pty = await openPtyPair();
  module = new SimulatedFingerprintModule({ capacity: 300 });
  await module.attachSerialPort(pty.printerEnd);
  const { enrollmentCode } = await server.createDevice('pty kiosk');
  host = await startKioskHost({ serverUrl: `http://127.0.0.1:${server.port}`, enrollCode: enrollmentCode });
  page = await (await browser.newContext()).newPage();
  await page.goto(host.url);
  await expect(page.getByTestId('home')).toBeVisible();
});

test.afterAll(async () => {
  await page?.context().close();
  await host?.stop();
  await module?.stop();
  await pty?.dispose();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the reader chosen on the staff screen is driven over the PTY: template downloaded, finger at home signs in', async () => {
  await openStaffScreen(page, adminPin);
  await expect(page.getByTestId('reader-port-current')).toHaveText('当前：模拟指纹仪（演示）');
  await page.getByTestId('reader-port-input').fill('relative/tty');
  await page.getByTestId('reader-port-save').click();
  await expect(page.getByTestId('reader-port-message')).toHaveText('端口应为完整路径，如 /dev/ttyUSB0');

  await page.getByTestId('reader-port-input').fill(pty.driverEnd);
  await page.getByTestId('reader-port-save').click();
  await expect(page.getByTestId('reader-port-message')).toHaveText('指纹仪已连接', { timeout: 10_000 });
  await expect(page.getByTestId('reader-port-current')).toHaveText(`当前：${pty.driverEnd} · 57600`);
  // Saved in the kiosk's config: a restart opens the same port.
  expect(JSON.parse(readFileSync(join(host.dataDir, 'config.json'), 'utf8'))).toMatchObject({ reader: { port: pty.driverEnd, baudRate: 57600 } });
  // No demo buttons for a real (here: serial) reader.
  await expect(page.getByTestId('demo-fingers')).toHaveCount(0);

  // Sync brings the roster and puts B2002's template into the module over the line.
  await expect(async () => {
    await page.getByTestId('sync-now').click();
    expect(module.pages()).toHaveLength(1);
  }).toPass({ timeout: 30_000 });
  expect(module.templateAt(module.pages()[0]!)).toEqual(syntheticTemplate('finger-b2002'));
  await page.getByTestId('staff-logout').click();

  await expect(page.getByTestId('home')).toBeVisible();
  await page.waitForTimeout(3_500); // home-finger-watch.tsx arms a few seconds after home appears
  module.placeFinger('finger-b2002');
  await expect(page.getByTestId('checkin-name')).toHaveText('李四', { timeout: 10_000 });
  await expect(page.getByTestId('checkin-result')).toContainText('签到成功');
  await expect(page.getByTestId('checkin-result')).toContainText('3号窗口');
  module.liftFinger();

  // A finger the module does not hold, on the sign-in screen.
  await expect(page.getByTestId('checkin-prompt')).toBeVisible({ timeout: 10_000 });
  module.placeFinger('stranger');
  await expect(page.getByTestId('checkin-refused')).toHaveText('未能识别，请重试或联系管理员', { timeout: 10_000 });
  module.liftFinger();
  await page.getByTestId('nav-home').click();

  await openStaffScreen(page, adminPin);
  await expect(async () => {
    await page.getByTestId('sync-now').click();
    await expect(page.getByTestId('sync-panel')).toHaveAttribute('data-pending', '0', { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  const records = await server.db.db.selectFrom('checkins').select(['staff_id', 'kind']).execute();
  expect(records).toEqual([{ staff_id: 'B2002', kind: 'sign-in' }]);
});

test('with the reader unplugged, 工作人员签到 says 指纹仪未连接 and what to do, and asks for a finger again once it is back', async () => {
  await page.getByTestId('staff-logout').click();
  await expect(page.getByTestId('home')).toBeVisible();
  await page.getByTestId('staff-checkin').click();
  await expect(page.getByTestId('checkin-prompt')).toHaveText('请将手指放在指纹仪上');

  await pty.unplug();
  module.unplug();
  const alert = page.getByTestId('checkin-reader-disconnected');
  // The driver's health probe notices a silent line within a few seconds.
  await expect(alert).toContainText('指纹仪未连接', { timeout: 15_000 });
  await expect(alert).toContainText('请检查指纹仪的数据线是否插好');
  await expect(page.getByTestId('checkin-prompt')).toHaveCount(0);
  // The reader's own refusal would say less than the notice does; it is not shown beside it.
  await expect(page.getByTestId('checkin-refused')).toHaveCount(0);
  await expect(page.getByText('指纹仪不可用')).toHaveCount(0);
  await page.screenshot({ path: 'docs/checkin-reader-disconnected.png' });

  await pty.replug();
  module.plugIn();
  await module.attachSerialPort(pty.printerEnd);
  await expect(page.getByTestId('checkin-prompt')).toHaveText('请将手指放在指纹仪上', { timeout: 15_000 });
  await expect(alert).toHaveCount(0);
});
