export type CrashDecision = 'reload' | 'relaunch';

/**
 * A renderer that dies is reloaded, but one that keeps dying (a bad build, a GPU fault) must not
 * spin: past the budget the whole app restarts, which also resets the GPU process and caches.
 */
export class CrashBudget {
  private crashes: number[] = [];

  constructor(private readonly maxReloads = 3, private readonly windowMs = 5 * 60_000) {}

  record(now: number): CrashDecision {
    this.crashes = this.crashes.filter((t) => now - t < this.windowMs);
    this.crashes.push(now);
    return this.crashes.length <= this.maxReloads ? 'reload' : 'relaunch';
  }
}
