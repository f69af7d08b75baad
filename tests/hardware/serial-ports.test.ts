import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listSerialPorts } from '../../hardware/fingerprint/serial-ports.ts';
import { openPtyPair, type PtyPair } from './support/pty-pair.ts';

const info = (path: string, vendorId?: string, productId?: string) => ({ path, manufacturer: 'wch.cn', serialNumber: undefined, pnpId: undefined, locationId: undefined, vendorId, productId });

let pty: PtyPair | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await pty?.dispose();
  pty = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('listSerialPorts (the reader port picker)', () => {
  it('adds character devices found in the scanned directories, links followed, and skips plain files and other names', async () => {
    pty = await openPtyPair();
    const dir = mkdtempSync(join(tmpdir(), 'serial-scan-'));
    dirs.push(dir);
    symlinkSync(pty.driverEnd, join(dir, 'ttyUSB3'));
    symlinkSync(pty.driverEnd, join(dir, 'random-link'));
    writeFileSync(join(dir, 'ttyUSB9'), 'not a device');
    const ports = await listSerialPorts({ list: async () => [], scan: [{ dir, names: /^ttyUSB\d+$/ }, { dir: join(dir, 'missing') }] });
    expect(ports).toEqual([{ path: join(dir, 'ttyUSB3'), label: join(dir, 'ttyUSB3'), likelyReader: false }]);
  });

  it('puts USB bridges these readers use first, labelled by chip, and lists a path once', async () => {
    pty = await openPtyPair();
    const ports = await listSerialPorts({
      list: async () => [info('/dev/ttyS0'), info('/dev/ttyUSB0', '1A86', '7523'), info(pty!.driverEnd)],
      scan: [{ dir: join(pty.driverEnd, '..') }],
    });
    // The PTY's driver end is both listed and scanned: once. The rest by path.
    expect(ports.map((p) => p.path)).toEqual(['/dev/ttyUSB0', '/dev/ttyS0', pty.driverEnd, pty.printerEnd]);
    expect(ports[0]).toMatchObject({ label: '/dev/ttyUSB0 · CH340', likelyReader: true, vendorId: '1A86' });
  });

  it('answers an empty list when the system listing fails and nothing is found', async () => {
    expect(await listSerialPorts({ list: () => Promise.reject(new Error('no udev')), scan: [] })).toEqual([]);
  });
});
