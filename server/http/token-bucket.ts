import type { Clock } from '../../core/calendar/clock.ts';

export interface RateLimit {
  /** requests allowed in a burst */
  capacity: number;
  /** sustained requests per second */
  refillPerSecond: number;
}

export type Take = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * One token bucket per key (device id, or client address before authentication), in memory.
 * Each server process keeps its own, so N processes allow N times the rate: a limit against a
 * runaway kiosk, not an accounting device.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly limit: RateLimit,
    private readonly maxKeys = 10_000,
  ) {}

  take(key: string): Take {
    const now = this.clock.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.capacity, at: now };
    const refilled = Math.min(this.limit.capacity, bucket.tokens + ((now - bucket.at) / 1000) * this.limit.refillPerSecond);
    if (refilled < 1) {
      this.buckets.set(key, { tokens: refilled, at: now });
      return { ok: false, retryAfterSeconds: Math.max(0.001, (1 - refilled) / this.limit.refillPerSecond) };
    }
    if (!this.buckets.has(key) && this.buckets.size >= this.maxKeys) this.evictFull(now);
    this.buckets.set(key, { tokens: refilled - 1, at: now });
    return { ok: true };
  }

  /** A bucket that has refilled completely holds no information and can go. */
  private evictFull(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.limit.refillPerSecond >= this.limit.capacity) this.buckets.delete(key);
    }
    if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
  }
}
