import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rendererCsp } from '../../main/services/content-policy.ts';
import type { FakeWebContents } from './support/electron-stub.ts';
import { useElectronShell } from './support/shell-under-test.ts';

const shell = useElectronShell({ adminPin: '246810' });
const kioskWindow = () => shell.stub.windows.at(-1)!;
const call = (senderUrl: string | null, method: unknown, args: unknown) => shell.call(method, args, senderUrl);

describe('Electron shell (stubbed Electron)', () => {
  it('registers app:// as a privileged standard, secure scheme before ready', () => {
    expect(shell.stub.schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it('opens one locked-down kiosk window on app://kiosk', () => {
    expect(shell.stub.windows).toHaveLength(1);
    const { options, loadedUrl } = kioskWindow();
    expect(loadedUrl).toBe('app://kiosk/index.html');
    expect(options).toMatchObject({ kiosk: true, fullscreen: true });
    expect(options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, devTools: true });
    expect((options.webPreferences as { preload: string }).preload).toMatch(/dist[/\\]preload[/\\]index\.cjs$/);
    expect(shell.stub.menu).toBeNull();
    expect(shell.stub.powerSaveBlockers).toEqual(['prevent-display-sleep']);
  });

  it('denies every permission and every new window, and stays on the app origin', () => {
    let granted: boolean | undefined;
    shell.stub.permissionRequest!({}, 'media', (g) => (granted = g));
    expect(granted).toBe(false);
    expect(shell.stub.permissionCheck!({}, 'geolocation', 'app://kiosk')).toBe(false);
    const contents = kioskWindow().webContents;
    expect(contents.openHandler!({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    const navigate = (event: string, url: string) => {
      let prevented = false;
      contents.emit(event, { preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    expect(navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigate('will-redirect', 'app://other/')).toBe(true);
    expect(navigate('will-navigate', 'app://kiosk/index.html#/staff')).toBe(false);
  });

  it('answers kiosk calls only from the app origin', async () => {
    expect(await call('app://kiosk/index.html', 'system.info', [])).toEqual({ ok: true, result: { version: '9.9.9-stub', shell: 'electron', startedAt: expect.any(Number) } });
    for (const sender of ['file:///opt/kiosk/index.html', 'https://evil.example/', 'app://other/', null]) {
      const outcome = await call(sender, 'system.info', []);
      expect(outcome.ok, String(sender)).toBe(false);
    }
    // An iframe inside the kiosk page shares its origin, not its trust (issue 14.8).
    const framed = await shell.call('staff.verifyPin', ['246810'], 'app://kiosk/index.html', 'subframe');
    expect(framed).toMatchObject({ ok: false, error: 'caller is not the kiosk app' });
    const invalid = await call('app://kiosk/', 'staff.verifyPin', [42]);
    expect(invalid).toMatchObject({ ok: false });
    expect(await call('app://kiosk/', 'staff.verifyPin', ['246810'])).toEqual({ ok: true, result: { ok: true } });
  });

  it('serves the renderer over app:// with the CSP, and nothing outside it', async () => {
    const handler = shell.stub.protocolHandlers.get('app')!;
    const page = await handler(new Request('app://kiosk/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(rendererCsp);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<div id="root">');
    const script = await handler(new Request('app://kiosk/assets/app.js'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    for (const url of ['app://kiosk/..%2f..%2fsecret.txt', 'app://kiosk/../../secret.txt', 'app://other/index.html', 'app://kiosk/missing.js']) {
      const reply = await handler(new Request(url));
      expect(reply.status, url).toBe(404);
    }
  });

  it('forwards printer events to the window', async () => {
    const contents = kioskWindow().webContents as FakeWebContents;
    contents.emit('did-finish-load');
    expect(contents.sent.at(-1)).toEqual({ channel: 'kiosk:event', payload: { type: 'printer-status', status: { state: 'ready', paperNearEnd: false } } });
  });

  it('stores its config with electron-store in the data dir', () => {
    const config = JSON.parse(readFileSync(join(process.env.HALL_KIOSK_DATA_DIR!, 'config.json'), 'utf8')) as { schemaVersion: number; adminPinHash: string };
    expect(config.schemaVersion).toBe(3);
    expect(config.adminPinHash).toMatch(/^scrypt\$/);
  });

  it('reloads a crashed renderer three times, then relaunches the app', () => {
    const window = kioskWindow();
    const crash = () => window.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    crash();
    crash();
    crash();
    expect(window.webContents.reloads).toBe(3);
    expect(shell.stub.relaunches).toBe(0);
    crash();
    expect(shell.stub.relaunches).toBe(1);
    expect(shell.stub.exitCode).toBe(0);
  });
});
