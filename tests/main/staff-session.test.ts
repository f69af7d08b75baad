import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoCatalog } from '../../demo/catalog.ts';
import { staffSessionMs } from '../../core/kiosk/kiosk-api.ts';
import { FingerprintReader } from '../../hardware/fingerprint/index.ts';
import { SimulatedFingerprintModule, syntheticTemplate } from '../../hardware/sim/fingerprint/index.ts';
import { AdminFingerEntry } from '../../main/services/admin-finger-entry.ts';
import { AdminFingers } from '../../main/services/admin-fingers.ts';
import { CentralServerClient } from '../../main/services/central-server-client.ts';
import { ConfigService } from '../../main/services/config-service.ts';
import { KioskApiService } from '../../main/services/kiosk-api-service.ts';
import { createKioskLogger } from '../../main/services/logger.ts';
import { PinService, type ScryptParams } from '../../main/services/pin-service.ts';
import { ReaderService } from '../../main/services/reader-service.ts';
import { startServer, type RunningServer } from '../../server/embedded.ts';
import { createServerLogger } from '../../server/http/logger.ts';
import { grantEnrolment } from '../../server/staff/enrolment-grants.ts';
import { addStaff, updateStaff } from '../../server/staff/roster.ts';
import { parseTemplateKey } from '../../server/staff/template-key.ts';
import { TestClock } from '../server/support/test-clock.ts';

// The privileged side's staff session, end to end below the renderer: a real hall server (SQLite,
// HTTP on loopback) holding the roster and the encrypted templates, an enrolled kiosk client, the
// reader service on the in-process simulated module, and the PIN service on a real config file.
// The kiosk's clock is injected so a session can expire without waiting 15 minutes.

const fast: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };
const fastReader = { commandTimeoutMs: 400, slowCommandTimeoutMs: 800, handshakeTimeoutMs: 300, healthIntervalMs: 500, pollIntervalMs: 10 };
const adminName = '王管理';

let dir: string;
let server: RunningServer;
let serverOpen = false;
const clock = new TestClock();
const closers: (() => Promise<void> | void)[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hall-staff-session-'));
  const templateKey = parseTemplateKey(randomBytes(32).toString('base64'), 'test key');
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
  const api = new KioskApiService({
    config: () => config.get(),
    printer: { status: async () => ({ state: 'ready', paperNearEnd: false }), print: async () => ({ outcome: 'printed', paperNearEnd: false }), printSlip: async () => ({ outcome: 'printed', paperNearEnd: false }), preview: () => null, onStatus: () => () => undefined, lastStatus: () => undefined },
    pins,
    server: client,
    reader,
    fingerEntry: new AdminFingerEntry({ reader, admins: new AdminFingers({ server: client, logger }), pins, logger }),
    system: { version: 't', shell: 'host', startedAt: 0 },
    logger,
  });
  closers.push(() => reader.stop(), () => api.close());

  /** An admin's leave, given on the hall server, for this kiosk to enrol `staffId`'s fingers (server/staff/enrolment-grants.ts). */
  const granted = (staffId: string) => grantEnrolment(server.db.db, clock, { staffId, deviceId: client.status().deviceId!, grantedBy: 'office', minutes: 30 });
  /** Enrolled at the hall (template on the server) and downloaded into this kiosk's reader, as roster sync does. */
  const enrolled = async (staffId: string, page: number) => {
    await granted(staffId);
    const template = syntheticTemplate(`staff-${staffId}`).toString('base64');
    expect(await client.request({ method: 'PUT', path: `/api/v1/staff/${staffId}/templates/1`, body: { template } })).toMatchObject({ status: 200 });
    await reader.storeTemplate(page, template);
    return template;
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
  /** reader.enroll as the staff screen calls it, the simulated person following the prompts. */
  const enrol = async (finger: string, page: number, ownPages: number[] = []) => {
    const off = api.subscribe((event) => {
      if (event.type === 'reader-enroll' && event.progress.step === 'place' && event.progress.capture === 2) setTimeout(() => reader.simulateFinger(finger), 20);
    });
    reader.simulateFinger(finger);
    try {
      return await api.handleCall('reader.enroll', [{ page, timeoutMs: 5000, ownPages }]);
    } finally {
      off();
    }
  };
  const readBack = async (page: number) => {
    const read = await api.handleCall('reader.uploadTemplate', [page]);
    if (!read.ok) throw new Error(read.error);
    return (read.result as { template: string }).template;
  };
  return { api, pins, reader, client, granted, enrolled, fingerEntry, logText, enrol, readBack };
}

describe('reader calls that need the staff session', () => {
  const guarded: [string, unknown[]][] = [
    ['reader.configure', [{ port: null, baudRate: 57600 }]],
    ['reader.enroll', [{ page: 5, timeoutMs: 1000 }]],
    ['reader.uploadTemplate', [0]],
    ['reader.ports', []],
    ['reader.simulateFinger', ['staff-S1']],
  ];

  it('are refused with a typed signed-out error before any sign-in, and nothing reaches the reader', async () => {
    const k = await kiosk();
    await k.enrolled('S1', 0);
    for (const [method, args] of guarded) {
      expect(await k.api.handleCall(method, args), method).toEqual({ ok: false, code: 'signed-out', error: `${method}: staff sign-in required: open the staff screen with the admin PIN or an admin's finger first` });
    }
    expect(await k.reader.pages()).toEqual([0]);
    // Roster sync and sign-in keep working unattended.
    expect(await k.api.handleCall('reader.pages', [])).toEqual({ ok: true, result: { pages: [0] } });
    expect(await k.api.handleCall('reader.storeTemplate', [9, syntheticTemplate('staff-X').toString('base64')])).toEqual({ ok: true, result: { ok: true } });
    expect(await k.api.handleCall('reader.delete', [9])).toEqual({ ok: true, result: { ok: true } });
  });

  it('are allowed after the PIN, and refused again once the session has expired by the clock', async () => {
    const k = await kiosk();
    await k.enrolled('S1', 0);
    expect(await k.api.handleCall('staff.verifyPin', ['2468'])).toEqual({ ok: true, result: { ok: true } });
    expect(await k.api.handleCall('reader.uploadTemplate', [0])).toEqual({ ok: true, result: { template: syntheticTemplate('staff-S1').toString('base64') } });
    expect(await k.api.handleCall('reader.simulateFinger', ['lift'])).toEqual({ ok: true, result: { ok: true } });

    clock.shift(staffSessionMs - 1000);
    expect(await k.api.handleCall('reader.ports', [])).toMatchObject({ ok: true });
    clock.shift(1000);
    for (const [method, args] of guarded) expect(await k.api.handleCall(method, args), method).toMatchObject({ ok: false, code: 'signed-out' });
  });

  it("keep a template upload to the hall server (an enrolment's) for a signed-in staff member, and only of a finger this reader enrolled", async () => {
    const k = await kiosk();
    const upload = { method: 'PUT', path: '/api/v1/staff/ADM1/templates/1', body: { template: syntheticTemplate('intruder').toString('base64') } };
    expect(await k.api.handleCall('server.request', [upload])).toMatchObject({ ok: false, code: 'signed-out' });
    expect(await server.db.db.selectFrom('staff_templates').select('staff_id').execute()).toEqual([]);
    // Downloads are the roster sync's and stay open.
    expect(await k.api.handleCall('server.request', [{ method: 'GET', path: '/api/v1/staff/ADM1/templates/1' }])).toMatchObject({ ok: true, result: { status: 404 } });
    await k.api.handleCall('staff.verifyPin', ['2468']);
    // Bytes from anywhere but an enrolment here (a colleague's template, say) do not go.
    expect(await k.api.handleCall('server.request', [upload])).toMatchObject({ ok: false, code: 'failed', error: expect.stringContaining('only a template enrolled on this kiosk') });
    expect(await server.db.db.selectFrom('staff_templates').select('staff_id').execute()).toEqual([]);

    expect(await k.enrol('new-hire', 7)).toEqual({ ok: true, result: { ok: true, page: 7 } });
    const template = await k.readBack(7);
    const enrolled = { ...upload, body: { template, authorisedBy: { method: 'admin-finger', staffId: 'ADM1' } } };
    await k.granted('ADM1');
    expect(await k.api.handleCall('server.request', [enrolled])).toMatchObject({ ok: true, result: { status: 200, body: { staffId: 'ADM1', finger: 1, replaced: false } } });
    // The page's own authoriser is replaced by the session's: this one was opened with the PIN.
    expect(await server.db.db.selectFrom('template_audit').select(['staff_id', 'finger', 'authorised_method', 'authorised_staff_id', 'device_id', 'granted_by', 'replaced']).execute()).toEqual([
      { staff_id: 'ADM1', finger: 1, authorised_method: 'pin', authorised_staff_id: null, device_id: expect.any(String), granted_by: 'office', replaced: 0 },
    ]);
    // Taken once: the same bytes again need a new enrolment.
    expect(await k.api.handleCall('server.request', [enrolled])).toMatchObject({ ok: false, code: 'failed' });
  });

  it("is taken by the hall server only under an admin's grant for this kiosk and staff member: the PIN session alone gets enrolment-not-granted and nothing is stored", async () => {
    const k = await kiosk();
    await k.api.handleCall('staff.verifyPin', ['2468']);
    const upload = async (page: number, finger: string) => {
      expect(await k.enrol(finger, page)).toEqual({ ok: true, result: { ok: true, page } });
      return k.api.handleCall('server.request', [{ method: 'PUT', path: '/api/v1/staff/S1/templates/2', body: { template: await k.readBack(page) } }]);
    };
    const refused = await upload(3, 'first-try');
    expect(refused).toMatchObject({ ok: true, result: { status: 403, body: { error: { code: 'enrolment-not-granted' } } } });
    expect(await server.db.db.selectFrom('staff_templates').select('staff_id').execute()).toEqual([]);

    // Another kiosk's grant, or another member's, is not this one's.
    await grantEnrolment(server.db.db, clock, { staffId: 'ADM1', deviceId: k.client.status().deviceId!, grantedBy: 'office', minutes: 30 });
    expect(await upload(4, 'second-try')).toMatchObject({ ok: true, result: { status: 403 } });

    await k.granted('S1');
    expect(await upload(5, 'third-try')).toMatchObject({ ok: true, result: { status: 200, body: { staffId: 'S1', finger: 2 } } });
    expect(await server.db.db.selectFrom('template_audit').select(['staff_id', 'authorised_method', 'granted_by']).execute()).toEqual([{ staff_id: 'S1', authorised_method: 'pin', granted_by: 'office' }]);
  });

  it('lets simulated fingers outlast the staff screen until the session would have ended, not the other calls', async () => {
    const k = await kiosk();
    await k.api.handleCall('staff.verifyPin', ['2468']);
    await k.api.handleCall('staff.signOut', []);
    expect(await k.api.handleCall('reader.uploadTemplate', [0])).toMatchObject({ ok: false, code: 'signed-out' });
    expect(await k.api.handleCall('reader.simulateFinger', ['staff-S1'])).toEqual({ ok: true, result: { ok: true } });
    clock.shift(staffSessionMs);
    expect(await k.api.handleCall('reader.simulateFinger', ['staff-S1'])).toMatchObject({ ok: false, code: 'signed-out' });
  });
});

describe("an admin's finger at the PIN screen (staff.verifyFinger)", () => {
  it('opens the same 15-minute session as the PIN, and the log holds neither name nor template', async () => {
    const k = await kiosk();
    const template = await k.enrolled('ADM1', 4);
    await k.enrolled('S1', 0);
    expect(k.pins.signedIn()).toBe(false);
    expect(await k.fingerEntry('staff-ADM1')).toEqual({ ok: true });
    expect(k.pins.signedIn()).toBe(true);
    expect(await k.api.handleCall('reader.ports', [])).toMatchObject({ ok: true });
    clock.shift(staffSessionMs);
    expect(k.pins.signedIn()).toBe(false);

    const log = k.logText();
    expect(log).toContain('staff screen opened by an admin fingerprint');
    expect(log).not.toContain(adminName);
    expect(log).not.toContain(template);
    expect(log).not.toContain(template.slice(0, 40));
  });

  it("refuses a staff member's finger and an unknown finger in Chinese, counting both toward the PIN's lockout", async () => {
    const k = await kiosk();
    await k.enrolled('ADM1', 4);
    await k.enrolled('S1', 0);
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
    await k.enrolled('ADM1', 4);
    expect(await k.fingerEntry('staff-ADM1')).toEqual({ ok: true });
    await k.api.handleCall('staff.signOut', []);
    await updateStaff(server.db.db, clock, 'ADM1', { role: 'staff' });
    expect(await k.fingerEntry('staff-ADM1')).toMatchObject({ ok: false, refused: 'not-admin', attemptsLeft: 4 });
  });

  it('with the hall server never reached, says to use the PIN and counts nothing', async () => {
    const k = await kiosk();
    await k.enrolled('ADM1', 4);
    await stopServer();
    expect(await k.fingerEntry('staff-ADM1')).toEqual({ ok: false, refused: 'unavailable', text: { zh: '暂时无法核对管理员身份，请输入密码进入', en: expect.any(String) } });
    expect(k.pins.status()).toEqual({ ok: true });
    expect(await k.api.handleCall('staff.verifyPin', ['1111'])).toEqual({ ok: true, result: { ok: false, attemptsLeft: 4 } });
  });

  it('with the hall server gone after one answer, goes by that answer', async () => {
    const k = await kiosk();
    await k.enrolled('ADM1', 4);
    await k.enrolled('S1', 0);
    expect(await k.fingerEntry('staff-ADM1')).toEqual({ ok: true });
    await k.api.handleCall('staff.signOut', []);
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

describe('enrolment uploads: one finger, one person (no 代签)', () => {
  it("refuses a colleague's finger at the reader, and at the server when the page claims the colleague's page as its own", async () => {
    const k = await kiosk();
    await k.enrolled('S1', 0);
    await k.api.handleCall('staff.verifyPin', ['2468']);
    // Honest page: the reader refuses before Store and names the page it matched.
    expect(await k.enrol('staff-S1', 7)).toEqual({ ok: true, result: { ok: false, kind: 'duplicate', page: 0, text: { zh: '此指纹已登记为其他工作人员，不能重复登记', en: expect.any(String) } } });
    expect(await k.reader.pages()).toEqual([0]);

    // A page that lies (S1's page as ADM1's own) gets past the reader, not past the server.
    expect(await k.enrol('staff-S1', 7, [0])).toEqual({ ok: true, result: { ok: true, page: 7 } });
    const template = await k.readBack(7);
    await k.granted('ADM1');
    const reply = await k.api.handleCall('server.request', [{ method: 'PUT', path: '/api/v1/staff/ADM1/templates/2', body: { template } }]);
    expect(reply).toMatchObject({ ok: true, result: { status: 409, body: { error: { code: 'duplicate-finger' } } } });
    expect(await server.db.db.selectFrom('staff_templates').select(['staff_id', 'finger']).execute()).toEqual([{ staff_id: 'S1', finger: 1 }]);
    expect(await server.db.db.selectFrom('template_audit').select('staff_id').where('staff_id', '=', 'ADM1').execute()).toEqual([]);
  });

  it("re-enrolling a member's own finger is allowed and recorded as replacing, with the admin whose finger opened the session", async () => {
    const k = await kiosk();
    await k.enrolled('ADM1', 4);
    await k.enrolled('S1', 0);
    expect(await k.fingerEntry('staff-ADM1')).toEqual({ ok: true });
    expect(await k.enrol('staff-S1', 9, [0])).toEqual({ ok: true, result: { ok: true, page: 9 } });
    const template = await k.readBack(9);
    expect(await k.api.handleCall('server.request', [{ method: 'PUT', path: '/api/v1/staff/S1/templates/1', body: { template } }])).toMatchObject({ ok: true, result: { status: 200, body: { replaced: true } } });
    const audit = await server.db.db.selectFrom('template_audit').select(['staff_id', 'authorised_method', 'authorised_staff_id', 'replaced']).where('authorised_method', 'is not', null).execute();
    expect(audit).toEqual([{ staff_id: 'S1', authorised_method: 'admin-finger', authorised_staff_id: 'ADM1', replaced: 1 }]);
  });

  it("drops a session's enrolments when it ends: the next person cannot upload them under their own session", async () => {
    const k = await kiosk();
    await k.api.handleCall('staff.verifyPin', ['2468']);
    expect(await k.enrol('new-hire', 6)).toEqual({ ok: true, result: { ok: true, page: 6 } });
    const template = await k.readBack(6);
    await k.api.handleCall('staff.signOut', []);
    await k.api.handleCall('staff.verifyPin', ['2468']);
    const reply = await k.api.handleCall('server.request', [{ method: 'PUT', path: '/api/v1/staff/S1/templates/1', body: { template } }]);
    expect(reply).toMatchObject({ ok: false, code: 'failed', error: expect.stringContaining('only a template enrolled on this kiosk') });
    expect(await server.db.db.selectFrom('staff_templates').select('staff_id').execute()).toEqual([]);
  });

  it('refuses (403) an upload from a session opened by an admin who is no longer one, storing nothing', async () => {
    const k = await kiosk();
    await k.enrolled('ADM1', 4);
    expect(await k.fingerEntry('staff-ADM1')).toEqual({ ok: true });
    await updateStaff(server.db.db, clock, 'ADM1', { role: 'staff' });
    expect(await k.enrol('new-hire', 8)).toEqual({ ok: true, result: { ok: true, page: 8 } });
    const template = await k.readBack(8);
    await k.granted('S1');
    const reply = await k.api.handleCall('server.request', [{ method: 'PUT', path: '/api/v1/staff/S1/templates/2', body: { template } }]);
    expect(reply).toMatchObject({ ok: true, result: { status: 403, body: { error: { code: 'not-an-admin' } } } });
    expect(await server.db.db.selectFrom('staff_templates').select('staff_id').where('staff_id', '=', 'S1').execute()).toEqual([]);
  });
});
