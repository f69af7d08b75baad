import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KioskApi, KioskEvent } from '../../core/kiosk/kiosk-api.ts';
import type { PreloadStubState } from './support/electron-stub.ts';

const repo = resolve(import.meta.dirname, '../..');
let work: string;
let stub: PreloadStubState;
let kiosk: KioskApi;
let bundleText: string;

beforeAll(async () => {
  mkdirSync(join(repo, '.tmp'), { recursive: true });
  work = mkdtempSync(join(repo, '.tmp', 'preload-'));
  const outfile = join(work, 'preload.cjs');
  // Same options as scripts/build.mjs, with electron swapped for the stub.
  await build({
    entryPoints: [join(repo, 'preload', 'index.ts')],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node22',
    alias: { electron: join(repo, 'tests', 'main', 'support', 'electron-stub.ts') },
    logLevel: 'error',
  });
  bundleText = readFileSync(outfile, 'utf8');
  createRequire(import.meta.url)(outfile);
  stub = (globalThis as unknown as { __preloadStub: PreloadStubState }).__preloadStub;
  kiosk = stub.exposed.get('kiosk') as KioskApi;
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('preload', () => {
  it('needs nothing but electron at run time (a sandboxed preload can require little else)', () => {
    expect(bundleText).not.toMatch(/\brequire\(["'](?!electron)/);
    expect([...stub.exposed.keys()]).toEqual(['kiosk']);
  });

  it('turns window.kiosk calls into kiosk:call invokes and unwraps the result', async () => {
    const seen: unknown[][] = [];
    stub.invoke = async (channel, ...args) => {
      seen.push([channel, ...args]);
      return { ok: true, result: { ok: true } };
    };
    expect(await kiosk.staff.verifyPin('246810')).toEqual({ ok: true });
    expect(seen).toEqual([['kiosk:call', 'staff.verifyPin', ['246810']]]);
  });

  it('throws a KioskCallError for a refused call, naming the method once', async () => {
    stub.invoke = async () => ({ ok: false, code: 'invalid', error: 'printer.print: 0.label Invalid string' });
    await expect(kiosk.printer.print({} as never)).rejects.toMatchObject({ name: 'KioskCallError', message: 'printer.print: 0.label Invalid string' });
  });

  it('rejects a result that breaks the contract', async () => {
    stub.invoke = async () => ({ ok: true, result: { state: 'on fire' } });
    await expect(kiosk.printer.status()).rejects.toThrow();
  });

  it('passes on valid events only', () => {
    const got: KioskEvent[] = [];
    const unsubscribe = kiosk.events.subscribe((e) => got.push(e));
    const emit = (payload: unknown) => stub.listeners.get('kiosk:event')!.forEach((l) => l({}, payload));
    emit({ type: 'printer-status', status: { state: 'paper-out', paperNearEnd: true } });
    emit({ type: 'printer-status', status: { state: 'melted' } });
    emit({ type: 'unknown-event' });
    unsubscribe();
    emit({ type: 'printer-status', status: { state: 'ready', paperNearEnd: false } });
    expect(got).toEqual([{ type: 'printer-status', status: { state: 'paper-out', paperNearEnd: true } }]);
  });
});
