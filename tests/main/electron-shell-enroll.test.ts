import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedServer, type RunningServer } from '../../server/embedded.ts';
import { createServerLogger } from '../../server/logger.ts';
import { bootElectronShell } from './support/boot-electron-shell.ts';
import type { StubState } from './support/electron-stub.ts';
import { TestClock } from '../server/support/test-clock.ts';

let work: string;
let stub: StubState;
let dataDir: string;
let server: RunningServer;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'hall-kiosk-electron-enroll-'));
  server = await startEmbeddedServer({ dbFile: join(dataDir, 'hall.sqlite'), port: 0, clock: new TestClock(), logger: createServerLogger({ level: 'silent' }) });
  process.env.HALL_KIOSK_DATA_DIR = dataDir;
  process.env.HALL_KIOSK_ADMIN_PIN = '246810';
  process.env.HALL_KIOSK_SERVER_URL = server.url;
  process.env.HALL_KIOSK_ENROLL_CODE = (await server.createDevice('electron kiosk')).enrollmentCode;
  ({ stub, work } = await bootElectronShell());
});

afterAll(async () => {
  stub?.app.emit('will-quit', { preventDefault: () => undefined });
  await new Promise((r) => setTimeout(r, 200));
  delete process.env.HALL_KIOSK_SERVER_URL;
  delete process.env.HALL_KIOSK_ENROLL_CODE;
  await server.close();
  rmSync(work, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

const call = (method: string, args: unknown[]) =>
  stub.ipcHandlers.get('kiosk:call')!({ senderFrame: { url: 'app://kiosk/index.html' } }, method, args) as Promise<{ ok: boolean; result?: unknown; error?: string }>;

describe('Electron shell with a hall server (stubbed Electron)', () => {
  it('enrolls from HALL_KIOSK_ENROLL_CODE and seals the token with safeStorage', async () => {
    const status = await call('server.status', []);
    expect(status).toMatchObject({ ok: true, result: { configured: true, enrolled: true, revoked: false, serverUrl: server.url } });
    const file = readFileSync(join(dataDir, 'config.json'), 'utf8');
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
