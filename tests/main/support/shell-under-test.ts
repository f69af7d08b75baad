import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { bootElectronShell } from './boot-electron-shell.ts';
import type { StubState } from './electron-stub.ts';

export interface KioskCallReply {
  ok: boolean;
  result?: unknown;
  error?: string;
}

export interface ShellUnderTest {
  readonly stub: StubState;
  /** HALL_KIOSK_DATA_DIR of this boot */
  readonly dataDir: string;
  /**
   * the renderer's `kiosk:call`, as a frame on `from` makes it (null: a frame the shell cannot
   * name); the kiosk page's top frame unless `frame` says a subframe (an iframe within it)
   */
  call(method: unknown, args: unknown, from?: string | null, frame?: 'main' | 'subframe'): Promise<KioskCallReply>;
}

export interface ShellOptions {
  /** HALL_KIOSK_ADMIN_PIN for this boot, if any */
  adminPin?: string;
  /** runs before the boot with the fresh data dir; the env it returns is set for this file's run */
  prepare?: (dataDir: string) => Promise<Record<string, string>> | Record<string, string> | void;
}

/**
 * Boots the Electron shell once for the test file (bootElectronShell) on a fresh data dir, and
 * afterwards quits it and removes what it wrote.
 */
export function useElectronShell(options: ShellOptions = {}): ShellUnderTest {
  let stub: StubState | undefined;
  let work: string | undefined;
  let dataDir: string | undefined;
  let env: Record<string, string> = {};

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hall-kiosk-electron-'));
    process.env.HALL_KIOSK_DATA_DIR = dataDir;
    if (options.adminPin !== undefined) process.env.HALL_KIOSK_ADMIN_PIN = options.adminPin;
    env = (await options.prepare?.(dataDir)) ?? {};
    Object.assign(process.env, env);
    ({ stub, work } = await bootElectronShell());
  });

  afterAll(async () => {
    stub?.app.emit('will-quit', { preventDefault: () => undefined });
    // The shell's will-quit handlers go on asynchronously; let them finish before the dirs go.
    await new Promise((r) => setTimeout(r, 200));
    for (const name of Object.keys(env)) delete process.env[name];
    if (work) rmSync(work, { recursive: true, force: true });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the Electron shell has no ${what} yet: use it inside a test`);
    return value;
  };
  return {
    get stub() {
      return need(stub, 'stub');
    },
    get dataDir() {
      return need(dataDir, 'data dir');
    },
    call(method, args, from = 'app://kiosk/index.html', frame = 'main') {
      const handler = need(stub, 'stub').ipcHandlers.get('kiosk:call');
      if (!handler) throw new Error('the Electron shell registered no kiosk:call handler');
      // Electron's WebFrameMain: the top frame has no parent and is its web contents' mainFrame.
      const mainFrame: { url: string; parent: unknown } = { url: 'app://kiosk/index.html', parent: null };
      const senderFrame = from === null ? null : frame === 'main' ? Object.assign(mainFrame, { url: from }) : { url: from, parent: mainFrame };
      return handler({ sender: { mainFrame }, senderFrame }, method, args) as Promise<KioskCallReply>;
    },
  };
}
