import type { DayCount } from '../../core/numbering/numbers.ts';
import type { BusinessDay } from '../../core/calendar/business-day.ts';
import type { ServerStatus } from '../../core/http/central-server-request.ts';
import { addDays } from '../../core/calendar/calendar-day.ts';
import type { Catalog } from '../../core/catalog/catalog.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import type { HallSettings } from '../../core/sync/pull.ts';
import { readCachedCatalog } from '../db/catalog-cache.ts';
import type { HallKioskDb } from '../db/hall-kiosk-db.ts';
import type { BackoffPolicy } from './backoff.ts';
import { backoffDelay, defaultBackoff } from './backoff.ts';
import { ClockOffsetEstimator } from './clock-offset.ts';
import { topUpLeases } from './lease-top-up.ts';
import { OnlineCheckins } from './online-checkins.ts';
import { OnlineNumbers } from './online-numbers.ts';
import { forgetAcknowledged, pendingCount, pruneAcknowledged } from './outbox-acks.ts';
import { pullChanges } from './pull-changes.ts';
import type { PushContext } from './push-outbox.ts';
import { pushOutbox } from './push-outbox.ts';
import type { ServerRequestFn } from './server-link.ts';
import { ServerLink } from './server-link.ts';
import { SyncFailure } from './sync-failure.ts';
import { clearSyncMarks, markSync } from './sync-marks.ts';
import { clearSyncMeta, readSyncMeta, writeSyncMeta } from '../db/sync-meta.ts';
import type { StatusReportSources } from './status-report.ts';
import { StatusReporter } from './status-report.ts';
import { SyncStatusStore } from './sync-status.ts';

/** setTimeout and clearTimeout, injectable so tests run the loop without waiting. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * Leader election across the kiosk's windows: the Web Locks API's request() in the app, a
 * stand-in in tests. The lock is held until the promise `hold` returns settles.
 */
export interface SyncLock {
  request(name: string, hold: () => Promise<void>): Promise<unknown>;
}

export const syncLockName = 'hall-kiosk-sync';

export interface SyncSettings {
  /** between rounds while all is well */
  idleMs: number;
  backoff: BackoffPolicy;
  /** acknowledged outbox entries are kept this long, for a server restored from a backup */
  ackedRetentionMs: number;
  /** …and no more than this many */
  keepAckedAtMost: number;
  pruneEveryMs: number;
  maxEventsPerPush?: number;
}

const dayMs = 24 * 60 * 60 * 1000;
export const defaultSyncSettings: SyncSettings = {
  idleMs: 5_000,
  backoff: defaultBackoff,
  ackedRetentionMs: 7 * dayMs,
  keepAckedAtMost: 50_000,
  pruneEveryMs: 60 * 60 * 1000,
};

export interface SyncEngineOptions {
  db: HallKioskDb;
  /** KioskApi's server.request */
  serverRequest: ServerRequestFn;
  /** KioskApi's server.status */
  serverStatus: () => Promise<ServerStatus>;
  clock: Clock;
  /** for the backoff's jitter */
  random: () => number;
  timers: Timers;
  lock: SyncLock;
  settings?: Partial<SyncSettings>;
  /** where the kiosk's status report comes from; without it no report is sent */
  report?: StatusReportSources;
}

/**
 * The kiosk's sync with the hall's central server: one loop per kiosk (the window holding the
 * lock), each round pushing the outbox, pulling changes and topping up number leases, with
 * exponential backoff and full jitter after failures. `kick()` starts a round at once, e.g.
 * after a ticket was issued.
 */
export class SyncEngine {
  readonly status = new SyncStatusStore();
  /** online numbering for the ticket issuer, over the same link */
  readonly numbers: OnlineNumbers;
  /** online check-ins for the check-in book, over the same link */
  readonly checkins: OnlineCheckins;
  private readonly options: SyncEngineOptions;
  private readonly settings: SyncSettings;
  private readonly offset = new ClockOffsetEstimator();
  private readonly link: ServerLink;
  private readonly leaseRefused = new Set<string>();
  private readonly catalogListeners = new Set<(catalog: Catalog) => void>();
  private readonly settingsListeners = new Set<(settings: HallSettings) => void>();
  private readonly dayCountListeners = new Set<(businessDay: BusinessDay, counts: readonly DayCount[]) => void>();
  private failures = 0;
  private kicked = false;
  private wake: (() => void) | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;
  private serverLast: number | null = null;
  private lastPruneAt: number | null = null;
  private readonly reporter: StatusReporter | null;

  constructor(options: SyncEngineOptions) {
    this.options = options;
    this.settings = { ...defaultSyncSettings, ...options.settings };
    this.link = new ServerLink(options.serverRequest, options.clock, this.offset, this.status);
    this.numbers = new OnlineNumbers(this.link);
    this.checkins = new OnlineCheckins(this.link);
    this.reporter = options.report ? new StatusReporter(this.link, options.clock, options.report) : null;
    // A request that got through while the loop waits out its backoff (online numbering, say)
    // proves the server is back: no reason to wait longer.
    this.link.whenReachableAgain(() => {
      if (this.failures > 0) this.kick();
    });
  }

  /** What the last run learned: the clock offset (tickets need it at once) and the staff figures. */
  async load(): Promise<void> {
    const { db } = this.options;
    const offset = await readSyncMeta(db, 'sync.clockOffsetMs');
    if (offset !== undefined) this.offset.seed(offset);
    this.status.update({
      lastSuccessAt: (await readSyncMeta(db, 'sync.lastSuccessAt')) ?? null,
      deadLettered: (await readSyncMeta(db, 'sync.deadLettered')) ?? 0,
      pending: await pendingCount(db),
      server: await this.options.serverStatus().catch(() => null),
    });
  }

  /** The current estimate of (server − device) clock, or undefined before any exchange. */
  clockOffsetMs(): number | undefined {
    return this.offset.current();
  }

  onCatalog(listener: (catalog: Catalog) => void): () => void {
    this.catalogListeners.add(listener);
    return () => this.catalogListeners.delete(listener);
  }

  /** The hall server's count of today's tickets per service, from every pull that carried it (already in meta). */
  onDayCounts(listener: (businessDay: BusinessDay, counts: readonly DayCount[]) => void): () => void {
    this.dayCountListeners.add(listener);
    return () => this.dayCountListeners.delete(listener);
  }

  /** Hall settings (name, time zone) from a pull that carried them, already cached in meta. */
  onSettings(listener: (settings: HallSettings) => void): () => void {
    this.settingsListeners.add(listener);
    return () => this.settingsListeners.delete(listener);
  }

  /** Runs the loop in whichever window gets the lock; the others wait for it. */
  start(): void {
    if (this.running) return;
    this.stopped = false;
    this.running = this.options.lock.request(syncLockName, () => this.lead()).catch((error: unknown) => {
      this.status.update({ lastError: `sync loop: ${error instanceof Error ? error.message : String(error)}` });
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
    this.running = null;
  }

  /** Sync now: at once if the loop is waiting, right after the round in progress otherwise. */
  kick(): void {
    void this.refreshPending();
    if (this.wake) this.wake();
    else this.kicked = true;
  }

  private async lead(): Promise<void> {
    this.status.update({ leader: true });
    try {
      while (!this.stopped) {
        const delay = await this.runRound();
        if (this.stopped) break;
        await this.sleep(delay);
      }
    } finally {
      this.status.update({ leader: false });
    }
  }

  /** One round; returns how long to wait before the next. Never throws. */
  async runRound(): Promise<number> {
    const { db, clock } = this.options;
    let failure: SyncFailure['kind'] | 'unexpected' | null = null;
    clearSyncMarks();
    markSync('sync:round-start');
    try {
      await this.round();
      this.failures = 0;
      const now = clock.now();
      this.status.update({ lastSuccessAt: now, lastError: null });
      await writeSyncMeta(db, 'sync.lastSuccessAt', now);
      return this.settings.idleMs;
    } catch (error) {
      this.failures += 1;
      failure = error instanceof SyncFailure ? error.kind : 'unexpected';
      const message = error instanceof Error ? error.message : String(error);
      if (!(error instanceof SyncFailure)) console.error('sync round failed', error);
      // The privileged side may know more now (a 401 makes it report the device revoked).
      const server = await this.options.serverStatus().catch(() => this.status.get().server);
      this.status.update({ lastError: message, server });
      const delay = backoffDelay(this.failures, this.options.random, this.settings.backoff);
      return Math.max(delay, error instanceof SyncFailure ? (error.retryAfterMs ?? 0) : 0);
    } finally {
      await this.refreshPending();
      // After the figures are fresh, so the report says what staff see. Pointless when the server
      // did not answer or refuses this device.
      const server = this.status.get().server;
      if (this.reporter && server?.configured && server.enrolled && failure !== 'offline' && failure !== 'refused') await this.reporter.maybeSend(this.status.get());
      markSync('sync:round-end');
    }
  }

  private async round(): Promise<void> {
    const { db, clock } = this.options;
    const server = await this.options.serverStatus();
    this.status.update({ server });
    if (!server.configured) return;
    if (!server.enrolled || server.deviceId === null) {
      throw new SyncFailure('refused', server.enrollmentError ?? 'this kiosk is not enrolled with the hall server (start it with an enrollment code)');
    }
    await this.adoptDevice(server.deviceId);

    const push: PushContext = {
      db,
      link: this.link,
      clock,
      clockOffset: () => this.offset.current(),
      serverLast: this.serverLast,
      maxEvents: this.settings.maxEventsPerPush,
    };
    try {
      await pushOutbox(push);
      const pulled = await pullChanges(db, this.link, clock);
      push.serverLast = pulled.lastAppliedSeq;
      // The pull found the server lost events (restored backup): send them now, not next round.
      if (pulled.resent > 0) await pushOutbox(push);
      if (pulled.settings) for (const listener of [...this.settingsListeners]) listener(pulled.settings);
      if (pulled.dayCounts) for (const listener of [...this.dayCountListeners]) listener(pulled.businessDay, pulled.dayCounts);
      if (pulled.catalog) {
        this.leaseRefused.clear();
        for (const listener of [...this.catalogListeners]) listener(pulled.catalog);
      }
      // Leases only for a catalog the server gave: before one arrived there is nothing to lease for.
      const cached = await readCachedCatalog(db);
      if (cached) await topUpLeases(db, this.link, cached.catalog, [pulled.businessDay, addDays(pulled.businessDay, 1)], this.leaseRefused);
    } finally {
      this.serverLast = push.serverLast;
    }

    const offset = this.offset.current();
    if (offset !== undefined) await writeSyncMeta(db, 'sync.clockOffsetMs', offset);
    const now = clock.now();
    if (this.lastPruneAt === null || now - this.lastPruneAt >= this.settings.pruneEveryMs) {
      this.lastPruneAt = now;
      await pruneAcknowledged(db, now - this.settings.ackedRetentionMs, this.settings.keepAckedAtMost);
    }
  }

  /**
   * The device the events go out as. Enrolled anew (a revoked kiosk given a new code, or another
   * server): the new identity starts with no events and no leases there. What the old identity
   * had acknowledged stays with it; its reserves are dropped, because another server's counter
   * does not know them and would hand their numbers out again.
   */
  private async adoptDevice(deviceId: string): Promise<void> {
    const { db } = this.options;
    const known = await readSyncMeta(db, 'sync.deviceId');
    if (known === deviceId) return;
    await db.transaction('rw', [db.outbox, db.reserves, db.meta], async () => {
      if (known !== undefined) {
        await forgetAcknowledged(db);
        await db.reserves.clear();
        await clearSyncMeta(db, 'sync.cursor');
      }
      await writeSyncMeta(db, 'sync.deviceId', deviceId);
    });
    this.serverLast = null;
    this.leaseRefused.clear();
  }

  private async refreshPending(): Promise<void> {
    const { db } = this.options;
    try {
      this.status.update({ pending: await pendingCount(db), deadLettered: (await readSyncMeta(db, 'sync.deadLettered')) ?? 0 });
    } catch {
      // the database is closing; the figure is refreshed with the next round
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.kicked) {
      this.kicked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        this.wake = null;
        resolve();
      };
      const handle = this.options.timers.setTimeout(done, ms);
      this.wake = () => {
        this.options.timers.clearTimeout(handle);
        done();
      };
    });
  }
}
