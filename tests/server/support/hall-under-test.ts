import { afterEach, beforeEach, expect } from 'vitest';
import { createAdminUser } from '../../../server/admin/admin-users.ts';
import type { TestDatabase, TestEngine } from './engines.ts';
import { TestKiosk } from './kiosk.ts';
import { leasesFor } from './number-grants.ts';
import { adminSession, startTestServer } from './servers.ts';
import type { TestServer, TestServerOptions } from './servers.ts';
import type { TestClock } from '../../support/test-clock.ts';

export interface HallOptions {
  /** options for every server the test starts; a function is asked afresh for each one */
  server?: TestServerOptions | (() => TestServerOptions);
  /** a kiosk of this name is enrolled before each test: `hall.kiosk` */
  kiosk?: string | ({ name: string } & KioskTime);
}

export interface KioskTime {
  /** the kiosk's clock minus true time */
  skewMs?: number;
  /** 'hall': true time is the server's test clock; 'real' (the default): the machine's */
  trueTime?: 'hall' | 'real';
  /**
   * true: the kiosk pushes only numbers it leased or got from /next, like a real one. Otherwise
   * the numbers it scripts are made its own before each push (number-grants.ts).
   */
  strictNumbers?: boolean;
}

/** The hall as most server tests meet it; it lives for one test. */
export interface HallUnderTest {
  /** this test's own fresh database */
  readonly db: TestDatabase;
  /** the server running now; restart() replaces it */
  readonly server: TestServer;
  /** the server's test clock: it carries on across restarts */
  readonly clock: TestClock;
  /** the kiosk enrolled before the test, when the options name one */
  readonly kiosk: TestKiosk;
  /** creates a device and enrols it over HTTP; the kiosk follows the server across restarts */
  enrolKiosk(name: string, time?: KioskTime): Promise<TestKiosk>;
  /** an admin API token; the hall's first admin is created at the first call of a test */
  adminToken(): Promise<string>;
  /** creates an admin and signs in through the admin pages' form, as a browser does: the session cookie */
  adminPageSession(next: string): Promise<string>;
  /** closes the running server (and is a no-op when none is running) */
  stop(): Promise<void>;
  /** closes the running server and starts another, by default on the same database with the same clock */
  restart(overrides?: TestServerOptions & { db?: TestDatabase }): Promise<TestServer>;
}

/**
 * Before each test: a fresh database of `engine` and a real server on it (startTestServer), and a
 * kiosk if asked. After each test, whichever server is running is closed.
 */
export function useHallServer(engine: TestEngine, options: HallOptions = {}): HallUnderTest {
  let db: TestDatabase | null = null;
  let server: TestServer | null = null;
  let clock: TestClock | null = null;
  let kiosk: TestKiosk | null = null;
  let kiosks: TestKiosk[] = [];
  let admin: Promise<string> | null = null;

  const need = <T>(value: T | null, what: string): T => {
    if (value === null) throw new Error(`no ${what} in this hall now`);
    return value;
  };
  const serverOptions = () => (typeof options.server === 'function' ? options.server() : (options.server ?? {}));

  const hall: HallUnderTest = {
    get db() {
      return need(db, 'database');
    },
    get server() {
      return need(server, 'server');
    },
    get clock() {
      return need(clock, 'clock');
    },
    get kiosk() {
      return need(kiosk, 'kiosk');
    },
    async enrolKiosk(name, time = {}) {
      const running = hall.server;
      const trueNow = time.trueTime === 'hall' ? () => hall.clock.now() : undefined;
      const grants = time.strictNumbers ? undefined : leasesFor(() => hall.server.db.db);
      const enrolled = await TestKiosk.enroll(running.url, (await running.createDevice(name)).enrollmentCode, { trueNow, skewMs: time.skewMs }, grants);
      kiosks.push(enrolled);
      return enrolled;
    },
    adminToken() {
      admin ??= adminSession(hall.server);
      return admin;
    },
    async adminPageSession(next) {
      const running = hall.server;
      await createAdminUser(running.db.db, running.clock, 'office', 'correct horse battery');
      const response = await fetch(`${running.url}/admin/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: 'office', password: 'correct horse battery', next }).toString(),
        redirect: 'manual',
      });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(next);
      return response.headers.get('set-cookie')!.split(';')[0]!;
    },
    async stop() {
      const running = server;
      server = null;
      await running?.close();
    },
    async restart({ db: target = hall.db, ...overrides } = {}) {
      await hall.stop();
      server = await startTestServer(target, { ...serverOptions(), clock: hall.clock, ...overrides });
      for (const k of kiosks) k.baseUrl = server.url;
      return server;
    },
  };

  beforeEach(async () => {
    db = await engine.fresh();
    server = await startTestServer(db, serverOptions());
    clock = server.clock;
    if (typeof options.kiosk === 'string') kiosk = await hall.enrolKiosk(options.kiosk);
    else if (options.kiosk) kiosk = await hall.enrolKiosk(options.kiosk.name, options.kiosk);
  });
  afterEach(async () => {
    await hall.stop();
    [db, clock, kiosk, kiosks, admin] = [null, null, null, [], null];
  });
  return hall;
}
