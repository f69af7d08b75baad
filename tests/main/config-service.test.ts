import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultKioskConfig, kioskConfigSchema } from '../../core/kiosk/kiosk-config.ts';
import { ConfigError, ConfigService } from '../../main/services/config-service.ts';

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hall-kiosk-config-'));
  file = join(dir, 'config.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const open = () =>
  ConfigService.open({
    openStore: () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'config' }),
    file,
    newKioskId: () => 'kiosk-0001',
  });

const onDisk = (): unknown => JSON.parse(readFileSync(file, 'utf8'));

function expectConfigError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('ConfigService', () => {
  it('writes a valid default config on first start', () => {
    const service = open();
    expect(service.created).toBe(true);
    expect(service.get()).toEqual(defaultKioskConfig('kiosk-0001'));
    expect(kioskConfigSchema.parse(onDisk())).toEqual(defaultKioskConfig('kiosk-0001'));
    // A second start finds the same config and creates nothing.
    const again = open();
    expect(again.created).toBe(false);
    expect(again.get().kioskId).toBe('kiosk-0001');
  });

  it('migrates a version 1 config and persists it as the current version', () => {
    const { schemaVersion: _v, idleTimeoutSeconds: _i, printer: _p, ...rest } = defaultKioskConfig('old-kiosk');
    const v1 = JSON.stringify({ ...rest, schemaVersion: 1, idleTimeoutMs: 90_000, printerAddress: 'tcp://10.0.0.5' });
    writeFileSync(file, v1);
    const service = open();
    expect(readFileSync(join(dir, 'config.v1.bak.json'), 'utf8')).toBe(v1);
    expect(service.migratedFrom).toBe(1);
    expect(service.get()).toMatchObject({ schemaVersion: 3, idleTimeoutSeconds: 90, printer: { address: 'tcp://10.0.0.5', paperWidth: 80 }, device: null });
    const stored = onDisk() as Record<string, unknown>;
    expect(stored.schemaVersion).toBe(3);
    expect(stored).not.toHaveProperty('idleTimeoutMs');
    expect(stored).not.toHaveProperty('printerAddress');
    expect(open().migratedFrom).toBeUndefined();
  });

  it.each([
    ['a bad printer address', { printer: { address: 'lpt1', paperWidth: 80 } }, 'printer.address'],
    ['a bad time zone', { hall: { name: '市政务服务中心', timeZone: 'Mars/Olympus' } }, 'hall.timeZone'],
    ['a wrong type', { hostPort: '8421' }, 'hostPort'],
  ])('reports %s by key and leaves the file alone', (_what, patch, key) => {
    const text = `${JSON.stringify({ ...defaultKioskConfig('kiosk-0001'), ...patch }, null, 2)}\n`;
    writeFileSync(file, text);
    const error = expectConfigError(open);
    expect(error.problems.some((p) => p.startsWith(`${key}: `))).toBe(true);
    expect(error.message).toContain(`${key}: `);
    expect(error.message).toContain(file);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('lists every bad key at once', () => {
    writeFileSync(file, JSON.stringify({ ...defaultKioskConfig('kiosk-0001'), hostPort: 80, idleTimeoutSeconds: 'soon', printer: { address: 'x', paperWidth: 76 } }));
    const error = expectConfigError(open);
    for (const key of ['hostPort', 'idleTimeoutSeconds', 'printer.address', 'printer.paperWidth']) {
      expect(error.problems.some((p) => p.startsWith(`${key}: `)), key).toBe(true);
    }
  });

  it('reports a file that is not JSON and does not overwrite it', () => {
    const text = '{ "schemaVersion": 2, "kioskId": "half-written';
    writeFileSync(file, text);
    const error = expectConfigError(open);
    expect(error.problems[0]).toMatch(/^\(file\): not valid JSON/);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('does not treat an existing file that parses to nothing as a first start', () => {
    writeFileSync(file, '[]');
    expectConfigError(open);
    expect(readFileSync(file, 'utf8')).toBe('[]');
  });

  it('validates saves with the same schema and writes nothing invalid', () => {
    const service = open();
    const before = readFileSync(file, 'utf8');
    const error = expectConfigError(() => service.update((c) => ({ ...c, hall: { ...c.hall, timeZone: 'Nowhere/Land' } })));
    expect(error.problems[0]).toMatch(/^hall\.timeZone: /);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(service.get().hall.timeZone).toBe('Asia/Shanghai');

    service.update((c) => ({ ...c, printer: { ...c.printer, address: 'tcp://192.168.1.50:9100' } }));
    expect(open().get().printer.address).toBe('tcp://192.168.1.50:9100');
  });
});
