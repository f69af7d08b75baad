import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../../core/calendar/clock.ts';
import type { HallEvent, QueueEventData } from '../../core/queue/hall-events.ts';
import type { QueueState } from '../../core/ticket/queue-state.ts';
import { sameQueueCounts } from '../../core/ticket/queue-state.ts';
import type { Database } from '../db/schema.ts';
import type { HallEventFeed } from '../events/hall-event-feed.ts';
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
  /** the hall event stream, whose queue events carry each change of a service's counts */
  events: HallEventFeed;
  /**
   * How often everything is counted afresh while some kiosk listens: the backstop behind the
   * events, and what starts a new business day's empty queue.
   */
  pollMs: number;
}

/** The state with one service's counts as a queue event reported them; the same state if it is of another day. */
function withService(state: QueueState, data: QueueEventData, asOf: number): QueueState {
  if (data.businessDay !== state.businessDay) return state;
  const others = state.services.filter((s) => s.serviceId !== data.serviceId);
  const services = data.waiting === 0 ? others : [...others, { serviceId: data.serviceId, waiting: data.waiting, waitingPriority: data.waitingPriority, aheadOfNew: data.aheadOfNew, estimateMinutes: data.estimateMinutes }];
  return { businessDay: state.businessDay, asOf, services: services.sort((a, b) => (a.serviceId < b.serviceId ? -1 : a.serviceId > b.serviceId ? 1 : 0)) };
}

/**
 * The live queue state of this server process, kept by the hall event stream: every transaction
 * that changes a service's waiting legs writes a queue event with the new counts, and whichever
 * process committed it, every process's event feed delivers it here. Counted afresh at start, on
 * a new business day and every `pollMs` while kiosks listen, so nothing lost can linger.
 */
export class QueueFeed {
  private latest: QueueState | null = null;
  private readonly listeners = new Set<QueueListener>();
  private counting: Promise<QueueState> | null = null;
  /** queue events that arrived while a count was running: applied on top of its result */
  private duringCount: QueueEventData[] | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failing = false;
  private closed = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: QueueFeedOptions) {
    this.unsubscribe = options.events.subscribe({ events: (events) => this.heard(events) });
  }

  /** The current state: kept by the events while kiosks listen, else counted now. */
  async read(): Promise<QueueState> {
    return this.latest && this.listeners.size > 0 ? this.current()! : this.count();
  }

  /**
   * The last known state, null while unknown. Its `asOf` is when the hall events were last read
   * without error, if later: no event since then means no change.
   */
  current(): QueueState | null {
    if (!this.latest) return null;
    const confirmed = this.options.events.confirmedAt();
    return confirmed > this.latest.asOf ? { ...this.latest, asOf: confirmed } : this.latest;
  }

  subscribe(listener: QueueListener): () => void {
    this.listeners.add(listener);
    this.schedule();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.unschedule();
    };
  }

  /** Something changed the tickets in this process: read the hall events now. */
  nudge(): void {
    if (!this.closed) this.options.events.poke();
  }

  close(): void {
    this.closed = true;
    this.unschedule();
    this.unsubscribe();
    this.listeners.clear();
  }

  private heard(events: readonly HallEvent[]): void {
    for (const event of events) {
      if (event.kind !== 'queue') continue;
      this.duringCount?.push(event.data);
      if (!this.latest) continue;
      if (event.data.businessDay > this.latest.businessDay) {
        void this.count().catch(() => undefined);
        continue;
      }
      this.set(withService(this.latest, event.data, this.options.clock.now()));
    }
  }

  private set(state: QueueState): void {
    const changed = !sameQueueCounts(this.latest, state);
    this.latest = state;
    if (changed) for (const listener of [...this.listeners]) listener.changed(state);
  }

  private count(): Promise<QueueState> {
    this.counting ??= (async () => {
      this.duringCount = [];
      try {
        let state = await readQueueState(this.options.db, this.options.clock);
        // Each carries its service's counts as committed; those newer than the count's read win.
        for (const data of this.duringCount) state = withService(state, data, state.asOf);
        if (this.failing) this.options.logger.info('queue counts readable again');
        this.failing = false;
        this.set(state);
        return state;
      } catch (error) {
        // Logged once per outage; every stream is ended so no kiosk keeps a count that may be stale.
        if (!this.failing) this.options.logger.warn({ err: error }, 'queue counts unreadable; ending queue streams');
        this.failing = true;
        this.latest = null;
        for (const listener of [...this.listeners]) listener.failed();
        throw error;
      } finally {
        this.duringCount = null;
        this.counting = null;
        this.schedule();
      }
    })();
    return this.counting;
  }

  private schedule(): void {
    if (this.closed || this.timer || this.listeners.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.count().catch(() => undefined);
    }, this.options.pollMs);
    this.timer.unref();
  }

  private unschedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
