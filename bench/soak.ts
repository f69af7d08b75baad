// The reliability budget: weeks of hall use, time-compressed. A host-mode kiosk (real process, the
// virtual printer over TCP, its simulated fingerprint reader) enrolled with a central server in
// this process, driven in Debian's Chromium. The hall's time is simulated: Playwright's page.clock
// moves the kiosk and the server's injected clock moves with it, so both agree on the business day.
// Each simulated day: 25 rounds 20 minutes apart of 20 tickets, 4 guide views and one fingerprint
// check-in, then the kiosk is carried across closing (18:00) and the next opening (09:00).
// Budget: renderer heap growth under 10 MB, no errors, every event on the server exactly once.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { chromium, type CDPSession, type Page } from '@playwright/test';
import { hallLocalTime } from '../core/calendar/business-day.ts';
import { VirtualPrinter } from '../hardware/sim/virtual-printer.ts';
import { chromiumFlags } from '../playwright.config.ts';
import { startServer, type RunningServer } from '../server/embedded.ts';
import { createServerLogger } from '../server/http/logger.ts';
import { addStaff } from '../server/staff/roster.ts';
import { parseTemplateKey } from '../server/staff/template-key.ts';
import { allowDemoFingers } from '../tests/e2e/support/kiosk-call.ts';
import { adminPin, startKioskHost } from '../tests/e2e/support/kiosk-host.ts';
import { staffedEveryDay } from '../tests/e2e/support/staffed-all-day.ts';
import { soakDriverScript, type SoakWindow } from './support/soak-driver.ts';
import { readDemoCatalog } from '../server/catalog/demo-catalog.ts';

const demoHallContent = readDemoCatalog('full');
const { catalog: fullDemoCatalog, guides: demoGuides } = demoHallContent;

const days = Number(process.env.SOAK_DAYS ?? 20);
/** A real-time budget (minutes): on a busy machine the soak ends after the last whole day that fits. */
const budgetMinutes = Number(process.env.SOAK_BUDGET_MINUTES ?? Infinity);
const roundsPerDay = 25;
const roundMs = 20 * 60_000;
const ticketsPerRound = 20;
const guidesPerRound = 4;
const hallZone = 'Asia/Shanghai';
/** Monday 7 December 2026, 09:00 in the hall. */
const firstOpening = Date.parse('2026-12-07T01:00:00Z');
const dayMs = 24 * 3_600_000;
const openToCloseMs = 9 * 3_600_000;
/** Counters open 09:00–18:00 every day with no 限号: the soak issues 500 numbers a day for 20 days. */
const soakHall = staffedEveryDay('09:00', '18:00', { withQuotas: false });
const staff = [
  { id: 'S1001', name: '张三' },
  { id: 'S1002', name: '李四' },
  { id: 'S1003', name: '王五' },
  { id: 'S1004', name: '赵六' },
  { id: 'S1005', name: '钱七' },
];

/**
 * The hall's simulated time: the wall clock plus an offset that grows with every jump. The page's
 * installed clock flows at the real rate between jumps, exactly as this does.
 */
class HallTime {
  private offsetMs: number;
  constructor(start: number) {
    this.offsetMs = start - Date.now();
  }
  now(): number {
    return Date.now() + this.offsetMs;
  }
  async advanceTo(page: Page, at: number): Promise<void> {
    const by = Math.round(at - this.now());
    if (by <= 0) return;
    this.offsetMs += by;
    await page.clock.fastForward(by);
  }
}

/** Waits (in real time) until `check` holds; throws `what` after timeoutMs. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`soak: gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Carries the kiosk across closing or opening and checks that, with no reload, it shows the screen
 * of that mode at the new hall time: the 24-hour self-service area after hours, the counters by day.
 */
export async function switchMode(page: Page, time: HallTime, to: { mode: 'after-hours' | 'day'; at: number }): Promise<void> {
  await time.advanceTo(page, to.at);
  const hhmm = hallLocalTime(to.at, hallZone).time.slice(0, 5);
  const screenMode = to.mode === 'after-hours' ? 'self-service' : 'staffed';
  await until(`the kiosk to show its ${screenMode} screen at ${hhmm}`, async () => {
    const clock = await page.getByTestId('status-clock').textContent({ timeout: 5_000 });
    const mode = await page.locator('.kiosk').getAttribute('data-mode', { timeout: 5_000 });
    return (clock ?? '').includes(hhmm) && mode === screenMode && (await page.getByTestId('home').isVisible());
  });
}

async function rendererHeapMb(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize / 2 ** 20;
}

/** Resident memory of the host process (the kiosk's main side), from /proc. */
function hostRssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  return line ? Number(line[1]) / 1024 : Number.NaN;
}

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
/**
 * Heap of this process after a full GC. The central server runs in it, but so does Playwright's
 * client, which holds an object for every request of a page that never navigates: this figure
 * cannot be put on the server alone.
 */
function benchProcessHeapMb(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/** SOAK_HEAP_SNAPSHOTS=<dir>: heap snapshots of this process, to see what its growth is made of. */
function snapshotBenchProcess(when: string): void {
  const dir = process.env.SOAK_HEAP_SNAPSHOTS;
  if (dir) console.log(`heap snapshot ${writeHeapSnapshot(join(dir, `soak-bench-${when}.heapsnapshot`))}`);
}

async function openStaffScreen(page: Page): Promise<void> {
  await page.getByTestId('staff-entry').click();
  await page.getByTestId('pin-input').fill(adminPin);
  await page.getByTestId('pin-submit').click();
  await page.getByTestId('staff').waitFor();
}

/** The staff screen's 同步 until the whole roster shows (and with it the templates). */
async function syncRoster(page: Page): Promise<void> {
  await until('the roster to reach the kiosk', async () => {
    await openStaffScreen(page);
    await page.getByTestId('sync-now').click();
    await page.waitForTimeout(500);
    const shown = await page.getByTestId(`roster-${staff.at(-1)!.id}`).isVisible();
    await page.getByTestId('staff-logout').click();
    return shown;
  });
}

async function enrol(page: Page, member: (typeof staff)[number]): Promise<void> {
  const message = async (text: string) => {
    await page
      .locator('[data-testid="enrol-message"]', { hasText: text })
      .waitFor({ timeout: 20_000 })
      .catch(async () => {
        throw new Error(`soak: enrolling ${member.id} expected "${text}", the kiosk says "${await page.getByTestId('enrol-message').textContent()}"`);
      });
  };
  // The previous member's simulated tap rests on the sensor for 1.5 s: let it lift first.
  await page.waitForTimeout(2_000);
  await page.getByTestId(`enrol-${member.id}`).click();
  await message('请将手指平放在指纹仪上');
  await page.getByTestId(`simulate-${member.id}`).click();
  await message('请再次按压同一手指');
  await page.getByTestId(`simulate-${member.id}`).click();
  await message(`${member.name} 指纹录入成功`);
}

/** 同步 until nothing is pending, twice, so the last acknowledgements are in too. */
async function drain(page: Page): Promise<void> {
  await openStaffScreen(page);
  for (let i = 0; i < 2; i++) {
    await until('the outbox to drain', async () => {
      await page.getByTestId('sync-now').click();
      await page.waitForTimeout(500);
      const panel = page.getByTestId('sync-panel');
      return (await panel.getAttribute('data-pending')) === '0' && (await panel.getAttribute('data-connection')) === 'online';
    }, 120_000);
  }
  await page.getByTestId('staff-logout').click();
}

async function countRows(server: RunningServer, table: 'tickets' | 'checkins'): Promise<number> {
  const row = await server.db.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Services a citizen reaches on the first page of their department, with room for a day's share. */
function pickServices(perDay: number): { tickets: { departmentId: string; id: string }[]; guides: { departmentId: string; id: string }[] } {
  const firstOfDepartment = (wanted: (s: (typeof fullDemoCatalog.services)[number]) => boolean) =>
    fullDemoCatalog.departments.flatMap((d) => fullDemoCatalog.services.filter((s) => s.departmentId === d.id).slice(0, 4).filter(wanted).slice(0, 2));
  const tickets = firstOfDepartment((s) => s.dailyQuota >= 100);
  const share = Math.ceil(perDay / tickets.length);
  const short = tickets.find((s) => s.dailyQuota < share);
  if (short) throw new Error(`soak: ${short.id} has a quota of ${short.dailyQuota}, below its daily share of ${share}`);
  const guides = firstOfDepartment((s) => Object.hasOwn(demoGuides, s.id));
  return { tickets, guides };
}

export async function runSoakBench(): Promise<Record<string, number>> {
  const started = performance.now();
  const time = new HallTime(firstOpening);
  const clock = { now: () => time.now() };
  const { tickets: ticketServices, guides: guideServices } = pickServices(roundsPerDay * ticketsPerRound);
  const dir = mkdtempSync(join(tmpdir(), 'hall-soak-'));
  const templateKey = parseTemplateKey(randomBytes(32).toString('base64'), 'soak key');
  const server = await startServer({ target: { sqliteFile: join(dir, 'hall.sqlite') }, clock, templateKey, logger: createServerLogger({ level: 'silent' }), seed: demoHallContent, seedHallRules: soakHall });
  for (const member of staff) await addStaff(server.db.db, clock, { ...member, departmentId: 'market', counter: '12号窗口' });
  const printer = new VirtualPrinter({ keep: 20 });
  await printer.start({ port: 0 });
  let printed = 0;
  printer.onTicket(() => printed++);
  const device = await server.createDevice('soak kiosk');
  const host = await startKioskHost({ printer, serverUrl: server.url, enrollCode: device.enrollmentCode });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumFlags });

  const errors: string[] = [];
  const counts = { tickets: 0, guide_views: 0, sign_ins: 0, mode_switches: 0, print_failures: 0 };
  try {
    const page = await browser.newPage({ viewport: { width: 1080, height: 1920 }, locale: 'zh-CN' });
    page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console error: ${message.text()}`);
    });
    page.on('requestfailed', (request) => errors.push(`request failed: ${request.method()} ${new URL(request.url()).pathname} ${request.failure()?.errorText}`));
    page.on('response', (response) => {
      if (response.status() >= 500) errors.push(`HTTP ${response.status()}: ${new URL(response.url()).pathname}`);
    });
    await page.clock.install({ time: time.now() });
    await page.addInitScript(soakDriverScript);
    await page.goto(host.url);
    await page.getByTestId('home').waitFor();
    const cdp = await page.context().newCDPSession(page);

    await syncRoster(page);
    await openStaffScreen(page);
    for (const member of staff) await enrol(page, member);
    await page.getByTestId('staff-logout').click();
    await drain(page);
    // The kiosk takes simulated fingers for 15 real minutes after a PIN (PinService.demoFingersAllowed);
    // the soak runs longer, so the demonstrator gives the PIN again now and then.
    let demoFingersSince = performance.now();

    const heapAtStart = await rendererHeapMb(cdp);
    let baseline = { renderer: heapAtStart, host: hostRssMb(host.process.pid!), benchProcess: benchProcessHeapMb() };
    const dailyHeap: number[] = [];

    let daysRun = 0;
    for (let day = 0; day < days; day++) {
      const opening = firstOpening + day * dayMs;
      for (let round = 0; round < roundsPerDay; round++) {
        await time.advanceTo(page, opening + round * roundMs);
        const jobs = Array.from({ length: ticketsPerRound }, (_, i) => {
          const n = counts.tickets + i;
          const service = ticketServices[n % ticketServices.length]!;
          return { departmentId: service.departmentId, serviceId: service.id, priority: n % 7 === 0 ? 'elderly' : 'normal' };
        });
        const t0 = performance.now();
        const results = await page.evaluate((batch) => (window as unknown as SoakWindow).__soak.tickets(batch), jobs);
        counts.tickets += results.length;
        for (const r of results) if (r.print !== 'printed') counts.print_failures++;

        const guides = Array.from({ length: guidesPerRound }, (_, i) => {
          const service = guideServices[(counts.guide_views + i) % guideServices.length]!;
          return { departmentId: service.departmentId, serviceId: service.id };
        });
        const t1 = performance.now();
        await page.evaluate((views) => (window as unknown as SoakWindow).__soak.guides(views), guides);
        counts.guide_views += guides.length;

        const t2 = performance.now();
        const member = staff[round % staff.length]!;
        if (performance.now() - demoFingersSince > 10 * 60_000) {
          await allowDemoFingers(host);
          demoFingersSince = performance.now();
        }
        const answer = await page.evaluate((id) => (window as unknown as SoakWindow).__soak.checkin(id), member.id);
        if (answer.name !== member.name || !/^签(到|退)成功$/.test(answer.kind)) errors.push(`check-in of ${member.id} answered "${answer.name} ${answer.kind}"`);
        else counts.sign_ins++;
        if (process.env.SOAK_TRACE) {
          const steps = await page.evaluate(() => (window as unknown as SoakWindow).__soak.steps());
          console.log(`round ${round}: tickets ${(t1 - t0).toFixed(0)} ms, guides ${(t2 - t1).toFixed(0)} ms, check-in ${(performance.now() - t2).toFixed(0)} ms`, steps);
        }
      }
      await switchMode(page, time, { mode: 'after-hours', at: opening + openToCloseMs + 30_000 });
      await switchMode(page, time, { mode: 'day', at: opening + dayMs + 30_000 });
      counts.mode_switches += 2;
      const heap = await rendererHeapMb(cdp);
      dailyHeap.push(heap);
      // The first day warms up what a kiosk keeps for good (JIT code, fonts, caches): growth counts from its end.
      if (day === 0) {
        baseline = { renderer: heap, host: hostRssMb(host.process.pid!), benchProcess: benchProcessHeapMb() };
        snapshotBenchProcess('after-day-1');
      }
      const minutes = (performance.now() - started) / 60_000;
      console.log(`day ${day + 1}/${days}: ${counts.tickets} tickets, heap ${heap.toFixed(1)} MB, ${errors.length} errors, ${minutes.toFixed(1)} min`);
      daysRun = day + 1;
      if (minutes * (1 + 1 / daysRun) > budgetMinutes) break;
    }

    await drain(page);
    const [serverTickets, serverCheckins] = [await countRows(server, 'tickets'), await countRows(server, 'checkins')];
    const expected = counts.tickets + counts.sign_ins;
    const arrived = serverTickets + serverCheckins;
    const heapEnd = await rendererHeapMb(cdp);
    snapshotBenchProcess('end');
    if (printed !== counts.tickets) errors.push(`the printer cut ${printed} tickets for ${counts.tickets} issued`);
    for (const e of errors.slice(0, 20)) console.error(e);
    return {
      ...counts,
      simulated_days: daysRun,
      planned_days: days,
      simulated_minutes: Math.round((time.now() - firstOpening) / 60_000),
      real_minutes: round((performance.now() - started) / 60_000),
      heap_growth_mb: round(heapEnd - baseline.renderer),
      heap_start_mb: round(heapAtStart),
      heap_after_first_day_mb: round(baseline.renderer),
      heap_end_mb: round(heapEnd),
      heap_max_daily_mb: round(Math.max(...dailyHeap)),
      host_rss_growth_mb: round(hostRssMb(host.process.pid!) - baseline.host),
      bench_process_heap_growth_mb: round(benchProcessHeapMb() - baseline.benchProcess),
      errors: errors.length + counts.print_failures,
      printed_tickets: printed,
      server_tickets: serverTickets,
      server_checkins: serverCheckins,
      lost_events: Math.max(0, expected - arrived),
      duplicate_events: Math.max(0, arrived - expected),
    };
  } finally {
    await browser.close();
    await host.stop();
    await printer.stop();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (x: number): number => Math.round(x * 10) / 10;
