import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../../core/calendar/clock.ts';
import type { QueueState } from '../../core/ticket/queue-state.ts';
import { sameQueueCounts } from '../../core/ticket/queue-state.ts';
import type { Database } from '../db/schema.ts';
import { readQueueState } from './queue-counts.ts';

export interface QueueListener {
  /** the counts changed */
  changed(state: QueueState): void;
  /** the database did not answer: the counts are unknown until it does */
  failed(): void;
}

export interface QueueFeedOptions {
  db: Kysely<Database>;
  clock: Clock;
  logger: FastifyBaseLogger;
  /** how often to re-count while any kiosk listens */
  pollMs: number;
}

/**
 * The live queue state of this server process. Tickets reach the database through whichever
 * process took the push, so every process re-counts on its own, about once a second and only
 * while some kiosk listens: a change made through any process of one database reaches every
 * kiosk within a poll, on SQLite and PostgreSQL alike, with no channel between the processes.
 * A push applied here re-counts at once (`nudge`).
 */
export class QueueFeed {
  private latest: QueueState | null = null;
  private readonly listeners = new Set<QueueListener>();
  private polling: Promise<QueueState> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failing = false;
  private closed = false;

  constructor(private readonly options: QueueFeedOptions) {}

  /** The current state, counted now unless a poll confirmed it within the last interval. */
  async read(): Promise<QueueState> {
    const fresh = this.latest && this.options.clock.now() - this.latest.asOf <= this.options.pollMs;
    return fresh ? this.latest! : this.poll();
  }

  /** The last counted state (its `asOf` is when it was last confirmed), null while unknown. */
  current(): QueueState | null {
    return this.latest;
  }

  subscribe(listener: QueueListener): () => void {
    this.listeners.add(listener);
    this.schedule();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.unschedule();
    };
  }

  /** Something changed the tickets in this process: re-count now, not at the next tick. */
  nudge(): void {
    if (this.listeners.size > 0 && !this.closed) void this.poll().catch(() => undefined);
  }

  close(): void {
    this.closed = true;
    this.unschedule();
    this.listeners.clear();
  }

  private poll(): Promise<QueueState> {
    this.polling ??= this.count().finally(() => {
      this.polling = null;
      this.schedule();
    });
    return this.polling;
  }

  private async count(): Promise<QueueState> {
    try {
      const state = await readQueueState(this.options.db, this.options.clock);
      const changed = !sameQueueCounts(this.latest, state);
      this.latest = state;
      if (this.failing) this.options.logger.info('queue counts readable again');
      this.failing = false;
      if (changed) for (const listener of [...this.listeners]) listener.changed(state);
      return state;
    } catch (error) {
      // Logged once per outage; every stream is ended so no kiosk keeps a count that may be stale.
      if (!this.failing) this.options.logger.warn({ err: error }, 'queue counts unreadable; ending queue streams');
      this.failing = true;
      this.latest = null;
      for (const listener of [...this.listeners]) listener.failed();
      throw error;
    }
  }

  private schedule(): void {
    if (this.closed || this.timer || this.listeners.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.poll().catch(() => undefined);
    }, this.options.pollMs);
    this.timer.unref();
  }

  private unschedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
