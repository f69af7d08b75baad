// 500 tickets through the real UI in Debian's Chromium against a host-mode kiosk and the virtual
// printer over TCP: time from the tap on 确认取号 to the last byte of the ticket at the printer.
import { chromium } from '@playwright/test';
import { chromiumFlags } from '../playwright.config.ts';
import { VirtualPrinter } from '../hardware/sim/virtual-printer.ts';
import { startKioskHost } from '../tests/e2e/support/kiosk-host.ts';
import { percentile } from './percentile.ts';
import { readDemoCatalog } from '../server/catalog/demo-catalog.ts';

const demoCatalog = readDemoCatalog('small').catalog;

const ticketCount = Number(process.env.BENCH_TICKETS ?? 500);
/**
 * A Wednesday at 9:30 in the hall (Asia/Shanghai), when every counter of the bundled calendar is
 * open: the page runs on this clock, so the bench runs at any hour of the real day.
 */
const hallMorning = Date.parse('2026-11-25T01:30:00Z');

export async function runTicketBench(): Promise<Record<string, number>> {
  const printer = new VirtualPrinter({ keep: 50 });
  await printer.start({ port: 0 });
  // The printer's clock: when the cut (the last byte of a ticket) arrived, on the shared wall clock.
  const lastByteAt: number[] = [];
  printer.onTicket(() => lastByteAt.push(performance.timeOrigin + performance.now()));
  const host = await startKioskHost({ printer });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumFlags });
  try {
    // First paint and readiness on a page of its own, on the real clock: nothing is taken there.
    const firstPage = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
    const navStart = Date.now();
    await firstPage.goto(host.url);
    await firstPage.getByTestId('home').waitFor();
    const firstPaint = await firstPage.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1);
    const homeReadyMs = Date.now() - navStart;
    await firstPage.close();

    const page = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
    // The page's clock starts at hallMorning and then runs at the real rate; its time stamps are
    // mapped back onto this process's clock (the printer's) by an offset measured once.
    await page.clock.install({ time: hallMorning });
    await page.addInitScript(() => {
      const w = window as unknown as { __taps: number[] };
      w.__taps = [];
      addEventListener('click', (e) => {
        if ((e.target as Element).closest('[data-testid="confirm-ticket"]')) w.__taps.push(performance.timeOrigin + e.timeStamp);
      }, true);
    });
    await page.goto(host.url);
    await page.getByTestId('home').waitFor();

    const services = demoCatalog.services.filter((s) => s.dailyQuota >= 100);
    for (let i = 0; i < ticketCount; i++) {
      const service = services[i % services.length]!;
      await page.getByTestId('take-ticket').click();
      await page.getByTestId(`dept-${service.departmentId}`).click();
      await page.getByTestId(`service-${service.id}`).click();
      await page.getByTestId(i % 5 === 0 ? 'priority-elderly' : 'priority-normal').click();
      await page.getByTestId('confirm-ticket').click();
      await page.locator('[data-testid="ticket-print-state"][data-state="printed"]').waitFor();
      await page.getByTestId('ticket-done').click();
    }
    const sentAt = performance.timeOrigin + performance.now();
    const pageNow = await page.evaluate(() => performance.timeOrigin + performance.now());
    const pageOffset = (sentAt + performance.timeOrigin + performance.now()) / 2 - pageNow;
    const taps = (await page.evaluate(() => (window as unknown as { __taps: number[] }).__taps)).map((t) => t + pageOffset);
    if (taps.length !== ticketCount || lastByteAt.length !== ticketCount) {
      throw new Error(`expected ${ticketCount} taps and tickets, got ${taps.length} taps and ${lastByteAt.length} tickets`);
    }
    const latencies = taps.map((tap, i) => lastByteAt[i]! - tap);
    return {
      tickets: ticketCount,
      tap_to_printer_p50_ms: round(percentile(latencies, 50)),
      tap_to_printer_p95_ms: round(percentile(latencies, 95)),
      tap_to_printer_max_ms: round(Math.max(...latencies)),
      first_contentful_paint_ms: round(firstPaint),
      home_ready_ms: homeReadyMs,
    };
  } finally {
    await browser.close();
    await host.stop();
    await printer.stop();
  }
}

const round = (x: number): number => Math.round(x * 10) / 10;
