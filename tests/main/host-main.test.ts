import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultKioskConfig } from '../../core/kiosk/kiosk-config.ts';
import { readChildLines } from '../support/child-lines.ts';
import type { ChildLines } from '../support/child-lines.ts';

interface Started {
  child: ChildProcess;
  lines: ChildLines;
  stderr: () => string;
  exit: Promise<number | null>;
}

let dir: string;
let running: ChildProcess | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hall-kiosk-main-'));
});
afterEach(() => {
  if (running && running.exitCode === null) running.kill('SIGKILL');
  running = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** Runs host-main as a real process and collects its JSON stdout lines. */
function startHost(args: string[], env: Record<string, string | undefined> = {}): Started {
  const childEnv = { ...process.env, ...env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete childEnv[key];
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/host/host-main.ts', '--data-dir', dir, '--no-browser', ...args], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  running = child;
  const lines = readChildLines(child, 'host');
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, stderr: lines.stderr, exit };
}

const waitForLine = (started: Started, event: string) => started.lines.waitFor(event, 15_000);

describe('host-main', () => {
  it('announces a ready line, serves the API and exits cleanly on SIGTERM', async () => {
    const host = startHost(['--port', '0'], { HALL_KIOSK_ADMIN_PIN: '246810' });
    const ready = await waitForLine(host, 'ready');
    expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{40,}$/);
    const url = new URL(ready.url as string);
    expect(Number(url.port)).toBe(ready.port);
    const token = url.hash.replace('#token=', '');
    const reply = await fetch(`${url.origin}/api/call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ method: 'staff.verifyPin', args: ['246810'] }),
    });
    expect(await reply.json()).toEqual({ ok: true, result: { ok: true } });
    expect(host.lines.json.some((l) => l.event === 'admin-pin')).toBe(false);

    host.child.kill('SIGTERM');
    expect(await host.exit).toBe(0);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toMatch(/"adminPinHash": "scrypt\$/);
  });

  it('shows a generated first-start PIN once on stdout, never in the log file', async () => {
    const host = startHost(['--port', '0'], { HALL_KIOSK_ADMIN_PIN: undefined });
    const line = await waitForLine(host, 'admin-pin');
    expect(line.pin).toMatch(/^\d{6}$/);
    await waitForLine(host, 'ready');
    host.child.kill('SIGTERM');
    await host.exit;
    expect(readFileSync(join(dir, 'logs', 'kiosk.log'), 'utf8')).not.toContain(line.pin as string);

    const again = startHost(['--port', '0'], { HALL_KIOSK_ADMIN_PIN: undefined });
    await waitForLine(again, 'ready');
    expect(again.lines.json.some((l) => l.event === 'admin-pin')).toBe(false);
    again.child.kill('SIGTERM');
    await again.exit;
  });

  it('keeps running with an explanation page when the config is bad, and leaves the file alone', async () => {
    const text = JSON.stringify({ ...defaultKioskConfig('kiosk-bad'), printer: { address: 'lpt1', paperWidth: 80 }, hall: { name: '大厅', timeZone: 'Mars/Base' } });
    writeFileSync(join(dir, 'config.json'), text);
    const host = startHost(['--port', '0'], { HALL_KIOSK_ADMIN_PIN: '246810' });
    const line = await waitForLine(host, 'config-error');
    expect(line.problems).toEqual(expect.arrayContaining([expect.stringMatching(/^printer\.address: /), expect.stringMatching(/^hall\.timeZone: /)]));
    expect(host.stderr()).toContain('printer.address: ');
    const page = await fetch(line.url as string);
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('hall.timeZone');
    await new Promise((r) => setTimeout(r, 300));
    expect(host.child.exitCode).toBeNull();
    host.child.kill('SIGTERM');
    expect(await host.exit).toBe(0);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe(text);
  });

  it('refuses a bad --printer before touching anything', async () => {
    const host = startHost(['--printer', 'lpt1']);
    expect(await host.exit).toBe(2);
    expect(host.stderr()).toContain('--printer: "lpt1" is not a printer address');
  });
});
