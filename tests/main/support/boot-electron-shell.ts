import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import type { StubState } from './electron-stub.ts';

const repo = resolve(import.meta.dirname, '../../..');

export interface BootedShell {
  stub: StubState;
  /** scratch dir holding the bundle and the fake app dir (dist/renderer) */
  work: string;
}

/**
 * The Electron binary cannot be downloaded here, so the shell is bundled as scripts/build.mjs
 * does, with `electron` swapped for a recording stub, and run in this (per-file) test process.
 * Set HALL_KIOSK_* env before calling. Resolves once the shell asked for its first window.
 */
export async function bootElectronShell(): Promise<BootedShell> {
  // Under the repo, so the bundle's external `serialport` resolves from node_modules.
  mkdirSync(join(repo, '.tmp'), { recursive: true });
  const work = mkdtempSync(join(repo, '.tmp', 'electron-shell-'));
  const appPath = join(work, 'app');
  mkdirSync(join(appPath, 'dist', 'renderer', 'assets'), { recursive: true });
  writeFileSync(join(appPath, 'dist', 'renderer', 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(appPath, 'dist', 'renderer', 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(work, 'secret.txt'), 'outside the renderer');
  const outfile = join(work, 'main.cjs');
  await build({
    entryPoints: [join(repo, 'main', 'electron', 'main.ts')],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['serialport', '@serialport/*'],
    alias: { electron: join(repo, 'tests', 'main', 'support', 'electron-stub.ts') },
    logLevel: 'error',
  });
  process.env.ELECTRON_STUB_APP_PATH = appPath;
  createRequire(import.meta.url)(outfile);
  const stub = (globalThis as unknown as { __electronStub: StubState }).__electronStub;
  stub.makeReady();
  const deadline = Date.now() + 15_000;
  while (stub.windows.length === 0 && stub.exitCode === undefined) {
    if (Date.now() > deadline) throw new Error('the Electron shell did not open a window');
    await new Promise((r) => setTimeout(r, 20));
  }
  return { stub, work };
}
