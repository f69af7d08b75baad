import { request as httpRequest } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketPrintJob } from '../../core/printing/printing.ts';
import { VirtualPrinter } from '../../hardware/sim/virtual-printer.ts';
import { bodyLimitBytes, startHostServer, type HostServer } from '../../main/host/host-server.ts';
import { ConfigError, ConfigService } from '../../main/services/config-service.ts';
import { rendererCsp } from '../../main/services/content-policy.ts';
import { startKioskRuntime, type KioskRuntime } from '../../main/services/kiosk-runtime.ts';
import { createKioskLogger } from '../../main/services/logger.ts';
import { hardwarePrinterDevices } from '../../main/services/printer-devices.ts';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** node:http rather than fetch: these tests must set Origin and Host freely. */
function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const job: TicketPrintJob = {
  hallName: '市政务服务中心',
  label: 'A012',
  serviceName: '户籍办理',
  windows: '3、4号窗口',
  peopleAheadText: '前面还有 5 人',
  issuedAtText: '2024-01-08 09:30',
  qrPayload: 'HK:T:0190c1a2-A012',
};

/** Reads SSE `data:` payloads from a live stream until `count` arrived. */
function readEvents(url: string, count: number, onOpen: () => void = () => undefined): { events: Promise<unknown[]>; close: () => void } {
  let req: ReturnType<typeof httpRequest> | undefined;
  const events = new Promise<unknown[]>((resolve, reject) => {
    const seen: unknown[] = [];
    req = httpRequest(url, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`SSE status ${res.statusCode}`));
      expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
      onOpen();
      let buffer = '';
      res.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
          if (data) seen.push(JSON.parse(data));
          if (seen.length >= count) resolve(seen);
        }
      });
    });
    req.on('error', (error) => (seen.length >= count ? undefined : reject(error)));
    req.end();
  });
  return { events, close: () => req?.destroy() };
}

describe('host server', () => {
  let dir: string;
  let printer: VirtualPrinter;
  let runtime: KioskRuntime;
  let server: HostServer;
  const token = 'test-token_0123456789abcdefABCDEF';
  const api = () => `${server.origin}/api/call`;
  const call = (body: unknown, headers: Record<string, string> = {}) =>
    send(api(), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers }, body: JSON.stringify(body) });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hall-kiosk-host-'));
    const rendererDir = join(dir, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>kiosk</title><div id="root"></div>');
    printer = new VirtualPrinter();
    await printer.start({ port: 0 });
    const config = ConfigService.open({
      openStore: () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'config' }),
      file: join(dir, 'config.json'),
      newKioskId: () => 'kiosk-host-test',
    });
    const logger = createKioskLogger({ logDir: join(dir, 'logs'), stdout: false });
    runtime = await startKioskRuntime({
      config,
      printerOverride: `tcp://127.0.0.1:${printer.port}`,
      clock: { now: () => 1_704_677_400_000 },
      logger,
      shell: 'host',
      version: '0.0.0-test',
      adminPinFromEnv: '246810',
      devices: hardwarePrinterDevices(),
      pollIntervalMs: 50,
    });
    server = await startHostServer({ backend: { kind: 'ready', api: runtime.api }, port: 0, rendererDir, token, logger, heartbeatMs: 1_000 });
  });

  afterAll(async () => {
    await server?.close();
    await runtime?.close();
    await printer?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('listens on loopback and hands out a URL with the token in the fragment', () => {
    expect(server.origin).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.url).toBe(`${server.origin}/#token=${token}`);
  });

  it('refuses calls without the token or with a wrong one', async () => {
    const body = JSON.stringify({ method: 'system.info', args: [] });
    const none = await send(api(), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({ ok: false });
    const wrong = await send(api(), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}x` }, body });
    expect(wrong.status).toBe(401);
    const notBearer = await send(api(), { method: 'POST', headers: { 'content-type': 'application/json', authorization: token }, body });
    expect(notBearer.status).toBe(401);
  });

  it('answers a good call', async () => {
    const reply = await call({ method: 'system.info', args: [] });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ ok: true, result: { version: '0.0.0-test', shell: 'host', startedAt: 1_704_677_400_000 } });
    expect(reply.headers['cache-control']).toBe('no-store');
  });

  it('accepts its own origin and refuses any other, and a foreign Host', async () => {
    expect((await call({ method: 'system.info', args: [] }, { origin: server.origin })).status).toBe(200);
    for (const origin of ['http://evil.example', `http://127.0.0.1:${server.port + 1}`, 'null', `https://127.0.0.1:${server.port}`]) {
      const reply = await call({ method: 'system.info', args: [] }, { origin });
      expect(reply.status, origin).toBe(403);
    }
    expect((await call({ method: 'system.info', args: [] }, { host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await call({ method: 'system.info', args: [] }, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
  });

  it('rejects invalid arguments with 400 naming the argument', async () => {
    const { label: _label, ...withoutLabel } = job;
    const reply = await call({ method: 'printer.print', args: [{ ...withoutLabel, qrPayload: '二维码' }] });
    expect(reply.status).toBe(400);
    const body = JSON.parse(reply.body) as { ok: boolean; error: string };
    expect(body.ok).toBe(false);
    expect(body.error).toContain('0.label');
    expect(body.error).toContain('0.qrPayload');
    expect(printer.ticketCount).toBe(0);
  });

  it('rejects unknown methods and malformed bodies with 400', async () => {
    const unknown = await call({ method: 'system.shutdown', args: [] });
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.body).error).toMatch(/unknown method/);
    expect((await call({ method: '__proto__', args: [] })).status).toBe(400);
    expect((await call([1, 2])).status).toBe(400);
    const notJson = await send(api(), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{"method":' });
    expect(notJson.status).toBe(400);
  });

  it('refuses a body over the limit (a full sync push plus its envelope) with 413', async () => {
    const reply = await call({ method: 'staff.verifyPin', args: ['1'.repeat(bodyLimitBytes + 1024)] });
    expect(reply.status).toBe(413);
  });

  it('serves the renderer with the CSP and security headers', async () => {
    const page = await send(`${server.origin}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');
    expect(page.headers['content-security-policy']).toBe(rendererCsp);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-cache');
    const missing = await send(`${server.origin}/nope.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers['content-security-policy']).toBe(rendererCsp);
    const unauthorized = await send(api(), { method: 'POST' });
    expect(unauthorized.headers['x-content-type-options']).toBe('nosniff');
  });

  it('does not serve outside the renderer dir', async () => {
    for (const path of ['/../config.json', '/%2e%2e/config.json', '/..%2fconfig.json']) {
      const reply = await send(`${server.origin}${path}`);
      expect(reply.status, path).not.toBe(200);
      expect(reply.body).not.toContain('kiosk-host-test');
    }
  });

  it('prints a ticket on the virtual printer and decodes it', async () => {
    const reply = await call({ method: 'printer.print', args: [job] });
    expect(JSON.parse(reply.body)).toEqual({ ok: true, result: { outcome: 'printed', paperNearEnd: false } });
    const [ticket] = await printer.waitForTickets(1, 5_000);
    const text = ticket!.lines.join('\n');
    expect(text).toContain('A012');
    expect(text).toContain('户籍办理');
    expect(ticket!.qrPayloads).toEqual([job.qrPayload]);
  });

  it('checks the PIN over the API', async () => {
    expect(JSON.parse((await call({ method: 'staff.verifyPin', args: ['246810'] })).body)).toEqual({ ok: true, result: { ok: true } });
    expect(JSON.parse((await call({ method: 'staff.verifyPin', args: ['000000'] })).body)).toEqual({ ok: true, result: { ok: false, attemptsLeft: 4 } });
  });

  it('does not expose the PIN hash through config.get', async () => {
    const body = (await call({ method: 'config.get', args: [] })).body;
    expect(body).not.toContain('scrypt');
    expect(JSON.parse(body).result).toMatchObject({ kioskId: 'kiosk-host-test', printer: { address: `tcp://127.0.0.1:${printer.port}` } });
  });

  it('streams printer-status events over SSE', async () => {
    expect((await send(`${server.origin}/api/events`)).status).toBe(401);
    expect((await send(`${server.origin}/api/events?token=wrong`)).status).toBe(401);
    const stream = readEvents(`${server.origin}/api/events?token=${token}`, 2, () => printer.setCondition({ paperOut: true }));
    try {
      const events = await stream.events;
      expect(events[0]).toEqual({ type: 'printer-status', status: { state: 'ready', paperNearEnd: false } });
      expect(events[1]).toMatchObject({ type: 'printer-status', status: { state: 'paper-out' } });
    } finally {
      stream.close();
      printer.setCondition({ paperOut: false });
    }
  });

  it('keeps the token and the PIN out of the log file', () => {
    const log = readFileSync(join(dir, 'logs', 'kiosk.log'), 'utf8');
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toContain(token);
    expect(log).not.toContain('246810');
  });
});

describe('host server with the embedded virtual printer', () => {
  it("prints through the 'virtual' address and previews the decoded ticket", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hall-kiosk-virtual-'));
    const config = ConfigService.open({
      openStore: () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'config' }),
      file: join(dir, 'config.json'),
      newKioskId: () => 'kiosk-virtual',
    });
    expect(config.get().printer.address).toBe('virtual');
    const logger = createKioskLogger({ stdout: false, level: 'silent' });
    const runtime = await startKioskRuntime({ config, clock: { now: () => 0 }, logger, shell: 'host', version: 't', adminPinFromEnv: '1234', devices: hardwarePrinterDevices(), pollIntervalMs: 0 });
    const server = await startHostServer({ backend: { kind: 'ready', api: runtime.api }, port: 0, rendererDir: join(dir, 'none'), token: 'tok', logger });
    try {
      const headers = { 'content-type': 'application/json', authorization: 'Bearer tok' };
      const empty = await send(`${server.origin}/api/call`, { method: 'POST', headers, body: JSON.stringify({ method: 'printer.preview', args: [] }) });
      expect(JSON.parse(empty.body)).toEqual({ ok: true, result: { text: null } });
      const printed = await send(`${server.origin}/api/call`, { method: 'POST', headers, body: JSON.stringify({ method: 'printer.print', args: [job] }) });
      expect(JSON.parse(printed.body).result.outcome).toBe('printed');
      const preview = await send(`${server.origin}/api/call`, { method: 'POST', headers, body: JSON.stringify({ method: 'printer.preview', args: [] }) });
      // Magnified lines are spaced out in the preview.
      const text = (JSON.parse(preview.body) as { result: { text: string } }).result.text.replace(/\s+/g, '');
      expect(text).toContain('A012');
      expect(text).toContain('户籍办理');
      // No renderer build: the page says so instead of a bare 404.
      const page = await send(`${server.origin}/`);
      expect(page.status).toBe(503);
      expect(page.body).toContain('npm run build');
    } finally {
      await server.close();
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('host server event stream', () => {
  it('drops its subscription when the client goes away', async () => {
    let subscribers = 0;
    const api = {
      handleCall: async () => ({ ok: true as const, result: null }),
      snapshot: () => [{ type: 'printer-status' as const, status: { state: 'ready' as const, paperNearEnd: false } }],
      subscribe: () => {
        subscribers += 1;
        return () => {
          subscribers -= 1;
        };
      },
    };
    const logger = createKioskLogger({ stdout: false, level: 'silent' });
    const server = await startHostServer({ backend: { kind: 'ready', api }, port: 0, rendererDir: '/nonexistent', token: 'tok', logger });
    try {
      const stream = readEvents(`${server.origin}/api/events?token=tok`, 1);
      await stream.events;
      expect(subscribers).toBe(1);
      stream.close();
      const deadline = Date.now() + 2_000;
      while (subscribers > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(subscribers).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('closes open streams on shutdown', async () => {
    const api = { handleCall: async () => ({ ok: true as const, result: null }), snapshot: () => [], subscribe: () => () => undefined };
    const logger = createKioskLogger({ stdout: false, level: 'silent' });
    const server = await startHostServer({ backend: { kind: 'ready', api }, port: 0, rendererDir: '/nonexistent', token: 'tok', logger });
    const opened = new Promise<void>((resolve) => readEvents(`${server.origin}/api/events?token=tok`, 1, resolve));
    await opened;
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('content security policy', () => {
  it('matches the meta tag of renderer/index.html, so the header never loosens or contradicts it', () => {
    const index = join(import.meta.dirname, '..', '..', 'renderer', 'index.html');
    if (!existsSync(index)) return;
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(readFileSync(index, 'utf8'));
    expect(meta).not.toBeNull();
    const directives = (policy: string) => new Map(policy.split(';').map((d) => d.trim()).filter(Boolean).map((d) => [d.split(/\s+/)[0]!, d] as const));
    const header = directives(rendererCsp);
    // Every directive of the page's policy is in the header, word for word (the header may add
    // directives a meta tag cannot carry, such as frame-ancestors).
    for (const [name, directive] of directives(meta![1]!)) expect(header.get(name), name).toBe(directive);
  });
});

describe('host server with a bad config', () => {
  it('serves a page naming each bad key, and refuses the API', async () => {
    const error = new ConfigError('/var/lib/hall-kiosk/config.json', ['printer.address: "lpt1" is not a printer address', 'hall.timeZone: not an IANA time zone']);
    const logger = createKioskLogger({ stdout: false, level: 'silent' });
    const server = await startHostServer({ backend: { kind: 'config-error', error }, port: 0, rendererDir: '/nonexistent', token: 'tok', logger });
    try {
      expect(server.url).toBe(`${server.origin}/`);
      const page = await send(`${server.origin}/`);
      expect(page.status).toBe(503);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['content-security-policy']).toBe(rendererCsp);
      expect(page.body).toContain('printer.address: &quot;lpt1&quot; is not a printer address');
      expect(page.body).toContain('hall.timeZone');
      expect(page.body).toContain('/var/lib/hall-kiosk/config.json');
      const api = await send(`${server.origin}/api/call`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(api.status).toBe(503);
      expect(JSON.parse(api.body).problems).toHaveLength(2);
    } finally {
      await server.close();
    }
  });
});

