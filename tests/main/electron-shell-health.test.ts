import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useElectronShell } from './support/shell-under-test.ts';

const shell = useElectronShell({ adminPin: '246810' });
const marker = () => JSON.parse(readFileSync(join(shell.dataDir, 'boot-health.json'), 'utf8')) as { version: string; state: string; starts: number };
const call = (senderUrl: string, method: string, args: unknown[]) => shell.call(method, args, senderUrl);

describe('Electron security checklist gaps closed (stubbed Electron)', () => {
  it('sandboxes every renderer, denies device access and keeps subframes on the app origin', () => {
    expect(shell.stub.sandboxEnabled).toBe(true);
    expect(shell.stub.devicePermission!({ deviceType: 'usb', origin: 'app://kiosk' })).toBe(false);
    let prevented = false;
    shell.stub.windows.at(-1)!.webContents.emit('will-frame-navigate', { url: 'https://evil.example/', preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    let webviewPrevented = false;
    shell.stub.windows.at(-1)!.webContents.emit('will-attach-webview', { preventDefault: () => (webviewPrevented = true) });
    expect(webviewPrevented).toBe(true);
  });
});

describe('Electron shell boot health (stubbed Electron)', () => {
  it('starts this version as pending in the data dir', () => {
    expect(marker()).toMatchObject({ version: '9.9.9-stub', state: 'pending', starts: 1 });
  });

  it('stays pending on a loaded page whose API calls failed or came from elsewhere', async () => {
    shell.stub.windows.at(-1)!.webContents.emit('did-finish-load');
    expect((await call('app://kiosk/index.html', 'staff.verifyPin', [42])).ok).toBe(false);
    expect((await call('https://evil.example/', 'system.info', [])).ok).toBe(false);
    expect(marker().state).toBe('pending');
  });

  it('turns healthy once the page has loaded and the kiosk API has answered it', async () => {
    expect((await call('app://kiosk/index.html', 'system.info', [])).ok).toBe(true);
    expect(marker()).toMatchObject({ version: '9.9.9-stub', state: 'healthy' });
  });
});
