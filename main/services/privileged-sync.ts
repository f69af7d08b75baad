import { templateDownloadSchema, type TemplateRef } from '../../core/attendance/roster.ts';
import { deviceRequestOf } from '../../core/http/central-server-request.ts';
import { hallApi } from '../../core/http/contract.ts';
import { isServerFailure, type ServerReply } from '../../core/http/central-server-request.ts';
import { privilegedPullResponseSchema } from '../../core/sync/privileged-pull.ts';
import type { CentralServerClient } from './central-server-client.ts';
import type { Logger } from './logger.ts';
import type { PulledHallRules } from './pulled-hall-rules.ts';
import type { ReaderLibrary } from './reader-library.ts';
import type { StaffDirectory } from './staff-directory.ts';

export interface SyncTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface PrivilegedSyncOptions {
  server: Pick<CentralServerClient, 'request' | 'status'>;
  directory: Pick<StaffDirectory, 'cursor'>;
  library: Pick<ReaderLibrary, 'verify' | 'apply'>;
  rules: Pick<PulledHallRules, 'keep'>;
  logger: Logger;
  timers: SyncTimers;
  /** for the backoff's jitter */
  random: () => number;
  /** between pulls while all is well */
  idleMs?: number;
  /** the longest wait after failures */
  maxBackoffMs?: number;
}

/** A pull the server did not answer as expected; the last state held stands until the next one. */
class PullFailed extends Error {
  override readonly name = 'PullFailed';
}

// A person may be waiting on a pull (an admin's finger at the PIN screen): short.
const requestTimeoutMs = 5_000;

/**
 * The privileged side's own pull of what it owns (core/sync/privileged-pull.ts): the staff roster
 * and its templates into the reader (ReaderLibrary), and the hall rules (PulledHallRules), with its
 * own cursor, on its own loop. The page's sync engine pulls the rest and never sees these: one
 * client of the hall server per kind of data. Offline, what was last pulled stands.
 */
export class PrivilegedSync {
  private chain: Promise<unknown> = Promise.resolve();
  private timer: unknown = null;
  private stopped = true;
  private failures = 0;

  constructor(private readonly options: PrivilegedSyncOptions) {}

  /** Pulls now and then every `idleMs`, backing off while the server fails. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.pullNow();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.options.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * One pull now, after any in progress (a change made just before it is seen). True when it went
   * through; false when the server could not be asked or did not answer as expected.
   */
  pullNow(): Promise<boolean> {
    const run = this.chain.then(() => this.round());
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async round(): Promise<boolean> {
    const { server, directory, library, rules, logger } = this.options;
    if (this.timer !== null) this.options.timers.clearTimeout(this.timer);
    this.timer = null;
    const status = server.status();
    // A standalone kiosk: nobody to pull from, this run.
    if (!status.configured) return false;
    try {
      if (!status.enrolled) throw new PullFailed('not enrolled with the hall server');
      await library.verify();
      const reply = await server.request({ ...deviceRequestOf(hallApi.syncPrivilegedPull, { query: { cursor: directory.cursor ?? undefined } }), timeoutMs: requestTimeoutMs });
      const pulled = privilegedPullResponseSchema.safeParse(expectOk(reply, 'privileged pull').body);
      if (!pulled.success) throw new PullFailed('privileged pull: the server answered with an unexpected body');
      if (pulled.data.hallRules) rules.keep(pulled.data.hallRules);
      const applied = await library.apply(pulled.data.staff, (ref) => this.download(ref));
      if (applied.stored > 0 || applied.deleted > 0) logger.info({ stored: applied.stored, deleted: applied.deleted, full: pulled.data.staff.full }, 'fingerprint reader brought up to date with the roster');
      if (this.failures > 0) logger.info({ after: this.failures }, 'privileged pull works again');
      this.failures = 0;
      this.schedule(this.options.idleMs ?? 10_000);
      return true;
    } catch (error) {
      // Logged once per outage, not at every retry of a day offline.
      if (this.failures === 0) logger.warn({ err: error }, 'privileged pull failed; the roster and hall rules held stand');
      this.failures += 1;
      this.schedule(this.backoff());
      return false;
    }
  }

  private async download(ref: TemplateRef): Promise<{ revision: number; template: string }> {
    const reply = await this.options.server.request({ ...deviceRequestOf(hallApi.templateDownload, { params: { staffId: ref.staffId, finger: ref.finger } }), timeoutMs: requestTimeoutMs });
    const download = templateDownloadSchema.safeParse(expectOk(reply, 'template download').body);
    if (!download.success) throw new PullFailed('template download: the server answered with an unexpected body');
    return { revision: download.data.revision, template: download.data.template };
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.options.timers.setTimeout(() => {
      this.timer = null;
      void this.pullNow();
    }, ms);
  }

  /** Exponential from the idle interval, with full jitter, up to the most. */
  private backoff(): number {
    const idle = this.options.idleMs ?? 10_000;
    const ceiling = Math.min(this.options.maxBackoffMs ?? 5 * 60_000, idle * 2 ** Math.min(this.failures, 10));
    return Math.max(1_000, Math.round(this.options.random() * ceiling));
  }
}

function expectOk(reply: ServerReply, what: string): { body: unknown } {
  if (isServerFailure(reply)) throw new PullFailed(`${what}: hall server ${reply.error}`);
  if (reply.status !== 200) throw new PullFailed(`${what}: HTTP ${reply.status}`);
  return reply;
}
