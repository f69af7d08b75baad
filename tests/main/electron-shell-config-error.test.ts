import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultKioskConfig } from '../../core/kiosk/kiosk-config.ts';
import { rendererCsp } from '../../main/services/content-policy.ts';
import { useElectronShell } from './support/shell-under-test.ts';

const badConfig = JSON.stringify({ ...defaultKioskConfig('kiosk-bad'), printer: { address: 'lpt1', paperWidth: 80 } });
const shell = useElectronShell({ prepare: (dataDir) => writeFileSync(join(dataDir, 'config.json'), badConfig) });

describe('Electron shell with a bad config', () => {
  it('shows an error window naming the bad key instead of exiting', async () => {
    expect(shell.stub.exitCode).toBeUndefined();
    expect(shell.stub.relaunches).toBe(0);
    expect(shell.stub.windows).toHaveLength(1);
    const window = shell.stub.windows[0]!;
    expect(window.loadedUrl).toBe('app://kiosk/index.html');
    // No preload: nothing privileged is reachable from the error page.
    expect(window.options.webPreferences).not.toHaveProperty('preload');
    expect(shell.stub.ipcHandlers.has('kiosk:call')).toBe(false);
    const page = await shell.stub.protocolHandlers.get('app')!(new Request('app://kiosk/index.html'));
    expect(page.status).toBe(503);
    expect(page.headers.get('content-security-policy')).toBe(rendererCsp);
    const html = await page.text();
    expect(html).toContain('printer.address: ');
    expect(html).toContain(join(shell.dataDir, 'config.json'));
  });

  it('leaves the config file as it was', () => {
    expect(readFileSync(join(shell.dataDir, 'config.json'), 'utf8')).toBe(badConfig);
  });
});
