import { hallLocalTime } from '../../core/calendar/business-day.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import { kioskMethods, parseKioskCall, type ConfigUpdateResult, type KioskArgs, type KioskEvent, type KioskMethodName, type KioskResult, type LocalContent, type PinCheck, type SystemHealth, type SystemInfo } from '../../core/kiosk/kiosk-api.ts';
import { publicKioskConfig, type KioskConfig, type KioskConfigEdit } from '../../core/kiosk/kiosk-config.ts';
import { testPageJob } from '../../core/printing/test-page.ts';
import type { EnrolmentAuthoriser } from '../../core/attendance/roster.ts';
import type { AdminFingerEntry } from './admin-finger-entry.ts';
import type { CentralServerClient } from './central-server-client.ts';
import type { CounterFloors } from './counter-floors.ts';
import type { PrintedTickets } from './printed-tickets.ts';
import { isReprintOutcome } from '../../core/ticket/ticket.ts';
import type { Logger } from './logger.ts';
import type { PrinterService } from './printer-service.ts';
import type { PrivilegedSync } from './privileged-sync.ts';
import type { PulledHallRules } from './pulled-hall-rules.ts';
import type { QueueStateFeed } from './queue-state-feed.ts';
import type { ReaderService } from './reader-service.ts';
import { StaffDirectory } from './staff-directory.ts';
import type { StaffEnrolment } from './staff-enrolment.ts';

/**
 * What a shell hands back to the renderer. `invalid` is the caller's fault, `signed-out` a
 * privileged call without a staff session, `failed` ours or the device's.
 */
export type KioskCallOutcome =
  | { ok: true; result: unknown }
  | { ok: false; code: 'invalid' | 'signed-out' | 'failed'; error: string };

/** A maintenance or reader call that needs the staff session (admin PIN or an admin's finger) came without one. */
export class StaffSessionRequiredError extends Error {
  override readonly name = 'StaffSessionRequiredError';
  constructor() {
    super("staff sign-in required: open the staff screen with the admin PIN or an admin's finger first");
  }
}

export interface KioskApiServiceOptions {
  /** The config in effect for this run (a shell may override parts of it for one run). */
  config: () => KioskConfig;
  printer: Pick<PrinterService, 'status' | 'print' | 'printSlip' | 'preview' | 'onStatus' | 'lastStatus'>;
  pins: {
    verify(pin: string): Promise<PinCheck>;
    status?(): PinCheck;
    /** a staff member gave the PIN (or an admin's finger) recently; maintenance calls need it */
    signedIn?(): boolean;
    /** who opened that session (PinService.authoriser) */
    authoriser?(): EnrolmentAuthoriser | null;
    /** a demo kiosk's simulated fingers may be placed (see PinService) */
    demoFingersAllowed?(): boolean;
    signOut?(): void;
  };
  /** staff.verifyFinger: an admin's finger opens the staff session; absent without a reader */
  fingerEntry?: Pick<AdminFingerEntry, 'enter'>;
  /** the maintenance screen's privileged side; absent, its calls fail plainly */
  maintenance?: MaintenancePorts;
  server: Pick<CentralServerClient, 'request' | 'status'>;
  /** the hall server's live queue counts; absent on a standalone kiosk */
  queue?: Pick<QueueStateFeed, 'current' | 'onChange'>;
  /** the staff fingerprint reader; absent, reader.* calls fail */
  reader?: Pick<ReaderService, 'status' | 'onStatus' | 'watchFingers' | 'renewWatch' | 'unwatch' | 'onFinger' | 'cancel' | 'simulateFinger' | 'ports' | 'configure'>;
  /** the roster and reader slot map the privileged side pulled: who a finger is; absent, nobody is anyone */
  directory?: Pick<StaffDirectory, 'activeMembers' | 'touchOf'>;
  /** fingerprint enrolment into this kiosk's reader; absent without a reader */
  enrolment?: Pick<StaffEnrolment, 'enrol'>;
  /** the privileged side's own pull; absent on a kiosk that has none (tests) */
  privilegedSync?: Pick<PrivilegedSync, 'pullNow'>;
  /** the hall rules the privileged side pulled; absent, the page has none */
  hallRules?: Pick<PulledHallRules, 'current' | 'onChange'>;
  /** what this kiosk printed (printed-tickets.ts); absent, nothing is recorded and none is found */
  printedTickets?: Pick<PrintedTickets, 'note' | 'noteVoided' | 'ofDay'>;
  /** the floors of the day counters (counter-floors.ts); absent, every claim is granted as asked and kept nowhere */
  counters?: Pick<CounterFloors, 'claim'>;
  /** the catalog and calendar files of a kiosk with no hall server (local-content.ts); absent: none given */
  content?: () => LocalContent;
  system: SystemInfo;
  logger: Logger;
}

export interface MaintenancePorts {
  clock: Clock;
  /** the stored config's staff-editable part, and the one way to change it */
  editableConfig(): KioskConfigEdit;
  updateConfig(edit: KioskConfigEdit): ConfigUpdateResult;
  health(): SystemHealth;
  exportLogs(): { file: string; bytes: number };
  /** leave the kiosk's full screen; the shell says whether it could */
  exitKiosk(): { exited: boolean; message: string };
}

type Handlers = { [M in KioskMethodName]: (...args: KioskArgs<M>) => Promise<KioskResult<M>> };
type EventListener = (event: KioskEvent) => void;

/** The one place a renderer call turns into an action: both shells pass untrusted input straight here. */
export class KioskApiService {
  private readonly handlers: Handlers;
  private readonly listeners = new Set<EventListener>();
  private readonly unsubscribePrinter: () => void;
  private readonly unsubscribeQueue: () => void;
  private readonly unsubscribeReader: () => void;
  private readonly unsubscribeRules: () => void;

  constructor(private readonly options: KioskApiServiceOptions) {
    const { printer, pins, system, config, server } = options;
    // Without a roster (a kiosk that has none, in tests) nobody is anyone.
    const directory = options.directory ?? new StaffDirectory(null, options.logger);
    const maintenance = (): MaintenancePorts => {
      if (!options.maintenance) throw new Error('maintenance is not available in this shell');
      return options.maintenance;
    };
    // The PIN screen is the renderer's; this check keeps a page that skipped it (a script
    // injected into it, say) from changing the config or leaving kiosk mode.
    const staffSession = (): void => {
      if (!pins.signedIn?.()) throw new StaffSessionRequiredError();
    };
    const staffOnly = (): MaintenancePorts => {
      staffSession();
      return maintenance();
    };
    this.handlers = {
      'system.info': async () => system,
      'config.get': async () => publicKioskConfig(config()),
      'printer.status': () => printer.status(),
      'printer.print': async (job, ref) => {
        const result = await printer.print(job);
        // Printed, or may have been: either way the ticket may be in a citizen's hand.
        if (ref && isReprintOutcome(result.outcome)) options.printedTickets?.note(ref, job);
        return result;
      },
      'printer.noteVoided': async (ref) => {
        staffSession();
        options.printedTickets?.noteVoided(ref);
        return { ok: true as const };
      },
      'printer.printedTickets': async ({ businessDay }) => {
        staffSession();
        return { tickets: options.printedTickets?.ofDay(businessDay) ?? [] };
      },
      'printer.printSlip': (job) => printer.printSlip(job),
      'printer.preview': async () => ({ text: printer.preview() }),
      'printer.testPrint': () => {
        const c = config();
        const now = maintenance().clock.now();
        const { day, time } = hallLocalTime(now, c.hall.timeZone);
        return printer.print(testPageJob({ hallName: c.hall.name, kioskId: c.kioskId, printerAddress: c.printer.address, paperWidth: c.printer.paperWidth, timeText: `${day} ${time}` }));
      },
      'staff.verifyPin': (pin) => pins.verify(pin),
      'staff.verifyFinger': (request) => {
        if (!options.fingerEntry) throw new Error('this kiosk has no fingerprint reader');
        return options.fingerEntry.enter(request);
      },
      'staff.pinStatus': async () => pins.status?.() ?? { ok: true },
      'staff.signOut': async () => {
        pins.signOut?.();
        return { ok: true as const };
      },
      'staff.roster': async () => ({ members: directory.activeMembers() }),
      'staff.enrolFinger': (request) => {
        staffSession();
        if (!options.enrolment) throw new Error('this kiosk has no fingerprint reader');
        return options.enrolment.enrol(request, (progress) => this.emit({ type: 'reader-enroll', progress }));
      },
      'config.editable': async () => staffOnly().editableConfig(),
      'config.update': async (edit) => {
        const result = staffOnly().updateConfig(edit);
        // Which fields, never their values: a server URL or port is no secret, but the rule is simple.
        this.options.logger.info({ ok: result.ok, fields: result.ok ? result.changed : result.problems.map((p) => p.field) }, 'config edited on the maintenance screen');
        return result;
      },
      'system.health': async () => maintenance().health(),
      'system.exitKiosk': async () => {
        const outcome = staffOnly().exitKiosk();
        this.options.logger.warn({ exited: outcome.exited }, 'exit from kiosk mode requested on the maintenance screen');
        return outcome;
      },
      'logs.export': async () => {
        const exported = staffOnly().exportLogs();
        this.options.logger.info({ file: exported.file, bytes: exported.bytes }, 'logs exported');
        return exported;
      },
      // Page routes only (the call's schema refuses the privileged side's own).
      'server.request': (request) => server.request(request),
      'server.status': async () => server.status(),
      'server.pullNow': async () => {
        staffSession();
        return { pulled: (await options.privilegedSync?.pullNow()) ?? false };
      },
      'hall.rules': async () => ({ rules: options.hallRules?.current() ?? null }),
      'counters.claim': async (claim) => ({ number: options.counters ? options.counters.claim(claim) : claim.atLeast <= claim.atMost ? claim.atLeast : null }),
      'content.local': async () => options.content?.() ?? { catalog: null, hallRules: null },
      ...readerHandlers(options.reader, {
        staffSession,
        demoFingers: () => {
          if (!pins.demoFingersAllowed?.() && !pins.signedIn?.()) throw new StaffSessionRequiredError();
        },
      }),
    };
    this.unsubscribePrinter = printer.onStatus((status) => this.emit({ type: 'printer-status', status }));
    this.unsubscribeQueue = options.queue?.onChange((state) => this.emit({ type: 'queue-state', state })) ?? (() => {});
    const unsubscribeStatus = options.reader?.onStatus((status) => this.emit({ type: 'reader-status', status }));
    // The page hears who touched, never the page of the library the finger was found at.
    const unsubscribeFinger = options.reader?.onFinger((watchId, result) => this.emit({ type: 'reader-finger', watchId, result: directory.touchOf(result) }));
    this.unsubscribeReader = () => {
      unsubscribeStatus?.();
      unsubscribeFinger?.();
    };
    this.unsubscribeRules = options.hallRules?.onChange((rules) => this.emit({ type: 'hall-rules', rules })) ?? (() => {});
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
      return { ok: false, code: error instanceof StaffSessionRequiredError ? 'signed-out' : 'failed', error: `${call.method}: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Events a newly connected renderer needs to catch up on (the printer's and the queue's state). */
  snapshot(): KioskEvent[] {
    const status = this.options.printer.lastStatus();
    // A fresh renderer starts from "unknown", so only a known queue state is worth sending.
    const queue = this.options.queue?.current() ?? null;
    const reader = this.options.reader?.status();
    // The reader first: the printer's and the queue's state stay the latest news, as before the reader.
    return [
      ...(reader ? [{ type: 'reader-status' as const, status: reader }] : []),
      ...(status ? [{ type: 'printer-status' as const, status }] : []),
      ...(queue ? [{ type: 'queue-state' as const, state: queue }] : []),
    ];
  }

  close(): void {
    this.unsubscribePrinter();
    this.unsubscribeQueue();
    this.unsubscribeReader();
    this.unsubscribeRules();
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

type ReaderMethodName = Extract<KioskMethodName, `reader.${string}`>;

/**
 * reader.* calls; without a reader each one fails plainly rather than hanging. What moves the
 * reader needs the staff session; watching for fingers and cancelling stay open, for sign-in.
 * Nothing here reads or writes the reader's library: that is the privileged side's own
 * (ReaderLibrary, StaffEnrolment).
 */
function readerHandlers(
  reader: KioskApiServiceOptions['reader'],
  guard: { staffSession(): void; demoFingers(): void },
): { [M in ReaderMethodName]: Handlers[M] } {
  const present = () => {
    if (!reader) throw new Error('this kiosk has no fingerprint reader');
    return reader;
  };
  const staffOnly = () => {
    guard.staffSession();
    return present();
  };
  return {
    'reader.status': async () => present().status(),
    'reader.watch': async ({ leaseMs }) => present().watchFingers(leaseMs),
    'reader.renewWatch': async ({ watchId, leaseMs }) => ({ watching: present().renewWatch(watchId, leaseMs) }),
    'reader.unwatch': async ({ watchId }) => ({ stopped: present().unwatch(watchId) }),
    'reader.cancel': async () => ({ cancelled: present().cancel() }),
    'reader.ports': async () => staffOnly().ports(),
    'reader.configure': async (settings) => staffOnly().configure(settings),
    'reader.simulateFinger': async (finger) => {
      guard.demoFingers();
      present().simulateFinger(finger);
      return { ok: true as const };
    },
  };
}
