import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { hallApi } from '../../core/http/contract.ts';
import { pathOf } from '../../core/http/route-contract.ts';
import { startEmbeddedServer, type RunningServer } from '../../server/embedded.ts';
import { updateHallSettings } from '../../server/hall/hall-settings.ts';
import { createServerLogger } from '../../server/http/logger.ts';
import { demoCatalog } from '../support/demo-hall.ts';
import { freePort } from '../support/free-port.ts';
import { counterStaff, setUpCounter } from './support/counter-hall.ts';
import { adminPin, startKioskHost, type KioskHost } from './support/kiosk-host.ts';
import { finishTicket, openStaffScreen, takeNumber } from './support/kiosk-page.ts';
import { expectScreenFits } from './support/screen-fit.ts';
import { staffedAllDay } from './support/staffed-all-day.ts';

// The live ticket end to end: a real hall server (SQLite), a host-mode kiosk enrolled with it at
// its 1080×1920 portrait screen, the virtual printer's ESC/POS decoded, a citizen's phone (390×844)
// opening the QR's address, and window 3 calling through the counter routes.
test.describe.configure({ mode: 'serial' });

let dir: string;
let server: RunningServer;
let serverUrl: string;
let host: KioskHost;
let kioskContext: BrowserContext;
let kiosk: Page;

const livePath = /\/t\/([A-Za-z0-9_-]{22})$/;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(90_000);
  dir = mkdtempSync(join(tmpdir(), 'hall-live-e2e-'));
  const port = await freePort();
  serverUrl = `http://127.0.0.1:${port}`;
  server = await startEmbeddedServer({ dbFile: join(dir, 'hall.sqlite'), port, clock: { now: () => Date.now() }, logger: createServerLogger({ level: 'silent' }), seedCatalog: demoCatalog, seedHallRules: staffedAllDay });
  await setUpCounter(server);
  host = await startKioskHost({ serverUrl, enrollCode: (await server.createDevice('entrance')).enrollmentCode });
  kioskContext = await browser.newContext({ viewport: { width: 1080, height: 1920 }, locale: 'zh-CN' });
  kiosk = await kioskContext.newPage();
  await kiosk.goto(host.url);
  await expect(kiosk.getByTestId('home')).toBeVisible();
  await expect(kiosk.getByTestId('status-online')).toHaveAttribute('data-state', 'online', { timeout: 20_000 });
});

test.afterAll(async () => {
  await kioskContext?.close();
  await host?.stop();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The staff screen's 同步 once, so the kiosk has pulled what the server holds now; back home. */
async function syncNow(): Promise<void> {
  await openStaffScreen(kiosk, adminPin);
  await expect(async () => {
    await kiosk.getByTestId('sync-now').click();
    await expect(kiosk.getByTestId('sync-panel')).toHaveAttribute('data-pending', '0', { timeout: 2_000 });
    await expect(kiosk.getByTestId('sync-panel')).toHaveAttribute('data-connection', 'online', { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await kiosk.getByTestId('staff-logout').click();
  await expect(kiosk.getByTestId('home')).toBeVisible();
}

/** Window 3's clerk, through the counter routes as the counter app sends them. */
async function counterSession(): Promise<(action: string) => Promise<{ label: string; state: string }>> {
  const signIn = await fetch(`${serverUrl}${pathOf(hallApi.counterSignIn)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(counterStaff) });
  expect(signIn.status).toBe(200);
  const { token } = (await signIn.json()) as { token: string };
  return async (action) => {
    const response = await fetch(`${serverUrl}${pathOf(hallApi.counterPress)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ idempotencyKey: randomUUID(), press: { action } }),
    });
    const body = (await response.json()) as { leg: { label: string; state: string } };
    expect(response.status, JSON.stringify(body)).toBe(200);
    return body.leg;
  };
}

test('without the hall’s public address a ticket prints no QR at all; with it, the QR carries <address>/t/<token>', async () => {
  expect(await takeNumber(kiosk, 'market', 'biz-registration')).toBe('A001');
  await expect(kiosk.getByTestId('ticket-print-state')).toHaveAttribute('data-state', 'printed');
  await finishTicket(kiosk);
  const [plain] = await host.printer.waitForTickets(1, 10_000);
  expect(plain!.lines.join('\n')).toContain('A001');
  expect(plain!.qrPayloads).toEqual([]);

  // The hall office sets the address phones reach the server by; the kiosk gets it with its pull.
  await updateHallSettings(server.db.db, { publicAddress: serverUrl });
  await syncNow();
  expect(await takeNumber(kiosk, 'market', 'biz-registration')).toBe('A002');
  await expect(kiosk.getByTestId('ticket-print-state')).toHaveAttribute('data-state', 'printed');
  await finishTicket(kiosk);
  const [, live] = await host.printer.waitForTickets(2, 10_000);
  expect(live!.qrPayloads).toHaveLength(1);
  expect(live!.qrPayloads[0]).toMatch(new RegExp(`^${serverUrl.replace(/[.]/g, '\\.')}/t/[A-Za-z0-9_-]{22}$`));
  // Not the ticket's id, which is time-ordered: nothing in the address says when it was issued.
  const stored = await server.db.db.selectFrom('tickets').select(['id', 'live_token_hash']).where('label', '=', 'A002').executeTakeFirstOrThrow();
  expect(live!.qrPayloads[0]).not.toContain(stored.id);
  expect(stored.live_token_hash).not.toBeNull();
});

test('the phone that scans the QR sees 前面还有1人, then 请到3号窗口 when window 3 calls it, then 办理中 and 已办结', async ({ browser }) => {
  test.setTimeout(90_000);
  const [, a002] = await host.printer.waitForTickets(2, 10_000);
  const url = a002!.qrPayloads[0]!;
  const phoneContext = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', isMobile: true, hasTouch: true });
  try {
    const phone = await phoneContext.newPage();
    await phone.goto(url);
    const status = phone.getByTestId('live-status');
    await expect(phone.getByTestId('live-label')).toHaveText('A002', { timeout: 20_000 });
    await expect(phone.getByTestId('live-service')).toHaveText('企业设立登记');
    // A001 waits before it (the kiosk pushes both within its sync loop).
    await expect(status).toContainText('前面还有1人', { timeout: 20_000 });
    await phone.screenshot({ path: 'docs/live-ticket-waiting.png' });

    const press = await counterSession();
    expect(await press('call')).toMatchObject({ label: 'A001', state: 'called' });
    await expect(status).toContainText('前面还有0人');
    await press('start');
    await press('finish');
    expect(await press('call')).toMatchObject({ label: 'A002', state: 'called' });
    await expect(status).toContainText('请到3号窗口');
    await expect(phone.getByTestId('live-ticket')).toHaveAttribute('data-state', 'called');
    await phone.screenshot({ path: 'docs/live-ticket-called.png' });
    await press('start');
    await expect(status).toContainText('办理中');
    await press('finish');
    await expect(status).toContainText('已办结');

    // A token no ticket has: a page that says so.
    await phone.goto(`${serverUrl}/t/AAAAAAAAAAAAAAAAAAAAAA`);
    await expect(phone.getByTestId('live-not-found')).toContainText('找不到此号票');
  } finally {
    await phoneContext.close();
  }
});

test('out of paper, the kiosk shows the live ticket’s QR on screen as an electronic ticket, which joins the queue: its page says 前面还有0人', async ({ browser }) => {
  host.printer.setCondition({ paperOut: true });
  try {
    expect(await takeNumber(kiosk, 'market', 'biz-registration')).toBe('A003');
    await expect(kiosk.getByTestId('ticket-print-state')).toHaveAttribute('data-state', 'paper-out');
    const eticket = kiosk.getByTestId('ticket-eticket');
    await expect(eticket).toContainText('电子号票 A003');
    await expect(eticket).toContainText('凭手机页面等候叫号');
    const payload = await kiosk.getByTestId('ticket-eticket-qr').getAttribute('data-payload');
    expect(payload).toMatch(livePath);
    expect(payload!.startsWith(`${serverUrl}/t/`)).toBe(true);
    await expectScreenFits(kiosk, 'the electronic ticket at 1080×1920');
    await kiosk.screenshot({ path: 'docs/kiosk-eticket-paper-out.png' });
    await finishTicket(kiosk);

    // 长辈模式 and English: larger type, longer words, and still everything on the screen.
    await kiosk.getByTestId('elder-toggle').click();
    await kiosk.getByTestId('lang-toggle').click();
    expect(await takeNumber(kiosk, 'market', 'biz-registration')).toBe('A004');
    await expect(kiosk.getByTestId('ticket-eticket')).toContainText('electronic ticket A004');
    await kiosk.screenshot({ path: 'docs/kiosk-eticket-paper-out-elder-en.png' });
    await expectScreenFits(kiosk, 'the electronic ticket in elder mode, in English, at 1080×1920');
    await finishTicket(kiosk);

    // Held on the phone, the ticket is issued without paper and waits like any other (A001, A002 are done).
    const phoneContext = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    try {
      const phone = await phoneContext.newPage();
      await expect(async () => {
        await phone.goto(payload!);
        await expect(phone.getByTestId('live-ticket')).toHaveAttribute('data-state', 'waiting', { timeout: 2_000 });
      }).toPass({ timeout: 30_000 });
      await expect(phone.getByTestId('live-status')).toContainText('前面还有0人');
      await expect(phone.getByTestId('live-label')).toHaveText('A003');
    } finally {
      await phoneContext.close();
    }
  } finally {
    host.printer.setCondition({ paperOut: false });
  }
});
