import type { Clock } from '../../core/clock.ts';
import type { KioskConfig } from '../../core/kiosk-config.ts';
import { parsePrinterAddress } from '../../core/printer-address.ts';
import type { ConfigService } from './config-service.ts';
import { KioskApiService } from './kiosk-api-service.ts';
import type { Logger } from './logger.ts';
import { ensureAdminPin, PinService } from './pin-service.ts';
import { PrinterService, type PrinterDevices } from './printer-service.ts';

export interface KioskRuntimeOptions {
  config: ConfigService;
  /** A printer address for this run only (host mode's --printer); the stored config is untouched. */
  printerOverride?: string;
  clock: Clock;
  logger: Logger;
  shell: 'electron' | 'host';
  version: string;
  /** HALL_KIOSK_ADMIN_PIN: used only when no PIN has been set yet */
  adminPinFromEnv?: string;
  devices: PrinterDevices;
  pollIntervalMs: number;
}

export interface KioskRuntime {
  api: KioskApiService;
  printer: PrinterService;
  pins: PinService;
  /** A PIN made on this first start, for the shell to show once; never logged. */
  generatedPin: string | null;
  close(): Promise<void>;
}

/** The services both shells run, wired once here so Electron and host mode cannot drift apart. */
export async function startKioskRuntime(options: KioskRuntimeOptions): Promise<KioskRuntime> {
  const { config, clock, logger } = options;
  const effective = (): KioskConfig => withPrinterOverride(config.get(), options.printerOverride);
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

  const api = new KioskApiService({
    config: effective,
    printer,
    pins,
    system: { version: options.version, shell: options.shell, startedAt: clock.now() },
    logger,
  });
  logger.info({ kioskId: config.get().kioskId, shell: options.shell, printer: effective().printer.address, config: config.path }, 'kiosk services started');

  return {
    api,
    printer,
    pins,
    generatedPin: generated,
    async close() {
      api.close();
      await printer.stop();
    },
  };
}

export function withPrinterOverride(config: KioskConfig, printerOverride: string | undefined): KioskConfig {
  return printerOverride === undefined ? config : { ...config, printer: { ...config.printer, address: printerOverride } };
}
