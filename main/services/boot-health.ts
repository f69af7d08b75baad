import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The boot-health marker: did this version ever come up healthy? Kept in a small file in the
 * kiosk's data dir, which survives the package upgrade. A new version starts "pending"; it turns
 * "healthy" once the renderer has loaded and the kiosk API has answered it. It turns "unhealthy"
 * when that has not happened within the deadline, or when it keeps dying at start (systemd
 * restarts it each time, so the starts add up). An unhealthy version is reported to the hall
 * server, which stops offering it, and the kiosk goes back to the release before.
 */

export type BootState = 'pending' | 'healthy' | 'unhealthy';

const markerSchema = z.object({
  version: z.string().min(1).max(64),
  /** the last version that was healthy before this one, the one to go back to */
  previousVersion: z.string().min(1).max(64).nullable(),
  state: z.enum(['pending', 'healthy', 'unhealthy']),
  starts: z.int().min(1),
  firstStartAt: z.number(),
  reason: z.enum(['health-deadline', 'crash-loop']).nullable(),
  reportedAt: z.number().nullable(),
});
export type BootMarker = z.infer<typeof markerSchema>;

export interface MarkerStore {
  /** the stored marker as parsed JSON, or null when there is none */
  read(): unknown;
  write(marker: BootMarker): void;
}

export interface BootHealthOptions {
  store: MarkerStore;
  version: string;
  /** when this process started */
  now: number;
  /** how long a new version has, from each start, to become healthy */
  deadlineMs?: number;
  /** starts allowed while still pending; one more is a crash loop */
  maxPendingStarts?: number;
}

export const defaultHealthDeadlineMs = 10 * 60_000;
export const defaultMaxPendingStarts = 3;

export class BootHealth {
  private marker: BootMarker;
  private readonly startedAt: number;
  private readonly deadlineMs: number;

  constructor(private readonly options: BootHealthOptions) {
    this.startedAt = options.now;
    this.deadlineMs = options.deadlineMs ?? defaultHealthDeadlineMs;
    const stored = markerSchema.safeParse(options.store.read());
    // A missing or unreadable marker is a first install (or a wiped data dir): nothing to go back to.
    const previous = stored.success ? stored.data : null;
    this.marker = this.onStart(previous);
    options.store.write(this.marker);
  }

  private onStart(previous: BootMarker | null): BootMarker {
    const { version, now } = this.options;
    if (previous?.version !== version) {
      const previousVersion = previous ? (previous.state === 'healthy' ? previous.version : previous.previousVersion) : null;
      return { version, previousVersion, state: 'pending', starts: 1, firstStartAt: now, reason: null, reportedAt: null };
    }
    const starts = previous.starts + 1;
    if (previous.state === 'pending' && starts > (this.options.maxPendingStarts ?? defaultMaxPendingStarts)) {
      return { ...previous, starts, state: 'unhealthy', reason: 'crash-loop' };
    }
    return { ...previous, starts };
  }

  get current(): Readonly<BootMarker> {
    return this.marker;
  }

  /** The renderer loaded and the API answered it: this version works. */
  markHealthy(): void {
    if (this.marker.state !== 'pending') return;
    this.save({ ...this.marker, state: 'healthy' });
  }

  /** The state now: a pending version past its deadline is unhealthy from here on. */
  check(now: number): BootState {
    if (this.marker.state === 'pending' && now - this.startedAt >= this.deadlineMs) {
      this.save({ ...this.marker, state: 'unhealthy', reason: 'health-deadline' });
    }
    return this.marker.state;
  }

  /** The hall server acknowledged the report; it is not sent again. */
  markReported(now: number): void {
    this.save({ ...this.marker, reportedAt: now });
  }

  private save(marker: BootMarker): void {
    this.marker = marker;
    this.options.store.write(marker);
  }
}

/** The marker as a JSON file (boot-health.json in the data dir), replaced whole on every write. */
export function fileMarkerStore(file: string): MarkerStore {
  return {
    read() {
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as unknown;
      } catch {
        return null;
      }
    },
    write(marker) {
      const temporary = `${file}.tmp`;
      writeFileSync(temporary, `${JSON.stringify(marker)}\n`, { mode: 0o600 });
      renameSync(temporary, file);
    },
  };
}
