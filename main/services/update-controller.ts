import type { Clock } from '../../core/calendar/clock.ts';
import type { HallRules } from '../../core/calendar/calendar-rules.ts';
import type { ServerReply, ServerRequest } from '../../core/http/central-server-request.ts';
import { deviceRequestOf } from '../../core/http/central-server-request.ts';
import { hallApi } from '../../core/http/contract.ts';
import type { UpdateHealthReport, UpdatePlatform } from '../../core/kiosk/software-update.ts';
import type { BootHealth } from './boot-health.ts';
import type { Logger } from './logger.ts';
import { checkPolicyOptions, installVerdict, nextCheckAt, quietHoursOf, type KioskUse, type UpdatePolicyOptions } from './update-policy.ts';

/**
 * What the controller needs of an updater; main/electron/auto-update.ts implements it with
 * electron-updater (generic feed on the hall server, SHA-512 checked, staged rollout honoured).
 */
export interface SoftwareUpdater {
  /**
   * Asks the feed. Resolves with the version this kiosk would install: newer than the running one
   * (or, with `allowDowngrade`, any other) and inside the staged rollout share; otherwise null.
   */
  check(allowDowngrade: boolean): Promise<string | null>;
  /** Downloads the installer of the last check and verifies it. */
  download(): Promise<void>;
  /** Quits the app and runs the downloaded installer; the app restarts as the new version. */
  install(): void;
}

/** For kiosks whose releases IT installs: the controller only reports a version that is not healthy. */
export const reportOnlyUpdater: SoftwareUpdater = {
  check: async () => null,
  download: async () => undefined,
  install: () => undefined,
};

export interface UpdateControllerOptions {
  updater: SoftwareUpdater;
  health: BootHealth;
  use: () => KioskUse;
  /** sends the report to the hall server; true once the server acknowledged it */
  report: (report: UpdateHealthReport) => Promise<boolean>;
  /** its quiet hours are the fallback for when no hall calendar is known */
  policy: UpdatePolicyOptions;
  /** the hall calendar the kiosk holds now, if any: the quiet hours follow it (quietHoursOf) */
  hallRules?: () => HallRules | null;
  platform: UpdatePlatform;
  channel: string;
  clock: Clock;
  logger: Logger;
  random?: () => number;
}

/** After an install that did not happen (the app is still this version), wait this long before the next try. */
export const installRetryMs = 6 * 3_600_000;

export type UpdateStep = 'waiting-for-health' | 'reported' | 'report-failed' | 'checked' | 'downloaded' | 'installing' | 'idle' | 'busy';

/**
 * The kiosk's update loop, one tick at a time (the shell ticks it every half minute): report a
 * version that did not come up healthy, check the feed on schedule, download in the background,
 * install only when the policy says it is safe. Nothing here reads the clock itself.
 */
export class UpdateController {
  private nextCheck: number;
  private downloaded: string | null = null;
  private installTriedAt: number | null = null;
  private running = false;

  constructor(private readonly options: UpdateControllerOptions) {
    checkPolicyOptions(options.policy);
    // The first check comes after a jittered interval, not at boot: a hall's kiosks powered on
    // together would otherwise all ask at once.
    this.nextCheck = nextCheckAt(options.clock.now(), { checkIntervalMs: Math.min(options.policy.checkIntervalMs, 15 * 60_000), checkJitterMs: options.policy.checkJitterMs }, this.random());
  }

  private random(): number {
    return (this.options.random ?? Math.random)();
  }

  /** The version downloaded and waiting for a safe moment, if any. */
  get pendingInstall(): string | null {
    return this.downloaded;
  }

  async tick(): Promise<UpdateStep> {
    if (this.running) return 'busy';
    this.running = true;
    try {
      return await this.step();
    } finally {
      this.running = false;
    }
  }

  private async step(): Promise<UpdateStep> {
    const { health, logger, clock } = this.options;
    const now = clock.now();
    const state = health.check(now);
    // A version still proving itself is neither replaced nor judged by a newer one.
    if (state === 'pending') return 'waiting-for-health';
    const unhealthy = state === 'unhealthy';

    if (unhealthy && health.current.reportedAt === null) {
      const marker = health.current;
      const acknowledged = await this.options
        .report({ version: marker.version, platform: this.options.platform, channel: this.options.channel, previousVersion: marker.previousVersion, reason: marker.reason ?? 'health-deadline', starts: marker.starts })
        .catch(() => false);
      if (!acknowledged) return 'report-failed';
      health.markReported(now);
      logger.error({ version: marker.version, reason: marker.reason, starts: marker.starts, previousVersion: marker.previousVersion }, 'this version did not come up healthy; reported to the hall server, which stops offering it');
      // The feed now offers the release before: look at once.
      this.nextCheck = now;
      return 'reported';
    }

    if (this.downloaded === null && now >= this.nextCheck) {
      this.nextCheck = nextCheckAt(now, this.options.policy, this.random());
      try {
        const offered = await this.options.updater.check(unhealthy);
        if (offered === null) return 'checked';
        logger.info({ version: offered, rollback: unhealthy }, 'update offered; downloading in the background');
        await this.options.updater.download();
        this.downloaded = offered;
        logger.info({ version: offered }, 'update downloaded and verified; it installs at the next safe moment');
        return 'downloaded';
      } catch (error) {
        // The next scheduled check tries again; the kiosk keeps serving as it is.
        logger.warn({ err: error }, 'update check or download failed');
        return 'checked';
      }
    }

    if (this.downloaded !== null) {
      // Still running after an install was started: the installer refused (no right to install,
      // a broken package). Not retried every tick: once more after a retry interval.
      if (this.installTriedAt !== null) {
        if (now - this.installTriedAt < installRetryMs) return 'idle';
        logger.warn({ version: this.downloaded }, 'the last install attempt did not replace this version; trying again');
      }
      const { policy } = this.options;
      const quietHours = quietHoursOf(this.options.hallRules?.() ?? null, policy.quietHours);
      const verdict = installVerdict(now, this.options.use(), { ...policy, quietHours }, unhealthy);
      if (!verdict.install) return 'idle';
      logger.info({ version: this.downloaded, rollback: unhealthy }, 'installing the update now: the kiosk is idle');
      this.installTriedAt = now;
      this.options.updater.install();
      return 'installing';
    }
    return 'idle';
  }
}

/** Reports through the kiosk's own server client, which adds the device token; true once the server took it. */
export function hallServerReporter(server: { request(request: ServerRequest): Promise<ServerReply> }): (report: UpdateHealthReport) => Promise<boolean> {
  return async (report) => (await server.request(deviceRequestOf(hallApi.updatesHealth, { body: report }))).status === 200;
}
