import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildKioskApi, type KioskEvent } from '../../core/kiosk/kiosk-api.ts';
import { createFingerprintReader, FingerprintReader, Instruction, listSerialPorts } from '../../hardware/fingerprint/index.ts';
import type { SerialDeviceDir } from '../../hardware/fingerprint/serial-ports.ts';
import { syntheticTemplate } from '../../hardware/sim/fingerprint/fingers.ts';
import { SimulatedFingerprintModule } from '../../hardware/sim/fingerprint/index.ts';
import { KioskApiService } from '../../main/services/kiosk-api-service.ts';
import { createKioskLogger, type Logger } from '../../main/services/logger.ts';
import { hardwareReaderDevices } from '../../main/services/reader-devices.ts';
import { ReaderService, type ReaderDevices } from '../../main/services/reader-service.ts';
import { StaffDirectory } from '../../main/services/staff-directory.ts';
import { watchFingers } from '../../renderer/attendance/finger-watch.ts';
import { openPtyPair, type PtyPair } from '../hardware/support/pty-pair.ts';

const fast = { commandTimeoutMs: 400, slowCommandTimeoutMs: 800, handshakeTimeoutMs: 300, healthIntervalMs: 500, pollIntervalMs: 10 };

/** Where the port picker looks in these tests: only what a test puts there (no system listing). */
let scanDirs: SerialDeviceDir[] = [];

/** The simulated module answering at once, and a real serial driver for a configured port. */
function testDevices(): ReaderDevices & { modules: SimulatedFingerprintModule[] } {
  const modules: SimulatedFingerprintModule[] = [];
  return {
    modules,
    listPorts: () => listSerialPorts({ list: async () => [], scan: scanDirs }),
    open: (path, baudRate) => createFingerprintReader({ path, baudRate, openTimeoutMs: 200, ...fast }),
    simulated: () => {
      const module = new SimulatedFingerprintModule({ capacity: 300 });
      modules.push(module);
      return { reader: new FingerprintReader({ link: () => module.connect(), ...fast }), fingers: module };
    },
  };
}

let dir: string;
let logger: Logger;
const running: { service: ReaderService; api: KioskApiService }[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reader-service-'));
  logger = createKioskLogger({ logDir: dir, stdout: false, level: 'debug' });
});

afterEach(async () => {
  for (const { service, api } of running.splice(0)) {
    api.close();
    await service.stop();
  }
  await rm(dir, { recursive: true, force: true });
});

/** The demo fingers of these tests and whose they are (the slot map says which page). */
const staffOf: Record<string, string> = { 'staff-a': 'SA', 'staff-b': 'SB' };

async function kiosk(port: string | null = null, saved: unknown[] = []) {
  const devices = testDevices();
  const service = new ReaderService({ config: { port, baudRate: 57600 }, devices, logger, simulatedTapMs: 40, saveConfig: (settings) => saved.push(settings) });
  await service.start();
  // Who a page is, as the privileged pull and enrolment would have kept it.
  const directory = new StaffDirectory(null, logger);
  directory.applyMembers(
    true,
    Object.values(staffOf).map((id) => ({ id, name: `员工${id}`, departmentId: 'market', counter: null, role: 'staff' as const, scheduleId: null, active: true })),
  );
  const api = new KioskApiService({
    config: () => {
      throw new Error('not needed');
    },
    printer: { status: async () => ({ state: 'ready', paperNearEnd: false }), print: async () => ({ outcome: 'printed', paperNearEnd: false }), printSlip: async () => ({ outcome: 'printed', paperNearEnd: false }), preview: () => null, onStatus: () => () => undefined, lastStatus: () => undefined },
    // A staff member is signed in: these tests are about the reader (staff-session.test.ts covers the gate).
    pins: { verify: async () => ({ ok: false }), signedIn: () => true },
    server: { request: async () => ({ status: 0, error: 'not-configured' }), status: () => ({ serverUrl: null, deviceId: null, enrolled: false }) } as never,
    reader: service,
    directory,
    system: { version: 't', shell: 'host', startedAt: 0 },
    logger,
  });
  running.push({ service, api });
  const events: KioskEvent[] = [];
  api.subscribe((event) => events.push(event));
  const call = async (method: string, ...args: unknown[]) => {
    const outcome = await api.handleCall(method, args);
    if (!outcome.ok) throw new Error(`${outcome.code}: ${outcome.error}`);
    return outcome.result as Record<string, unknown>;
  };
  return { service, api, call, events, directory, module: devices.modules[0] };
}

/**
 * Enrols at `page`, a demonstrator's tap of `finger(n)` at the n-th 'place' prompt, the steps
 * noted as the staff screen hears them; a finger of `staffOf` is then that member's in the slot map.
 */
async function enrollByTaps(k: Awaited<ReturnType<typeof kiosk>>, page: number, finger: string | ((tap: number) => string)) {
  let taps = 0;
  const enrolled = await k.service.enroll({ page, timeoutMs: 5000 }, (progress) => {
    k.events.push({ type: 'reader-enroll', progress });
    if (progress.step === 'place') k.service.simulateFinger(typeof finger === 'string' ? finger : finger(taps++));
  });
  const staffId = typeof finger === 'string' ? staffOf[finger] : undefined;
  if (enrolled.ok && staffId) k.directory.putSlot({ staffId, finger: 1, page, revision: 1 });
  return enrolled;
}

describe('ReaderService with the in-process simulated module', () => {
  it('runs the simulator when no port is configured and reports it as such', async () => {
    const k = await kiosk();
    expect(await k.call('reader.status')).toEqual({ state: 'connected', simulated: true, librarySize: 300 });
    expect(k.api.snapshot()).toContainEqual({ type: 'reader-status', status: { state: 'connected', simulated: true, librarySize: 300 } });
  });

  it('enrols with guided steps in Chinese, then identifies the finger and refuses an unknown one', async () => {
    const k = await kiosk();
    expect(await enrollByTaps(k, 7, 'staff-a')).toEqual({ ok: true, page: 7, matchedPage: null });
    const steps = k.events.flatMap((e) => (e.type === 'reader-enroll' ? [`${e.progress.step}${e.progress.capture ?? ''}`] : []));
    expect(steps).toEqual(['place1', 'captured1', 'lift', 'place2', 'captured2', 'merging', 'storing', 'done']);
    const first = k.events.find((e) => e.type === 'reader-enroll');
    expect(first).toMatchObject({ progress: { text: { zh: '请将手指平放在指纹仪上' } } });
    expect(await k.service.pages()).toEqual([7]);

    k.service.simulateFinger('staff-a');
    expect(await k.service.identify({ timeoutMs: 2000 })).toMatchObject({ ok: true, page: 7 });

    await k.call('reader.simulateFinger', 'lift');
    await k.call('reader.simulateFinger', 'unknown');
    expect(await k.service.identify({ timeoutMs: 2000 })).toEqual({
      ok: false,
      kind: 'not-recognised',
      text: { zh: '未能识别，请重试或联系管理员', en: 'Not recognised. Try again or ask an administrator' },
    });
  });

  it('answers timeout when no finger comes, and cancelled when the screen gives up', async () => {
    const k = await kiosk();
    expect(await k.service.identify({ timeoutMs: 150 })).toMatchObject({ ok: false, kind: 'timeout', text: { zh: '未检测到手指，请重试' } });

    const waiting = k.service.identify({ timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await k.call('reader.cancel')).toEqual({ cancelled: true });
    expect(await waiting).toMatchObject({ ok: false, kind: 'cancelled' });
    expect(await k.call('reader.cancel')).toEqual({ cancelled: false });
  });

  it('reports a poor image with what to do, and a failed merge of two different fingers', async () => {
    const k = await kiosk();
    k.module!.failNext(Instruction.img2Tz, 0x07);
    k.service.simulateFinger('staff-a');
    expect(await k.service.identify({ timeoutMs: 2000 })).toMatchObject({ ok: false, kind: 'poor-image', text: { zh: '指纹特征点太少，请将手指平放并稍用力按压' } });

    expect(await enrollByTaps(k, 1, (tap) => (tap === 0 ? 'staff-a' : 'staff-b'))).toMatchObject({ ok: false, kind: 'merge-failed' });
  });

  it('moves a template from one kiosk to another, where the same finger is identified; delete removes it', async () => {
    const one = await kiosk();
    const two = await kiosk();
    await enrollByTaps(one, 3, 'staff-a');
    const template = await one.service.uploadTemplate(3);
    expect(Buffer.from(template, 'base64').length).toBeGreaterThan(100);

    await two.service.storeTemplate(42, template);
    expect(await two.service.pages()).toEqual([42]);
    two.service.simulateFinger('staff-a');
    expect(await two.service.identify({ timeoutMs: 2000 })).toMatchObject({ ok: true, page: 42 });

    await two.call('reader.simulateFinger', 'lift');
    await two.service.delete(42);
    two.service.simulateFinger('staff-a');
    expect(await two.service.identify({ timeoutMs: 2000 })).toMatchObject({ ok: false, kind: 'not-recognised' });

    // Templates are personal data: nothing of one reaches the log.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const log = await readFile(join(dir, 'kiosk.log'), 'utf8');
    expect(log).not.toContain(template.slice(0, 40));
  });

  it('validates arguments before touching the reader', async () => {
    const k = await kiosk();
    expect(await k.api.handleCall('reader.renewWatch', [{ watchId: -1, leaseMs: 5000 }])).toMatchObject({ ok: false, code: 'invalid' });
    expect(await k.api.handleCall('reader.configure', [{ port: 'COM0', baudRate: 57600 }])).toMatchObject({ ok: false, code: 'invalid' });
    expect(await k.api.handleCall('staff.verifyFinger', [{ timeoutMs: 10 }])).toMatchObject({ ok: false, code: 'invalid' });
    expect(await k.api.handleCall('reader.simulateFinger', ['../etc'])).toMatchObject({ ok: false, code: 'invalid' });
  });
});

/** The reader-finger events of watch `watchId` so far, as who touched or failure kinds. */
function fingersOf(k: Awaited<ReturnType<typeof kiosk>>, watchId: unknown): string[] {
  return k.events.flatMap((e) => (e.type === 'reader-finger' && e.watchId === watchId ? [e.result.ok ? e.result.staff.id : e.result.kind] : []));
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const by = performance.now() + ms;
  while (!check()) {
    if (performance.now() > by) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('a finger watch (reader.watch): finger after finger without a round trip to the page', () => {
  it('reports each press of its own watch, in order, and never a quiet spell', async () => {
    const k = await kiosk();
    await enrollByTaps(k, 4, 'staff-a');
    await enrollByTaps(k, 9, 'staff-b');
    const { watchId } = await k.call('reader.watch', { leaseMs: 5000 });
    k.service.simulateFinger('staff-a');
    await until(() => fingersOf(k, watchId).length >= 1);
    await k.call('reader.simulateFinger', 'lift');
    await new Promise((resolve) => setTimeout(resolve, 50));
    k.service.simulateFinger('stranger');
    await until(() => fingersOf(k, watchId).includes('not-recognised'));
    await k.call('reader.simulateFinger', 'lift');
    await new Promise((resolve) => setTimeout(resolve, 50));
    k.service.simulateFinger('staff-b');
    await until(() => fingersOf(k, watchId).includes('SB'));
    // Each press once, in order: a finger resting after its answer is not read again.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fingersOf(k, watchId)).toEqual(['SA', 'not-recognised', 'SB']);
    expect(k.events.some((e) => e.type === 'reader-finger' && !e.result.ok && (e.result.kind === 'timeout' || e.result.kind === 'cancelled'))).toBe(false);
  });

  it('belongs to the newest screen: an older watch can neither renew nor end it', async () => {
    const k = await kiosk();
    await enrollByTaps(k, 2, 'staff-a');
    const home = await k.call('reader.watch', { leaseMs: 5000 });
    const signIn = await k.call('reader.watch', { leaseMs: 5000 });
    expect(signIn.watchId).not.toBe(home.watchId);
    expect(await k.call('reader.renewWatch', { watchId: home.watchId, leaseMs: 5000 })).toEqual({ watching: false });
    expect(await k.call('reader.unwatch', { watchId: home.watchId })).toEqual({ stopped: false });
    expect(await k.call('reader.renewWatch', { watchId: signIn.watchId, leaseMs: 5000 })).toEqual({ watching: true });

    k.service.simulateFinger('staff-a');
    await until(() => fingersOf(k, signIn.watchId).length >= 1);
    expect(fingersOf(k, home.watchId)).toEqual([]);

    expect(await k.call('reader.unwatch', { watchId: signIn.watchId })).toEqual({ stopped: true });
    await k.call('reader.simulateFinger', 'lift');
    const heard = k.events.length;
    k.service.simulateFinger('staff-a');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(k.events.slice(heard).filter((e) => e.type === 'reader-finger')).toEqual([]);
  });

  it('ends when its lease is not renewed, and when an identify or an enrolment takes the sensor', async () => {
    const k = await kiosk();
    await enrollByTaps(k, 5, 'staff-a');
    await k.call('reader.simulateFinger', 'lift');
    const lapsed = await k.call('reader.watch', { leaseMs: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(await k.call('reader.renewWatch', { watchId: lapsed.watchId, leaseMs: 5000 })).toEqual({ watching: false });
    k.service.simulateFinger('staff-a');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fingersOf(k, lapsed.watchId)).toEqual([]);
    await k.call('reader.simulateFinger', 'lift');

    const taken = await k.call('reader.watch', { leaseMs: 5000 });
    const identified = k.service.identify({ timeoutMs: 2000 });
    await until(() => !k.service.watching);
    k.service.simulateFinger('staff-a');
    expect(await identified).toMatchObject({ ok: true, page: 5 });
    expect(await k.call('reader.renewWatch', { watchId: taken.watchId, leaseMs: 5000 })).toEqual({ watching: false });
    await k.call('reader.simulateFinger', 'lift');

    const beforeEnrol = await k.call('reader.watch', { leaseMs: 5000 });
    expect(await enrollByTaps(k, 6, 'staff-b')).toMatchObject({ ok: true, page: 6 });
    expect(await k.call('reader.renewWatch', { watchId: beforeEnrol.watchId, leaseMs: 5000 })).toEqual({ watching: false });
  });

  it('refuses a lease outside 1 s to 2 min', async () => {
    const k = await kiosk();
    expect(await k.api.handleCall('reader.watch', [{ leaseMs: 10 }])).toMatchObject({ ok: false, code: 'invalid' });
    expect(await k.api.handleCall('reader.watch', [{ leaseMs: 600_000 }])).toMatchObject({ ok: false, code: 'invalid' });
  });
});

describe("the page's side of a finger watch (renderer watchFingers)", () => {
  const pageApi = (k: Awaited<ReturnType<typeof kiosk>>) =>
    buildKioskApi(async (method, args) => {
      const outcome = await k.api.handleCall(method, args);
      if (!outcome.ok) throw new Error(outcome.error);
      return outcome.result;
    }, (listener) => k.api.subscribe(listener));

  it('hears its own presses in order, starts again when the sensor was taken, and frees it when done', async () => {
    const k = await kiosk();
    await enrollByTaps(k, 11, 'staff-a');
    await k.call('reader.simulateFinger', 'lift');
    const heard: string[] = [];
    const stop = watchFingers(pageApi(k), (found) => heard.push(found.ok ? found.staff.id : found.kind), { leaseMs: 2000, renewEveryMs: 200 });
    await until(() => k.service.watching);
    k.service.simulateFinger('staff-a');
    await until(() => heard.includes('SA'));
    await k.call('reader.simulateFinger', 'lift');

    // An identify elsewhere takes the sensor; the next renewal finds out and watches again.
    await k.service.identify({ timeoutMs: 150 });
    expect(k.service.watching).toBe(false);
    await until(() => k.service.watching);
    k.service.simulateFinger('stranger');
    await until(() => heard.includes('not-recognised'));
    await k.call('reader.simulateFinger', 'lift');

    stop();
    await until(() => !k.service.watching);
    const before = heard.length;
    k.service.simulateFinger('staff-a');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(heard.length).toBe(before);
  });
});

describe('ReaderService with a configured serial port', () => {
  it('refuses simulated fingers and reports an absent reader as disconnected without stopping the kiosk', async () => {
    const k = await kiosk(join(dir, 'no-such-tty'));
    expect(await k.call('reader.status')).toMatchObject({ state: 'disconnected', simulated: false, text: { zh: '找不到指纹仪，请检查连接线和端口设置' } });
    expect(await k.api.handleCall('reader.simulateFinger', ['staff-a'])).toMatchObject({ ok: false, code: 'failed', error: expect.stringMatching(/only available when no reader port/) });
    expect(await k.service.identify({ timeoutMs: 500 })).toMatchObject({ ok: false, kind: 'reader-unavailable' });
  });
});

describe('moving the reader to a serial port from the staff screen', () => {
  let pty: PtyPair | undefined;
  let module: SimulatedFingerprintModule | undefined;
  afterEach(async () => {
    await module?.stop();
    await pty?.dispose();
    scanDirs = [];
  });

  it('lists the PTY as a serial device, saves the choice and identifies over it; bad settings change nothing', async () => {
    pty = await openPtyPair();
    module = new SimulatedFingerprintModule({ capacity: 300 });
    module.storeTemplate(7, syntheticTemplate('staff-b'));
    await module.attachSerialPort(pty.printerEnd);
    scanDirs = [{ dir: dirname(pty.driverEnd) }];
    const saved: unknown[] = [];
    const k = await kiosk(null, saved);

    const listing = await k.call('reader.ports');
    expect(listing.current).toEqual({ port: null, baudRate: 57600 });
    expect(listing.ports).toEqual(expect.arrayContaining([{ path: pty.driverEnd, label: pty.driverEnd, likelyReader: false }]));

    expect(await k.api.handleCall('reader.configure', [{ port: 'ttyUSB0', baudRate: 57600 }])).toMatchObject({ ok: false, code: 'invalid' });
    expect(await k.api.handleCall('reader.configure', [{ port: '/dev/../etc/passwd', baudRate: 57600 }])).toMatchObject({ ok: false, code: 'invalid' });
    expect(await k.api.handleCall('reader.configure', [{ port: pty.driverEnd, baudRate: 12345 }])).toMatchObject({ ok: false, code: 'invalid' });
    expect(saved).toEqual([]);
    expect(await k.call('reader.status')).toMatchObject({ state: 'connected', simulated: true });

    expect(await k.call('reader.configure', { port: pty.driverEnd, baudRate: 57600 })).toMatchObject({ state: 'connected', simulated: false, librarySize: 300 });
    expect(saved).toEqual([{ port: pty.driverEnd, baudRate: 57600 }]);
    expect((await k.call('reader.ports')).current).toEqual({ port: pty.driverEnd, baudRate: 57600 });
    module.placeFinger('staff-b');
    expect(await k.service.identify({ timeoutMs: 3000 })).toMatchObject({ ok: true, page: 7 });
    module.liftFinger();
    expect(await k.api.handleCall('reader.simulateFinger', ['staff-b'])).toMatchObject({ ok: false, code: 'failed' });

    // Back to the demo module.
    expect(await k.call('reader.configure', { port: null, baudRate: 57600 })).toMatchObject({ state: 'connected', simulated: true });
  });
});

describe("a finger watch on the kiosk's own serial driver, against a module that answers at once", () => {
  let pty: PtyPair | undefined;
  let module: SimulatedFingerprintModule | undefined;
  afterEach(async () => {
    await module?.stop();
    await pty?.dispose();
  });

  /** Time that moves only by the pauses the driver asks for, each ended at once (real time barely passes). */
  function steppedTime() {
    const time = {
      now: 0,
      pauses: [] as number[],
      clock: { now: () => time.now },
      timers: {
        setTimeout: (callback: () => void, ms: number) => {
          time.pauses.push(ms);
          return setImmediate(() => {
            time.now += ms;
            callback();
          });
        },
        clearTimeout: (handle: unknown) => clearImmediate(handle as NodeJS.Immediate),
      },
    };
    return time;
  }
  const genImgs = () => module!.receivedInstructions().filter((i) => i === Instruction.genImg).length;

  it('paces its GenImg polls at one per 40 ms of the injected clock and reads a resting finger once, a new press again', async () => {
    pty = await openPtyPair();
    module = new SimulatedFingerprintModule({ capacity: 300, timeScale: 0 });
    module.storeTemplate(7, syntheticTemplate('staff-b'));
    await module.attachSerialPort(pty.printerEnd);
    const time = steppedTime();
    const devices = hardwareReaderDevices({ scan: [], clock: time.clock, timers: time.timers });
    const service = new ReaderService({ config: { port: pty.driverEnd, baudRate: 57600 }, devices, logger });
    const directory = new StaffDirectory(null, logger);
    directory.applyMembers(true, [{ id: 'SB', name: '员工SB', departmentId: 'market', counter: null, role: 'staff', scheduleId: null, active: true }]);
    directory.putSlot({ staffId: 'SB', finger: 1, page: 7, revision: 1 });
    const api = new KioskApiService({
      config: () => {
        throw new Error('not needed');
      },
      printer: { status: async () => ({ state: 'ready', paperNearEnd: false }), print: async () => ({ outcome: 'printed', paperNearEnd: false }), printSlip: async () => ({ outcome: 'printed', paperNearEnd: false }), preview: () => null, onStatus: () => () => undefined, lastStatus: () => undefined },
      pins: { verify: async () => ({ ok: false }) },
      server: {} as never,
      reader: service,
      directory,
      system: { version: 't', shell: 'host', startedAt: 0 },
      logger,
    });
    running.push({ service, api });
    const events: KioskEvent[] = [];
    api.subscribe((event) => events.push(event));
    expect(await service.start()).toMatchObject({ state: 'connected', simulated: false });

    const watched = await api.handleCall('reader.watch', [{ leaseMs: 60_000 }]);
    if (!watched.ok) throw new Error(watched.error);
    const { watchId } = watched.result as { watchId: number };
    const heard = () => events.flatMap((e) => (e.type === 'reader-finger' && e.watchId === watchId ? [e.result.ok ? e.result.staff.id : e.result.kind] : []));

    // An empty glass: polled at the driver's pace, not flat out.
    const from = { polls: genImgs(), at: time.now };
    await until(() => genImgs() >= from.polls + 50, 20_000);
    expect((genImgs() - from.polls) / ((time.now - from.at) / 1000)).toBeLessThanOrEqual(25.5);
    expect(new Set(time.pauses)).toEqual(new Set([40]));

    // A finger that stays: one answer, however long it rests.
    module.placeFinger('staff-b');
    await until(() => heard().length === 1, 20_000);
    const rested = genImgs();
    await until(() => genImgs() >= rested + 50, 20_000);
    expect(heard()).toEqual(['SB']);

    // Lifted and pressed again: a second answer.
    module.liftFinger();
    const lifted = genImgs();
    await until(() => genImgs() >= lifted + 2, 20_000);
    module.placeFinger('staff-b');
    await until(() => heard().length === 2, 20_000);
    expect(heard()).toEqual(['SB', 'SB']);
  });
});

describe('a KioskApiService without a reader', () => {
  it('fails reader calls plainly', async () => {
    const api = new KioskApiService({
      config: () => {
        throw new Error('not needed');
      },
      printer: { status: async () => ({ state: 'ready', paperNearEnd: false }), print: async () => ({ outcome: 'printed', paperNearEnd: false }), printSlip: async () => ({ outcome: 'printed', paperNearEnd: false }), preview: () => null, onStatus: () => () => undefined, lastStatus: () => undefined },
      pins: { verify: async () => ({ ok: false }) },
      server: {} as never,
      system: { version: 't', shell: 'host', startedAt: 0 },
      logger,
    });
    expect(await api.handleCall('reader.status', [])).toMatchObject({ ok: false, code: 'failed', error: expect.stringMatching(/no fingerprint reader/) });
    api.close();
  });
});
