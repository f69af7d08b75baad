import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultKioskConfig } from '../../core/kiosk-config.ts';
import { rendererCsp } from '../../main/services/content-policy.ts';
import { bootElectronShell } from './support/boot-electron-shell.ts';
import type { StubState } from './support/electron-stub.ts';

let work: string;
let stub: StubState;
let dataDir: string;
const badConfig = JSON.stringify({ ...defaultKioskConfig('kiosk-bad'), printer: { address: 'lpt1', paperWidth: 80 } });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'hall-kiosk-electron-bad-'));
  writeFileSync(join(dataDir, 'config.json'), badConfig);
  process.env.HALL_KIOSK_DATA_DIR = dataDir;
  ({ stub, work } = await bootElectronShell());
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Electron shell with a bad config', () => {
  it('shows an error window naming the bad key instead of exiting', async () => {
    expect(stub.exitCode).toBeUndefined();
    expect(stub.relaunches).toBe(0);
    expect(stub.windows).toHaveLength(1);
    const window = stub.windows[0]!;
    expect(window.loadedUrl).toBe('app://kiosk/index.html');
    // No preload: nothing privileged is reachable from the error page.
    expect(window.options.webPreferences).not.toHaveProperty('preload');
    expect(stub.ipcHandlers.has('kiosk:call')).toBe(false);
    const page = await stub.protocolHandlers.get('app')!(new Request('app://kiosk/index.html'));
    expect(page.status).toBe(503);
    expect(page.headers.get('content-security-policy')).toBe(rendererCsp);
    const html = await page.text();
    expect(html).toContain('printer.address: ');
    expect(html).toContain(join(dataDir, 'config.json'));
  });

  it('leaves the config file as it was', () => {
    expect(readFileSync(join(dataDir, 'config.json'), 'utf8')).toBe(badConfig);
  });
});
