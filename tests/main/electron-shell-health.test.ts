import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootElectronShell } from './support/boot-electron-shell.ts';
import type { StubState } from './support/electron-stub.ts';

let work: string;
let stub: StubState;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'hall-kiosk-electron-health-'));
  process.env.HALL_KIOSK_DATA_DIR = dataDir;
  process.env.HALL_KIOSK_ADMIN_PIN = '246810';
  ({ stub, work } = await bootElectronShell());
});

afterAll(async () => {
  stub?.app.emit('will-quit', { preventDefault: () => undefined });
  await new Promise((r) => setTimeout(r, 200));
  rmSync(work, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

const marker = () => JSON.parse(readFileSync(join(dataDir, 'boot-health.json'), 'utf8')) as { version: string; state: string; starts: number };
const call = (senderUrl: string, method: string, args: unknown[]) =>
  stub.ipcHandlers.get('kiosk:call')!({ senderFrame: { url: senderUrl } }, method, args) as Promise<{ ok: boolean }>;

describe('Electron security checklist gaps closed (stubbed Electron)', () => {
  it('sandboxes every renderer, denies device access and keeps subframes on the app origin', () => {
    expect(stub.sandboxEnabled).toBe(true);
    expect(stub.devicePermission!({ deviceType: 'usb', origin: 'app://kiosk' })).toBe(false);
    let prevented = false;
    stub.windows.at(-1)!.webContents.emit('will-frame-navigate', { url: 'https://evil.example/', preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    let webviewPrevented = false;
    stub.windows.at(-1)!.webContents.emit('will-attach-webview', { preventDefault: () => (webviewPrevented = true) });
    expect(webviewPrevented).toBe(true);
  });
});

describe('Electron shell boot health (stubbed Electron)', () => {
  it('starts this version as pending in the data dir', () => {
    expect(marker()).toMatchObject({ version: '9.9.9-stub', state: 'pending', starts: 1 });
  });

  it('stays pending on a loaded page whose API calls failed or came from elsewhere', async () => {
    stub.windows.at(-1)!.webContents.emit('did-finish-load');
    expect((await call('app://kiosk/index.html', 'staff.verifyPin', [42])).ok).toBe(false);
    expect((await call('https://evil.example/', 'system.info', [])).ok).toBe(false);
    expect(marker().state).toBe('pending');
  });

  it('turns healthy once the page has loaded and the kiosk API has answered it', async () => {
    expect((await call('app://kiosk/index.html', 'system.info', [])).ok).toBe(true);
    expect(marker()).toMatchObject({ version: '9.9.9-stub', state: 'healthy' });
  });
});
