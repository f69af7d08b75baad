import type { Clock } from '../../core/calendar/clock.ts';
import { AdminFingerEntry } from './admin-finger-entry.ts';
import { kioskConfigEditOf, type KioskConfig } from '../../core/kiosk/kiosk-config.ts';
import { parsePrinterAddress } from '../../core/printing/printer-address.ts';
import { hallApi } from '../../core/http/contract.ts';
import { join } from 'node:path';
import { CentralServerClient } from './central-server-client.ts';
import type { ConfigService } from './config-service.ts';
import { HealthService } from './health-service.ts';
import { KioskApiService } from './kiosk-api-service.ts';
import { exportKioskLogs } from './log-export.ts';
import type { Logger, RecentLogEntries } from './logger.ts';
import { CounterFloors } from './counter-floors.ts';
import { PrintedTickets } from './printed-tickets.ts';
import { contentFilesOf, readLocalContent, type LocalContentFiles } from './local-content.ts';
import { ensureAdminPin, PinService } from './pin-service.ts';
import { PrinterService, type PrinterDevices } from './printer-service.ts';
import { PrivilegedSync } from './privileged-sync.ts';
import { PulledHallRules } from './pulled-hall-rules.ts';
import { QueueStateFeed } from './queue-state-feed.ts';
import { ReaderLibrary } from './reader-library.ts';
import { ReaderService } from './reader-service.ts';
import type { ReaderDevices } from './reader-service.ts';
import type { FeedTimers } from './queue-state-feed.ts';
import { StaffDirectory } from './staff-directory.ts';
import { StaffEnrolment } from './staff-enrolment.ts';

export interface KioskRuntimeOptions {
  config: ConfigService;
  /** A printer address for this run only (host mode's --printer); the stored config is untouched. */
  printerOverride?: string;
  /** The hall server for this run only (--server-url / HALL_KIOSK_SERVER_URL); the stored config is untouched. */
  serverUrlOverride?: string;
  /** Catalog and calendar files for this run (host mode's --catalog-file, --calendar-file), absolute; they win over the config's. */
  contentOverride?: LocalContentFiles;
  /** A one-time enrollment code (--enroll-code / HALL_KIOSK_ENROLL_CODE). */
  enrollCode?: string;
  fetch?: typeof fetch;
  clock: Clock;
  logger: Logger;
  shell: 'electron' | 'host';
  version: string;
  /** HALL_KIOSK_ADMIN_PIN: used only when no PIN has been set yet */
  adminPinFromEnv?: string;
  devices: PrinterDevices;
  pollIntervalMs: number;
  /** the fingerprint reader's drivers; without them the kiosk runs with no reader (reader.* calls fail) */
  readerDevices?: ReaderDevices;
  /** what the maintenance screen needs of the shell; without it, its calls fail plainly */
  maintenance?: RuntimeMaintenance;
}

export interface RuntimeMaintenance {
  dataDir: string;
  logDir: string;
  /** where an export goes, best first (removable media, then the data dir) */
  exportTargets: () => string[];
  recent: RecentLogEntries;
  exitKiosk: () => { exited: boolean; message: string };
}

export interface KioskRuntime {
  api: KioskApiService;
  printer: PrinterService;
  pins: PinService;
  server: CentralServerClient;
  reader: ReaderService | null;
  /** the hall calendar last pulled, kept in the data dir: the update quiet hours follow it */
  hallRules: PulledHallRules;
  /** the roster and reader slot map last pulled and applied, kept in the data dir */
  directory: StaffDirectory;
  /** the privileged side's own pull of the roster, templates and hall rules */
  privilegedSync: PrivilegedSync;
  /** A PIN made on this first start, for the shell to show once; never logged. */
  generatedPin: string | null;
  close(): Promise<void>;
}

/** The services both shells run, wired once here so Electron and host mode cannot drift apart. */
export async function startKioskRuntime(options: KioskRuntimeOptions): Promise<KioskRuntime> {
  const { config, clock, logger } = options;
  const effective = (): KioskConfig => withServerOverride(withPrinterOverride(config.get(), options.printerOverride), options.serverUrlOverride);
  const address = parsePrinterAddress(effective().printer.address);
  // The stored address was validated on load; only an override can fail here.
  if (!address.ok) throw new Error(`printer address: ${address.error}`);

  const pins = new PinService({ config, clock });
  const { generated } = await ensureAdminPin(pins, options.adminPinFromEnv);

  const printer = new PrinterService({
    address: address.address,
    paper: effective().printer.paperWidth,
    devices: options.devices,
    pollIntervalMs: options.pollIntervalMs,
    onError: (error) => logger.warn({ err: error }, 'printer status poll failed'),
  });
  await printer.start();
  printer.onStatus((status) => logger.info({ printer: status }, 'printer status changed'));

  // What decides trust or drives a device is pulled and kept here, on the privileged side; the
  // page's Dexie holds the citizen records (docs/architecture.md, "One owner per piece of data").
  const dataDir = options.maintenance?.dataDir;
  const hallRules = new PulledHallRules(dataDir ? join(dataDir, 'hall-rules.json') : null, logger);
  const directory = new StaffDirectory(dataDir ? { roster: join(dataDir, 'staff-roster.json'), slots: join(dataDir, 'reader-slots.json') } : null, logger);
  const server = new CentralServerClient({
    fetch: options.fetch ?? fetch,
    config: effective,
    devices: config,
    clock,
    logger,
    version: options.version,
    enrollCode: options.enrollCode,
  });
  // Awaited so a kiosk started with a code is enrolled by the time it says it is ready; a server
  // that is down only delays that to the first request that reaches it.
  await server.enrollIfNeeded();

  // Only with a hall server: a standalone kiosk has no queue to count.
  const queue = effective().serverUrl === null ? null : new QueueStateFeed({ open: (signal) => server.openEventStream(hallApi.queueStream, signal), timers: unrefTimers, random: Math.random, logger });
  queue?.start();

  const reader = options.readerDevices
    ? new ReaderService({ config: effective().reader, devices: options.readerDevices, logger, saveConfig: (settings) => config.update((c) => ({ ...c, reader: settings })) })
    : null;
  await reader?.start();
  const library = new ReaderLibrary({ directory, reader, logger });
  reader?.onMoved(() => void library.readerMoved());
  reader?.onStatus((status) => {
    if (status.state === 'connected') library.readerReconnected();
  });
  const privilegedSync = new PrivilegedSync({ server, directory, library, rules: hallRules, logger, timers: unrefTimers, random: Math.random });
  if (effective().serverUrl !== null) privilegedSync.start();
  const enrolment = reader ? new StaffEnrolment({ directory, library, reader, server, authoriser: () => pins.authoriser(), logger }) : null;
  const fingerEntry = reader ? new AdminFingerEntry({ reader, directory, refresh: () => privilegedSync.pullNow(), pins, logger }) : null;

  const contentFiles = (): LocalContentFiles => ({ ...contentFilesOf(config.get(), options.maintenance?.dataDir ?? null), ...options.contentOverride });
  const content = () => readLocalContent(contentFiles());
  if (Object.keys(contentFiles()).length > 0) {
    // Read once now so a bad file is in the log from the start; the page asks again when it loads.
    try {
      const read = content();
      logger.info({ catalogServices: read.catalog?.catalog.services.length ?? null, calendarRevision: read.hallRules?.revision ?? null, ...contentFiles() }, 'local content files read');
    } catch (error) {
      logger.error({ err: error }, 'a local content file cannot be used: the kiosk offers no catalog or calendar from it');
    }
  }

  const startedAt = clock.now();
  const shellMaintenance = options.maintenance;
  const health = shellMaintenance ? new HealthService({ clock, startedAt, appVersion: options.version, dataDir: shellMaintenance.dataDir, recent: shellMaintenance.recent }) : null;
  const api = new KioskApiService({
    config: effective,
    printer,
    pins,
    server,
    ...(shellMaintenance && health
      ? {
          maintenance: {
            clock,
            editableConfig: () => kioskConfigEditOf(config.get()),
            updateConfig: (edit) => config.applyEdit(edit),
            health: () => health.health(),
            exportLogs: () => exportKioskLogs({ logDir: shellMaintenance.logDir, targets: shellMaintenance.exportTargets, kioskId: config.get().kioskId, now: clock.now() }),
            exitKiosk: shellMaintenance.exitKiosk,
          },
        }
      : {}),
    ...(queue ? { queue } : {}),
    ...(reader ? { reader } : {}),
    ...(fingerEntry ? { fingerEntry } : {}),
    ...(enrolment ? { enrolment } : {}),
    directory,
    privilegedSync,
    hallRules,
    // In the data dir: the browser profile may be wiped, this file stays.
    counters: new CounterFloors(options.maintenance ? join(options.maintenance.dataDir, 'day-counters.json') : null),
    printedTickets: new PrintedTickets(options.maintenance ? join(options.maintenance.dataDir, 'printed-tickets') : null, clock, logger),
    content,
    system: { version: options.version, shell: options.shell, startedAt },
    logger,
  });
  const serverStatus = server.status();
  logger.info(
    { kioskId: config.get().kioskId, shell: options.shell, printer: effective().printer.address, config: config.path, server: serverStatus.serverUrl, deviceId: serverStatus.deviceId },
    'kiosk services started',
  );

  return {
    api,
    printer,
    pins,
    server,
    reader,
    hallRules,
    directory,
    privilegedSync,
    generatedPin: generated,
    async close() {
      queue?.stop();
      privilegedSync.stop();
      api.close();
      await printer.stop();
      await reader?.stop();
    },
  };
}

// The feed's retries must not keep a process alive that is otherwise done.
const unrefTimers: FeedTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export function withPrinterOverride(config: KioskConfig, printerOverride: string | undefined): KioskConfig {
  return printerOverride === undefined ? config : { ...config, printer: { ...config.printer, address: printerOverride } };
}

export function withServerOverride(config: KioskConfig, serverUrl: string | undefined): KioskConfig {
  return serverUrl === undefined ? config : { ...config, serverUrl };
}
