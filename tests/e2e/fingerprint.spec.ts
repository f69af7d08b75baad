import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { startServer, type RunningServer } from '../../server/embedded.ts';
import { createServerLogger } from '../../server/http/logger.ts';
import { spotCheckResults, startSpotCheck } from '../../server/attendance/spot-checks.ts';
import { addStaff } from '../../server/staff/roster.ts';
import { parseTemplateKey } from '../../server/staff/template-key.ts';
import { allowDemoFingers, placeFinger } from './support/kiosk-call.ts';
import { adminPin, startKioskHost, type KioskHost } from './support/kiosk-host.ts';
import { openStaffScreen, syncRosterUntil } from './support/kiosk-page.ts';
import { staffedAllDay } from './support/staffed-all-day.ts';
import { demoCatalog } from '../support/demo-hall.ts';
import { freePort } from '../support/free-port.ts';

// Two host-mode kiosks with their demo (simulated, real-timing) fingerprint readers, enrolled with
// one central server that has a template key. Staff member A is enrolled on kiosk 1 and signs in
// on kiosk 2; the server is stopped for an offline sign-in and started again on the same port.
test.describe.configure({ mode: 'serial' });

const templateKey = parseTemplateKey(randomBytes(32).toString('base64'), 'e2e key');

let dir: string;
let port: number;
let server: RunningServer | null = null;
let host1: KioskHost;
let host2: KioskHost;
let context1: BrowserContext;
let context2: BrowserContext;
let page1: Page;
let page2: Page;

/** How far the server's clock runs ahead of the real one: moved on where a test needs time to pass. */
let serverAheadMs = 0;

const start = async () => {
  server = await startServer({ target: { sqliteFile: join(dir, 'hall.sqlite') }, port, clock: { now: () => Date.now() + serverAheadMs }, templateKey, logger: createServerLogger({ level: 'silent' }), seedCatalog: demoCatalog, seedHallRules: staffedAllDay });
};

const checkinsOnServer = () => server!.db.db.selectFrom('checkins').select(['id', 'staff_id', 'kind', 'device_id']).execute();

test.beforeAll(async ({ browser }) => {
  dir = mkdtempSync(join(tmpdir(), 'hall-fingerprint-e2e-'));
  port = await freePort();
  await start();
  await addStaff(server!.db.db, { now: () => Date.now() }, { id: 'A1001', name: '张三', departmentId: 'market', counter: '12号窗口' });
  const [one, two] = [await server!.createDevice('kiosk 1'), await server!.createDevice('kiosk 2')];
  const serverUrl = `http://127.0.0.1:${port}`;
  [host1, host2] = await Promise.all([startKioskHost({ serverUrl, enrollCode: one.enrollmentCode }), startKioskHost({ serverUrl, enrollCode: two.enrollmentCode })]);
  [context1, context2] = [await browser.newContext(), await browser.newContext()];
  [page1, page2] = [await context1.newPage(), await context2.newPage()];
  for (const [page, host] of [[page1, host1], [page2, host2]] as const) {
    await page.goto(host.url);
    await expect(page.getByTestId('home')).toBeVisible();
  }
});

test.afterAll(async () => {
  await context1?.close();
  await context2?.close();
  await Promise.all([host1?.stop(), host2?.stop()]);
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function syncUntilDrained(page: Page): Promise<void> {
  if ((await page.getByTestId('staff').count()) === 0) await openStaffScreen(page, adminPin);
  await expect(async () => {
    await page.getByTestId('sync-now').click();
    await expect(page.getByTestId('sync-panel')).toHaveAttribute('data-pending', '0', { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await page.getByTestId('staff-logout').click();
}

/** Home → 工作人员签到 → a simulated finger; returns the screen's answer. */
async function touch(page: Page, finger: 'A1001' | 'unknown') {
  await page.getByTestId('staff-checkin').click();
  await expect(page.getByTestId('checkin-prompt')).toHaveText('请将手指放在指纹仪上');
  await page.getByTestId(`simulate-${finger}`).click();
}

test('staff A enrolled on kiosk 1 signs in on kiosk 2; the record reaches the server once', async () => {
  await syncRosterUntil(page1, adminPin, ['A1001']);
  await page1.getByTestId('enrol-A1001').click();
  const message = page1.getByTestId('enrol-message');
  await expect(message).toHaveText('请将手指平放在指纹仪上');
  await page1.getByTestId('simulate-A1001').click();
  await expect(message).toHaveText('请再次按压同一手指', { timeout: 10_000 });
  await page1.getByTestId('simulate-A1001').click();
  await expect(message).toHaveText('张三 指纹录入成功', { timeout: 10_000 });
  await page1.getByTestId('staff-logout').click();
  expect(await server!.db.db.selectFrom('staff_templates').select('staff_id').execute()).toEqual([{ staff_id: 'A1001' }]);

  await syncRosterUntil(page2, adminPin, ['A1001']);
  await page2.getByTestId('staff-logout').click();
  await touch(page2, 'A1001');
  await expect(page2.getByTestId('checkin-name')).toHaveText('张三', { timeout: 10_000 });
  await expect(page2.getByTestId('checkin-result')).toContainText('签到成功');
  await expect(page2.getByTestId('checkin-result')).toContainText('12号窗口');
  await expect(page2.getByTestId('checkin-time')).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  // A second press a moment later is the same check-in.
  await expect(page2.getByTestId('checkin-prompt')).toBeVisible({ timeout: 10_000 });
  await page2.getByTestId('simulate-A1001').click();
  await expect(page2.getByTestId('checkin-result')).toContainText('已记录', { timeout: 10_000 });
  await page2.getByTestId('nav-home').click();

  await syncUntilDrained(page2);
  await syncUntilDrained(page2);
  const records = await checkinsOnServer();
  expect(records).toHaveLength(1);
  expect(records[0]).toMatchObject({ staff_id: 'A1001', kind: 'sign-in' });
});

test('an unknown finger is refused and never recorded', async () => {
  await touch(page2, 'unknown');
  await expect(page2.getByTestId('checkin-refused')).toHaveText('未能识别，请重试或联系管理员', { timeout: 10_000 });
  await page2.getByTestId('nav-home').click();
  await syncUntilDrained(page2);
  expect(await checkinsOnServer()).toHaveLength(1);
});

test('a sign-in made while the server is down is synced when it is back', async () => {
  await server!.close();
  server = null;
  await touch(page1, 'A1001');
  await expect(page1.getByTestId('checkin-name')).toHaveText('张三', { timeout: 10_000 });
  await page1.getByTestId('nav-home').click();

  await start();
  await syncUntilDrained(page1);
  const records = await checkinsOnServer();
  expect(records).toHaveLength(2);
  expect(new Set(records.map((r) => r.device_id)).size).toBe(2);
});

/** Home must have been up a few seconds before a finger counts (home-finger-watch.tsx): a resting finger is not a touch. */
async function fingerAtHome(page: Page, host: KioskHost): Promise<void> {
  await expect(page.getByTestId('home')).toBeVisible();
  await page.waitForTimeout(3_500);
  await placeFinger(host, 'staff-A1001');
}

test('a finger on the reader at the home screen signs in without a tap on 工作人员签到', async () => {
  await fingerAtHome(page2, host2);
  await expect(page2.getByTestId('checkin-name')).toHaveText('张三', { timeout: 10_000 });
  await expect(page2.getByTestId('checkin-result')).toContainText('12号窗口');
  await expect(page2.getByTestId('checkin-time')).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  await page2.getByTestId('nav-home').click();

  // Mid-task elsewhere, a finger changes nothing: the citizen keeps their screen.
  await page2.getByTestId('take-ticket').click();
  await expect(page2.getByTestId('home')).toHaveCount(0);
  await placeFinger(host2, 'staff-A1001');
  await page2.waitForTimeout(2_500);
  await expect(page2.getByTestId('checkin')).toHaveCount(0);
  await page2.getByTestId('nav-home').click();
  await expect(page2.getByTestId('home')).toBeVisible();
});

test('a sign-in is sent to the server at once, not at the next sync round', async () => {
  const before = (await checkinsOnServer()).length;
  await page2.clock.install();
  await page2.reload();
  await expect(page2.getByTestId('home')).toBeVisible();
  // Past the repeat window, which is judged on the server's clock: both move on. Until resumed no
  // timer fires in the page, so the sync loop's own rounds never come: only the sign-in itself
  // can send it.
  serverAheadMs = 6 * 60_000;
  await page2.clock.pauseAt(Date.now() + serverAheadMs);
  try {
    await touch(page2, 'A1001');
    await expect(page2.getByTestId('checkin-result')).toContainText('签退成功', { timeout: 10_000 });
    await expect.poll(async () => (await checkinsOnServer()).length, { timeout: 5_000 }).toBe(before + 1);
  } finally {
    await page2.clock.resume();
    await page2.getByTestId('nav-home').click();
  }
});

test('during a spot check the kiosk says so; the answer reaches the server results once', async () => {
  const check = await startSpotCheck(server!.db.db, { now: () => Date.now() }, { minutes: 30 }, 'e2e supervisor');
  await syncRosterUntil(page2, adminPin, ['A1001']);
  await page2.getByTestId('staff-logout').click();
  await expect(page2.getByTestId('spot-check-banner')).toContainText('正在进行工作人员抽查', { timeout: 10_000 });
  await fingerAtHome(page2, host2);
  await expect(page2.getByTestId('checkin-result')).toContainText('抽查签到成功', { timeout: 10_000 });
  await expect(page2.getByTestId('checkin-name')).toHaveText('张三');
  await expect(page2.getByTestId('spot-check-banner')).toBeVisible();
  // Pressed again: already answered.
  await expect(page2.getByTestId('checkin-prompt')).toBeVisible({ timeout: 10_000 });
  await placeFinger(host2, 'staff-A1001');
  await expect(page2.getByTestId('checkin-result')).toContainText('已记录', { timeout: 10_000 });
  await page2.getByTestId('nav-home').click();

  await syncUntilDrained(page2);
  await syncUntilDrained(page2);
  const { responses } = await spotCheckResults(server!.db.db, check.id);
  expect(responses).toEqual([expect.objectContaining({ staffId: 'A1001', name: '张三', kind: 'spot-check' })]);
});

test('fingers on the reader keep the sign-in screen up; it goes home a minute after the last one', async ({ browser }) => {
  // One screen per reader, as on a kiosk: kiosk 2's own page would take the finger watch back at its next renewal.
  await page2.goto('about:blank');
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.clock.install();
    await page.goto(host2.url);
    await page.getByTestId('staff-checkin').click();
    await expect(page.getByTestId('checkin-prompt')).toBeVisible();
    await allowDemoFingers(host2);

    await page.clock.fastForward('00:45');
    // Nobody touches the screen: the press alone is the activity (this browser has no roster, so it is refused).
    await placeFinger(host2, 'stranger-idle');
    await expect(page.getByTestId('checkin-refused')).toBeVisible({ timeout: 10_000 });
    // The resting finger is read again and again; once it is off and the last read is in, time moves on.
    await placeFinger(host2, 'lift');
    await page.waitForTimeout(1_500);
    await page.clock.fastForward('00:45');
    await expect(page.getByTestId('checkin')).toBeVisible();
    // runFor, not fastForward: the last seconds are a countdown that ticks once a second.
    await page.clock.runFor('00:20');
    await expect(page.getByTestId('home')).toBeVisible();
  } finally {
    await context.close();
  }
});

