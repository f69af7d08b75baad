import type { ClockSample } from '../../core/sync/clock-offset.ts';
import { clockOffsetOf } from '../../core/sync/clock-offset.ts';

interface Estimate {
  offsetMs: number;
  roundTripMs: number;
}

/**
 * The kiosk's running estimate of (server − device) clock. Of the recent exchanges, the one with
 * the shortest round trip bounds the error best. Only recent ones count, because the device clock
 * may be corrected (NTP, a technician) while the kiosk runs.
 */
export class ClockOffsetEstimator {
  private readonly recent: Estimate[] = [];

  constructor(private readonly keep = 12) {}

  add(sample: ClockSample): void {
    const roundTripMs = sample.receivedAt - sample.sentAt;
    if (roundTripMs < 0) return;
    this.recent.push({ offsetMs: clockOffsetOf(sample), roundTripMs });
    if (this.recent.length > this.keep) this.recent.shift();
  }

  /** A value remembered from an earlier run: used until the first real exchange replaces it. */
  seed(offsetMs: number): void {
    if (this.recent.length === 0) this.recent.push({ offsetMs, roundTripMs: Number.MAX_SAFE_INTEGER });
  }

  current(): number | undefined {
    let best: Estimate | undefined;
    for (const e of this.recent) if (!best || e.roundTripMs <= best.roundTripMs) best = e;
    return best?.offsetMs;
  }
}
