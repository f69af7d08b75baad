// Staff sign-in by fingerprint, finger placed → name on screen, through the real kiosk: a host-mode
// kiosk enrolled with the hall server, its reader on one end of a socat PTY pair (chosen like the
// staff screen's port picker does, reader.configure), the simulated AS608 on the other holding
// 1,000 templates and answering at real-module speed (capture ~200 ms, search ~300 ms at 1,000
// templates, plus the 57600-baud line), and the sign-in screen (工作人员签到) in Debian's Chromium.
//
// Each sample: a different staff member's finger goes on the sensor; the page notes when that
// name is written into the screen (a MutationObserver; `paint` figures add the next animation
// frame). Overhead is the total minus the module's busy time inside the same span, i.e. what the
// driver's polling, serialport and the PTY, the finger watch's event to the page, the check-in's
// Dexie transaction and React add. Provisioning (roster and template download over the PTY) runs at
// time scale 0 and is not measured.
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { chromium } from '@playwright/test';
import { chromiumFlags } from '../playwright.config.ts';
import { syntheticTemplate } from '../hardware/sim/fingerprint/fingers.ts';
import { SimulatedFingerprintModule } from '../hardware/sim/fingerprint/module.ts';
import { migrateToLatest } from '../server/db/migrations.ts';
import { createDevice } from '../server/devices/devices.ts';
import { addStaff } from '../server/staff/roster.ts';
import { parseTemplateKey, templateKeyEnv } from '../server/staff/template-key.ts';
import { TemplateStore } from '../server/staff/templates.ts';
import { callKiosk } from '../tests/e2e/support/kiosk-call.ts';
import { adminPin, startKioskHost } from '../tests/e2e/support/kiosk-host.ts';
import { openPtyPair } from '../tests/hardware/support/pty-pair.ts';
import { percentile } from './percentile.ts';
import { scratchSqlite, spawnBenchServer, systemClock, withDatabase } from './support/hall.ts';

const librarySize = 1000;
const identifyCount = Number(process.env.BENCH_IDENTIFIES ?? 200);
const warmUp = 3;
/** between people: the finger is off and the screen's next identify is polling */
const gapMs = 400;

const fingerOf = (i: number) => `bench-${i}`;
const staffIdOf = (i: number) => `S${String(i).padStart(4, '0')}`;
const nameOf = (i: number) => `职员${String(i).padStart(4, '0')}`;

interface Shown {
  name: string;
  /** epoch ms (performance.timeOrigin + now) when the name entered the DOM, and the next frame */
  domAt: number;
  paintAt: number;
}

export async function runFingerprintBench(): Promise<Record<string, number>> {
  const people = warmUp + identifyCount;
  if (people > librarySize) throw new Error(`at most ${librarySize} identifies`);
  // Seeded here, served from a process of its own: the hall's server is another machine, and in
  // this process its sync work would hold up the simulated module's replies.
  const hall = scratchSqlite('fingerprint');
  const templateKey = randomBytes(32).toString('base64');
  const enrollmentCode = await withDatabase(hall.target, async (database) => {
    await migrateToLatest(database, systemClock);
    const templates = new TemplateStore(database.db, systemClock, parseTemplateKey(templateKey, 'bench key'));
    for (let i = 0; i < people; i++) {
      await addStaff(database.db, systemClock, { id: staffIdOf(i), name: nameOf(i), departmentId: 'market', counter: `${(i % 40) + 1}号窗口` });
      await templates.put(staffIdOf(i), 1, syntheticTemplate(fingerOf(i)), 'as608-char', null);
    }
    return (await createDevice(database.db, systemClock, 'bench kiosk')).enrollmentCode;
  });
  const server = await spawnBenchServer(hall.target, { env: { [templateKeyEnv]: templateKey } });
  const pty = await openPtyPair();
  const module = new SimulatedFingerprintModule({ capacity: librarySize, timeScale: 0, seed: 'bench' });
  await module.attachSerialPort(pty.printerEnd);
  const host = await startKioskHost({ serverUrl: server.url, enrollCode: enrollmentCode });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumFlags });
  try {
    // Moving the reader is the staff screen's: signed in with the PIN, as there.
    await callKiosk(host, 'staff.verifyPin', [adminPin]);
    const status = (await callKiosk(host, 'reader.configure', [{ port: pty.driverEnd, baudRate: 57600 }])) as { state: string };
    await callKiosk(host, 'staff.signOut');
    if (status.state !== 'connected') throw new Error(`reader on ${pty.driverEnd} did not connect`);
    const page = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
    await page.goto(host.url);
    await page.getByTestId('home').waitFor();

    // Roster and templates: sync until every person's template is in the module.
    await page.getByTestId('staff-entry').click();
    await page.getByTestId('pin-input').fill(adminPin);
    await page.getByTestId('pin-submit').click();
    const syncedBy = Date.now() + 120_000;
    while (module.pages().length < people) {
      if (Date.now() > syncedBy) throw new Error(`only ${module.pages().length} templates in the module after 120 s`);
      await page.getByTestId('sync-now').click();
      await page.waitForTimeout(500);
    }
    await page.getByTestId('staff-logout').click();
    // The rest of the library, so each search runs over a full one: pages the kiosk left free, filled
    // behind its back (its first pull, a whole roster, clears what it did not put there).
    const used = new Set(module.pages());
    for (let free = 0; free < librarySize; free++) if (!used.has(free)) module.storeTemplate(free, syntheticTemplate(`filler-${free}`));

    module.setTimeScale(1);
    await page.getByTestId('staff-checkin').click();
    await page.getByTestId('checkin-prompt').waitFor();
    await page.evaluate(() => {
      const w = window as unknown as { __shown: Shown[] };
      w.__shown = [];
      let last: string | null = null;
      new MutationObserver(() => {
        const name = document.querySelector('[data-testid="checkin-name"]')?.textContent ?? null;
        if (name && name !== last) {
          const shown = { name, domAt: performance.timeOrigin + performance.now(), paintAt: 0 };
          w.__shown.push(shown);
          requestAnimationFrame(() => (shown.paintAt = performance.timeOrigin + performance.now()));
        }
        last = name;
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });

    const totals: number[] = [];
    const overheads: number[] = [];
    const paintOverheads: number[] = [];
    const deviceTimes: number[] = [];
    // Where the overhead after the module's last answer goes: to the page, the check-in, the render.
    const beforeAnswer: number[] = [];
    const toPage: number[] = [];
    const recording: number[] = [];
    const rendering: number[] = [];
    for (let i = 0; i < people; i++) {
      await page.waitForTimeout(gapMs);
      const placed = performance.now();
      module.placeFinger(fingerOf(i));
      await page.waitForFunction((n) => {
        const shown = (window as unknown as { __shown: Shown[] }).__shown;
        return shown.length >= n && shown[n - 1]!.paintAt > 0;
      }, i + 1);
      module.liftFinger();
      const shown = await page.evaluate((n) => (window as unknown as { __shown: Shown[] }).__shown[n]!, i);
      if (shown.name !== nameOf(i)) throw new Error(`finger ${fingerOf(i)} showed ${shown.name}, not ${nameOf(i)}`);
      if (i < warmUp) continue;
      const domAt = shown.domAt - performance.timeOrigin;
      const paintAt = shown.paintAt - performance.timeOrigin;
      const total = domAt - placed;
      const device = module.busyMsBetween(placed, domAt);
      totals.push(total);
      deviceTimes.push(device);
      overheads.push(total - device);
      paintOverheads.push(paintAt - placed - module.busyMsBetween(placed, paintAt));
      // No named functions inside: tsx's helpers for them do not exist in the page.
      const marks = await page.evaluate(() => {
        const found: Record<string, number[]> = { 'checkin:identified': [], 'checkin:recorded': [] };
        for (const m of performance.getEntriesByType('mark')) found[m.name]?.push(performance.timeOrigin + m.startTime);
        performance.clearMarks();
        return { identified: found['checkin:identified']!, recorded: found['checkin:recorded']! };
      });
      const identifiedAt = Math.max(...marks.identified.filter((t) => t <= shown.domAt)) - performance.timeOrigin;
      const recordedAt = Math.max(...marks.recorded.filter((t) => t <= shown.domAt)) - performance.timeOrigin;
      const answeredAt = module.lastReplyBefore(identifiedAt);
      if (answeredAt !== null && Number.isFinite(recordedAt)) {
        beforeAnswer.push(answeredAt - placed - module.busyMsBetween(placed, answeredAt));
        toPage.push(identifiedAt - answeredAt);
        recording.push(recordedAt - identifiedAt);
        rendering.push(domAt - recordedAt);
      }
    }
    return {
      library: librarySize,
      identifies: identifyCount,
      ...spread('identify', totals),
      ...spread('device', deviceTimes),
      ...spread('overhead', overheads),
      overhead_max_ms: round(Math.max(...overheads)),
      overhead_to_paint_p95_ms: round(percentile(paintOverheads, 95)),
      ...spread('before_module_answer', beforeAnswer),
      ...spread('module_answer_to_page', toPage),
      ...spread('checkin_record', recording),
      ...spread('record_to_name', rendering),
      // The machine's 1-minute load when the samples ended: on a shared machine the scheduler, not the code, can dominate.
      load_average_1m: round(loadavg()[0]!),
      cpus: availableParallelism(),
    };
  } finally {
    await browser.close();
    await host.stop();
    await module.stop();
    await pty.dispose();
    await server.stop();
    hall.remove();
  }
}

const round = (x: number): number => Math.round(x * 10) / 10;

/** `<name>_p50_ms` and `<name>_p95_ms` of a set of samples. */
function spread(name: string, samples: number[]): Record<string, number> {
  return { [`${name}_p50_ms`]: round(percentile(samples, 50)), [`${name}_p95_ms`]: round(percentile(samples, 95)) };
}
