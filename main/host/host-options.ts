import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parsePrinterAddress } from '../../core/printing/printer-address.ts';
import { enrollmentCodePattern, normalizeEnrollmentCode } from '../../core/sync/enrollment.ts';

export interface HostOptions {
  dataDir: string;
  /** undefined: the config's hostPort; 0: any free port (tests) */
  port: number | undefined;
  printer: string | undefined;
  /** the hall's central server for this run, overriding the config's serverUrl */
  serverUrl: string | undefined;
  /** one-time code to enroll with that server */
  enrollCode: string | undefined;
  /** catalog and calendar files for a kiosk with no hall server, for this run; absolute */
  contentFiles: { catalogFile?: string; calendarFile?: string };
  browser: boolean;
}

export const hostUsage = `Usage: host-main [--data-dir DIR] [--port N] [--printer ADDRESS] [--server-url URL] [--enroll-code CODE]
                 [--catalog-file FILE] [--calendar-file FILE] [--no-browser]
  --data-dir DIR      config and logs (default: $HALL_KIOSK_DATA_DIR or the OS user data dir)
  --port N            listen on 127.0.0.1:N (default: hostPort from the config; 0 = any free port)
  --printer ADDRESS   printer for this run only (or $HALL_KIOSK_PRINTER):
                      virtual | tcp://HOST[:PORT] | usb:/dev/usb/lpN | serial:/dev/ttyX[?baud=N]
  --server-url URL    the hall's central server for this run only (or $HALL_KIOSK_SERVER_URL)
  --enroll-code CODE  one-time code from the hall admin (or $HALL_KIOSK_ENROLL_CODE); used when
                      the kiosk holds no token for that server, or the server refuses its token
  --catalog-file FILE for a hall with no server: the catalog and guides to offer, as the hall
                      server's catalog:export writes them (or $HALL_KIOSK_CATALOG_FILE)
  --calendar-file FILE  the hall calendar for it, as calendar:export writes it (or $HALL_KIOSK_CALENDAR_FILE)
  --no-browser        only serve; do not launch Chromium in kiosk mode`;

/** @throws Error with a message fit for the terminal */
export function parseHostArgs(argv: readonly string[], env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): HostOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      printer: { type: 'string' },
      'server-url': { type: 'string' },
      'enroll-code': { type: 'string' },
      'catalog-file': { type: 'string' },
      'calendar-file': { type: 'string' },
      'no-browser': { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d{1,5}$/.test(values.port) || port > 65535) throw new Error(`--port: "${values.port}" is not a port number 0–65535`);
  }
  const printer = values.printer ?? (env.HALL_KIOSK_PRINTER || undefined);
  if (printer !== undefined) {
    const parsed = parsePrinterAddress(printer);
    if (!parsed.ok) throw new Error(`${values.printer !== undefined ? '--printer' : 'HALL_KIOSK_PRINTER'}: ${parsed.error}`);
  }
  const serverUrl = values['server-url'] ?? (env.HALL_KIOSK_SERVER_URL || undefined);
  if (serverUrl !== undefined && !isHttpUrl(serverUrl)) {
    throw new Error(`${values['server-url'] !== undefined ? '--server-url' : 'HALL_KIOSK_SERVER_URL'}: "${serverUrl}" is not an http(s) URL, e.g. http://192.168.1.10:8480`);
  }
  const enrollCode = values['enroll-code'] ?? (env.HALL_KIOSK_ENROLL_CODE || undefined);
  if (enrollCode !== undefined && !enrollmentCodePattern.test(normalizeEnrollmentCode(enrollCode))) {
    throw new Error(`${values['enroll-code'] !== undefined ? '--enroll-code' : 'HALL_KIOSK_ENROLL_CODE'}: 16 letters and digits, e.g. 7KQ2-M9XD-R4TB-HC3W`);
  }
  const catalogFile = values['catalog-file'] ?? (env.HALL_KIOSK_CATALOG_FILE || undefined);
  const calendarFile = values['calendar-file'] ?? (env.HALL_KIOSK_CALENDAR_FILE || undefined);
  return {
    dataDir: values['data-dir'] ?? (env.HALL_KIOSK_DATA_DIR || defaultDataDir(platform, env, home)),
    port,
    printer,
    serverUrl,
    enrollCode,
    contentFiles: { ...(catalogFile ? { catalogFile: resolve(catalogFile) } : {}), ...(calendarFile ? { calendarFile: resolve(calendarFile) } : {}) },
    browser: !values['no-browser'],
  };
}

/**
 * Where Electron's app.getPath('userData') puts this app, so both shells on one machine share a
 * config file (electron-store and conf both name it config.json).
 */
export function defaultDataDir(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string {
  const app = 'hall-kiosk';
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), app);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', app);
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), app);
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
