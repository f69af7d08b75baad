import type { IdentifyResult } from '../../core/attendance/fingerprint-reader-api.ts';

export interface FingerWatchOptions {
  /** one identify on the sensor; answers 'cancelled' when the sensor was taken for something else */
  identify(timeoutMs: number): Promise<IdentifyResult>;
  /** whether the reader can be asked at all now */
  connected(): boolean;
  /** each identify's wait: short enough that the driver's health probes run between them */
  identifyMs?: number;
  /** how long to leave an absent or failing reader alone before asking again */
  restMs?: number;
}

type FingerListener = (watchId: number, result: IdentifyResult) => void;

/**
 * Finger after finger on the privileged side (reader.watch): the next GenImg poll goes out as
 * soon as a search answers, instead of after the answer has crossed to the page and a new
 * identify has crossed back, which at a queue of staff signing in was most of the time between
 * "finger placed" and "name on screen" that was not the module's own. One watch at a time: a newer
 * one takes over, and each answer names the watch it belongs to so a screen that has left never
 * acts on the next screen's finger. A watch lasts as long as its lease is renewed, so a page that
 * died does not keep the sensor busy.
 */
export class FingerWatch {
  private owner: { id: number; lease: NodeJS.Timeout } | undefined;
  private lastId = 0;
  private running = false;
  private wake: (() => void) | undefined;
  private readonly listeners = new Set<FingerListener>();

  constructor(private readonly options: FingerWatchOptions) {}

  get watching(): boolean {
    return this.owner !== undefined;
  }

  /** A new watch; `tookOver` says an identify may be in flight for the old one and should be cancelled. */
  start(leaseMs: number): { id: number; tookOver: boolean } {
    const tookOver = this.running;
    if (this.owner) clearTimeout(this.owner.lease);
    const id = ++this.lastId;
    this.owner = { id, lease: this.lease(id, leaseMs) };
    if (!this.running) void this.loop();
    return { id, tookOver };
  }

  renew(id: number, leaseMs: number): boolean {
    if (this.owner?.id !== id) return false;
    clearTimeout(this.owner.lease);
    this.owner.lease = this.lease(id, leaseMs);
    return true;
  }

  /** Ends watch `id`, or whichever watch runs when no id is given; the caller cancels the identify in flight. */
  stop(id?: number): boolean {
    if (!this.owner || (id !== undefined && this.owner.id !== id)) return false;
    clearTimeout(this.owner.lease);
    this.owner = undefined;
    this.wake?.();
    return true;
  }

  onFinger(listener: FingerListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private lease(id: number, ms: number): NodeJS.Timeout {
    const timer = setTimeout(() => this.stop(id), ms);
    timer.unref();
    return timer;
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      while (this.owner) {
        if (!this.options.connected()) {
          await this.rest();
          continue;
        }
        const watchId = this.owner.id;
        const result = await this.options.identify(this.options.identifyMs ?? 15_000).catch(() => null);
        if (!result) {
          // The reader went away between the check and the call: as good as unplugged.
          await this.rest();
          continue;
        }
        // A press that began for a screen which has since gone is that screen's, never the next one's.
        if (this.owner?.id !== watchId) continue;
        // A timeout is just a quiet spell; a cancel is the reader being moved or reopened.
        if (!result.ok && (result.kind === 'timeout' || result.kind === 'cancelled')) continue;
        for (const listener of [...this.listeners]) listener(watchId, result);
        if (!result.ok && (result.kind === 'reader-unavailable' || result.kind === 'reader-error')) await this.rest();
      }
    } finally {
      this.running = false;
    }
  }

  private rest(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.options.restMs ?? 2_000);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
