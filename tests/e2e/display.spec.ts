import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { businessDayOf } from '../../core/calendar/business-day.ts';
import { hallApi } from '../../core/http/contract.ts';
import { readHallState } from '../../server/hall/hall-settings.ts';
import { pathOf } from '../../core/http/route-contract.ts';
import { createAdminUser } from '../../server/admin/admin-users.ts';
import { startEmbeddedServer, type RunningServer } from '../../server/embedded.ts';
import { createServerLogger } from '../../server/http/logger.ts';
import { demoCatalog } from '../support/demo-hall.ts';
import { TestKiosk } from '../server/support/kiosk.ts';
import { leasesFor } from '../server/support/number-grants.ts';
import { startCuttingProxy, type CuttingProxy } from './support/cutting-proxy.ts';
import { expectDisplayFits, numberHeightShare } from './support/display-fit.ts';
import { staffedAllDay } from './support/staffed-all-day.ts';

// The hall screens end to end: a real hall server (SQLite), windows 1–3 of 市场监管 with a clerk
// each (over HTTP, as the counter app presses), a kiosk's printed tickets, and the screens in a
// browser that reaches the server through a proxy the test can cut like a network cable.
test.describe.configure({ mode: 'serial' });

interface Announced {
  callId: string;
  ticketLabel: string;
  windowNumber: number;
  recall: boolean;
}

let dir: string;
let server: RunningServer;
let proxy: CuttingProxy;
let adminToken: string;
const counters = new Map<number, string>();
let context: BrowserContext;
let hallPage: Page;

const api = async (method: string, path: string, body?: unknown, token?: string) => {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  expect(response.status, `${method} ${path}: ${JSON.stringify(json)}`).toBe(200);
  return json;
};
const admin = (method: string, path: string, body?: unknown) => api(method, path, body, adminToken);
const press = (window: number, action: string) => api('POST', pathOf(hallApi.counterPress), { idempotencyKey: randomUUID(), press: { action } }, counters.get(window));

/** A display made by the hall office and enrolled on `page` through its own form, as a technician does. */
async function enrolDisplay(page: Page, path: string, display: unknown): Promise<void> {
  const { enrollmentCode } = (await admin('POST', pathOf(hallApi.adminDisplayCreate), display)) as { enrollmentCode: string };
  // Silent: what is said is the voice's own tests' (voice.spec.ts); here, what is announced and in what order.
  await page.goto(`${proxy.url}${path}?silent`);
  await page.getByTestId('display-enrol-code').fill(enrollmentCode);
  await page.getByTestId('display-enrol-submit').click();
  await expect(page.getByTestId('display')).toHaveAttribute('data-online', 'true', { timeout: 15_000 });
  expect(page.url(), 'the token never in a URL').toBe(`${proxy.url}${path}?silent`);
}

const announced = (page: Page) => page.evaluate(() => (window.hallDisplayAnnounced ?? []) as Announced[]);

test.beforeAll(async ({ browser }) => {
  test.setTimeout(90_000);
  dir = mkdtempSync(join(tmpdir(), 'hall-display-e2e-'));
  server = await startEmbeddedServer({ dbFile: join(dir, 'hall.sqlite'), port: 0, clock: { now: () => Date.now() }, logger: createServerLogger({ level: 'silent' }), seedCatalog: demoCatalog, seedHallRules: staffedAllDay });
  proxy = await startCuttingProxy({ host: '127.0.0.1', port: Number(new URL(server.url).port) });
  const clock = { now: () => Date.now() };
  await createAdminUser(server.db.db, clock, 'office', 'correct horse battery');
  adminToken = ((await api('POST', pathOf(hallApi.adminLogin), { username: 'office', password: 'correct horse battery' })) as { token: string }).token;
  const names = ['李明', '张伟', '王静'];
  for (const window of [1, 2, 3]) {
    const staffId = `310${window}`;
    await admin('POST', pathOf(hallApi.adminStaffAdd), { id: staffId, name: names[window - 1], departmentId: 'market', counter: `${window}号窗口` });
    await admin('PUT', pathOf(hallApi.adminWindow, { params: { number: window } }), { name: `${window}号窗口`, departmentId: 'market', profile: { main: ['biz-registration'], extra: [] }, hasEvaluator: false });
    await admin('PUT', pathOf(hallApi.adminCounterPin, { params: { id: staffId } }), { pin: '135790' });
    counters.set(window, ((await api('POST', pathOf(hallApi.counterSignIn), { staffId, pin: '135790', window })) as { token: string }).token);
  }
  // Numbers scripted by hand, made the kiosk's own (leased) first: the server takes no other.
  const kiosk = await TestKiosk.enroll(server.url, (await server.createDevice('entrance')).enrollmentCode, {}, leasesFor(() => server.db.db));
  const now = Date.now();
  const businessDay = businessDayOf(now, (await readHallState(server.db.db)).timeZone);
  for (let n = 1; n <= 12; n++) {
    const ticket = kiosk.issue({ serviceId: 'biz-registration', departmentId: 'market', prefix: 'A', sequence: n, issuedAt: now - 600_000 + n * 1000, businessDay });
    kiosk.printed(ticket, now - 600_000 + n * 1000 + 100);
  }
  const pushed = await kiosk.push(kiosk.outbox);
  expect(pushed.status).toBe(200);
  await admin('PUT', pathOf(hallApi.adminDisplayNotice), { text: '请携带身份证原件，按号就座等候叫号。Please bring your ID card and wait for your number.' });
  context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' });
  hallPage = await context.newPage();
  await enrolDisplay(hallPage, '/display/hall', { name: '一楼综合屏', kind: 'hall', zone: ['market'] });
});

test.afterAll(async () => {
  await context?.close();
  await proxy?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('three calls within 100 ms with the screen cut off in the middle: all shown, each announced once, in order', async () => {
  test.setTimeout(60_000);
  const started = Date.now();
  await press(1, 'call');
  // The screen's connection drops right after the first call (whether or not it heard it yet) and
  // the next two are made while it is away; it comes back with Last-Event-ID.
  proxy.cut();
  await Promise.all([press(2, 'call'), press(3, 'call')]);
  const elapsed = Date.now() - started;
  await hallPage.waitForTimeout(300);
  proxy.resume();

  await expect.poll(async () => (await announced(hallPage)).length, { timeout: 20_000 }).toBe(3);
  const record = await announced(hallPage);
  expect(record.map((r) => r.ticketLabel)).toEqual(['A001', 'A002', 'A003']);
  expect(record.map((r) => Number(r.callId))).toEqual([...record.map((r) => Number(r.callId))].sort((a, b) => a - b));
  expect(new Set(record.map((r) => r.windowNumber))).toEqual(new Set([1, 2, 3]));
  expect(record.every((r) => !r.recall)).toBe(true);
  await expect(hallPage.getByTestId('display-latest-number')).toHaveText('A003');
  await expect(hallPage.getByTestId('display-recent-call')).toHaveCount(2);
  // Within 100 ms by the server's clock, where each call is stamped; the round trips around them
  // are the loaded test machine's and are only printed.
  const stamps = (await server.db.db.selectFrom('hall_events').select('at').where('kind', '=', 'call').orderBy('id').execute()).map((r) => Number(r.at));
  console.info(`three calls stamped within ${stamps.at(-1)! - stamps[0]!} ms (${elapsed} ms of round trips)`);
  expect(stamps).toHaveLength(3);
  expect(stamps.at(-1)! - stamps[0]!).toBeLessThan(100);
});

test('a recall is announced again; a reloaded screen shows the state at once and does not repeat what it announced', async () => {
  test.setTimeout(60_000);
  // 重呼 waits out the hall's cooldown (5 s by default) after the call.
  await hallPage.waitForTimeout(5_500);
  await press(2, 'recall');
  await expect.poll(async () => (await announced(hallPage)).map((r) => [r.ticketLabel, r.recall]), { timeout: 15_000 }).toEqual([
    ['A001', false],
    ['A002', false],
    ['A003', false],
    ['A002', true],
  ]);
  await hallPage.reload();
  await expect(hallPage.getByTestId('display-latest-number')).toHaveText('A002');
  await expect(hallPage.getByTestId('display')).toHaveAttribute('data-online', 'true');
  await hallPage.waitForTimeout(2_000);
  expect(await announced(hallPage), 'nothing said again after the reload').toEqual([]);
  const waiting = hallPage.locator('[data-testid="display-waiting-service"][data-service="biz-registration"] .waiting-count');
  await expect(waiting).toHaveText('9');
  await press(1, 'start');
  await press(1, 'finish');
  await press(1, 'call');
  await expect(hallPage.getByTestId('display-latest-number')).toHaveText('A004');
  await expect(waiting).toHaveText('8');
  await expect.poll(async () => (await announced(hallPage)).map((r) => r.ticketLabel)).toEqual(['A004']);
});

test('the hall screen fits 1920×1080 and 1080×1920, the called number at least 15 % of the height', async () => {
  await expectDisplayFits(hallPage, 'hall screen, landscape');
  expect(await numberHeightShare(hallPage, 'display-latest-number')).toBeGreaterThanOrEqual(0.15);
  await hallPage.screenshot({ path: 'docs/display-hall-landscape.png' });
  await hallPage.setViewportSize({ width: 1080, height: 1920 });
  await expectDisplayFits(hallPage, 'hall screen, portrait');
  expect(await numberHeightShare(hallPage, 'display-latest-number')).toBeGreaterThanOrEqual(0.15);
  await hallPage.screenshot({ path: 'docs/display-hall-portrait.png' });
});

test('the window screen: window, department, staff name and 工号, the number served; 暂停服务 with the reason; 窗口关闭', async ({ browser }) => {
  test.setTimeout(60_000);
  // Another screen, another browser: each holds its own display cookie.
  const windowContext = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' });
  const page = await windowContext.newPage();
  await enrolDisplay(page, '/display/window/1', { name: '1号窗口屏', kind: 'window', window: 1 });
  await expect(page.getByTestId('window-number')).toHaveText('1号窗口');
  await expect(page.getByTestId('window-department')).toContainText('市场监督管理局');
  await expect(page.getByTestId('window-staff')).toContainText('李明');
  await expect(page.getByTestId('window-staff')).toContainText('3101');
  await expect(page.getByTestId('window-serving')).toHaveText('A004');
  await expectDisplayFits(page, 'window screen, landscape');
  expect(await numberHeightShare(page, 'window-serving')).toBeGreaterThanOrEqual(0.15);
  await page.screenshot({ path: 'docs/display-window-landscape.png' });
  await page.setViewportSize({ width: 1080, height: 1920 });
  await expectDisplayFits(page, 'window screen, portrait');
  await page.screenshot({ path: 'docs/display-window-portrait.png' });

  await press(1, 'start');
  await press(1, 'finish');
  const { settings } = (await admin('GET', pathOf(hallApi.adminCallingSettings))) as { settings: { pauseReasons: { code: string; name: { zh: string } }[] } };
  const reason = settings.pauseReasons[0]!;
  await api('POST', pathOf(hallApi.counterPress), { idempotencyKey: randomUUID(), press: { action: 'pause', reason: reason.code } }, counters.get(1));
  await expect(page.getByTestId('window-paused')).toContainText('暂停服务');
  await expect(page.getByTestId('window-pause-reason')).toContainText(reason.name.zh);
  await expectDisplayFits(page, 'window screen paused, portrait');
  await page.screenshot({ path: 'docs/display-window-paused-portrait.png' });
  await press(1, 'resume');
  await api('POST', pathOf(hallApi.counterSignOut), { idempotencyKey: randomUUID() }, counters.get(1));
  await expect(page.getByTestId('window-closed')).toContainText('窗口关闭');
  await windowContext.close();
});
