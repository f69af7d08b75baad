import { isServerFailure } from '../../core/http/central-server-request.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import type { DeviceStatusReport } from '../../core/kiosk/device-status.ts';
import { serverRequestOf } from '../../core/http/central-server-request.ts';
import { hallApi } from '../../core/http/contract.ts';
import { deviceStatusEveryMs } from '../../core/kiosk/device-status.ts';
import type { ReaderStatusReport } from '../../core/attendance/fingerprint-reader-api.ts';
import type { SystemHealth, SystemInfo } from '../../core/kiosk/kiosk-api.ts';
import type { PrinterStatus } from '../../core/printing/printing.ts';
import type { ServerLink } from './server-link.ts';
import type { SyncStatus } from './sync-status.ts';

/** What the report needs from the privileged side (KioskApi's system.info and printer.status). */
export interface StatusReportSources {
  systemInfo: () => Promise<SystemInfo>;
  printerStatus: () => Promise<PrinterStatus>;
  /** the fingerprint reader; absent or failing: the kiosk has none */
  readerStatus?: () => Promise<ReaderStatusReport>;
  /** KioskApi's system.health: disk, last error, runtime versions */
  systemHealth?: () => Promise<SystemHealth>;
  /** navigator.storage.estimate() in the browser */
  storageEstimate?: () => Promise<{ usage?: number; quota?: number }>;
}

/** A report is worth little if it holds up a sync round: it gives up sooner than a push. */
const reportTimeoutMs = 5_000;

/**
 * The kiosk's status report to the hall server (core/kiosk/device-status.ts), sent by the sync loop
 * at most once per interval. Best effort: a report that fails never fails the round, and is
 * tried again with the next round that reaches the server.
 */
export class StatusReporter {
  private lastAnsweredAt: number | null = null;
  /** what the hall office must hear about at once, as last reported */
  private lastUrgent: string | null = null;

  constructor(
    private readonly link: ServerLink,
    private readonly clock: Clock,
    private readonly sources: StatusReportSources,
    private readonly everyMs = deviceStatusEveryMs,
  ) {}

  /** True when a report was sent and recorded. Never throws. */
  async maybeSend(status: SyncStatus): Promise<boolean> {
    const now = this.clock.now();
    try {
      const due = this.lastAnsweredAt === null || now - this.lastAnsweredAt >= this.everyMs;
      // The printer is asked every round anyway (cheap, local); a change in paper or printer
      // state goes out with this round instead of up to a minute later.
      const printer = await this.printer();
      const urgent = urgencyOf(printer);
      if (!due && urgent === this.lastUrgent) return false;
      const report = await this.build(status, printer);
      const reply = await this.link.send({ ...serverRequestOf(hallApi.devicesStatus, { body: report }), timeoutMs: reportTimeoutMs });
      if (isServerFailure(reply)) return false;
      // Any answer counts, a refusal too: asking again every round would not change it.
      this.lastAnsweredAt = now;
      this.lastUrgent = urgent;
      return reply.status === 200;
    } catch (error) {
      console.warn('status report not sent', error);
      return false;
    }
  }

  private printer(): Promise<DeviceStatusReport['printer']> {
    // A printer that cannot be asked is reported as unknown, not as broken.
    return this.sources.printerStatus().then(
      (p): DeviceStatusReport['printer'] => ({ state: p.state, paperNearEnd: p.paperNearEnd, ...(p.detail ? { detail: p.detail.slice(0, 200) } : {}) }),
      () => null,
    );
  }

  private async build(status: SyncStatus, printer: DeviceStatusReport['printer']): Promise<DeviceStatusReport> {
    const info = await this.sources.systemInfo();
    const now = this.clock.now();
    const { readerStatus, systemHealth, storageEstimate } = this.sources;
    // Each further fact is optional: one that cannot be had leaves the others standing.
    const [reader, health, storage] = await Promise.all([
      readerStatus ? readerStatus().then((r) => ({ state: r.state }), () => null) : Promise.resolve(null),
      systemHealth ? systemHealth().catch(() => null) : Promise.resolve(null),
      storageEstimate
        ? storageEstimate().then(
            (e) => (e.usage === undefined || e.quota === undefined ? null : { usedBytes: e.usage, quotaBytes: e.quota }),
            () => null,
          )
        : Promise.resolve(null),
    ]);
    const versions = health?.versions;
    return {
      appVersion: info.version.slice(0, 40),
      uptimeSeconds: Math.max(0, Math.floor((now - info.startedAt) / 1000)),
      pendingEvents: status.pending,
      lastSyncError: status.lastError === null ? null : status.lastError.slice(0, 500),
      printer,
      reader,
      storage,
      diskFreeBytes: health?.disk?.freeBytes ?? null,
      lastError: health ? (health.recentErrors[0]?.message.slice(0, 300) ?? null) : null,
      ...(versions ? { runtimeVersions: [`node ${versions.node}`, versions.electron ? `electron ${versions.electron}` : '', versions.chrome ? `chrome ${versions.chrome}` : ''].filter(Boolean).join(' · ').slice(0, 120) } : {}),
    };
  }
}

function urgencyOf(printer: DeviceStatusReport['printer']): string {
  return printer ? `${printer.state}${printer.paperNearEnd ? ' near-end' : ''}` : 'unknown';
}
