import { kioskMethods, parseKioskCall, type KioskArgs, type KioskEvent, type KioskMethodName, type KioskResult, type PinCheck, type SystemInfo } from '../../core/kiosk-api.ts';
import { publicKioskConfig, type KioskConfig } from '../../core/kiosk-config.ts';
import type { CentralServerClient } from './central-server-client.ts';
import type { Logger } from './logger.ts';
import type { PrinterService } from './printer-service.ts';

/** What a shell hands back to the renderer. `invalid` is the caller's fault, `failed` ours or the device's. */
export type KioskCallOutcome =
  | { ok: true; result: unknown }
  | { ok: false; code: 'invalid' | 'failed'; error: string };

export interface KioskApiServiceOptions {
  /** The config in effect for this run (a shell may override parts of it for one run). */
  config: () => KioskConfig;
  printer: Pick<PrinterService, 'status' | 'print' | 'preview' | 'onStatus' | 'lastStatus'>;
  pins: { verify(pin: string): Promise<PinCheck> };
  server: Pick<CentralServerClient, 'request' | 'status'>;
  system: SystemInfo;
  logger: Logger;
}

type Handlers = { [M in KioskMethodName]: (...args: KioskArgs<M>) => Promise<KioskResult<M>> };
type EventListener = (event: KioskEvent) => void;

/** The one place a renderer call turns into an action: both shells pass untrusted input straight here. */
export class KioskApiService {
  private readonly handlers: Handlers;
  private readonly listeners = new Set<EventListener>();
  private readonly unsubscribePrinter: () => void;

  constructor(private readonly options: KioskApiServiceOptions) {
    const { printer, pins, system, config, server } = options;
    this.handlers = {
      'system.info': async () => system,
      'config.get': async () => publicKioskConfig(config()),
      'printer.status': () => printer.status(),
      'printer.print': (job) => printer.print(job),
      'printer.preview': async () => ({ text: printer.preview() }),
      'staff.verifyPin': (pin) => pins.verify(pin),
      'server.request': (request) => server.request(request),
      'server.status': async () => server.status(),
    };
    this.unsubscribePrinter = printer.onStatus((status) => this.emit({ type: 'printer-status', status }));
  }

  async handleCall(method: unknown, args: unknown): Promise<KioskCallOutcome> {
    const call = parseKioskCall(method, args);
    if (!call.ok) {
      this.options.logger.warn({ method: typeof method === 'string' ? method.slice(0, 64) : typeof method }, 'kiosk call rejected');
      return { ok: false, code: 'invalid', error: call.error };
    }
    try {
      const handler = this.handlers[call.method] as (...a: unknown[]) => Promise<unknown>;
      // The result schema also strips anything a handler returned beyond the contract.
      const result: unknown = kioskMethods[call.method].result.parse(await handler(...call.args));
      return { ok: true, result };
    } catch (error) {
      // Arguments are not logged: they may carry a PIN or a citizen's details.
      this.options.logger.error({ method: call.method, err: error }, 'kiosk call failed');
      return { ok: false, code: 'failed', error: `${call.method}: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Events a newly connected renderer needs to catch up on (the current printer state). */
  snapshot(): KioskEvent[] {
    const status = this.options.printer.lastStatus();
    return status ? [{ type: 'printer-status', status }] : [];
  }

  close(): void {
    this.unsubscribePrinter();
    this.listeners.clear();
  }

  private emit(event: KioskEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.options.logger.error({ err: error, event: event.type }, 'kiosk event listener failed');
      }
    }
  }
}
