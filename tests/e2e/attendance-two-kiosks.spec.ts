import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { hallLocalTime } from '../../core/calendar/business-day.ts';
import { putWorkSchedule } from '../../server/attendance/schedules.ts';
import { startServer, type RunningServer } from '../../server/embedded.ts';
import { createServerLogger } from '../../server/http/logger.ts';
import { grantEnrolment } from '../../server/staff/enrolment-grants.ts';
import { addStaff } from '../../server/staff/roster.ts';
import { parseTemplateKey } from '../../server/staff/template-key.ts';
import { adminPin, startKioskHost, type KioskHost } from './support/kiosk-host.ts';
import { syncRosterUntil } from './support/kiosk-page.ts';
import { staffedAllDay } from './support/staffed-all-day.ts';
import { demoCatalog } from '../support/demo-hall.ts';

// Two host-mode kiosks on one hall server, each with its simulated fingerprint reader. A staff
// member signs in at kiosk 1 and, later, touches kiosk 2, which has never seen their sign-in: the
// server, which has every kiosk's check-ins, makes it the sign-out (issue 13 #20).
test.describe.configure({ mode: 'serial' });

/** How far the server's clock runs ahead of the real one: moved on to get past the repeat window. */
let serverAheadMs = 0;
const serverClock = { now: () => Date.now() + serverAheadMs };

let dir: string;
let server: RunningServer;
let deviceIds: [string, string];
let hosts: KioskHost[] = [];
let contexts: BrowserContext[] = [];
let page1: Page;
let page2: Page;

test.beforeAll(async ({ browser }) => {
  dir = mkdtempSync(join(tmpdir(), 'hall-attendance-e2e-'));
  server = await startServer({
    target: { sqliteFile: join(dir, 'hall.sqlite') },
    port: 0,
    clock: serverClock,
    templateKey: parseTemplateKey(randomBytes(32).toString('base64'), 'e2e key'),
    logger: createServerLogger({ level: 'silent' }),
    seedCatalog: demoCatalog,
    seedHallRules: staffedAllDay,
  });
  // One session the whole day, so the test means the same at any hour (the kiosks' own hours split at noon).
  await putWorkSchedule(server.db.db, serverClock, staffedAllDay, 'all-day', {
    name: '全天',
    sessions: [{ id: 'day', name: { zh: '全天', en: 'All day' }, start: '00:00', end: '23:59' }],
  });
  await addStaff(server.db.db, serverClock, { id: 'B2002', name: '李四', departmentId: 'market', counter: '7号窗口', scheduleId: 'all-day' });
  const devices = [await server.createDevice('kiosk 1'), await server.createDevice('kiosk 2')];
  deviceIds = [devices[0]!.deviceId, devices[1]!.deviceId];
  hosts = await Promise.all(devices.map((d) => startKioskHost({ serverUrl: server.url, enrollCode: d.enrollmentCode })));
  // The office's leave for kiosk 1 to enrol B2002 (server/staff/enrolment-grants.ts).
  await grantEnrolment(server.db.db, serverClock, { staffId: 'B2002', deviceId: deviceIds[0], grantedBy: 'office', minutes: 60 });
  contexts = [await browser.newContext(), await browser.newContext()];
  [page1, page2] = [await contexts[0]!.newPage(), await contexts[1]!.newPage()];
  for (const [page, host] of [[page1, hosts[0]!], [page2, hosts[1]!]] as const) {
    await page.goto(host.url);
    await expect(page.getByTestId('home')).toBeVisible();
  }
});

test.afterAll(async () => {
  for (const context of contexts) await context.close();
  await Promise.all(hosts.map((h) => h.stop()));
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Home → 工作人员签到 → the simulated finger of B2002. */
async function touch(page: Page): Promise<void> {
  await page.getByTestId('staff-checkin').click();
  await expect(page.getByTestId('checkin-prompt')).toHaveText('请将手指放在指纹仪上');
  await page.getByTestId('simulate-B2002').click();
}

const checkinsOnServer = () => server.db.db.selectFrom('checkins').select(['kind', 'session', 'device_id', 'corrected_at']).where('staff_id', '=', 'B2002').orderBy('corrected_at').execute();

test('signing in at kiosk 1 and out at kiosk 2 records one sign-in and one sign-out', async () => {
  // The sign-out is six minutes after the sign-in: both must fall on the same hall day.
  test.skip(hallLocalTime(Date.now(), 'Asia/Shanghai').time >= '23:45', 'too close to the hall’s midnight');

  // Enrolled at kiosk 1; kiosk 2 takes the template from the server.
  await syncRosterUntil(page1, adminPin, ['B2002']);
  await page1.getByTestId('enrol-B2002').click();
  const message = page1.getByTestId('enrol-message');
  await expect(message).toHaveText('请将手指平放在指纹仪上');
  await page1.getByTestId('simulate-B2002').click();
  await expect(message).toHaveText('请再次按压同一手指', { timeout: 10_000 });
  await page1.getByTestId('simulate-B2002').click();
  await expect(message).toHaveText('李四 指纹录入成功', { timeout: 10_000 });
  await page1.getByTestId('staff-logout').click();
  await syncRosterUntil(page2, adminPin, ['B2002']);
  await page2.getByTestId('staff-logout').click();

  await touch(page1);
  await expect(page1.getByTestId('checkin-name')).toHaveText('李四', { timeout: 10_000 });
  await expect(page1.getByTestId('checkin-result')).toContainText('签到成功');
  await page1.getByTestId('nav-home').click();

  // Past the repeat window on every clock: the server's, and kiosk 2's (paused there, so only the
  // touch itself talks to the server).
  await page2.clock.install();
  await page2.reload();
  await expect(page2.getByTestId('home')).toBeVisible();
  serverAheadMs = 6 * 60_000;
  await page2.clock.pauseAt(Date.now() + serverAheadMs);
  try {
    await touch(page2);
    await expect(page2.getByTestId('checkin-name')).toHaveText('李四', { timeout: 10_000 });
    // Kiosk 2 holds no check-in of 李四: on its own records this would be a second 签到.
    await expect(page2.getByTestId('checkin-result')).toContainText('签退成功');
  } finally {
    await page2.clock.resume();
    await page2.getByTestId('nav-home').click();
  }

  const stored = await checkinsOnServer();
  expect(stored.map((c) => [c.kind, c.session, c.device_id])).toEqual([
    ['sign-in', 'day', deviceIds[0]],
    ['sign-out', 'day', deviceIds[1]],
  ]);
});

test('the header clock is the hall clock the rules read, corrected by the server, not the device clock (issue 13 point 6)', async () => {
  // The server runs three hours ahead of this machine: kiosk 1's device clock is wrong by as much.
  serverAheadMs = 3 * 3_600_000;
  await page1.reload();
  await expect(page1.getByTestId('home')).toBeVisible();
  const shown = (at: number) => hallLocalTime(at, 'Asia/Shanghai').time.slice(0, 5);
  await expect(async () => {
    const now = Date.now();
    // The minute may turn between reading and looking: either side of it is the hall's.
    const hall = [shown(now + serverAheadMs - 60_000), shown(now + serverAheadMs), shown(now + serverAheadMs + 60_000)];
    const text = (await page1.getByTestId('status-clock').textContent()) ?? '';
    expect(hall.some((t) => text.includes(t)), `${text} is not the hall's ${hall[1]}`).toBe(true);
    expect(text).not.toContain(shown(now));
  }).toPass({ timeout: 30_000 });
});
