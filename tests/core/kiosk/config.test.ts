import { describe, expect, it } from 'vitest';
import { defaultKioskConfig, kioskConfigVersion, loadKioskConfig, publicKioskConfig } from '../../../core/kiosk/kiosk-config.ts';
import { parsePrinterAddress } from '../../../core/printing/printer-address.ts';

describe('kiosk config', () => {
  it('accepts the default', () => {
    const r = loadKioskConfig(defaultKioskConfig('kiosk-1'));
    expect(r.ok).toBe(true);
  });

  it('names every bad key', () => {
    const bad = { ...defaultKioskConfig('kiosk-1'), printer: { address: 'lpt1', paperWidth: 70 }, hall: { name: '', timeZone: 'Nowhere/City' } };
    const r = loadKioskConfig(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const keys = r.errors.map((e) => e.split(':')[0]);
    expect(keys).toEqual(expect.arrayContaining(['printer.address', 'printer.paperWidth', 'hall.name', 'hall.timeZone']));
    expect(r.errors.find((e) => e.startsWith('printer.address'))).toContain('"lpt1" is not a printer address');
  });

  it('refuses what is not a config at all', () => {
    expect(loadKioskConfig(null)).toEqual({ ok: false, errors: ['(root): config must be a JSON object'] });
    expect(loadKioskConfig({ schemaVersion: 99 })).toMatchObject({ ok: false, errors: [expect.stringContaining('schemaVersion')] });
  });

  it('migrates version 1', () => {
    const { schemaVersion: _v, idleTimeoutSeconds: _i, printer: _p, ...rest } = defaultKioskConfig('kiosk-1');
    const v1 = { ...rest, schemaVersion: 1, idleTimeoutMs: 90_000, printerAddress: 'tcp://10.0.0.5' };
    const r = loadKioskConfig(v1);
    expect(r).toMatchObject({ ok: true, migratedFrom: 1, config: { schemaVersion: kioskConfigVersion, idleTimeoutSeconds: 90, printer: { address: 'tcp://10.0.0.5', paperWidth: 80 } } });
  });

  it('migrates version 2: no device enrolled yet', () => {
    const { schemaVersion: _v, device: _d, ...rest } = defaultKioskConfig('kiosk-1');
    const r = loadKioskConfig({ ...rest, schemaVersion: 2, serverUrl: 'http://10.0.0.2:8480' });
    expect(r).toMatchObject({ ok: true, migratedFrom: 2, config: { schemaVersion: 3, serverUrl: 'http://10.0.0.2:8480', device: null } });
  });

  it('refuses a device whose token is stored without its box', () => {
    const r = loadKioskConfig({ ...defaultKioskConfig('kiosk-1'), device: { id: 'd1', serverUrl: 'http://10.0.0.2:8480', token: 'hkd_plain', enrolledAt: 1 } });
    expect(r).toMatchObject({ ok: false, errors: [expect.stringMatching(/^device\.token: /)] });
  });

  it('never shows the PIN hash or the device token to the renderer', () => {
    const enrolled = { ...defaultKioskConfig('kiosk-1'), serverUrl: 'http://10.0.0.2:8480', device: { id: 'd1', serverUrl: 'http://10.0.0.2:8480', token: { box: 'plain', sealed: 'hkd_secret' }, enrolledAt: 1 } };
    expect(JSON.stringify(publicKioskConfig(enrolled))).not.toContain('secret');
    expect(publicKioskConfig(enrolled).serverConfigured).toBe(true);
  });

  it('never shows the PIN hash to the renderer', () => {
    const c = { ...defaultKioskConfig('kiosk-1'), adminPinHash: 'scrypt$secret' };
    expect(JSON.stringify(publicKioskConfig(c))).not.toContain('secret');
  });
});

describe('printer address', () => {
  it.each([
    ['virtual', { kind: 'virtual' }],
    ['tcp://192.168.1.50', { kind: 'tcp', host: '192.168.1.50', port: 9100 }],
    ['tcp://printer.local:9101', { kind: 'tcp', host: 'printer.local', port: 9101 }],
    ['usb:/dev/usb/lp0', { kind: 'usb', path: '/dev/usb/lp0' }],
    ['serial:/dev/ttyUSB0', { kind: 'serial', path: '/dev/ttyUSB0', baudRate: 9600 }],
    ['serial:/dev/ttyS1?baud=115200', { kind: 'serial', path: '/dev/ttyS1', baudRate: 115200 }],
  ])('parses %s', (text, address) => {
    expect(parsePrinterAddress(text)).toEqual({ ok: true, address });
  });

  it.each([
    ['tcp://host:70000', 'out of range'],
    ['serial:/dev/ttyS0?baud=1234', 'baud 1234'],
    ['http://printer', 'not a printer address'],
    ['usb:lp0', 'not a printer address'],
  ])('refuses %s', (text, message) => {
    const r = parsePrinterAddress(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(message);
  });
});
