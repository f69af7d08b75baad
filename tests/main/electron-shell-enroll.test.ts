import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedServer, type RunningServer } from '../../server/embedded.ts';
import { createServerLogger } from '../../server/http/logger.ts';
import { useElectronShell } from './support/shell-under-test.ts';
import { TestClock } from '../support/test-clock.ts';

let server: RunningServer | undefined;
// Registered first, so it runs last: the shell quits while its server still answers.
afterAll(() => server?.close());

const shell = useElectronShell({
  adminPin: '246810',
  async prepare(dataDir) {
    server = await startEmbeddedServer({ dbFile: join(dataDir, 'hall.sqlite'), port: 0, clock: new TestClock(), logger: createServerLogger({ level: 'silent' }) });
    return { HALL_KIOSK_SERVER_URL: server.url, HALL_KIOSK_ENROLL_CODE: (await server.createDevice('electron kiosk')).enrollmentCode };
  },
});
const call = (method: string, args: unknown[]) => shell.call(method, args);

describe('Electron shell with a hall server (stubbed Electron)', () => {
  it('enrolls from HALL_KIOSK_ENROLL_CODE and seals the token with safeStorage', async () => {
    const status = await call('server.status', []);
    expect(status).toMatchObject({ ok: true, result: { configured: true, enrolled: true, revoked: false, serverUrl: server!.url } });
    const file = readFileSync(join(shell.dataDir, 'config.json'), 'utf8');
    const config = JSON.parse(file) as { serverUrl: unknown; device: { token: { box: string; sealed: string } } };
    expect(config.serverUrl).toBeNull(); // the URL came from the environment, for this run only
    expect(config.device.token.box).toBe('electron-safe-storage');
    expect(Buffer.from(config.device.token.sealed, 'base64').toString()).toMatch(/^stub-sealed:/);
    expect(file).not.toMatch(/hkd_/);
  });

  it('forwards server.request for the renderer, with the token added on the privileged side', async () => {
    const reply = await call('server.request', [{ method: 'POST', path: '/api/v1/numbers/next', body: { serviceId: 'ss-card', priority: 'normal' } }]);
    expect(reply).toMatchObject({ ok: true, result: { status: 200, body: { label: 'D001' } } });
    expect(JSON.stringify(reply)).not.toMatch(/hkd_/);
    expect(await call('server.request', [{ method: 'GET', path: '/api/v1/admin/devices' }])).toMatchObject({ ok: false, error: expect.stringContaining('not a kiosk route') });
  });
});
