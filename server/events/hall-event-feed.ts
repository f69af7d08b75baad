import type { FastifyBaseLogger } from 'fastify';
import { businessDayOf } from '../../core/calendar/business-day.ts';
import { addDays } from '../../core/calendar/calendar-day.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import type { HallEvent } from '../../core/queue/hall-events.ts';
import type { ServerDb } from '../db/connect.ts';
import { readHallState } from '../hall/hall-settings.ts';
import { hallEventsChannel, pruneHallEvents, readHallEventHead, readHallEvents } from './hall-event-log.ts';

export interface HallEventListener {
  /** new events, in id order, each exactly once */
  events(events: readonly HallEvent[]): void;
}

export interface HallEventFeedOptions {
  db: ServerDb;
  clock: Clock;
  logger: FastifyBaseLogger;
  /**
   * How often the log is read with nothing said: the backstop for a NOTIFY lost with its
   * connection, and the only way events written by another SQLite process arrive.
   */
  pollMs?: number;
  /** how often old events are pruned (the business day and the one before are kept) */
  pruneEveryMs?: number;
}

const readBatch = 500;

/**
 * This process's view of the hall event log. A commit here wakes it at once (`poke`); on
 * PostgreSQL every process's commits wake it through LISTEN/NOTIFY; and a slow poll backs both.
 * Whatever woke it, it reads the log after the last id it delivered, so each listener gets every
 * event once, in order, however many wake-ups arrive.
 */
export class HallEventFeed {
  private hallId = '';
  private lastId = 0;
  private readAt = 0;
  private readonly listeners = new Set<HallEventListener>();
  private reading: Promise<void> | null = null;
  private again = false;
  private pollTimer: ReturnType<typeof setInterval> | null = null;
  private pruneTimer: ReturnType<typeof setInterval> | null = null;
  private listening: { close(): Promise<void> } | null = null;
  private relisten: ReturnType<typeof setTimeout> | null = null;
  private failing = false;
  private closed = false;

  constructor(private readonly options: HallEventFeedOptions) {}

  async start(): Promise<void> {
    const { db } = this.options;
    this.hallId = (await readHallState(db.db)).hallId;
    this.lastId = (await readHallEventHead(db.db, this.hallId)).lastId;
    if (db.listen) await this.listen();
    this.pollTimer = setInterval(() => this.poke(), this.options.pollMs ?? 2_000);
    this.pollTimer.unref();
    const prune = () => void this.prune().catch((error: unknown) => this.options.logger.warn({ err: error }, 'pruning hall events failed'));
    prune();
    this.pruneTimer = setInterval(prune, this.options.pruneEveryMs ?? 60 * 60 * 1000);
    this.pruneTimer.unref();
  }

  get hall(): string {
    return this.hallId;
  }

  /** Server time of the last read of the log that succeeded: every event committed before it was delivered. */
  confirmedAt(): number {
    return this.readAt;
  }

  /** The last id delivered to listeners. */
  head(): number {
    return this.lastId;
  }

  subscribe(listener: HallEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Events may have been committed: read the log (once more, if a read is under way). */
  poke(): void {
    if (this.closed) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = this.readNew().finally(() => {
      this.reading = null;
      if (this.again) {
        this.again = false;
        this.poke();
      }
    });
  }

  /** Settles once every event committed before the call has been delivered. */
  async caughtUp(): Promise<void> {
    this.poke();
    while (this.reading) await this.reading;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    if (this.relisten) clearTimeout(this.relisten);
    this.listeners.clear();
    await this.reading;
    await this.listening?.close();
    this.listening = null;
  }

  private async readNew(): Promise<void> {
    try {
      const startedAt = this.options.clock.now();
      for (;;) {
        const events = await readHallEvents(this.options.db.db, this.hallId, this.lastId, readBatch);
        if (events.length === 0) break;
        this.lastId = events.at(-1)!.id;
        for (const listener of [...this.listeners]) {
          try {
            listener.events(events);
          } catch (error) {
            this.options.logger.error({ err: error }, 'a hall event listener failed');
          }
        }
        if (events.length < readBatch) break;
      }
      this.readAt = startedAt;
      if (this.failing) this.options.logger.info('hall events readable again');
      this.failing = false;
    } catch (error) {
      // The next poke or poll tries again from the same id: nothing is skipped.
      if (!this.failing) this.options.logger.warn({ err: error }, 'hall events unreadable');
      this.failing = true;
    }
  }

  private async listen(): Promise<void> {
    const { db, logger } = this.options;
    try {
      this.listening = await db.listen!(
        hallEventsChannel,
        (payload) => {
          if (payload.startsWith(`${this.hallId}:`)) this.poke();
        },
        (error) => {
          logger.warn({ err: error }, 'hall event notifications lost; listening again');
          const lost = this.listening;
          this.listening = null;
          void lost?.close();
          this.scheduleListen();
        },
      );
      if (this.closed) {
        await this.listening.close();
        this.listening = null;
        return;
      }
      // Whatever was committed while not listening.
      this.poke();
    } catch (error) {
      logger.warn({ err: error }, 'cannot listen for hall event notifications; polling until it can');
      this.scheduleListen();
    }
  }

  private scheduleListen(): void {
    if (this.closed || this.relisten) return;
    this.relisten = setTimeout(() => {
      this.relisten = null;
      if (!this.closed) void this.listen();
    }, 1_000);
    this.relisten.unref();
  }

  private async prune(): Promise<void> {
    const { db, clock } = this.options;
    const hall = await readHallState(db.db);
    await pruneHallEvents(db.db, this.hallId, addDays(businessDayOf(clock.now(), hall.timeZone), -1));
  }
}
