import { describe, expect, it } from 'vitest';
import { applyKioskConfigEdit, defaultKioskConfig, kioskConfigEditOf, type KioskConfigEdit } from '../../../core/kiosk/kiosk-config.ts';

const current = defaultKioskConfig('kiosk-edit-1');
const edit = (change: Partial<KioskConfigEdit>): KioskConfigEdit => ({ ...kioskConfigEditOf(current), ...change });

describe('staff config edit', () => {
  it('applies every field, trimmed, and says which changed', () => {
    const outcome = applyKioskConfigEdit(current, edit({ hallName: ' 东城区政务服务中心 ', serverUrl: 'http://192.168.1.10:8480', printerAddress: 'tcp://192.168.1.50', readerPort: '/dev/ttyUSB0', idleTimeoutSeconds: 90 }));
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.config.hall).toEqual({ name: '东城区政务服务中心', timeZone: 'Asia/Shanghai' });
    expect(outcome.config.serverUrl).toBe('http://192.168.1.10:8480');
    expect(outcome.config.printer).toEqual({ address: 'tcp://192.168.1.50', paperWidth: 80 });
    expect(outcome.config.reader).toEqual({ port: '/dev/ttyUSB0', baudRate: 57600 });
    expect(outcome.changed).toEqual(['hallName', 'serverUrl', 'printerAddress', 'readerPort', 'idleTimeoutSeconds']);
  });

  it('empty server URL and reader port mean none', () => {
    const withBoth = { ...current, serverUrl: 'http://10.0.0.1:8480', reader: { port: 'COM3', baudRate: 57600 } };
    const outcome = applyKioskConfigEdit(withBoth, { ...kioskConfigEditOf(withBoth), serverUrl: '  ', readerPort: '' });
    expect(outcome).toMatchObject({ ok: true, changed: ['serverUrl', 'readerPort'] });
    if (outcome.ok) expect([outcome.config.serverUrl, outcome.config.reader.port]).toEqual([null, null]);
  });

  it('reports every bad field at once, by field, and changes nothing', () => {
    const before = structuredClone(current);
    const outcome = applyKioskConfigEdit(current, edit({ hallName: '', serverUrl: 'ftp://hall', printerAddress: 'lpt1', readerPort: '/dev/../etc/passwd', idleTimeoutSeconds: 5 }));
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems.map((p) => p.field).sort()).toEqual(['hallName', 'idleTimeoutSeconds', 'printerAddress', 'readerPort', 'serverUrl']);
    expect(outcome.problems.find((p) => p.field === 'printerAddress')?.detail).toMatch(/"lpt1" is not a printer address/);
    expect(current).toEqual(before);
  });

  it.each([
    ['tcp://printer.local:99999', /port 99999/],
    ['serial:/dev/ttyUSB0?baud=1234', /baud 1234/],
    ['usb:lp0', /not a printer address/],
  ])('refuses the printer address %s', (printerAddress, message) => {
    const outcome = applyKioskConfigEdit(current, edit({ printerAddress }));
    expect(outcome).toMatchObject({ ok: false, problems: [{ field: 'printerAddress', detail: expect.stringMatching(message) }] });
  });

  it.each(['/dev/ttyUSB0', '/dev/serial/by-path/pci-0000:00:14.0-usb-0:2:1.0-port0', 'COM3'])('accepts the reader port %s', (readerPort) => {
    expect(applyKioskConfigEdit(current, edit({ readerPort })).ok).toBe(true);
  });

  it.each(['ttyUSB0', 'COM0', '/dev/tty USB0', 'C:\\COM3'])('refuses the reader port %s', (readerPort) => {
    expect(applyKioskConfigEdit(current, edit({ readerPort }))).toMatchObject({ ok: false, problems: [{ field: 'readerPort' }] });
  });

  it('an unchanged edit changes nothing', () => {
    expect(applyKioskConfigEdit(current, edit({}))).toMatchObject({ ok: true, changed: [] });
  });
});
