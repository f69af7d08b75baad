import type { StaffTouch } from '../../../core/attendance/staff-api.ts';
import { buildKioskApi, KioskCallError, type KioskApi } from '../../../core/kiosk/kiosk-api.ts';
import { defaultKioskConfig } from '../../../core/kiosk/kiosk-config.ts';
import type { CentralServerClient } from '../../../main/services/central-server-client.ts';
import { KioskApiService, type KioskApiServiceOptions } from '../../../main/services/kiosk-api-service.ts';
import { createKioskLogger, type Logger } from '../../../main/services/logger.ts';
import { PrivilegedSync } from '../../../main/services/privileged-sync.ts';
import { PulledHallRules } from '../../../main/services/pulled-hall-rules.ts';
import { ReaderLibrary } from '../../../main/services/reader-library.ts';
import type { ReaderService } from '../../../main/services/reader-service.ts';
import { StaffDirectory } from '../../../main/services/staff-directory.ts';
import { StaffEnrolment } from '../../../main/services/staff-enrolment.ts';
import { enrolledClient, type TestHall } from '../../renderer/support/sync-fixture.ts';
import { demoReaderService } from './demo-reader-service.ts';

export const noPrinter: KioskApiServiceOptions['printer'] = {
  status: async () => ({ state: 'ready', paperNearEnd: false }),
  print: async () => ({ outcome: 'printed', paperNearEnd: false }),
  printSlip: async () => ({ outcome: 'printed', paperNearEnd: false }),
  preview: () => null,
  onStatus: () => () => undefined,
  lastStatus: () => undefined,
};

/** Timers that never fire: the tests pull when they choose (pullNow). */
const stillTimers = { setTimeout: () => 0, clearTimeout: () => undefined };

export interface PrivilegedSideOptions {
  /** where the roster, slot map and hall rules are kept; none: this run only */
  dataDir?: string;
  /** the staff session as PinService keeps it; by default a session opened with the PIN */
  pins?: KioskApiServiceOptions['pins'];
  /** an enrolled client to use (to share one identity across "restarts") */
  client?: CentralServerClient;
  /** a started reader to use (a module whose library outlives a "restart", as a real one's flash does) */
  reader?: ReaderService;
  logger?: Logger;
}

/**
 * One kiosk's privileged side as kiosk-runtime.ts wires it, on the in-process simulated reader:
 * the hall server client, the roster and slot map, the reader library, the hall rules, the
 * privileged pull, enrolment, and the kiosk API the page calls (`kiosk`, built as the preload
 * builds it, so results are validated against the contract).
 */
export class PrivilegedSide {
  readonly logger: Logger;
  readonly reader: ReaderService;
  /** every request the privileged side sent the hall server, as method and path */
  readonly requests: string[] = [];
  /** the enrolled client itself */
  enrolled!: CentralServerClient;
  client!: Pick<CentralServerClient, 'request' | 'status'>;
  directory!: StaffDirectory;
  library!: ReaderLibrary;
  rules!: PulledHallRules;
  sync!: PrivilegedSync;
  enrolment!: StaffEnrolment;
  service!: KioskApiService;
  kiosk!: KioskApi;

  constructor(
    readonly name: string,
    private readonly options: PrivilegedSideOptions = {},
  ) {
    this.logger = options.logger ?? createKioskLogger({ stdout: false, level: 'silent' });
    this.reader = options.reader ?? demoReaderService();
  }

  async start(hall: TestHall): Promise<this> {
    const { dataDir } = this.options;
    if (!this.options.reader) await this.reader.start();
    const client = this.options.client ?? (await enrolledClient(hall, this.name));
    this.enrolled = client;
    // The same client, its requests noted.
    this.client = {
      request: (request) => {
        this.requests.push(`${request.method} ${request.path.split('?')[0]}`);
        return client.request(request);
      },
      status: () => client.status(),
    };
    this.directory = new StaffDirectory(dataDir ? { roster: `${dataDir}/staff-roster.json`, slots: `${dataDir}/reader-slots.json` } : null, this.logger);
    this.rules = new PulledHallRules(dataDir ? `${dataDir}/hall-rules.json` : null, this.logger);
    this.library = new ReaderLibrary({ directory: this.directory, reader: this.reader, logger: this.logger });
    this.reader.onMoved(() => void this.library.readerMoved());
    this.sync = new PrivilegedSync({ server: this.client, directory: this.directory, library: this.library, rules: this.rules, logger: this.logger, timers: stillTimers, random: () => 0.5 });
    const pins = this.options.pins ?? { verify: async () => ({ ok: true }), signedIn: () => true, authoriser: () => ({ method: 'pin' as const }) };
    this.enrolment = new StaffEnrolment({ directory: this.directory, library: this.library, reader: this.reader, server: this.client, authoriser: () => pins.authoriser?.() ?? null, logger: this.logger });
    this.service = new KioskApiService({
      config: () => defaultKioskConfig(this.name.replace(/[^A-Za-z0-9-]/g, '-')),
      printer: noPrinter,
      pins,
      server: this.client,
      reader: this.reader,
      directory: this.directory,
      enrolment: this.enrolment,
      privilegedSync: this.sync,
      hallRules: this.rules,
      system: { version: 't', shell: 'host', startedAt: 0 },
      logger: this.logger,
    });
    this.kiosk = buildKioskApi(
      async (method, args) => {
        const outcome = await this.service.handleCall(method, args);
        if (!outcome.ok) throw new KioskCallError(method, outcome.error);
        return outcome.result;
      },
      (listener) => this.service.subscribe(listener),
    );
    return this;
  }

  /** The privileged pull now; fails the test when it did not go through. */
  async pull(): Promise<void> {
    if (!(await this.sync.pullNow())) throw new Error(`${this.name}: the privileged pull failed`);
  }

  /** A finger pressed on the reader and lifted: who the privileged side says it was, as a finger watch would tell the page. */
  async touch(finger: string): Promise<StaffTouch> {
    this.reader.simulateFinger(finger);
    try {
      return this.directory.touchOf(await this.reader.identify({ timeoutMs: 2000 }));
    } finally {
      this.reader.simulateFinger('lift');
    }
  }

  /** The staff screen's enrolment through the kiosk API, the simulated person pressing at each prompt. */
  async enrol(staffId: string, finger: string, replace = false) {
    const off = this.service.subscribe((event) => {
      if (event.type === 'reader-enroll' && event.progress.step === 'place') this.reader.simulateFinger(finger);
    });
    try {
      return await this.kiosk.staff.enrolFinger({ staffId, finger: 1, replace });
    } finally {
      off();
    }
  }

  async stop(): Promise<void> {
    this.sync.stop();
    this.service.close();
    await this.reader.stop();
  }
}
