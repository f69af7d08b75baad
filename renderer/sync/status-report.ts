import { isServerFailure } from '../../core/central-server-request.ts';
import type { Clock } from '../../core/clock.ts';
import type { DeviceStatusReport } from '../../core/device-status.ts';
import { deviceStatusEveryMs, deviceStatusPath } from '../../core/device-status.ts';
import type { SystemInfo } from '../../core/kiosk-api.ts';
import type { PrinterStatus } from '../../core/printing.ts';
import type { ServerLink } from './server-link.ts';
import type { SyncStatus } from './sync-status.ts';

/** What the report needs from the privileged side (KioskApi's system.info and printer.status). */
export interface StatusReportSources {
  systemInfo: () => Promise<SystemInfo>;
  printerStatus: () => Promise<PrinterStatus>;
}

/** A report is worth little if it holds up a sync round: it gives up sooner than a push. */
const reportTimeoutMs = 5_000;

/**
 * The kiosk's status report to the hall server (core/device-status.ts), sent by the sync loop
 * at most once per interval. Best effort: a report that fails never fails the round, and is
 * tried again with the next round that reaches the server.
 */
export class StatusReporter {
  private lastAnsweredAt: number | null = null;

  constructor(
    private readonly link: ServerLink,
    private readonly clock: Clock,
    private readonly sources: StatusReportSources,
    private readonly everyMs = deviceStatusEveryMs,
  ) {}

  /** True when a report was sent and recorded. Never throws. */
  async maybeSend(status: SyncStatus): Promise<boolean> {
    const now = this.clock.now();
    if (this.lastAnsweredAt !== null && now - this.lastAnsweredAt < this.everyMs) return false;
    try {
      const report = await this.build(status, now);
      const reply = await this.link.send({ method: 'POST', path: deviceStatusPath, body: report, timeoutMs: reportTimeoutMs });
      if (isServerFailure(reply)) return false;
      // Any answer counts, a refusal too: asking again every round would not change it.
      this.lastAnsweredAt = now;
      return reply.status === 200;
    } catch (error) {
      console.warn('status report not sent', error);
      return false;
    }
  }

  private async build(status: SyncStatus, now: number): Promise<DeviceStatusReport> {
    const info = await this.sources.systemInfo();
    // A printer that cannot be asked is reported as unknown, not as broken.
    const printer = await this.sources.printerStatus().then(
      (p): DeviceStatusReport['printer'] => ({ state: p.state, paperNearEnd: p.paperNearEnd, ...(p.detail ? { detail: p.detail.slice(0, 200) } : {}) }),
      () => null,
    );
    return {
      appVersion: info.version.slice(0, 40),
      uptimeSeconds: Math.max(0, Math.floor((now - info.startedAt) / 1000)),
      pendingEvents: status.pending,
      lastSyncError: status.lastError === null ? null : status.lastError.slice(0, 500),
      printer,
    };
  }
}
