import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, Menu, powerSaveBlocker, protocol, safeStorage, session, type WebContents } from 'electron';
import ElectronStore from 'electron-store';
import type { Clock } from '../../core/calendar/clock.ts';
import { updateChannelSchema, type UpdatePlatform } from '../../core/kiosk/software-update.ts';
import { BootHealth, fileMarkerStore } from '../services/boot-health.ts';
import { ConfigError, ConfigService } from '../services/config-service.ts';
import { configErrorPage, contentTypeFor, securityHeaders } from '../services/content-policy.ts';
import { startKioskRuntime, type KioskRuntime } from '../services/kiosk-runtime.ts';
import { logExportTargets } from '../services/log-export.ts';
import { createKioskLogger, RecentLogEntries, type Logger } from '../services/logger.ts';
import { hardwarePrinterDevices } from '../services/printer-devices.ts';
import { KioskActivity } from '../services/kiosk-activity.ts';
import { hardwareReaderDevices } from '../services/reader-devices.ts';
import { plainSecretBox, type SecretBox } from '../services/secret-box.ts';
import { hallServerReporter, reportOnlyUpdater, UpdateController } from '../services/update-controller.ts';
import { defaultUpdatePolicy } from '../services/update-policy.ts';
import { electronSoftwareUpdater } from './auto-update.ts';
import { CrashBudget } from './crash-policy.ts';
import { appEntryUrl, appScheme, isAppUrl, isKioskMainFrame } from './origin-policy.ts';
import { resolveAppFile } from './protocol-policy.ts';

const systemClock: Clock = { now: () => Date.now() };

// Must happen before `ready`: a standard, secure scheme gets a real origin, localStorage,
// IndexedDB (Dexie) and fetch, which file:// would not give us safely.
protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

// Every renderer sandboxed, whatever a window's own options say (Electron security checklist §4).
app.enableSandbox();

// Lets tests and technicians point a kiosk at another data dir, as host mode's --data-dir does.
if (process.env.HALL_KIOSK_DATA_DIR) app.setPath('userData', process.env.HALL_KIOSK_DATA_DIR);

let kioskWindow: BrowserWindow | undefined;
let quitting = false;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!kioskWindow || kioskWindow.isDestroyed()) return;
    if (kioskWindow.isMinimized()) kioskWindow.restore();
    kioskWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => lockDown(contents));
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => {
    quitting = true;
  });
  // systemd and the session manager stop the kiosk with SIGTERM: quit properly, not abruptly.
  process.once('SIGTERM', () => app.quit());
  // A failure that start() did not turn into an error page is fatal: exit, and the supervisor starts us again.
  app.whenReady().then(start).catch((error: unknown) => {
    process.stderr.write(`kiosk start failed: ${error instanceof Error ? error.message : String(error)}\n`);
    app.exit(1);
  });
}

/** Every web contents, whoever made it, stays on the app origin and opens nothing else. */
function lockDown(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  const stayHome = (event: { preventDefault(): void }, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', stayHome);
  // Subframes too: will-navigate only sees the main frame.
  contents.on('will-frame-navigate', (details) => stayHome(details, details.url));
  contents.on('will-redirect', stayHome);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

async function start(): Promise<void> {
  const userData = app.getPath('userData');
  const logDir = join(userData, 'logs');
  const recent = new RecentLogEntries();
  const logger = createKioskLogger({ logDir, stdout: true, recent });
  Menu.setApplicationMenu(null);
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  // WebUSB, WebHID, Web Serial: the printer and reader belong to the privileged side only.
  session.defaultSession.setDevicePermissionHandler(() => false);

  let config: ConfigService;
  try {
    config = ConfigService.open({
      openStore: () => new ElectronStore<Record<string, unknown>>({ name: 'config', configFileMode: 0o600 }),
      file: join(userData, 'config.json'),
      newKioskId: randomUUID,
      secretBox: safeStorageBox(logger),
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Shown, not exited: an exit would be restarted by the session supervisor in a loop, and
    // the technician at the kiosk would never see why.
    process.stderr.write(`\n${error.message}\n\n`);
    logger.error({ file: error.file, problems: error.problems }, 'kiosk configuration is invalid');
    const page = configErrorPage(error);
    protocol.handle(appScheme, () => new Response(page, { status: 503, headers: { ...securityHeaders, 'content-type': 'text/html; charset=utf-8' } }));
    kioskWindow = createKioskWindow(null);
    return;
  }

  const rendererDir = join(app.getAppPath(), 'dist', 'renderer');
  protocol.handle(appScheme, (request) => serveAppFile(rendererDir, request.url));

  let runtime: KioskRuntime;
  try {
    runtime = await startKioskRuntime({
      config,
      // For tests and bench set-ups, like host mode's --printer; the stored config is untouched.
      printerOverride: process.env.HALL_KIOSK_PRINTER || undefined,
      // As host mode's --server-url and --enroll-code; demo mode (npm start) sets both.
      serverUrlOverride: process.env.HALL_KIOSK_SERVER_URL || undefined,
      enrollCode: process.env.HALL_KIOSK_ENROLL_CODE || undefined,
      clock: systemClock,
      logger,
      shell: 'electron',
      version: app.getVersion(),
      adminPinFromEnv: process.env.HALL_KIOSK_ADMIN_PIN,
      devices: hardwarePrinterDevices(),
      readerDevices: hardwareReaderDevices(),
      pollIntervalMs: 2_000,
      maintenance: {
        dataDir: userData,
        logDir,
        exportTargets: () => logExportTargets(userInfo().username, join(userData, 'exports')),
        recent,
        // A technician's way to the desktop: the window leaves kiosk mode and full screen, and
        // the app keeps running. A restart (or the supervisor) brings kiosk mode back.
        exitKiosk: () => {
          const window = kioskWindow;
          if (!window || window.isDestroyed()) return { exited: false, message: 'no kiosk window' };
          window.setKiosk(false);
          window.setFullScreen(false);
          return { exited: true, message: 'kiosk mode left until the next start' };
        },
      },
    });
  } catch (error) {
    logger.fatal({ err: error }, 'kiosk services failed to start');
    process.stderr.write(`kiosk services failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    app.exit(1);
    return;
  }
  if (runtime.generatedPin !== null) {
    // Straight to stdout, past the logger: the PIN must never reach the log file.
    process.stdout.write(`${JSON.stringify({ event: 'admin-pin', pin: runtime.generatedPin, message: `Initial admin PIN: ${runtime.generatedPin} — shown only this once; change it in the admin screen.` })}\n`);
  }
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    closed = true;
    // Release the printer connection before the process goes; a stuck device gets 3 s.
    event.preventDefault();
    void Promise.race([runtime.close(), new Promise((r) => setTimeout(r, 3_000))])
      .catch((error: unknown) => logger.error({ err: error }, 'closing the kiosk services failed'))
      .finally(() => app.exit(0));
  });

  // This version proves itself healthy once the page has loaded and the kiosk API has answered it.
  const health = new BootHealth({ store: fileMarkerStore(join(userData, 'boot-health.json')), version: app.getVersion(), now: systemClock.now() });
  const proof = { rendererLoaded: false, apiAnswered: false };
  const noteProof = (what: keyof typeof proof) => {
    proof[what] = true;
    if (proof.rendererLoaded && proof.apiAnswered) health.markHealthy();
  };
  const activity = new KioskActivity();

  ipcMain.handle('kiosk:call', async (event, method: unknown, args: unknown) => {
    if (!isKioskMainFrame(event)) {
      logger.warn({ sender: event.senderFrame?.url?.slice(0, 100) ?? null, subframe: event.senderFrame?.parent != null }, 'kiosk call from a foreign frame refused');
      return { ok: false, code: 'invalid', error: 'caller is not the kiosk app' };
    }
    const outcome = await activity.track(method, systemClock.now, () => runtime.api.handleCall(method, args));
    if (outcome.ok) noteProof('apiAnswered');
    return outcome;
  });

  const window = createKioskWindow(join(app.getAppPath(), 'dist', 'preload', 'index.cjs'));
  kioskWindow = window;
  runtime.api.subscribe((event) => {
    if (!window.isDestroyed()) window.webContents.send('kiosk:event', event);
  });
  window.webContents.on('did-finish-load', () => {
    for (const event of runtime.api.snapshot()) window.webContents.send('kiosk:event', event);
    noteProof('rendererLoaded');
  });
  startSoftwareUpdates({ runtime, config, health, activity, logger });
  superviseRenderer(window, logger);
  powerSaveBlocker.start('prevent-display-sleep');
}

/**
 * Updates come from the hall server the kiosk is enrolled with; an unpackaged (development) app,
 * a standalone kiosk and an unsupported platform get none. HALL_KIOSK_UPDATE_CHANNEL picks the
 * rollout channel (default "stable"; e.g. "pilot" for the kiosk that tries releases first).
 */
function startSoftwareUpdates(parts: { runtime: KioskRuntime; config: ConfigService; health: BootHealth; activity: KioskActivity; logger: Logger }): void {
  const { runtime, config, health, activity, logger } = parts;
  const platform: UpdatePlatform | null = process.platform === 'linux' ? 'linux' : process.platform === 'win32' ? 'windows' : null;
  const serverUrl = runtime.server.status().serverUrl;
  if (!app.isPackaged || platform === null || serverUrl === null) {
    logger.info({ packaged: app.isPackaged, platform: process.platform, server: serverUrl !== null }, 'software updates off');
    return;
  }
  const channel = process.env.HALL_KIOSK_UPDATE_CHANNEL || 'stable';
  if (!updateChannelSchema.safeParse(channel).success) {
    logger.error({ channel: channel.slice(0, 40) }, 'HALL_KIOSK_UPDATE_CHANNEL is not a channel name (lower-case letters, digits, dashes); software updates off');
    return;
  }
  // The per-machine NSIS installer needs an administrator, which the kiosk account is not: on
  // Windows IT installs releases (docs/deploy-windows.md) unless the kiosk may elevate. The
  // boot-health report still goes to the server either way.
  const selfInstall = platform === 'linux' || process.env.HALL_KIOSK_SELF_INSTALL === '1';
  if (!selfInstall) logger.info('software updates are installed by IT on this kiosk (HALL_KIOSK_SELF_INSTALL=1 lets a kiosk that may elevate install them itself)');
  const controller = new UpdateController({
    updater: selfInstall ? electronSoftwareUpdater(`${serverUrl.replace(/\/+$/, '')}/updates/${channel}`, logger) : reportOnlyUpdater,
    health,
    use: () => activity.use(),
    report: hallServerReporter(runtime.server),
    policy: { ...defaultUpdatePolicy, timeZone: config.get().hall.timeZone },
    hallRules: () => runtime.hallRules.current(),
    platform,
    channel,
    clock: systemClock,
    logger,
  });
  setInterval(() => void controller.tick().catch((error: unknown) => logger.error({ err: error }, 'software update step failed')), 30_000).unref();
}

/**
 * The device token sealed with the OS keychain (DPAPI, Keychain, libsecret/kwallet). Where the OS
 * offers none, Electron would fall back to a key baked into Chromium, which protects nothing: the
 * token is then stored plain, like host mode, and the log says so.
 */
function safeStorageBox(logger: Logger): SecretBox {
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os';
  if (!safeStorage.isEncryptionAvailable() || backend === 'basic_text' || backend === 'unknown') {
    logger.warn({ backend }, 'no OS keychain for safeStorage: the device token is protected by the config file mode only');
    return plainSecretBox;
  }
  return {
    kind: 'electron-safe-storage',
    encrypt: (plain) => safeStorage.encryptString(plain).toString('base64'),
    decrypt: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
  };
}

function createKioskWindow(preload: string | null): BrowserWindow {
  const window = new BrowserWindow({
    kiosk: true,
    fullscreen: true,
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      ...(preload ? { preload } : {}),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      devTools: !app.isPackaged,
      spellcheck: false,
      navigateOnDragDrop: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  // Said, not thrown: a failed load (or one a newer navigation replaced) must not be an unhandled rejection.
  window.loadURL(appEntryUrl).catch((error: unknown) => process.stderr.write(`kiosk page did not load: ${error instanceof Error ? error.message : String(error)}\n`));
  return window;
}

/** A dead or hung renderer is reloaded; one that keeps dying gets a full app restart instead. */
function superviseRenderer(window: BrowserWindow, logger: Logger): void {
  const budget = new CrashBudget(3, 5 * 60_000);
  let hang: NodeJS.Timeout | undefined;
  window.webContents.on('render-process-gone', (_event, details) => {
    if (quitting) return;
    const decision = budget.record(systemClock.now());
    logger.error({ reason: details.reason, exitCode: details.exitCode, decision }, 'renderer process gone');
    if (decision === 'reload') {
      window.webContents.reload();
    } else {
      app.relaunch();
      app.exit(0);
    }
  });
  window.on('unresponsive', () => {
    // Give a long task its chance before declaring the page dead.
    hang ??= setTimeout(() => {
      hang = undefined;
      logger.error('renderer unresponsive for 30 s; restarting it');
      window.webContents.forcefullyCrashRenderer();
    }, 30_000);
  });
  window.on('responsive', () => {
    clearTimeout(hang);
    hang = undefined;
  });
}

async function serveAppFile(rendererDir: string, url: string): Promise<Response> {
  const file = resolveAppFile(rendererDir, url);
  const notFound = () => new Response('not found', { status: 404, headers: { ...securityHeaders, 'content-type': 'text/plain; charset=utf-8' } });
  if (!file) return notFound();
  try {
    const body = await readFile(file);
    return new Response(new Uint8Array(body), { headers: { ...securityHeaders, 'content-type': contentTypeFor(file) } });
  } catch {
    return notFound();
  }
}
