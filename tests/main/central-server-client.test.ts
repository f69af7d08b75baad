import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseKioskCall } from '../../core/kiosk/kiosk-api.ts';
import { CentralServerClient } from '../../main/services/central-server-client.ts';
import { ConfigService } from '../../main/services/config-service.ts';
import { KioskApiService } from '../../main/services/kiosk-api-service.ts';
import { createKioskLogger, type Logger } from '../../main/services/logger.ts';
import type { SecretBox } from '../../main/services/secret-box.ts';
import { revokeDevice } from '../../server/devices/devices.ts';
import { startEmbeddedServer, type RunningServer } from '../../server/embedded.ts';
import { createServerLogger } from '../../server/http/logger.ts';
import { demoCatalog } from '../support/demo-hall.ts';
import { TestClock } from '../support/test-clock.ts';

/** Seals visibly and reversibly, as safeStorage would, so a test can tell sealed from plain. */
const testBox: SecretBox = {
  kind: 'test-box',
  encrypt: (plain) => `sealed:${Buffer.from([...plain].reverse().join('')).toString('base64')}`,
  decrypt: (sealed) => [...Buffer.from(sealed.replace(/^sealed:/, ''), 'base64').toString()].reverse().join(''),
};

function nestedArrays(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

let dir: string;
let server: RunningServer;
let logger: Logger;
const clock = new TestClock();

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hall-kiosk-client-'));
  server = await startEmbeddedServer({ dbFile: join(dir, 'hall.sqlite'), port: 0, clock, logger: createServerLogger({ level: 'silent' }), seedCatalog: demoCatalog });
  logger = createKioskLogger({ logDir: join(dir, 'logs'), stdout: false, level: 'debug' });
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function openConfig(box: SecretBox = testBox, serverUrl: string | null = server.url): ConfigService {
  const config = ConfigService.open({
    openStore: () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'config' }),
    file: join(dir, 'config.json'),
    newKioskId: () => 'kiosk-0001',
    secretBox: box,
  });
  if (config.get().serverUrl !== serverUrl) config.update((c) => ({ ...c, serverUrl }));
  return config;
}

function client(config: ConfigService, options: { enrollCode?: string; fetch?: typeof fetch } = {}): CentralServerClient {
  return new CentralServerClient({ fetch: options.fetch ?? fetch, config: () => config.get(), devices: config, clock, logger, version: '1.2.3', ...options });
}

async function enrolled(config = openConfig()): Promise<{ config: ConfigService; kiosk: CentralServerClient; token: string }> {
  const kiosk = client(config, { enrollCode: (await server.createDevice('entrance 1')).enrollmentCode });
  await kiosk.enrollIfNeeded();
  const stored = config.device();
  if (!stored?.ok) throw new Error('not enrolled');
  return { config, kiosk, token: stored.device.token };
}

describe('enrollment', () => {
  it('exchanges the code for a token and stores it sealed by the injected secret box', async () => {
    const { config, kiosk, token } = await enrolled();
    expect(token).toMatch(/^hkd_/);
    const file = readFileSync(join(dir, 'config.json'), 'utf8');
    expect(file).not.toContain(token);
    const onDisk = JSON.parse(file) as { device: { id: string; serverUrl: string; token: { box: string; sealed: string } } };
    expect(onDisk.device).toMatchObject({ serverUrl: server.url, token: { box: 'test-box' } });
    expect(testBox.decrypt(onDisk.device.token.sealed)).toBe(token);
    expect(kiosk.status()).toEqual({ configured: true, enrolled: true, revoked: false, tokenRejected: false, deviceId: onDisk.device.id, serverUrl: server.url, enrollmentError: null });

    // Another shell without that box cannot open it, and says so instead of sending garbage.
    const other = openConfig({ kind: 'plain', encrypt: (s) => s, decrypt: (s) => s });
    expect(other.device()).toMatchObject({ ok: false, problem: expect.stringContaining('test-box') });
    expect(client(other).status()).toMatchObject({ enrolled: false, enrollmentError: expect.stringContaining('test-box') });
    expect(config.device()).toMatchObject({ ok: true });
  });

  it('keeps a used code from enrolling twice, and reports a refused one', async () => {
    const { enrollmentCode } = await server.createDevice('entrance 2');
    const first = client(openConfig(), { enrollCode: enrollmentCode });
    await first.enrollIfNeeded();
    expect(first.status().enrolled).toBe(true);

    rmSync(join(dir, 'config.json'));
    const second = client(openConfig(), { enrollCode: enrollmentCode });
    await second.enrollIfNeeded();
    expect(second.status()).toMatchObject({ enrolled: false, enrollmentError: expect.stringMatching(/refused: enrollment code unknown, already used/) });
    expect(await second.request({ method: 'GET', path: '/api/v1/time' })).toEqual({ status: 0, error: 'not-enrolled' });
  });

  it('enrolls later when the server was down at start-up', async () => {
    const { enrollmentCode } = await server.createDevice('entrance 3');
    const port = server.port;
    await server.close();
    const config = openConfig();
    const kiosk = client(config, { enrollCode: enrollmentCode });
    await kiosk.enrollIfNeeded();
    expect(kiosk.status()).toMatchObject({ enrolled: false, enrollmentError: expect.stringMatching(/unreachable/) });
    server = await startEmbeddedServer({ dbFile: join(dir, 'hall.sqlite'), port, clock, logger: createServerLogger({ level: 'silent' }), seedCatalog: demoCatalog });
    clock.advance(10_000); // past the retry pause
    const reply = await kiosk.request({ method: 'GET', path: '/api/v1/time' });
    expect(reply).toMatchObject({ status: 200 });
    expect(kiosk.status()).toMatchObject({ enrolled: true, enrollmentError: null });
  });
});

describe('server.request', () => {
  it('forwards a kiosk route with the device token and a timeout, and returns status, body and server time', async () => {
    const { config, token } = await enrolled();
    const seen: Array<{ url: string; init: RequestInit }> = [];
    const spy: typeof fetch = async (url, init) => {
      seen.push({ url: String(url), init: init! });
      return fetch(url, init);
    };
    const kiosk = client(config, { fetch: spy });
    const reply = await kiosk.request({ method: 'POST', path: '/api/v1/numbers/next', body: { serviceId: 'ss-card', priority: 'normal' }, timeoutMs: 1500 });
    expect(reply).toMatchObject({ status: 200, body: { serviceId: 'ss-card', sequence: 1, label: 'D001' } });
    expect('serverTime' in reply && reply.serverTime).toBeGreaterThan(0);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe(`${server.url}/api/v1/numbers/next`);
    const headers = seen[0]!.init.headers as Record<string, string>;
    expect(headers.authorization).toBe(`Bearer ${token}`);
    expect(headers['x-kiosk-version']).toBe('1.2.3');
    expect(seen[0]!.init.signal).toBeInstanceOf(AbortSignal);
    expect(seen[0]!.init.redirect).toBe('error');

    const pull = await kiosk.request({ method: 'GET', path: '/api/v1/sync/pull' });
    expect(pull).toMatchObject({ status: 200, body: { reset: false, lastAppliedSeq: 0 } });
    const again = await kiosk.request({ method: 'GET', path: `/api/v1/sync/pull?cursor=${encodeURIComponent((pull as { body: { cursor: string } }).body.cursor)}` });
    expect(again).toMatchObject({ status: 200, body: { catalog: null } });
    expect(await kiosk.request({ method: 'GET', path: '/api/v1/queue/ss-card' })).toMatchObject({ status: 200, body: { waiting: [] } });
  });

  it.each([
    ['enrollment', { method: 'POST', path: '/api/v1/devices/enroll', body: { code: 'x' } }],
    ['an admin route', { method: 'GET', path: '/api/v1/admin/devices' }],
    ['a step up the path', { method: 'GET', path: '/api/v1/queue/../admin/devices' }],
    ['an escaped step up', { method: 'GET', path: '/api/v1/queue/%2e%2e' }],
    ['another host', { method: 'GET', path: 'http://evil.example/api/v1/time' }],
    ['a protocol-relative host', { method: 'GET', path: '//evil.example/api/v1/time' }],
    ['the wrong method', { method: 'GET', path: '/api/v1/sync/push' }],
    ['a GET with a body', { method: 'GET', path: '/api/v1/time', body: {} }],
    ['an extra query', { method: 'GET', path: '/api/v1/sync/pull?cursor=abc&admin=1' }],
    ['a header smuggled in', { method: 'GET', path: '/api/v1/time', headers: { authorization: 'Bearer x' } }],
    ['a method outside GET and POST', { method: 'DELETE', path: '/api/v1/time' }],
    ['a body nested too deep to serialise', { method: 'POST', path: '/api/v1/sync/push', body: nestedArrays(20_000) }],
  ])('refuses %s before anything is sent', async (_what, request) => {
    const { config } = await enrolled();
    let sent = 0;
    const kiosk = client(config, { fetch: async () => { sent += 1; return new Response('{}'); } });
    expect(parseKioskCall('server.request', [request])).toMatchObject({ ok: false });
    const api = new KioskApiService({
      config: () => config.get(),
      printer: { status: async () => ({ state: 'ready', paperNearEnd: false }), print: async () => ({ outcome: 'printed', paperNearEnd: false }), printSlip: async () => ({ outcome: 'printed', paperNearEnd: false }), preview: () => null, onStatus: () => () => undefined, lastStatus: () => undefined },
      pins: { verify: async () => ({ ok: false }) },
      server: kiosk,
      system: { version: 't', shell: 'host', startedAt: 0 },
      logger,
    });
    expect(await api.handleCall('server.request', [request])).toMatchObject({ ok: false, code: 'invalid' });
    await expect(kiosk.request(request as never)).rejects.toThrow(/refused/);
    expect(sent).toBe(0);
  });

  it('hands the renderer no answer nested too deep to clone to it', async () => {
    const { config } = await enrolled();
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const kiosk = client(config, { fetch: async () => new Response(deep, { status: 200, headers: { 'content-type': 'application/json' } }) });
    const reply = await kiosk.request({ method: 'GET', path: '/api/v1/time' });
    expect(reply).toMatchObject({ status: 200, body: expect.stringContaining('nested deeper than 64 levels') });
    // What IPC does with it: a clone that would throw RangeError on the parsed answer.
    expect(() => structuredClone(reply)).not.toThrow();
  });

  it('answers unreachable, timeout and not-configured as typed failures', async () => {
    const { config } = await enrolled();
    const kiosk = client(config);
    const port = server.port;
    await server.close();
    expect(await kiosk.request({ method: 'GET', path: '/api/v1/time' })).toEqual({ status: 0, error: 'unreachable' });

    // A server that accepts the connection and never answers.
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
    try {
      expect(await kiosk.request({ method: 'GET', path: '/api/v1/time', timeoutMs: 200 })).toEqual({ status: 0, error: 'timeout' });
    } finally {
      silent.close();
      await new Promise((r) => setTimeout(r, 50));
    }
    server = await startEmbeddedServer({ dbFile: join(dir, 'hall.sqlite'), port, clock, logger: createServerLogger({ level: 'silent' }), seedCatalog: demoCatalog });

    const standalone = openConfig(testBox, null);
    expect(await client(standalone).request({ method: 'GET', path: '/api/v1/time' })).toEqual({ status: 0, error: 'not-configured' });
    expect(client(standalone).status()).toMatchObject({ configured: false, enrolled: false, serverUrl: null });
  });

  it('reports a revoked device, and enrolls anew when given a fresh code', async () => {
    const { config, kiosk } = await enrolled();
    const oldId = kiosk.status().deviceId!;
    expect(await revokeDevice(server.db.db, clock, oldId)).toBe(true);
    const refused = await kiosk.request({ method: 'GET', path: '/api/v1/sync/pull' });
    expect(refused).toMatchObject({ status: 401, body: { error: { code: 'device-revoked' } } });
    expect(kiosk.status()).toMatchObject({ enrolled: true, revoked: true, deviceId: oldId });

    const replacement = client(config, { enrollCode: (await server.createDevice('entrance 1 again')).enrollmentCode });
    // Already enrolled: the code waits until the server refuses the stored token.
    await replacement.enrollIfNeeded();
    expect(replacement.status().deviceId).toBe(oldId);
    const reply = await replacement.request({ method: 'GET', path: '/api/v1/sync/pull' });
    expect(reply).toMatchObject({ status: 200 });
    expect(replacement.status()).toMatchObject({ enrolled: true, revoked: false });
    expect(replacement.status().deviceId).not.toBe(oldId);
  });

  it('never lets the token reach a reply, the status or the log', async () => {
    const { config, kiosk, token } = await enrolled();
    const replies = [
      await kiosk.request({ method: 'GET', path: '/api/v1/sync/pull' }),
      await kiosk.request({ method: 'POST', path: '/api/v1/numbers/lease', body: { serviceId: 'nope', day: '2026-03-02', count: 1 } }),
      await kiosk.request({ method: 'GET', path: '/api/v1/queue/ss-card' }),
    ];
    await revokeDevice(server.db.db, clock, kiosk.status().deviceId!);
    replies.push(await kiosk.request({ method: 'GET', path: '/api/v1/sync/pull' }));
    await server.close();
    replies.push(await kiosk.request({ method: 'GET', path: '/api/v1/time' }));
    server = await startEmbeddedServer({ dbFile: join(dir, 'hall.sqlite'), port: 0, clock, logger: createServerLogger({ level: 'silent' }), seedCatalog: demoCatalog });

    expect(JSON.stringify(replies)).not.toContain(token);
    expect(JSON.stringify(kiosk.status())).not.toContain(token);
    expect(JSON.stringify(config.get())).not.toContain(token);
    logger.flush();
    const log = readFileSync(join(dir, 'logs', 'kiosk.log'), 'utf8');
    expect(log).toContain('enrolled with the hall server');
    expect(log).toContain('hall server not reachable');
    expect(log).not.toContain(token);
    expect(log).not.toContain(token.slice(4, 20));
  });
});
