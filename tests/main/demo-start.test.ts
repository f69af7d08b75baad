import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { readChildLines, readyUrl } from '../support/child-lines.ts';

let dir: string;
let running: ChildProcess | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hall-kiosk-demo-'));
});
afterEach(() => {
  if (running && running.exitCode === null) running.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** What `npm start` runs after the build, in host mode, without a browser. */
async function startDemo(): Promise<{ child: ChildProcess; url: string; demoServer: string }> {
  const { HALL_KIOSK_SERVER_URL: _u, HALL_KIOSK_ENROLL_CODE: _c, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', '--host', '--no-browser', '--port', '0', '--data-dir', dir], {
    env: { ...env, HALL_KIOSK_ADMIN_PIN: '246810' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running = child;
  const lines = readChildLines(child, 'npm start (host mode)');
  const url = await readyUrl(lines, 20_000);
  const demoServer = lines.text.map((line) => /Demo mode: the hall server runs embedded at (\S+) /.exec(line)?.[1]).find((found) => found !== undefined) ?? '';
  return { child, url, demoServer };
}

async function serverStatus(url: string): Promise<{ configured: boolean; enrolled: boolean; deviceId: string | null; serverUrl: string | null }> {
  const target = new URL(url);
  const reply = await fetch(`${target.origin}/api/call`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${target.hash.replace('#token=', '')}` },
    body: JSON.stringify({ method: 'server.status', args: [] }),
  });
  return ((await reply.json()) as { result: never }).result;
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

it('runs the hall server embedded when none is configured, enrolls once, and reuses the device on the next start', async () => {
  const first = await startDemo();
  expect(first.demoServer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const status = await serverStatus(first.url);
  expect(status).toMatchObject({ configured: true, enrolled: true, serverUrl: first.demoServer });
  await stop(first.child);

  const second = await startDemo();
  const again = await serverStatus(second.url);
  expect(again.enrolled).toBe(true);
  await stop(second.child);
  const db = new BetterSqlite3(join(dir, 'hall-server.sqlite'), { readonly: true });
  try {
    const devices = db.prepare('select id from devices').all() as Array<{ id: string }>;
    // The demo server's port is fixed (8480); only if something else held it does the kiosk enroll anew.
    if (second.demoServer === first.demoServer) {
      expect(again.deviceId).toBe(status.deviceId);
      expect(devices.map((d) => d.id)).toEqual([status.deviceId]);
    }
  } finally {
    db.close();
  }
});
