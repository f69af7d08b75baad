import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualPrinter } from '../../../hardware/sim/virtual-printer.ts';
import { demoCatalogFiles, demoHallCalendarFile } from '../../support/demo-hall.ts';
import { readChildLines, readyUrl } from '../../support/child-lines.ts';

export const adminPin = '246810';

export interface KioskHost {
  url: string;
  origin: string;
  printer: VirtualPrinter;
  dataDir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface KioskHostOptions {
  dataDir?: string;
  printer?: VirtualPrinter;
  env?: Record<string, string>;
  /** the hall's central server (--server-url); none makes a standalone kiosk */
  serverUrl?: string;
  /** one-time enrollment code for that server (--enroll-code) */
  enrollCode?: string;
  /**
   * The catalog and calendar files a kiosk with no server is given (--catalog-file,
   * --calendar-file). Default: the demo hall's for a standalone kiosk, none with a server; null
   * gives none.
   */
  content?: { catalogFile?: string; calendarFile?: string } | null;
}

/** The demo hall as files, as a hall with no server hands them to its kiosks. */
export const demoContentFiles = { catalogFile: demoCatalogFiles.full, calendarFile: demoHallCalendarFile };

/** A real host-mode kiosk process talking to a virtual printer over TCP, in a fresh data dir. */
export async function startKioskHost(options: KioskHostOptions = {}): Promise<KioskHost> {
  const printer = options.printer ?? new VirtualPrinter();
  if (!options.printer) await printer.start({ port: 0 });
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'hall-kiosk-e2e-'));
  const server = [...(options.serverUrl ? ['--server-url', options.serverUrl] : []), ...(options.enrollCode ? ['--enroll-code', options.enrollCode] : [])];
  const content = options.content === undefined ? (options.serverUrl ? null : demoContentFiles) : options.content;
  const files = [...(content?.catalogFile ? ['--catalog-file', content.catalogFile] : []), ...(content?.calendarFile ? ['--calendar-file', content.calendarFile] : [])];
  // A kiosk under test talks to the server the test names, never one from the environment.
  const { HALL_KIOSK_SERVER_URL: _url, HALL_KIOSK_ENROLL_CODE: _code, HALL_KIOSK_CATALOG_FILE: _catalog, HALL_KIOSK_CALENDAR_FILE: _calendar, ...env } = process.env;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'main/host/host-main.ts', '--data-dir', dataDir, '--port', '0', '--printer', `tcp://127.0.0.1:${printer.port}`, '--no-browser', ...server, ...files],
    { env: { ...env, HALL_KIOSK_ADMIN_PIN: adminPin, ...options.env }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await readyUrl(readChildLines(child, 'kiosk host'), 20_000);
  return {
    url,
    origin: new URL(url).origin,
    printer,
    dataDir,
    process: child,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!options.printer) await printer.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
