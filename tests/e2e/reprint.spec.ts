import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { Kysely } from 'kysely';
import { VirtualPrinter } from '../../hardware/sim/virtual-printer.ts';
import type { Database } from '../../server/db/schema.ts';
import { startEmbeddedServer, type RunningServer } from '../../server/embedded.ts';
import { createServerLogger } from '../../server/http/logger.ts';
import { adminPin, startKioskHost, type KioskHost } from './support/kiosk-host.ts';
import { finishTicket, openStaffScreen, takeNumber } from './support/kiosk-page.ts';
import { staffedAllDay } from './support/staffed-all-day.ts';
import { demoCatalog } from '../support/demo-hall.ts';

// 补打 end to end: a host-mode kiosk in Chromium enrolled with a real central server (SQLite),
// printing on the virtual printer over TCP. The server's calendar keeps the counters open at any
// hour the suite runs.

test.describe.configure({ timeout: 180_000 });

let dir: string;
let printer: VirtualPrinter;
let server: RunningServer;
let host: KioskHost;

test.beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hall-reprint-e2e-'));
  printer = new VirtualPrinter();
  await printer.start({ port: 0 });
  server = await startEmbeddedServer({
    dbFile: join(dir, 'hall.sqlite'),
    clock: { now: () => Date.now() },
    logger: createServerLogger({ level: 'silent' }),
    seedCatalog: demoCatalog,
    seedHallRules: staffedAllDay,
  });
  const device = await server.createDevice('东门 1 号机');
  host = await startKioskHost({ dataDir: join(dir, 'kiosk'), printer, serverUrl: server.url, enrollCode: device.enrollmentCode });
});

test.afterEach(async () => {
  await host?.stop();
  await server?.close();
  await printer.stop();
  rmSync(dir, { recursive: true, force: true });
});

const db = (): Kysely<Database> => server.db.db;

async function openKiosk(page: Page): Promise<void> {
  await page.goto(host.url);
  await expect(page.getByTestId('home')).toBeVisible();
  await expect(page.locator('.kiosk')).toHaveAttribute('data-mode', 'staffed', { timeout: 30_000 });
}

/** Types a number the way staff do on the touch screen: one key at a time. */
async function typeOnKeypad(page: Page, number: string): Promise<void> {
  await page.getByTestId('reprint-key-clear').click();
  for (const key of number) await page.getByTestId(`reprint-key-${key}`).click();
  await expect(page.getByTestId('reprint-number')).toHaveValue(number);
  await page.getByTestId('reprint-find').click();
}

/** Staff press 同步 until nothing is left to upload. */
async function syncUntilDrained(page: Page): Promise<void> {
  const panel = page.getByTestId('sync-panel');
  await expect(async () => {
    await page.getByTestId('sync-now').click();
    await expect(panel).toHaveAttribute('data-pending', '0', { timeout: 2_000 });
    await expect(panel).toHaveAttribute('data-connection', 'online', { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
}

async function reprintEvents(): Promise<{ type: string; outcome: string }[]> {
  return db().selectFrom('device_events').select(['type', 'outcome']).where('type', '=', 'ticket.reprinted').execute();
}

test('staff reprint a printed ticket by its number: a second slip marked 补打, ticket.reprinted on the server once', async ({ page }) => {
  await openKiosk(page);
  const label = await takeNumber(page, 'market', 'biz-registration');
  await expect(page.getByTestId('ticket-print-state')).toHaveAttribute('data-state', 'printed');
  const [original] = await printer.waitForTickets(1, 10_000);
  expect(original!.lines.join('\n')).toContain(label);
  expect(original!.lines.join('\n')).not.toContain('补打');
  await finishTicket(page);

  await openStaffScreen(page, adminPin);
  // A number that was never issued today is named, not guessed at.
  await typeOnKeypad(page, 'A99');
  await expect(page.getByTestId('reprint-not-found')).toContainText('本机今日没有 A99 号票');

  await typeOnKeypad(page, label);
  const found = page.getByTestId('reprint-found');
  await expect(found).toHaveAttribute('data-label', label);
  await expect(found).toContainText('企业设立登记');
  await expect(page.getByTestId('reprint-state')).toHaveText('状态：已打印');

  // Two taps: the first only asks.
  await page.getByTestId('reprint-start').click();
  expect(printer.ticketCount).toBe(1);
  await page.getByTestId('reprint-confirm').click();
  await expect(page.getByTestId('reprint-outcome')).toHaveAttribute('data-outcome', 'printed');
  await expect(page.getByTestId('reprint-outcome')).toContainText(`已补打 ${label}`);

  const [, second] = await printer.waitForTickets(2, 10_000);
  const text = second!.lines.join('\n');
  expect(text).toContain(label);
  expect(text).toContain('补打');
  expect(second!.qrPayloads[0]).toBe(original!.qrPayloads[0]);
  expect(second!.events.at(-1)?.type).toBe('cut');
  await expect(page.getByTestId('reprint-state')).toHaveText('状态：已打印');

  await syncUntilDrained(page);
  expect(await reprintEvents()).toEqual([{ type: 'ticket.reprinted', outcome: 'applied' }]);
  const stored = await db().selectFrom('tickets').select(['label', 'state', 'reprint_count', 'print_attempts']).execute();
  expect(stored).toEqual([{ label, state: 'issued', reprint_count: 1, print_attempts: 2 }]);
  expect(await db().selectFrom('dead_letters').select('reason').execute()).toEqual([]);
});

test('out of paper the reprint fails clearly and nothing is recorded; a voided ticket cannot be reprinted', async ({ page }) => {
  await openKiosk(page);
  const label = await takeNumber(page, 'market', 'biz-registration');
  await expect(page.getByTestId('ticket-print-state')).toHaveAttribute('data-state', 'printed');
  await finishTicket(page);
  await printer.waitForTickets(1, 10_000);

  await openStaffScreen(page, adminPin);
  printer.setCondition({ paperOut: true });
  await typeOnKeypad(page, label);
  await page.getByTestId('reprint-start').click();
  await page.getByTestId('reprint-confirm').click();
  const outcome = page.getByTestId('reprint-outcome');
  await expect(outcome).toHaveAttribute('data-outcome', 'paper-out');
  await expect(outcome).toHaveText('补打失败：缺纸。没有记为补打，处理后请再试');
  expect(printer.ticketCount).toBe(1);
  await expect(page.getByTestId('reprint-found')).toContainText('已打印 1 次');

  // Voided on the same screen: the lookup then says it cannot be reprinted, and offers no button.
  printer.setCondition({ paperOut: false });
  const issued = page.getByTestId('issued-list').locator(`[data-label="${label}"]`);
  await issued.getByRole('button', { name: '作废' }).click();
  await issued.getByRole('button', { name: `确认作废 ${label}` }).click();
  await expect(issued).toHaveCount(0);
  await typeOnKeypad(page, label);
  await expect(page.getByTestId('reprint-state')).toHaveText('状态：已作废');
  await expect(page.getByTestId('reprint-refused')).toHaveText('此票已作废，不能补打');
  await expect(page.getByTestId('reprint-start')).toHaveCount(0);
  expect(printer.ticketCount).toBe(1);

  await syncUntilDrained(page);
  expect(await reprintEvents()).toEqual([]);
  expect(await db().selectFrom('tickets').select(['state', 'reprint_count', 'print_attempts']).execute()).toEqual([{ state: 'voided', reprint_count: 0, print_attempts: 1 }]);
});

test('补打 finds a ticket this kiosk printed after its browser profile was wiped, from the kiosk\'s own record, and the server counts the reprint (issue 13 point 3)', async ({ page, browser }) => {
  await openKiosk(page);
  const label = await takeNumber(page, 'market', 'biz-registration');
  await expect(page.getByTestId('ticket-print-state')).toHaveAttribute('data-state', 'printed');
  const [original] = await printer.waitForTickets(1, 10_000);
  await finishTicket(page);
  await openStaffScreen(page, adminPin);
  await syncUntilDrained(page);
  await page.getByTestId('staff-logout').click();

  // A new browser profile on the same kiosk: its database knows no ticket at all.
  const wiped = await browser.newContext({ viewport: { width: 1080, height: 1920 }, locale: 'zh-CN' });
  try {
    const fresh = await wiped.newPage();
    await openKiosk(fresh);
    await openStaffScreen(fresh, adminPin);
    await typeOnKeypad(fresh, label.replace(/^([A-Z]+)0+/, '$1'));
    const found = fresh.getByTestId('reprint-found');
    await expect(found).toHaveAttribute('data-label', label);
    await expect(found).toHaveAttribute('data-source', 'kiosk-record');
    await expect(found).toContainText('企业设立登记');
    await expect(found).toContainText('已打印 1 次');
    await expect(fresh.getByTestId('reprint-state')).toHaveText('状态：已打印');
    await expect(fresh.getByTestId('reprint-source')).toHaveText('本机浏览器中已无此票记录，按本机打印记录补打');
    await expect(fresh.getByTestId('reprint-not-found')).toHaveCount(0);

    await fresh.getByTestId('reprint-start').click();
    expect(printer.ticketCount).toBe(1);
    await fresh.getByTestId('reprint-confirm').click();
    await expect(fresh.getByTestId('reprint-outcome')).toHaveAttribute('data-outcome', 'printed');
    await expect(fresh.getByTestId('reprint-outcome')).toContainText(`已补打 ${label}`);
    const [, second] = await printer.waitForTickets(2, 10_000);
    const text = second!.lines.join('\n');
    expect(text).toContain(label);
    expect(text).toContain('补打');
    expect(second!.qrPayloads[0]).toBe(original!.qrPayloads[0]);
    // The kiosk's record counts the reprint too.
    await expect(found).toContainText('已打印 2 次');

    await syncUntilDrained(fresh);
    expect(await reprintEvents()).toEqual([{ type: 'ticket.reprinted', outcome: 'applied' }]);
    expect(await db().selectFrom('tickets').select(['label', 'state', 'reprint_count', 'print_attempts']).execute()).toEqual([{ label, state: 'issued', reprint_count: 1, print_attempts: 2 }]);
    expect(await db().selectFrom('dead_letters').select('reason').execute()).toEqual([]);
  } finally {
    await wiped.close();
  }
});
