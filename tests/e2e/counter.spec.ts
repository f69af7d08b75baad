import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { kioskEventSchema } from '../../core/kiosk/kiosk-api.ts';
import { EventStreamReader } from '../../core/http/event-stream-reader.ts';
import type { QueueState } from '../../core/ticket/queue-state.ts';
import { startEmbeddedServer, type RunningServer } from '../../server/embedded.ts';
import { createServerLogger } from '../../server/http/logger.ts';
import { demoCatalog } from '../support/demo-hall.ts';
import { freePort } from '../support/free-port.ts';
import { counterContext, setUpCounter, signInAtCounter } from './support/counter-hall.ts';
import { startKioskHost, type KioskHost } from './support/kiosk-host.ts';
import { finishTicket, takeNumber } from './support/kiosk-page.ts';
import { expectScreenFits } from './support/screen-fit.ts';
import { staffedAllDay } from './support/staffed-all-day.ts';

// 窗口叫号端 end to end: a real hall server (SQLite, on a fixed loopback port so it can be stopped
// and started again), a host-mode kiosk enrolled with it issuing 企业设立登记 tickets (A), and the
// counter app of window 3 in a second browser context at the window PC's 1366×768.
test.describe.configure({ mode: 'serial' });

let dir: string;
let dbFile: string;
let port: number;
let serverUrl: string;
let server: RunningServer | null = null;
let host: KioskHost;
let kioskContext: BrowserContext;
let counterCtx: BrowserContext;
let kiosk: Page;
let counter: Page;
/** The page must run under the server's strict CSP as built: any violation is a bug. */
const cspViolations: string[] = [];

const startServer = async () => {
  server = await startEmbeddedServer({ dbFile, port, clock: { now: () => Date.now() }, logger: createServerLogger({ level: 'silent' }), seedCatalog: demoCatalog, seedHallRules: staffedAllDay });
};

test.beforeAll(async ({ browser }) => {
  test.setTimeout(90_000);
  dir = mkdtempSync(join(tmpdir(), 'hall-counter-e2e-'));
  dbFile = join(dir, 'hall.sqlite');
  port = await freePort();
  serverUrl = `http://127.0.0.1:${port}`;
  await startServer();
  await setUpCounter(server!);
  host = await startKioskHost({ serverUrl, enrollCode: (await server!.createDevice('entrance')).enrollmentCode });
  kioskContext = await browser.newContext();
  kiosk = await kioskContext.newPage();
  await kiosk.goto(host.url);
  await expect(kiosk.getByTestId('home')).toBeVisible();
  await expect(kiosk.getByTestId('status-online')).toHaveAttribute('data-state', 'online', { timeout: 20_000 });
  counterCtx = await counterContext(browser);
  counter = await counterCtx.newPage();
  counter.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) cspViolations.push(m.text());
  });
});


test.afterAll(async () => {
  await kioskContext?.close();
  await counterCtx?.close();
  await host?.stop();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What the kiosk's privileged side tells its page of the queue, read as the page reads it. */
async function queueStateSeenBy(accept: (state: QueueState) => boolean, timeoutMs = 15_000): Promise<QueueState> {
  const token = new URLSearchParams(new URL(host.url).hash.slice(1)).get('token')!;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let last: QueueState | null = null;
  try {
    const response = await fetch(`${host.origin}/api/events?token=${encodeURIComponent(token)}`, { signal: controller.signal });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const framing = new EventStreamReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) throw new Error('host event stream ended');
      for (const message of framing.push(decoder.decode(value, { stream: true }))) {
        const event = kioskEventSchema.parse(JSON.parse(message.data));
        if (event.type !== 'queue-state') continue;
        last = event.state;
        if (event.state && accept(event.state)) return event.state;
      }
    }
  } catch (error) {
    throw new Error(`the kiosk did not see the expected queue state within ${timeoutMs} ms (last: ${JSON.stringify(last)})`, { cause: error });
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

const waitingFor = (serviceId: string, n: number) => (s: QueueState) => (s.services.find((x) => x.serviceId === serviceId)?.waiting ?? 0) === n;

async function issue(expectedAhead: number): Promise<string> {
  const label = await takeNumber(kiosk, 'market', 'biz-registration');
  await expect(kiosk.getByTestId('ticket-print-state')).toHaveAttribute('data-state', 'printed');
  await expect(kiosk.getByTestId('ticket-people-ahead')).toHaveText(`前面还有${expectedAhead}人`);
  await finishTicket(kiosk);
  return label;
}

const current = () => counter.getByTestId('current-ticket');

test('the kiosk issues A001 and A002; window 3 signs in, calls A001, finishes it, and the kiosk’s next ticket has one fewer ahead', async () => {
  test.setTimeout(90_000);
  expect(await issue(0)).toBe('A001');
  expect(await issue(1)).toBe('A002');

  await counter.goto(`${serverUrl}/counter`);
  await expect(counter.getByTestId('sign-in')).toBeVisible();
  await expectScreenFits(counter, 'counter sign-in at 1366×768');
  await signInAtCounter(counter, serverUrl);
  await expect(counter.getByTestId('desk-window-state')).toHaveAttribute('data-state', 'idle');
  // Both tickets reach the window's queue once the kiosk has pushed them.
  await expect(counter.getByTestId('waiting-A001')).toBeVisible({ timeout: 20_000 });
  await expect(counter.getByTestId('waiting-A002')).toBeVisible();
  await expect(counter.getByTestId('waiting-list')).toHaveAttribute('data-count', '2');

  await counter.getByTestId('press-call').click();
  await expect(current()).toHaveAttribute('data-label', 'A001');
  await expect(current()).toHaveAttribute('data-state', 'called');
  await expect(counter.getByTestId('counter-message')).toHaveText('已呼叫 A001');
  await expect(counter.getByTestId('waiting-A001')).toHaveCount(0);
  await counter.getByTestId('press-start').click();
  await expect(current()).toHaveAttribute('data-state', 'serving');
  await expect(counter.getByTestId('current-priority')).toHaveText('普通');
  await expect(counter.getByTestId('current-service')).toHaveText('企业设立登记');
  await expect(counter.getByTestId('current-waited')).toContainText('分钟');

  // The desk as a window sees it, with a ticket being served and one waiting: all of it on the screen.
  await expectScreenFits(counter, 'counter desk at 1366×768');
  await counter.screenshot({ path: 'docs/counter-desk.png' });
  await counter.getByTestId('lang-toggle').click();
  await expect(counter.getByTestId('press-call')).toContainText('Call');
  await expectScreenFits(counter, 'counter desk in English at 1366×768');
  await counter.getByTestId('lang-toggle').click();
  await expect(counter.getByTestId('press-call')).toContainText('叫号');

  await counter.getByTestId('press-finish').click();
  await expect(counter.getByTestId('current-none')).toBeVisible();
  await expect(counter.getByTestId('today-served')).toHaveText('1');

  // A001 left the queue at 叫号: the kiosk hears one waiting (A002), and its next ticket says so.
  await queueStateSeenBy(waitingFor('biz-registration', 1));
  expect(await issue(1)).toBe('A003');
  const printed = await host.printer.waitForTickets(3, 10_000);
  expect(printed[2]!.lines.join('\n')).toContain('前面还有1人');
  expect(cspViolations).toEqual([]);
});

test('a double press on 叫号 calls one ticket; 过号 is refused before the second call, with the hall’s reason', async () => {
  await expect(counter.getByTestId('waiting-A003')).toBeVisible({ timeout: 20_000 });
  const calls: string[] = [];
  counter.on('request', (r) => {
    if (r.url().endsWith('/counter/press') && (r.postDataJSON() as { press: { action: string } }).press.action === 'call') calls.push(r.postData()!);
  });
  await counter.getByTestId('press-call').dblclick();
  await expect(current()).toHaveAttribute('data-label', 'A002');
  // A second press of the key on its way is dropped too.
  await counter.keyboard.press('F1');
  await counter.keyboard.press('F1');
  await expect(counter.getByTestId('waiting-A003')).toBeVisible();
  await expect(counter.getByTestId('today-called')).toHaveText('2');
  expect(calls).toHaveLength(1);

  await counter.getByTestId('press-no-show').click();
  const message = counter.getByTestId('counter-message');
  await expect(message).toHaveAttribute('data-refusal', 'no-show-too-soon');
  await expect(message).toContainText('暂不能过号');
  await expect(current()).toHaveAttribute('data-label', 'A002');
  // In English, the same refusal in the server's English words.
  await counter.getByTestId('lang-toggle').click();
  await counter.getByTestId('press-no-show').click();
  await expect(message).toContainText('cannot be a no-show yet');
  await counter.getByTestId('lang-toggle').click();
  await expect(counter.getByTestId('press-call')).toContainText('叫号');

  await counter.getByTestId('press-start').click();
  await expect(current()).toHaveAttribute('data-state', 'serving');
  await counter.getByTestId('press-finish').click();
  await expect(counter.getByTestId('current-none')).toBeVisible();
});

test('the keyboard: F1 calls, F3 starts, F4 finishes, as the buttons show', async () => {
  await expect(counter.getByTestId('key-call')).toHaveText('F1');
  await expect(counter.getByTestId('key-finish')).toHaveText('F4');
  await expect(counter.getByTestId('press-call')).toBeEnabled();
  await counter.keyboard.press('F1');
  await expect(current()).toHaveAttribute('data-label', 'A003');
  await counter.keyboard.press('F3');
  await expect(current()).toHaveAttribute('data-state', 'serving');
  await counter.keyboard.press('F4');
  await expect(counter.getByTestId('current-none')).toBeVisible();
  // F5 is 过号 here, never the browser's reload: the desk is the same page still.
  await counter.keyboard.press('F5');
  await expect(counter.getByTestId('counter-desk')).toBeVisible();
  await expect(counter.getByTestId('today-served')).toHaveText('3');
});

test('shortcuts are configurable and kept by the browser: a keypad’s 1 becomes 叫号; transfer; pause with a reason and resume', async () => {
  expect(await issue(0)).toBe('A004');
  await expect(counter.getByTestId('waiting-A004')).toBeVisible({ timeout: 20_000 });
  await counter.getByTestId('open-shortcuts').click();
  await counter.getByTestId('bind-call').click();
  await counter.keyboard.press('1');
  await expect(counter.getByTestId('bind-call')).toContainText('1');
  await counter.getByTestId('shortcuts-close').click();
  await expect(counter.getByTestId('key-call')).toHaveText('1');
  // Kept across a reload (the session too, for this tab).
  await counter.reload();
  await expect(counter.getByTestId('counter-desk')).toHaveAttribute('data-online', 'true', { timeout: 15_000 });
  await expect(counter.getByTestId('key-call')).toHaveText('1');
  // The reloaded desk has its queue again and 叫号 is live before a key can call.
  await expect(counter.getByTestId('waiting-A004')).toBeVisible({ timeout: 15_000 });
  await expect(counter.getByTestId('press-call')).toBeEnabled();
  await counter.keyboard.press('F1');
  await expect(counter.getByTestId('current-none')).toBeVisible();
  await counter.keyboard.press('1');
  await expect(current()).toHaveAttribute('data-label', 'A004');
  await counter.keyboard.press('F3');
  await expect(current()).toHaveAttribute('data-state', 'serving');
  // 转移 to 个体工商户登记 (B): the ticket leaves this window, counted as transferred.
  await counter.getByTestId('press-transfer').click();
  await counter.getByTestId('transfer-service').selectOption('sole-trader');
  await counter.getByTestId('transfer-confirm').click();
  await expect(counter.getByTestId('counter-message')).toHaveText('A004 已转移');
  await expect(counter.getByTestId('current-none')).toBeVisible();
  await expect(counter.getByTestId('today-transferred')).toHaveText('1');
  await counter.getByTestId('open-shortcuts').click();
  await counter.getByTestId('shortcuts-reset').click();
  await counter.getByTestId('shortcuts-close').click();
  await expect(counter.getByTestId('key-call')).toHaveText('F1');

  await counter.getByTestId('press-pause').click();
  await counter.getByTestId('pause-outing').click();
  await expect(counter.getByTestId('desk-window-state')).toHaveAttribute('data-state', 'paused');
  await expect(counter.getByTestId('desk-window-state')).toHaveText('暂停：外出送件');
  await expect(counter.getByTestId('press-call')).toBeDisabled();
  await counter.getByTestId('press-resume').click();
  await expect(counter.getByTestId('desk-window-state')).toHaveAttribute('data-state', 'idle');
});

test('a press whose answer is lost is sent again with its key once the server is back: done once', async () => {
  expect(await issue(0)).toBe('A005');
  await expect(counter.getByTestId('waiting-A005')).toBeVisible({ timeout: 20_000 });
  const keys: string[] = [];
  counter.on('request', (r) => {
    if (r.url().endsWith('/counter/press')) keys.push((r.postDataJSON() as { idempotencyKey: string }).idempotencyKey);
  });
  // The server gets the first 叫号 and does it; its answer never reaches the counter.
  let lost = false;
  await counter.route('**/counter/press', async (route) => {
    if (lost) return route.continue();
    lost = true;
    await route.fetch();
    await route.abort('connectionreset');
  });
  await counter.getByTestId('press-call').click();
  // The retry is the same press with the same key: the server answers what it did the first time.
  await expect(counter.getByTestId('counter-message')).toContainText('未重复', { timeout: 20_000 });
  await expect(current()).toHaveAttribute('data-label', 'A005');
  expect(keys).toHaveLength(2);
  expect(keys[1]).toBe(keys[0]);
  await expect(counter.getByTestId('today-called')).toHaveText('5');
  await counter.unroute('**/counter/press');
  await counter.getByTestId('press-start').click();
  await counter.getByTestId('press-finish').click();
  await expect(counter.getByTestId('current-none')).toBeVisible();
});

test('the server goes away: the counter says so at once and disables its buttons, then recovers by itself', async () => {
  test.setTimeout(60_000);
  expect(await issue(0)).toBe('A006');
  await expect(counter.getByTestId('waiting-A006')).toBeVisible({ timeout: 20_000 });
  await expect(counter.getByTestId('press-call')).toBeEnabled();

  await server!.close();
  server = null;
  await expect(counter.getByTestId('offline-banner')).toBeVisible({ timeout: 5_000 });
  await expect(counter.getByTestId('offline-banner')).toContainText('无法连接服务器');
  await expect(counter.getByTestId('counter-desk')).toHaveAttribute('data-online', 'false');
  for (const action of ['call', 'recall', 'start', 'finish', 'no-show', 'pause']) await expect(counter.getByTestId(`press-${action}`)).toBeDisabled();
  await counter.keyboard.press('F1');

  await startServer();
  await expect(counter.getByTestId('offline-banner')).toBeHidden({ timeout: 20_000 });
  await expect(counter.getByTestId('counter-desk')).toHaveAttribute('data-online', 'true');
  // The F1 pressed while the server was away did nothing: A006 still waits.
  await expect(counter.getByTestId('waiting-A006')).toBeVisible();
  await expect(counter.getByTestId('current-none')).toBeVisible();
  await counter.getByTestId('press-call').click();
  await expect(current()).toHaveAttribute('data-label', 'A006');
});
