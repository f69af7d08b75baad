import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kioskConfigEditOf } from '../../core/kiosk/kiosk-config.ts';
import { ConfigService } from '../../main/services/config-service.ts';
import { HealthService } from '../../main/services/health-service.ts';
import { KioskApiService } from '../../main/services/kiosk-api-service.ts';
import { exportKioskLogs, logExportTargets } from '../../main/services/log-export.ts';
import { createKioskLogger, RecentLogEntries } from '../../main/services/logger.ts';
import { PinService, type ScryptParams } from '../../main/services/pin-service.ts';

const fast: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };
let dir: string;
let now: number;
const clock = { now: () => now };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hall-kiosk-maint-'));
  now = Date.UTC(2026, 11, 1, 2, 0, 0);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function openConfig(): ConfigService {
  return ConfigService.open({
    openStore: () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'config' }),
    file: join(dir, 'config.json'),
    newKioskId: () => 'kiosk-maint-1',
  });
}

async function maintenanceApi() {
  const config = openConfig();
  const pins = new PinService({ config, clock, scryptParams: fast });
  await pins.setPin('2468');
  const recent = new RecentLogEntries();
  const logDir = join(dir, 'logs');
  const logger = createKioskLogger({ logDir, stdout: false, recent });
  const printed: unknown[] = [];
  let exits = 0;
  const api = new KioskApiService({
    config: () => config.get(),
    printer: {
      status: async () => ({ state: 'ready', paperNearEnd: false }),
      print: async (job) => {
        printed.push(job);
        return { outcome: 'printed', paperNearEnd: false };
      },
      printSlip: async () => ({ outcome: 'printed', paperNearEnd: false }),
      preview: () => null,
      onStatus: () => () => {},
      lastStatus: () => undefined,
    },
    pins,
    server: { request: async () => ({ status: 200, body: {} }) as never, status: () => ({}) as never },
    system: { version: '1.2.3', shell: 'host', startedAt: now },
    logger,
    maintenance: {
      clock,
      editableConfig: () => kioskConfigEditOf(config.get()),
      updateConfig: (edit) => config.applyEdit(edit),
      health: () => new HealthService({ clock, startedAt: now - 90_000, appVersion: '1.2.3', dataDir: dir, recent }).health(),
      exportLogs: () => exportKioskLogs({ logDir, targets: () => [join(dir, 'usb'), join(dir, 'exports')], kioskId: config.get().kioskId, now }),
      exitKiosk: () => {
        exits += 1;
        return { exited: true, message: 'left' };
      },
    },
  });
  return { api, config, pins, logger, printed, exits: () => exits };
}

describe('maintenance calls', () => {
  it('need a staff sign-in: config, exit and log export refuse before the PIN and after sign-out', async () => {
    const { api, exits } = await maintenanceApi();
    for (const method of ['config.editable', 'system.exitKiosk', 'logs.export']) {
      expect(await api.handleCall(method, [])).toMatchObject({ ok: false, code: 'signed-out', error: expect.stringContaining('staff sign-in required') });
    }
    expect(await api.handleCall('staff.verifyPin', ['2468'])).toEqual({ ok: true, result: { ok: true } });
    expect(await api.handleCall('system.exitKiosk', [])).toEqual({ ok: true, result: { exited: true, message: 'left' } });
    await api.handleCall('staff.signOut', []);
    expect(await api.handleCall('system.exitKiosk', [])).toMatchObject({ ok: false });
    expect(exits()).toBe(1);
  });

  it('a bad printer address is refused by field and the config file stays byte for byte as it was', async () => {
    const { api, config } = await maintenanceApi();
    await api.handleCall('staff.verifyPin', ['2468']);
    const before = readFileSync(config.path, 'utf8');
    const current = (await api.handleCall('config.editable', [])) as { ok: true; result: Record<string, unknown> };
    const reply = await api.handleCall('config.update', [{ ...current.result, hallName: '新名称', printerAddress: 'lpt1' }]);
    expect(reply).toEqual({ ok: true, result: { ok: false, problems: [{ field: 'printerAddress', detail: expect.stringContaining('"lpt1" is not a printer address') }] } });
    expect(readFileSync(config.path, 'utf8')).toBe(before);
    expect(openConfig().get().hall.name).toBe('市政务服务中心');
  });

  it('a good edit is written once, whole, and says a restart is needed for the printer', async () => {
    const { api } = await maintenanceApi();
    await api.handleCall('staff.verifyPin', ['2468']);
    const current = (await api.handleCall('config.editable', [])) as { ok: true; result: Record<string, unknown> };
    const reply = await api.handleCall('config.update', [{ ...current.result, hallName: '东城区政务服务中心', printerAddress: 'tcp://192.168.1.50:9100', idleTimeoutSeconds: 120 }]);
    expect(reply).toEqual({ ok: true, result: { ok: true, changed: ['hallName', 'printerAddress', 'idleTimeoutSeconds'], restartNeeded: true } });
    const stored = openConfig().get();
    expect([stored.hall.name, stored.printer.address, stored.idleTimeoutSeconds]).toEqual(['东城区政务服务中心', 'tcp://192.168.1.50:9100', 120]);
  });

  it('refuses a malformed edit before acting (wrong types)', async () => {
    const { api } = await maintenanceApi();
    await api.handleCall('staff.verifyPin', ['2468']);
    expect(await api.handleCall('config.update', [{ hallName: 3 }])).toMatchObject({ ok: false, code: 'invalid' });
  });

  it('test print goes through the ticket path, says it is no queue number, and names the printer', async () => {
    const { api, printed } = await maintenanceApi();
    expect(await api.handleCall('printer.testPrint', [])).toEqual({ ok: true, result: { outcome: 'printed', paperNearEnd: false } });
    expect(printed).toEqual([expect.objectContaining({ label: 'TT000', serviceName: '打印测试 · 非取号凭证', windows: '打印机 virtual · 80mm', issuedAtText: '2026-12-01 10:00:00' })]);
  });

  it('health: versions, uptime, disk and the recent errors, redacted', async () => {
    const { api, logger } = await maintenanceApi();
    logger.error({ phone: '13800138000' }, 'printer status poll failed');
    const reply = (await api.handleCall('system.health', [])) as { ok: true; result: { versions: { app: string; node: string }; uptimeSeconds: number; disk: { freeBytes: number } | null; recentErrors: Array<{ message: string }> } };
    expect(reply.result.versions).toMatchObject({ app: '1.2.3', node: process.versions.node });
    expect(reply.result.uptimeSeconds).toBe(90);
    expect(reply.result.disk?.freeBytes).toBeGreaterThan(0);
    expect(reply.result.recentErrors[0]).toMatchObject({ message: 'printer status poll failed' });
    expect(JSON.stringify(reply)).not.toContain('13800138000');
  });
});

describe('log export', () => {
  it('writes every log file, oldest first, as one scrubbed file on the first target that takes it', async () => {
    const logDir = join(dir, 'logs');
    mkdirSync(logDir);
    writeFileSync(join(logDir, 'kiosk.log.2'), '{"msg":"oldest 13800138000"}\n');
    writeFileSync(join(logDir, 'kiosk.log.1'), '{"msg":"middle"}\n');
    writeFileSync(join(logDir, 'kiosk.log'), '{"msg":"newest"}\n');
    // A read-only "stick" is skipped for the next target.
    const blocked = join(dir, 'blocked');
    writeFileSync(blocked, 'a file, not a directory');
    const exported = exportKioskLogs({ logDir, targets: () => [blocked, join(dir, 'exports')], kioskId: 'kiosk-maint-1', now });
    expect(exported.file).toBe(join(dir, 'exports', 'hall-kiosk-logs-kiosk-maint-1-20261201-020000.log'));
    const text = readFileSync(exported.file, 'utf8');
    expect(text).toBe('{"msg":"oldest [phone]"}\n{"msg":"middle"}\n{"msg":"newest"}\n');
    expect(exported.bytes).toBe(Buffer.byteLength(text));
    expect(readdirSync(join(dir, 'exports'))).toEqual(['hall-kiosk-logs-kiosk-maint-1-20261201-020000.log']);
  });

  it('says where it failed when no target takes the file', () => {
    const blocked = join(dir, 'blocked');
    writeFileSync(blocked, 'x');
    expect(() => exportKioskLogs({ logDir: join(dir, 'none'), targets: () => [blocked], kioskId: 'k', now })).toThrow(/could not be written anywhere \(.*blocked: E/);
  });

  it('offers mounted media of the kiosk user before its own export folder', () => {
    const media = join(dir, 'media');
    mkdirSync(join(media, 'kiosk', 'USB-STICK'), { recursive: true });
    expect(logExportTargets('kiosk', '/data/exports', [media, join(dir, 'run-media')])).toEqual([join(media, 'kiosk', 'USB-STICK'), '/data/exports']);
  });
});
