import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { syntheticTemplate } from '../../hardware/sim/fingerprint/fingers.ts';
import { startServer, type RunningServer } from '../../server/embedded.ts';
import { createServerLogger } from '../../server/http/logger.ts';
import { addStaff } from '../../server/staff/roster.ts';
import { parseTemplateKey } from '../../server/staff/template-key.ts';
import { TemplateStore } from '../../server/staff/templates.ts';
import { allowDemoFingers, callKiosk, placeFinger } from './support/kiosk-call.ts';
import { adminPin, startKioskHost, type KioskHost } from './support/kiosk-host.ts';
import { syncRosterUntil } from './support/kiosk-page.ts';
import { staffedAllDay } from './support/staffed-all-day.ts';
import { demoCatalog } from '../support/demo-hall.ts';

// 按指纹进入: a host-mode kiosk with its demo (simulated) reader, enrolled with a central server
// whose roster has an admin and a counter clerk, both with templates. The roster sync puts both
// into the kiosk's reader; at the PIN screen the admin's finger opens the maintenance screen, the
// clerk's does not. The decision is the privileged side's: the page only waits for its answer.
test.describe.configure({ mode: 'serial', timeout: 120_000 });

const adminName = '王管理';
let dir: string;
let server: RunningServer;
let host: KioskHost;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hall-admin-finger-e2e-'));
  const clock = { now: () => Date.now() };
  const templateKey = parseTemplateKey(randomBytes(32).toString('base64'), 'e2e key');
  server = await startServer({ target: { sqliteFile: join(dir, 'hall.sqlite') }, clock, templateKey, logger: createServerLogger({ level: 'silent' }), seedCatalog: demoCatalog, seedHallRules: staffedAllDay });
  await addStaff(server.db.db, clock, { id: 'ADM1', name: adminName, departmentId: 'market', counter: null, role: 'admin' });
  await addStaff(server.db.db, clock, { id: 'S1', name: '李四', departmentId: 'market', counter: '3号窗口' });
  // Enrolled earlier at another kiosk: the templates are the demo fingers the simulator knows by name.
  const templates = new TemplateStore(server.db.db, clock, templateKey);
  await templates.put('ADM1', 1, syntheticTemplate('staff-ADM1'), 'as608-char', null);
  await templates.put('S1', 1, syntheticTemplate('staff-S1'), 'as608-char', null);
  host = await startKioskHost({ serverUrl: server.url, enrollCode: (await server.createDevice('entrance 1')).enrollmentCode });
});

test.afterAll(async () => {
  await host?.stop();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

test("at the PIN screen a clerk's finger is refused and counted, an admin's opens the maintenance screen", async ({ page }) => {
  await page.goto(host.url);
  await expect(page.getByTestId('home')).toBeVisible();
  await syncRosterUntil(page, adminPin, ['S1', 'ADM1']);
  await page.getByTestId('staff-logout').click();
  await expect(page.getByTestId('home')).toBeVisible();
  // The demonstrator's hand, as the benches give it: the PIN through the API, then signed out.
  await allowDemoFingers(host);

  await page.getByTestId('staff-entry').click();
  await expect(page.getByTestId('admin-finger')).toContainText('管理员也可将手指放在指纹仪上，按指纹进入');
  // Signed out, the reader's staff calls are closed to the page.
  await expect(callKiosk(host, 'reader.configure', [{ port: null, baudRate: 57600 }])).rejects.toThrow(/staff sign-in required.*HTTP 403/);

  await placeFinger(host, 'staff-S1');
  const refusal = page.getByTestId('finger-message');
  await expect(refusal).toHaveText('该指纹不是管理员指纹，无法进入维护界面 还可尝试 4 次', { timeout: 10_000 });
  await expect(refusal).toHaveAttribute('data-reason', 'not-admin');
  await expect(page.getByTestId('staff')).toHaveCount(0);
  // The same count as the PIN's: a wrong PIN now leaves three.
  await page.getByTestId('pin-input').fill('000000');
  await page.getByTestId('pin-submit').click();
  await expect(page.getByTestId('pin-message')).toHaveText('密码错误，还可尝试 3 次');

  await page.waitForTimeout(3_000);
  await placeFinger(host, 'nobody');
  await expect(refusal).toHaveText('未能识别该指纹，请使用管理员指纹或输入密码 还可尝试 2 次', { timeout: 10_000 });
  await expect(refusal).toHaveAttribute('data-reason', 'not-recognised');

  await page.waitForTimeout(3_000);
  await placeFinger(host, 'staff-ADM1');
  await expect(page.getByTestId('staff')).toBeVisible({ timeout: 10_000 });
  // The privileged side opened the session: its guarded calls answer now.
  expect(await callKiosk(host, 'config.editable')).toMatchObject({ hallName: expect.any(String) });

  // Nothing personal in the kiosk's log: no name, no template.
  const logDir = join(host.dataDir, 'logs');
  const log = readdirSync(logDir).map((file) => readFileSync(join(logDir, file), 'utf8')).join('\n');
  expect(log).toContain('staff screen opened by an admin fingerprint');
  expect(log).not.toContain(adminName);
  expect(log).not.toContain(syntheticTemplate('staff-ADM1').toString('base64').slice(0, 40));
});
