import { statfsSync } from 'node:fs';
import type { Clock } from '../../core/calendar/clock.ts';
import type { SystemHealth } from '../../core/kiosk/kiosk-api.ts';
import type { RecentLogEntries } from './logger.ts';

export interface HealthServiceOptions {
  clock: Clock;
  startedAt: number;
  appVersion: string;
  /** where the kiosk keeps its data: its free space is the kiosk's */
  dataDir: string;
  recent: Pick<RecentLogEntries, 'list'>;
  versions?: NodeJS.ProcessVersions;
}

/** The privileged side's diagnostics: versions, uptime, disk, recent errors. */
export class HealthService {
  constructor(private readonly options: HealthServiceOptions) {}

  health(): SystemHealth {
    const { clock, startedAt, appVersion, recent } = this.options;
    const versions = this.options.versions ?? process.versions;
    return {
      versions: { app: appVersion, node: versions.node, electron: versions.electron ?? null, chrome: versions.chrome ?? null },
      uptimeSeconds: Math.max(0, Math.floor((clock.now() - startedAt) / 1000)),
      disk: this.disk(),
      recentErrors: recent.list(),
    };
  }

  private disk(): SystemHealth['disk'] {
    try {
      const s = statfsSync(this.options.dataDir);
      return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
    } catch {
      return null;
    }
  }
}
