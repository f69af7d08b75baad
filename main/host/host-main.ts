import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Conf from 'conf';
import type { Clock } from '../../core/calendar/clock.ts';
import { defaultKioskConfig } from '../../core/kiosk/kiosk-config.ts';
import { ConfigError, ConfigService } from '../services/config-service.ts';
import { startKioskRuntime, type KioskRuntime } from '../services/kiosk-runtime.ts';
import { logExportTargets } from '../services/log-export.ts';
import { createKioskLogger, RecentLogEntries, type Logger } from '../services/logger.ts';
import { hardwarePrinterDevices } from '../services/printer-devices.ts';
import { hardwareReaderDevices } from '../services/reader-devices.ts';
import { hostUsage, parseHostArgs } from './host-options.ts';
import { launchKioskBrowser } from './kiosk-browser.ts';
import { startHostServer, type HostServer } from './host-server.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const systemClock: Clock = { now: () => Date.now() };

/** One machine-readable line on stdout per milestone; the e2e harness and start.ts wait for `ready`. */
function announce(message: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

/** Host mode: the kiosk services and the renderer over loopback HTTP, for a system Chromium, development and e2e tests. */
export async function runHost(argv: readonly string[]): Promise<void> {
  let options;
  try {
    options = parseHostArgs(argv, process.env, process.platform, homedir());
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${hostUsage}\n`);
    process.exitCode = 2;
    return;
  }
  // The config holds the PIN hash and the device token: nobody else on the machine reads it.
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const logDir = join(options.dataDir, 'logs');
  const recent = new RecentLogEntries();
  const logger = createKioskLogger({ logDir, stdout: true, recent });
  const rendererDir = join(repoRoot, 'dist', 'renderer');
  const token = randomBytes(32).toString('base64url');

  let config: ConfigService;
  try {
    config = ConfigService.open({
      openStore: () => new Conf<Record<string, unknown>>({ cwd: options.dataDir, configName: 'config', configFileMode: 0o600 }),
      file: join(options.dataDir, 'config.json'),
      newKioskId: randomUUID,
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`\n${error.message}\n\n`);
    logger.error({ file: error.file, problems: error.problems }, 'kiosk configuration is invalid');
    const port = options.port ?? defaultKioskConfig('unused').hostPort;
    const server = await startHostServer({ backend: { kind: 'config-error', error }, port, rendererDir, token, logger });
    announce({ event: 'config-error', url: server.url, port: server.port, file: error.file, problems: error.problems });
    onShutdownSignal(logger, async () => server.close());
    return;
  }

  let runtime: KioskRuntime;
  try {
    runtime = await startKioskRuntime({
      config,
      printerOverride: options.printer,
      serverUrlOverride: options.serverUrl,
      enrollCode: options.enrollCode,
      contentOverride: options.contentFiles,
      clock: systemClock,
      logger,
      shell: 'host',
      version: packageVersion(),
      adminPinFromEnv: process.env.HALL_KIOSK_ADMIN_PIN,
      devices: hardwarePrinterDevices(),
      readerDevices: hardwareReaderDevices(),
      pollIntervalMs: 2_000,
      maintenance: {
        dataDir: options.dataDir,
        logDir,
        exportTargets: () => logExportTargets(userInfo().username, join(options.dataDir, 'exports')),
        recent,
        // The browser is a separate program here: leaving its kiosk mode is the OS's business.
        exitKiosk: () => ({ exited: false, message: 'host mode: the kiosk runs in a separate browser; close it or stop the service from the operating system' }),
      },
    });
  } catch (error) {
    logger.fatal({ err: error }, 'kiosk services failed to start');
    process.stderr.write(`kiosk services failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
    return;
  }
  if (runtime.generatedPin !== null) {
    // Straight to stdout, past the logger: the PIN must never reach the log file.
    announce({ event: 'admin-pin', pin: runtime.generatedPin, message: `Initial admin PIN: ${runtime.generatedPin} — shown only this once; change it in the admin screen.` });
  }

  let server: HostServer;
  try {
    server = await startHostServer({ backend: { kind: 'ready', api: runtime.api }, port: options.port ?? config.get().hostPort, rendererDir, token, logger });
  } catch (error) {
    logger.fatal({ err: error }, 'host server failed to start');
    await runtime.close();
    process.exitCode = 1;
    return;
  }
  announce({ event: 'ready', url: server.url, port: server.port });

  let closing: Promise<void> | undefined;
  const shutdown = () => (closing ??= server.close().then(() => runtime.close()));
  onShutdownSignal(logger, shutdown);

  if (options.browser) {
    const browser = launchKioskBrowser(server.url, options.dataDir);
    if ('skip' in browser) {
      process.stderr.write(`Not opening a browser: ${browser.skip}.\nOpen the kiosk at:\n\n  ${server.url}\n\nPress Ctrl-C to stop.\n`);
    } else {
      browser.on('error', (error) => logger.error({ err: error }, 'kiosk browser failed to start'));
      // The browser is the kiosk: when it goes, so do we, and the supervisor restarts both.
      browser.on('exit', (code) => {
        logger.info({ code }, 'kiosk browser exited');
        void shutdown()
          .catch((error: unknown) => logger.error({ err: error }, 'shutdown failed'))
          .finally(() => process.exit(0));
      });
      onShutdownSignal(logger, async () => void browser.kill('SIGTERM'));
    }
  }
}

const shutdownTasks: Array<() => Promise<void>> = [];

function onShutdownSignal(logger: Logger, task: () => Promise<void>): void {
  shutdownTasks.unshift(task);
  if (shutdownTasks.length > 1) return;
  const stop = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'shutting down');
    // A stuck device close must not keep a supervisor waiting forever.
    setTimeout(() => process.exit(1), 5_000).unref();
    void (async () => {
      for (const t of shutdownTasks) await t().catch((error: unknown) => logger.error({ err: error }, 'shutdown step failed'));
      process.exit(0);
    })();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await runHost(process.argv.slice(2));
}
