import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { staffSessionMs } from '../../core/kiosk/kiosk-api.ts';
import { FingerprintReader } from '../../hardware/fingerprint/index.ts';
import { SimulatedFingerprintModule, syntheticTemplate } from '../../hardware/sim/fingerprint/index.ts';
import { AdminFingerEntry } from '../../main/services/admin-finger-entry.ts';
import { CentralServerClient } from '../../main/services/central-server-client.ts';
import { ConfigService } from '../../main/services/config-service.ts';
import { KioskApiService } from '../../main/services/kiosk-api-service.ts';
import { createKioskLogger } from '../../main/services/logger.ts';
import { PinService, type ScryptParams } from '../../main/services/pin-service.ts';
import { PrivilegedSync } from '../../main/services/privileged-sync.ts';
import { PulledHallRules } from '../../main/services/pulled-hall-rules.ts';
import { ReaderLibrary } from '../../main/services/reader-library.ts';
import { ReaderService } from '../../main/services/reader-service.ts';
import { StaffDirectory } from '../../main/services/staff-directory.ts';
import { StaffEnrolment } from '../../main/services/staff-enrolment.ts';
import { startServer, type RunningServer } from '../../server/embedded.ts';
import { createServerLogger } from '../../server/http/logger.ts';
import { addStaff, updateStaff } from '../../server/staff/roster.ts';
import { parseTemplateKey, type TemplateKey } from '../../server/staff/template-key.ts';
import { TemplateStore } from '../../server/staff/templates.ts';
import { noPrinter } from './support/privileged-side.ts';
import { demoCatalog } from '../support/demo-hall.ts';
import { TestClock } from '../support/test-clock.ts';

// The privileged side's staff session, end to end below the renderer: a real hall server (SQLite,
// HTTP on loopback) holding the roster and the encrypted templates, an enrolled kiosk client, the
// privileged pull filling the reader on the in-process simulated module, and the PIN service on a
// real config file. The kiosk's clock is injected so a session can expire without waiting 15 minutes.

const fast: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };
const fastReader = { commandTimeoutMs: 400, slowCommandTimeoutMs: 800, handshakeTimeoutMs: 300, healthIntervalMs: 500, pollIntervalMs: 10 };
const adminName = '王管理';
const stillTimers = { setTimeout: () => 0, clearTimeout: () => undefined };

let dir: string;
let server: RunningServer;
let serverOpen = false;
let templateKey: TemplateKey;
const clock = new TestClock();
const closers: (() => Promise<void> | void)[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hall-staff-session-'));
  templateKey = parseTemplateKey(randomBytes(32).toString('base64'), 'test key');
  server = await startServer({ target: { sqliteFile: join(dir, 'hall.sqlite') }, clock, templateKey, logger: createServerLogger({ level: 'silent' }), seedCatalog: demoCatalog });
  serverOpen = true;
  await addStaff(server.db.db, clock, { id: 'ADM1', name: adminName, departmentId: 'market', counter: null, role: 'admin' });
  await addStaff(server.db.db, clock, { id: 'S1', name: '李四', departmentId: 'market', counter: '3号窗口' });
});

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await stopServer();
  rmSync(dir, { recursive: true, force: true });
});

async function stopServer(): Promise<void> {
  if (serverOpen) await server.close();
  serverOpen = false;
}

async function kiosk() {
  const logDir = join(dir, 'logs');
  const logger = createKioskLogger({ logDir, stdout: false, level: 'debug' });
  const config = ConfigService.open({ openStore: () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'config' }), file: join(dir, 'config.json'), newKioskId: () => 'kiosk-staff-session' });
  config.update((c) => ({ ...c, serverUrl: server.url }));
  const client = new CentralServerClient({ fetch, config: () => config.get(), devices: config, clock, logger, version: 't', enrollCode: (await server.createDevice('entrance 1')).enrollmentCode });
  await client.enrollIfNeeded();
  const pins = new PinService({ config, clock, scryptParams: fast });
  await pins.setPin('2468');
  const module = new SimulatedFingerprintModule({ capacity: 300 });
  const reader = new ReaderService({
    config: { port: null, baudRate: 57600 },
    devices: { listPorts: async () => [], open: () => { throw new Error('no serial ports in this test'); }, simulated: () => ({ reader: new FingerprintReader({ link: () => module.connect(), ...fastReader }), fingers: module }) },
    logger,
    simulatedTapMs: 300,
  });
  await reader.start();
  // As kiosk-runtime.ts wires the privileged side.
  const directory = new StaffDirectory(null, logger);
  const library = new ReaderLibrary({ directory, reader, logger });
  const sync = new PrivilegedSync({ server: client, directory, library, rules: new PulledHallRules(null, logger), logger, timers: stillTimers, random: () => 0.5 });
  const api = new KioskApiService({
    config: () => config.get(),
    printer: noPrinter,
    pins,
    server: client,
    reader,
    directory,
    privilegedSync: sync,
    enrolment: new StaffEnrolment({ directory, library, reader, server: client, authoriser: () => pins.authoriser(), logger }),
    fingerEntry: new AdminFingerEntry({ reader, directory, refresh: () => sync.pullNow(), pins, logger }),
    system: { version: 't', shell: 'host', startedAt: 0 },
    logger,
  });
  closers.push(() => reader.stop(), () => api.close());

  /** Enrolled at another kiosk of the hall (template on the server), and pulled into this kiosk's reader. */
  const enrolled = async (staffId: string) => {
    const template = syntheticTemplate(`staff-${staffId}`);
    await new TemplateStore(server.db.db, clock, templateKey).put(staffId, 1, template, 'as608-char', null);
    expect(await sync.pullNow()).toBe(true);
    return template.toString('base64');
  };
  /** The demonstrator's hand on the simulated module, while staff.verifyFinger waits. */
  const fingerEntry = async (finger: string) => {
    reader.simulateFinger('lift');
    const waiting = api.handleCall('staff.verifyFinger', [{ timeoutMs: 3000 }]);
    const press = setTimeout(() => reader.simulateFinger(finger), 50);
    const outcome = await waiting.finally(() => clearTimeout(press));
    if (!outcome.ok) throw new Error(`${outcome.code}: ${outcome.error}`);
    return outcome.result;
  };
  const logText = () => readdirSync(logDir).map((f) => readFileSync(join(logDir, f), 'utf8')).join('\n');
  /** staff.enrolFinger as the staff screen calls it, the simulated person pressing `finger` at each prompt. */
  const enrol = async (staffId: string, finger: string, options: { replace?: boolean; atSecondPress?: () => unknown } = {}) => {
    const presses: NodeJS.Timeout[] = [];
    const off = api.subscribe((event) => {
      if (event.type !== 'reader-enroll' || event.progress.step !== 'place') return;
      if (event.progress.capture === 2) options.atSecondPress?.();
      presses.push(setTimeout(() => reader.simulateFinger(finger), 20));
    });
    try {
      return await api.handleCall('staff.enrolFinger', [{ staffId, finger: 1, replace: options.replace ?? false }]);
    } finally {
      off();
      for (const press of presses) clearTimeout(press);
    }
  };
  const serverTemplates = () => server.db.db.selectFrom('staff_templates').select(['staff_id', 'finger']).orderBy('staff_id').execute();
  return { api, pins, reader, client, directory, sync, enrolled, fingerEntry, logText, enrol, serverTemplates };
}

describe('calls that need the staff session', () => {
  const guarded: [string, unknown[]][] = [
    ['reader.configure', [{ port: null, baudRate: 57600 }]],
    ['staff.enrolFinger', [{ staffId: 'S1', finger: 1 }]],
    ['server.pullNow', []],
    ['reader.ports', []],
    ['reader.simulateFinger', ['staff-S1']],
  ];

  it('are refused with a typed signed-out error before any sign-in, and nothing reaches the reader', async () => {
    const k = await kiosk();
    await k.enrolled('S1');
    const pages = await k.reader.pages();
    for (const [method, args] of guarded) {
      expect(await k.api.handleCall(method, args), method).toEqual({ ok: false, code: 'signed-out', error: `${method}: staff sign-in required: open the staff screen with the admin PIN or an admin's finger first` });
    }
    expect(await k.reader.pages()).toEqual(pages);
    // The reader's library is no page's business at all, signed in or not.
    for (const method of ['reader.pages', 'reader.storeTemplate', 'reader.delete', 'reader.uploadTemplate', 'reader.enroll', 'reader.identify']) {
      expect(await k.api.handleCall(method, []), method).toMatchObject({ ok: false, code: 'invalid', error: expect.stringContaining('unknown method') });
    }
    // Sign-in keeps working unattended.
    expect(await k.api.handleCall('staff.roster', [])).toMatchObject({ ok: true, result: { members: [{ id: 'S1' }, { id: 'ADM1' }] } });
    expect(await k.api.handleCall('reader.watch', [{ leaseMs: 5000 }])).toMatchObject({ ok: true });
  });

  it('are allowed after the PIN, and refused again once the session has expired by the clock', async () => {
    const k = await kiosk();
    expect(await k.api.handleCall('staff.verifyPin', ['2468'])).toEqual({ ok: true, result: { ok: true } });
    expect(await k.api.handleCall('server.pullNow', [])).toEqual({ ok: true, result: { pulled: true } });
    expect(await k.api.handleCall('reader.simulateFinger', ['lift'])).toEqual({ ok: true, result: { ok: true } });

    clock.advance(staffSessionMs - 1000);
    expect(await k.api.handleCall('reader.ports', [])).toMatchObject({ ok: true });
    clock.advance(1000);
    for (const [method, args] of guarded) expect(await k.api.handleCall(method, args), method).toMatchObject({ ok: false, code: 'signed-out' });
  });

  it('never let the page upload a template: only an enrolment on this reader goes, with the session that opened the staff screen', async () => {
    const k = await kiosk();
    const upload = { method: 'PUT', path: '/api/v1/staff/ADM1/templates/1', body: { template: syntheticTemplate('intruder').toString('base64'), authorisedBy: { method: 'admin-finger', staffId: 'ADM1' } } };
    expect(await k.api.handleCall('server.request', [upload])).toMatchObject({ ok: false, code: 'invalid' });
    await k.api.handleCall('staff.verifyPin', ['2468']);
    expect(await k.api.handleCall('server.request', [upload])).toMatchObject({ ok: false, code: 'invalid', error: expect.stringContaining("the privileged side's own route") });
    expect(await k.serverTemplates()).toEqual([]);

    await k.sync.pullNow();
    expect(await k.enrol('ADM1', 'new-hire')).toMatchObject({ ok: true, result: { ok: true, replaced: false } });
    expect(await k.serverTemplates()).toEqual([{ staff_id: 'ADM1', finger: 1 }]);
    // Opened with the PIN: the audit says so, whatever a page might have claimed.
    expect(await server.db.db.selectFrom('template_audit').select(['staff_id', 'finger', 'authorised_method', 'authorised_staff_id', 'device_id', 'replaced']).execute()).toEqual([
      { staff_id: 'ADM1', finger: 1, authorised_method: 'pin', authorised_staff_id: null, device_id: expect.any(String), replaced: 0 },
    ]);
    expect(k.directory.slotOf('ADM1', 1)).toMatchObject({ page: expect.any(Number) });
  });

  it('lets simulated fingers outlast the staff screen until the session would have ended, not the other calls', async () => {
    const k = await kiosk();
    await k.api.handleCall('staff.verifyPin', ['2468']);
    await k.api.handleCall('staff.signOut', []);
    expect(await k.api.handleCall('server.pullNow', [])).toMatchObject({ ok: false, code: 'signed-out' });
    expect(await k.api.handleCall('reader.simulateFinger', ['staff-S1'])).toEqual({ ok: true, result: { ok: true } });
    clock.advance(staffSessionMs);
    expect(await k.api.handleCall('reader.simulateFinger', ['staff-S1'])).toMatchObject({ ok: false, code: 'signed-out' });
  });
});

describe("an admin's finger at the PIN screen (staff.verifyFinger)", () => {
  it('opens the same 15-minute session as the PIN, and the log holds neither name nor template', async () => {
    const k = await kiosk();
    const template = await k.enrolled('ADM1');
    await k.enrolled('S1');
    expect(k.pins.signedIn()).toBe(false);
    expect(await k.fingerEntry('staff-ADM1')).toEqual({ ok: true });
    expect(k.pins.signedIn()).toBe(true);
    expect(await k.api.handleCall('reader.ports', [])).toMatchObject({ ok: true });
    clock.advance(staffSessionMs);
    expect(k.pins.signedIn()).toBe(false);

    const log = k.logText();
    expect(log).toContain('staff screen opened by an admin fingerprint');
    expect(log).not.toContain(adminName);
    expect(log).not.toContain(template);
    expect(log).not.toContain(template.slice(0, 40));
  });

  it("refuses a staff member's finger and an unknown finger in Chinese, counting both toward the PIN's lockout", async () => {
    const k = await kiosk();
    await k.enrolled('ADM1');
    await k.enrolled('S1');
    expect(await k.fingerEntry('staff-S1')).toEqual({ ok: false, attemptsLeft: 4, refused: 'not-admin', text: { zh: '该指纹不是管理员指纹，无法进入维护界面', en: expect.any(String) } });
    expect(await k.fingerEntry('nobody')).toEqual({ ok: false, attemptsLeft: 3, refused: 'not-recognised', text: { zh: '未能识别该指纹，请使用管理员指纹或输入密码', en: expect.any(String) } });
    expect(k.pins.signedIn()).toBe(false);
    // One count: wrong PINs and refused fingers share it.
    expect(await k.api.handleCall('staff.verifyPin', ['1111'])).toEqual({ ok: true, result: { ok: false, attemptsLeft: 2 } });
    expect(await k.api.handleCall('staff.verifyPin', ['1111'])).toEqual({ ok: true, result: { ok: false, attemptsLeft: 1 } });
    expect(await k.fingerEntry('staff-S1')).toMatchObject({ ok: false, retryAfterSeconds: 300, refused: 'not-admin' });
    // Locked: even the admin's finger is refused, without the reader being asked.
    expect(await k.api.handleCall('staff.verifyFinger', [{ timeoutMs: 3000 }])).toEqual({ ok: true, result: { ok: false, retryAfterSeconds: 300 } });
    expect(k.pins.signedIn()).toBe(false);
    expect(k.logText()).not.toContain('李四');
  });

  it('takes the role from the hall server: an admin demoted there is refused at the next finger', async () => {
    const k = await kiosk();
    await k.enrolled('ADM1');
    expect(await k.fingerEntry('staff-ADM1')).toEqual({ ok: true });
    await k.api.handleCall('staff.signOut', []);
    await updateStaff(server.db.db, clock, 'ADM1', { role: 'staff' });
    expect(await k.fingerEntry('staff-ADM1')).toMatchObject({ ok: false, refused: 'not-admin', attemptsLeft: 4 });
  });

  it('with no roster ever pulled, says to use the PIN and counts nothing, whatever the reader holds', async () => {
    const k = await kiosk();
    // A finger in the reader this kiosk never had a roster for (say its roster file was lost).
    await k.reader.storeTemplate(4, syntheticTemplate('staff-ADM1').toString('base64'));
    await stopServer();
    expect(await k.fingerEntry('staff-ADM1')).toEqual({ ok: false, refused: 'unavailable', text: { zh: '暂时无法核对管理员身份，请输入密码进入', en: expect.any(String) } });
    expect(k.pins.status()).toEqual({ ok: true });
    expect(await k.api.handleCall('staff.verifyPin', ['1111'])).toEqual({ ok: true, result: { ok: false, attemptsLeft: 4 } });
  });

  it('with the hall server gone after a pull, goes by the roster that pull brought', async () => {
    const k = await kiosk();
    await k.enrolled('ADM1');
    await k.enrolled('S1');
    await stopServer();
    expect(await k.fingerEntry('staff-S1')).toMatchObject({ ok: false, refused: 'not-admin' });
    expect(await k.fingerEntry('staff-ADM1')).toEqual({ ok: true });
  });

  it('with no finger within the wait answers no-finger and counts nothing', async () => {
    const k = await kiosk();
    expect(await k.api.handleCall('staff.verifyFinger', [{ timeoutMs: 200 }])).toEqual({ ok: true, result: { ok: false, refused: 'no-finger' } });
    expect(await k.api.handleCall('staff.verifyPin', ['1111'])).toEqual({ ok: true, result: { ok: false, attemptsLeft: 4 } });
  });
});

describe('enrolment (staff.enrolFinger): one finger, one person (no 代签)', () => {
  it("refuses a colleague's finger at the reader, naming the colleague for the admin screen, and keeps nothing", async () => {
    const k = await kiosk();
    await k.enrolled('S1');
    await k.api.handleCall('staff.verifyPin', ['2468']);
    const pages = await k.reader.pages();
    expect(await k.enrol('ADM1', 'staff-S1')).toEqual({ ok: true, result: { ok: false, kind: 'duplicate', ownerStaffId: 'S1', text: { zh: '此指纹已登记为其他工作人员，不能重复登记', en: expect.any(String) } } });
    expect(await k.reader.pages()).toEqual(pages);
    expect(k.directory.slotOf('ADM1', 1)).toBeUndefined();
    expect(await k.serverTemplates()).toEqual([{ staff_id: 'S1', finger: 1 }]);
    expect(await server.db.db.selectFrom('template_audit').select('staff_id').where('staff_id', '=', 'ADM1').execute()).toEqual([]);
  });

  it("asks before re-enrolling a finger; enrolled again, it is recorded as replacing with the admin whose finger opened the session, and the old page goes", async () => {
    const k = await kiosk();
    await k.enrolled('ADM1');
    await k.enrolled('S1');
    const before = k.directory.slotOf('S1', 1)!;
    expect(await k.fingerEntry('staff-ADM1')).toEqual({ ok: true });
    expect(await k.enrol('S1', 'staff-S1')).toMatchObject({ ok: true, result: { ok: false, kind: 'already-enrolled' } });
    expect(k.directory.slotOf('S1', 1)).toEqual(before);

    expect(await k.enrol('S1', 'staff-S1', { replace: true })).toMatchObject({ ok: true, result: { ok: true, replaced: true } });
    const after = k.directory.slotOf('S1', 1)!;
    expect(after.page).not.toBe(before.page);
    expect(after.revision).toBeGreaterThan(before.revision);
    expect(await k.reader.pages()).not.toContain(before.page);
    const audit = await server.db.db.selectFrom('template_audit').select(['staff_id', 'authorised_method', 'authorised_staff_id', 'replaced']).where('authorised_method', 'is not', null).execute();
    expect(audit).toEqual([{ staff_id: 'S1', authorised_method: 'admin-finger', authorised_staff_id: 'ADM1', replaced: 1 }]);
  });

  it('keeps nothing when the staff screen is signed out before the upload', async () => {
    const k = await kiosk();
    await k.sync.pullNow();
    await k.api.handleCall('staff.verifyPin', ['2468']);
    const outcome = await k.enrol('S1', 'new-hire', { atSecondPress: () => void k.api.handleCall('staff.signOut', []) });
    expect(outcome).toMatchObject({ ok: true, result: { ok: false, kind: 'upload-failed', text: { zh: expect.stringContaining('维护界面已退出') } } });
    expect(await k.reader.pages()).toEqual([]);
    expect(k.directory.slotOf('S1', 1)).toBeUndefined();
    expect(await k.serverTemplates()).toEqual([]);
  });

  it('refuses (403) an upload from a session opened by an admin who is no longer one, keeping nothing', async () => {
    const k = await kiosk();
    await k.enrolled('ADM1');
    expect(await k.fingerEntry('staff-ADM1')).toEqual({ ok: true });
    await updateStaff(server.db.db, clock, 'ADM1', { role: 'staff' });
    const pages = await k.reader.pages();
    expect(await k.enrol('S1', 'new-hire')).toMatchObject({ ok: true, result: { ok: false, kind: 'upload-failed', text: { zh: expect.stringContaining('已无管理员权限') } } });
    expect(await k.reader.pages()).toEqual(pages);
    expect(await server.db.db.selectFrom('staff_templates').select('staff_id').where('staff_id', '=', 'S1').execute()).toEqual([]);
  });
});
