import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UpdateHealthReport } from '../../core/kiosk/software-update.ts';
import { BootHealth, fileMarkerStore } from '../../main/services/boot-health.ts';
import { KioskActivity } from '../../main/services/kiosk-activity.ts';
import { createKioskLogger } from '../../main/services/logger.ts';
import { PulledHallRules } from '../../main/services/pulled-hall-rules.ts';
import { reportOnlyUpdater, UpdateController, type SoftwareUpdater } from '../../main/services/update-controller.ts';
import type { HallRules, Session } from '../../core/calendar/calendar-rules.ts';
import { defaultUpdatePolicy, installVerdict, isQuietTime, nextCheckAt, quietHoursOf, type UpdatePolicyOptions } from '../../main/services/update-policy.ts';
import { demoHallRules } from '../support/demo-hall.ts';
import { TestClock } from '../support/test-clock.ts';

const policy: UpdatePolicyOptions = { ...defaultUpdatePolicy, timeZone: 'Asia/Shanghai' };
/** An instant by the hall's wall clock (Beijing time, UTC+8). */
const beijing = (day: string, time: string) => Date.parse(`${day}T${time}:00+08:00`);
const minute = 60_000;

/** A one-timetable calendar with `sessions` (HH:MM–HH:MM) every weekday, all year, and 24-hour services or not. */
function calendar(sessions: [string, string][], aroundTheClock: boolean): HallRules {
  const list: Session[] = sessions.map(([start, end], i) => ({ id: `s${i}`, name: { zh: '时段', en: 'Session' }, start, end }));
  return {
    ...structuredClone(demoHallRules),
    hallTimetableId: 'hall',
    seasons: [{ id: 'all', name: { zh: '全年', en: 'All year' }, from: '01-01', to: '12-31' }],
    timetables: [{ id: 'hall', name: { zh: '大厅', en: 'Hall' }, seasons: { all: list } }],
    counterGroups: [],
    services: [{ serviceId: 'biz-registration' }, ...(aroundTheClock ? [{ serviceId: 'ss-card', aroundTheClock: true }] : [])],
  };
}

describe('update quiet hours from the hall calendar', () => {
  it.each<[string, HallRules | null, { from: string; to: string }]>([
    ['no calendar known: the fixed hours', null, { from: '01:00', to: '05:00' }],
    ['09:00–17:00, no 24-hour service: closing + 1 h to opening − 1 h', calendar([['09:00', '12:00'], ['13:30', '17:00']], false), { from: '18:00', to: '08:00' }],
    ['09:00–17:00 with a 24-hour area: the deep night only', calendar([['09:00', '12:00'], ['13:30', '17:00']], true), { from: '01:00', to: '05:00' }],
    ['open until 23:30 with a 24-hour area: still the deep night', calendar([['09:00', '23:30']], true), { from: '01:00', to: '05:00' }],
    ['open until 23:59, no 24-hour service: from 00:59', calendar([['09:00', '23:59']], false), { from: '00:59', to: '08:00' }],
    ['opening at 05:30 with a 24-hour area: cut to 04:30', calendar([['05:30', '17:00']], true), { from: '01:00', to: '04:30' }],
    ['open 06:00–23:59 with a 24-hour area: the deep night up to 05:00', calendar([['06:00', '23:59']], true), { from: '01:00', to: '05:00' }],
    ['open 02:00–23:30: under an hour left, the fixed hours', calendar([['02:00', '23:30']], false), { from: '01:00', to: '05:00' }],
    ['only 24-hour services, no sessions: the fixed hours', calendar([], true), { from: '01:00', to: '05:00' }],
  ])('%s', (_name, rules, expected) => {
    expect(quietHoursOf(rules)).toEqual(expected);
  });

  it('takes the widest hours over every timetable, season and weekday (the demo hall, with its 24-hour area)', () => {
    // Summer afternoons end at 18:00, winter mornings start at 09:00; 24-hour services exist.
    expect(quietHoursOf(demoHallRules)).toEqual({ from: '01:00', to: '05:00' });
    const staffedOnly = { ...demoHallRules, services: demoHallRules.services.filter((s) => !s.aroundTheClock) };
    expect(quietHoursOf(staffedOnly)).toEqual({ from: '19:00', to: '08:00' });
    expect(isQuietTime(beijing('2026-07-01', '18:30'), { ...policy, quietHours: quietHoursOf(staffedOnly) })).toBe(false);
    expect(isQuietTime(beijing('2026-07-01', '19:00'), { ...policy, quietHours: quietHoursOf(staffedOnly) })).toBe(true);
  });
});

describe('update install policy (injected time)', () => {
  const idle = { lastActivityAt: null, printsInFlight: 0 };

  it.each([
    ['00:59', false],
    ['01:00', true],
    ['03:00', true],
    ['04:59', true],
    ['05:00', false],
    ['14:00', false],
  ])('quiet hours 01:00–05:00 in the hall zone: %s → %s', (time, quiet) => {
    expect(isQuietTime(beijing('2026-12-02', time), policy)).toBe(quiet);
  });

  it('reads the quiet hours on the hall clock, not the machine’s: 02:00 Beijing is 18:00 UTC', () => {
    expect(isQuietTime(Date.parse('2026-12-01T18:00:00Z'), policy)).toBe(true);
    expect(isQuietTime(Date.parse('2026-12-01T02:00:00Z'), policy)).toBe(false);
  });

  it('handles quiet hours that cross midnight', () => {
    const night = { ...policy, quietHours: { from: '23:30', to: '05:00' } };
    expect(isQuietTime(beijing('2026-12-02', '23:45'), night)).toBe(true);
    expect(isQuietTime(beijing('2026-12-02', '00:10'), night)).toBe(true);
    expect(isQuietTime(beijing('2026-12-02', '23:00'), night)).toBe(false);
  });

  it('installs at 03:00 on an idle kiosk', () => {
    expect(installVerdict(beijing('2026-12-02', '03:00'), idle, policy)).toEqual({ install: true });
  });

  it('never during a print, nor within 5 minutes of a person using the kiosk, nor in opening hours', () => {
    const at3 = beijing('2026-12-02', '03:00');
    expect(installVerdict(at3, { lastActivityAt: null, printsInFlight: 1 }, policy)).toEqual({ install: false, reason: 'printing' });
    expect(installVerdict(at3, { lastActivityAt: at3 - 4 * minute, printsInFlight: 0 }, policy)).toEqual({ install: false, reason: 'in-use' });
    expect(installVerdict(at3, { lastActivityAt: at3 - 5 * minute, printsInFlight: 0 }, policy)).toEqual({ install: true });
    expect(installVerdict(beijing('2026-12-02', '10:30'), idle, policy)).toEqual({ install: false, reason: 'not-quiet-time' });
  });

  it('a rollback from an unhealthy version does not wait for the night, but still for the citizen and the printer', () => {
    const morning = beijing('2026-12-02', '10:30');
    expect(installVerdict(morning, idle, policy, true)).toEqual({ install: true });
    expect(installVerdict(morning, { lastActivityAt: morning - minute, printsInFlight: 0 }, policy, true)).toEqual({ install: false, reason: 'in-use' });
    expect(installVerdict(morning, { lastActivityAt: null, printsInFlight: 1 }, policy, true)).toEqual({ install: false, reason: 'printing' });
  });

  it('spreads checks with jitter', () => {
    expect(nextCheckAt(1_000, policy, 0)).toBe(1_000 + 4 * 3_600_000);
    expect(nextCheckAt(1_000, policy, 0.5)).toBe(1_000 + 4 * 3_600_000 + 15 * minute);
  });
});

describe('kiosk activity', () => {
  it('counts a person’s calls and prints in flight, not the page’s background calls', async () => {
    const activity = new KioskActivity();
    let t = 1_000;
    await activity.track('server.request', () => t, async () => 'sync');
    await activity.track('system.info', () => t, async () => 'info');
    expect(activity.use()).toEqual({ lastActivityAt: null, printsInFlight: 0 });
    let finish!: () => void;
    const printing = activity.track('printer.print', () => t, () => new Promise<void>((r) => (finish = r)));
    expect(activity.use()).toEqual({ lastActivityAt: 1_000, printsInFlight: 1 });
    t = 4_000;
    finish();
    await printing;
    expect(activity.use()).toEqual({ lastActivityAt: 4_000, printsInFlight: 0 });
    await expect(activity.track('printer.printSlip', () => t, async () => Promise.reject(new Error('paper out')))).rejects.toThrow('paper out');
    expect(activity.use().printsInFlight).toBe(0);
  });
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hall-kiosk-boot-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('boot-health marker (a real file, injected time)', () => {
  const start = (version: string, now: number, options: { deadlineMs?: number } = {}) => new BootHealth({ store: fileMarkerStore(join(dir, 'boot-health.json')), version, now, ...options });

  it('a new version is pending until the renderer and API answer, then healthy for good', () => {
    const first = start('1.0.0', 0);
    expect(first.current).toMatchObject({ version: '1.0.0', previousVersion: null, state: 'pending', starts: 1 });
    first.markHealthy();
    expect(first.check(60 * minute)).toBe('healthy');
    const upgraded = start('1.1.0', 100 * minute);
    expect(upgraded.current).toMatchObject({ version: '1.1.0', previousVersion: '1.0.0', state: 'pending' });
    expect(JSON.parse(readFileSync(join(dir, 'boot-health.json'), 'utf8'))).toMatchObject({ version: '1.1.0', state: 'pending' });
  });

  it('is unhealthy when not healthy within the deadline of a start', () => {
    start('1.0.0', 0).markHealthy();
    const upgraded = start('1.1.0', 0, { deadlineMs: 10 * minute });
    expect(upgraded.check(9 * minute)).toBe('pending');
    expect(upgraded.check(10 * minute)).toBe('unhealthy');
    expect(upgraded.current.reason).toBe('health-deadline');
    // Once unhealthy, a late renderer does not make it healthy again, and a restart keeps the verdict.
    upgraded.markHealthy();
    expect(start('1.1.0', 20 * minute).check(20 * minute)).toBe('unhealthy');
  });

  it('a version that keeps dying at start (systemd restarting it) is a crash loop on its fourth start', () => {
    start('1.0.0', 0).markHealthy();
    for (let i = 0; i < 3; i++) expect(start('1.1.0', i * 1_000).check(i * 1_000)).toBe('pending');
    const fourth = start('1.1.0', 4_000);
    expect(fourth.current).toMatchObject({ state: 'unhealthy', reason: 'crash-loop', starts: 4, previousVersion: '1.0.0' });
  });

  it('a healthy version restarted any number of times stays healthy; a garbled marker counts as a first install', () => {
    start('1.0.0', 0).markHealthy();
    for (let i = 0; i < 5; i++) expect(start('1.0.0', i).check(i + 60 * minute)).toBe('healthy');
    writeFileSync(join(dir, 'boot-health.json'), '{not json');
    expect(start('1.0.0', 0).current).toMatchObject({ state: 'pending', previousVersion: null, starts: 1 });
  });
});

describe('update controller', () => {
  class FeedStandIn implements SoftwareUpdater {
    offered: string | null = null;
    /** versions below the running one are offered only when downgrades are allowed */
    running = '1.1.0';
    checks: boolean[] = [];
    downloads = 0;
    installs = 0;
    async check(allowDowngrade: boolean): Promise<string | null> {
      this.checks.push(allowDowngrade);
      if (this.offered === null || this.offered === this.running) return null;
      const newer = this.offered.localeCompare(this.running, undefined, { numeric: true }) > 0;
      return newer || allowDowngrade ? this.offered : null;
    }
    async download(): Promise<void> {
      this.downloads += 1;
    }
    install(): void {
      this.installs += 1;
    }
  }

  const logger = createKioskLogger({ stdout: false, level: 'silent' });

  function setUp(clock: TestClock, healthy: boolean, hallRules?: () => HallRules | null) {
    const health = new BootHealth({ store: fileMarkerStore(join(dir, 'boot-health.json')), version: '1.1.0', now: clock.now(), deadlineMs: 10 * minute });
    if (healthy) health.markHealthy();
    const feed = new FeedStandIn();
    const reports: UpdateHealthReport[] = [];
    let acknowledge = true;
    const use = { lastActivityAt: null as number | null, printsInFlight: 0 };
    const controller = new UpdateController({
      updater: feed,
      health,
      use: () => use,
      report: async (report) => {
        reports.push(report);
        return acknowledge;
      },
      policy,
      platform: 'linux',
      channel: 'stable',
      clock,
      logger,
      random: () => 0,
      ...(hallRules ? { hallRules } : {}),
    });
    return { feed, reports, use, controller, health, refuseReports: () => (acknowledge = false), acceptReports: () => (acknowledge = true) };
  }

  it('checks after the first interval, downloads in the background and installs only in the quiet hours when idle', async () => {
    const clock = new TestClock(beijing('2026-12-02', '10:00'), { ticking: false });
    start1_0_0Healthy();
    const { feed, use, controller } = setUp(clock, true);
    feed.offered = '1.2.0';
    expect(await controller.tick()).toBe('idle');
    expect(feed.checks).toEqual([]);
    clock.advance(15 * minute);
    expect(await controller.tick()).toBe('downloaded');
    expect(feed.checks).toEqual([false]);
    expect(controller.pendingInstall).toBe('1.2.0');
    expect(await controller.tick()).toBe('idle');
    clock.setTo(beijing('2026-12-03', '02:00'));
    use.printsInFlight = 1;
    expect(await controller.tick()).toBe('idle');
    use.printsInFlight = 0;
    use.lastActivityAt = clock.now() - minute;
    expect(await controller.tick()).toBe('idle');
    expect(feed.installs).toBe(0);
    clock.advance(5 * minute);
    expect(await controller.tick()).toBe('installing');
    expect(feed.installs).toBe(1);
    expect(feed.downloads).toBe(1);
    // Still alive: the installer refused (no right to install). Not hammered every tick.
    clock.advance(minute);
    expect(await controller.tick()).toBe('idle');
    clock.setTo(beijing('2026-12-04', '02:00'));
    expect(await controller.tick()).toBe('installing');
    expect(feed.installs).toBe(2);
  });

  it('installs in the quiet hours the hall calendar it holds implies, and the fixed ones until it holds one', async () => {
    const clock = new TestClock(beijing('2026-12-02', '10:00'), { ticking: false });
    start1_0_0Healthy();
    let rules: HallRules | null = null;
    const { feed, controller } = setUp(clock, true, () => rules);
    feed.offered = '1.2.0';
    clock.advance(15 * minute);
    expect(await controller.tick()).toBe('downloaded');
    // 19:30, the hall closed at 17:00, no 24-hour area: quiet by the calendar, not by the fixed hours.
    clock.setTo(beijing('2026-12-02', '19:30'));
    expect(await controller.tick()).toBe('idle');
    rules = calendar([['09:00', '12:00'], ['13:30', '17:00']], false);
    expect(await controller.tick()).toBe('installing');
  });

  it('an unhealthy version is reported until acknowledged, then the previous release is fetched and installed at once', async () => {
    const clock = new TestClock(beijing('2026-12-02', '09:00'), { ticking: false });
    start1_0_0Healthy();
    const { feed, reports, controller, refuseReports, acceptReports } = setUp(clock, false);
    feed.offered = '1.1.0';
    expect(await controller.tick()).toBe('waiting-for-health');
    clock.advance(10 * minute);
    refuseReports();
    expect(await controller.tick()).toBe('report-failed');
    acceptReports();
    // The server withdrew 1.1.0 on the report: its feed offers 1.0.0 again.
    feed.offered = '1.0.0';
    expect(await controller.tick()).toBe('reported');
    expect(reports).toEqual([
      { version: '1.1.0', platform: 'linux', channel: 'stable', previousVersion: '1.0.0', reason: 'health-deadline', starts: 1 },
      { version: '1.1.0', platform: 'linux', channel: 'stable', previousVersion: '1.0.0', reason: 'health-deadline', starts: 1 },
    ]);
    expect(await controller.tick()).toBe('downloaded');
    expect(feed.checks).toEqual([true]);
    // 09:10, opening hours: a broken kiosk is rolled back now, not at night.
    expect(await controller.tick()).toBe('installing');
    expect(reports).toHaveLength(2);
  });

  it('a healthy kiosk never downgrades, even when the feed went back to an older release', async () => {
    const clock = new TestClock(beijing('2026-12-02', '02:00'), { ticking: false });
    start1_0_0Healthy();
    const { feed, controller } = setUp(clock, true);
    feed.offered = '1.0.0';
    clock.advance(15 * minute);
    expect(await controller.tick()).toBe('checked');
    expect(feed.checks).toEqual([false]);
    expect(feed.downloads).toBe(0);
  });

  it('a kiosk whose releases IT installs still reports an unhealthy version, and never downloads', async () => {
    const clock = new TestClock(beijing('2026-12-02', '09:00'), { ticking: false });
    start1_0_0Healthy();
    const health = new BootHealth({ store: fileMarkerStore(join(dir, 'boot-health.json')), version: '1.1.0', now: clock.now(), deadlineMs: 10 * minute });
    const reports: UpdateHealthReport[] = [];
    const controller = new UpdateController({
      updater: reportOnlyUpdater,
      health,
      use: () => ({ lastActivityAt: null, printsInFlight: 0 }),
      report: async (report) => reports.push(report) > 0,
      policy,
      platform: 'windows',
      channel: 'stable',
      clock,
      logger,
      random: () => 0,
    });
    clock.advance(10 * minute);
    expect(await controller.tick()).toBe('reported');
    expect(reports).toEqual([{ version: '1.1.0', platform: 'windows', channel: 'stable', previousVersion: '1.0.0', reason: 'health-deadline', starts: 1 }]);
    expect(await controller.tick()).toBe('checked');
    expect(controller.pendingInstall).toBeNull();
  });

  function start1_0_0Healthy() {
    new BootHealth({ store: fileMarkerStore(join(dir, 'boot-health.json')), version: '1.0.0', now: 0 }).markHealthy();
  }
});

describe('the hall calendar kept on the privileged side', () => {
  const logger = createKioskLogger({ stdout: false, level: 'silent' });
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pulled-rules-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the calendar its pull brought, across a restart, tells listeners, and refuses one that does not validate', () => {
    const file = join(dir, 'hall-rules.json');
    const kept = new PulledHallRules(file, logger);
    expect(kept.current()).toBeNull();
    const heard: HallRules[] = [];
    kept.onChange((rules) => heard.push(rules));
    const rules = { ...calendar([['09:00', '17:00']], false), revision: 3 };
    expect(kept.keep(rules)).toBe(true);
    expect(kept.current()).toEqual(rules);
    expect(heard).toEqual([rules]);
    // A broken calendar is not taken; the one held stays, and nobody hears of it.
    expect(kept.keep({ ...rules, hallTimetableId: 'nowhere' })).toBe(false);
    expect(heard).toHaveLength(1);
    expect(new PulledHallRules(file, logger).current()).toEqual(rules);
    writeFileSync(file, '{ not json');
    expect(new PulledHallRules(file, logger).current()).toBeNull();
  });
});
