import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { RunningServer } from '../../server/embedded.ts';
import { addStaff } from '../../server/staff/roster.ts';
import { enrollmentCodeFor, startDemoServer } from '../../scripts/demo-server.ts';
import { placeFinger } from './support/kiosk-call.ts';
import { adminPin, startKioskHost, type KioskHost } from './support/kiosk-host.ts';
import { syncRosterUntil } from './support/kiosk-page.ts';

// A fresh `npm start` in demo mode, as a person meets it: the hall server embedded on the kiosk's
// data dir (scripts/demo-server.ts, the start path npm start takes), fingers enrolled at this
// kiosk's staff screen through the simulated reader — not templates planted on the server, which
// is how tests/e2e/admin-finger.spec.ts passed while the demo refused every enrolment (no key).
test.describe.configure({ mode: 'serial', timeout: 120_000 });

let dataDir: string;
let server: RunningServer;
let host: KioskHost;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'hall-demo-start-e2e-'));
  const clock = { now: () => Date.now() };
  server = await startDemoServer(dataDir, { clock, port: 0 });
  await addStaff(server.db.db, clock, { id: 'ADM1', name: '王管理', departmentId: 'market', counter: null, role: 'admin' });
  await addStaff(server.db.db, clock, { id: 'S1', name: '李四', departmentId: 'market', counter: '3号窗口' });
  const code = await enrollmentCodeFor(server, {});
  host = await startKioskHost({ dataDir, serverUrl: server.url, ...(code ? { enrollCode: code } : {}) });
});

test.afterAll(async () => {
  await host?.stop();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('fingers enrolled at the demo kiosk: the admin opens the staff screen by finger, the clerk is told it is not an admin finger', async ({ page }) => {
  await page.goto(host.url);
  await expect(page.getByTestId('home')).toBeVisible();
  await syncRosterUntil(page, adminPin, ['ADM1', 'S1']);
  await expect(page.getByTestId('maintenance-actions')).not.toContainText('将在以后提供');
  await expect(page.getByTestId('maintenance-actions')).toContainText('管理员也可按指纹进入');

  const message = page.getByTestId('enrol-message');
  for (const [id, name] of [['ADM1', '王管理'], ['S1', '李四']] as const) {
    // The last person's hand off the glass first: a simulated tap rests there 1.5 s.
    await placeFinger(host, 'lift');
    await page.getByTestId(`enrol-${id}`).click();
    await expect(message).toHaveText('请将手指平放在指纹仪上');
    await page.getByTestId(`simulate-${id}`).click();
    await expect(message).toHaveText('请再次按压同一手指', { timeout: 10_000 });
    await page.getByTestId(`simulate-${id}`).click();
    await expect(message).toHaveText(`${name} 指纹录入成功`, { timeout: 10_000 });
  }
  expect((await server.db.db.selectFrom('staff_templates').select('staff_id').orderBy('staff_id').execute()).map((r) => r.staff_id)).toEqual(['ADM1', 'S1']);
  await page.getByTestId('maintenance-actions').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'docs/staff-screen-fingerprint.png' });
  await page.getByTestId('staff-logout').click();

  await page.getByTestId('staff-entry').click();
  await expect(page.getByTestId('admin-finger')).toBeVisible({ timeout: 10_000 });
  await placeFinger(host, 'staff-S1');
  const refusal = page.getByTestId('finger-message');
  await expect(refusal).toHaveAttribute('data-reason', 'not-admin', { timeout: 10_000 });
  await expect(refusal).toContainText('不是管理员指纹');
  await page.screenshot({ path: 'docs/staff-pin-finger-refused.png' });

  await page.waitForTimeout(3_000);
  await placeFinger(host, 'staff-ADM1');
  await expect(page.getByTestId('staff')).toBeVisible({ timeout: 10_000 });
});
