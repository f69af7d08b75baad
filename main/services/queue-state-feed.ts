import type { QueueState } from '../../core/ticket/queue-state.ts';
import { queueStateEventName, queueStateSchema, queueStateStaleAfterMs, sameQueueCounts } from '../../core/ticket/queue-state.ts';
import type { StreamOpening } from './central-server-client.ts';
import { EventStreamReader } from '../../core/http/event-stream-reader.ts';
import type { Logger } from './logger.ts';

export interface FeedTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface QueueStateFeedOptions {
  /** CentralServerClient.openEventStream on the queue stream */
  open: (signal: AbortSignal) => Promise<StreamOpening>;
  timers: FeedTimers;
  /** for the retry jitter */
  random: () => number;
  logger: Logger;
  /** no byte for this long and the stream is dead, whatever TCP says */
  staleAfterMs?: number;
  retryFirstMs?: number;
  retryMaxMs?: number;
}

type Listener = (state: QueueState | null) => void;

/**
 * The hall server's live queue counts, for the ticket's "前面还有N人". Holds the stream open with
 * the device token (which never reaches the renderer), reconnects with backoff and jitter, and
 * says "unknown" (null) the moment the stream fails or falls silent: a count from a stream that
 * may be dead is a guess, and a ticket must not print a guess.
 */
export class QueueStateFeed {
  private state: QueueState | null = null;
  private readonly listeners = new Set<Listener>();
  private controller: AbortController | null = null;
  private watchdog: unknown = null;
  private retry: unknown = null;
  private failures = 0;
  private stopped = true;

  constructor(private readonly options: QueueStateFeedOptions) {}

  current(): QueueState | null {
    return this.state;
  }

  /** Called on every change of the counts, and with null when they become unknown. */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.options.timers.clearTimeout(this.retry);
    this.options.timers.clearTimeout(this.watchdog);
    this.controller?.abort();
    this.controller = null;
    this.state = null;
  }

  private async connect(): Promise<void> {
    this.retry = null;
    const controller = new AbortController();
    this.controller = controller;
    this.arm(controller);
    // Never let a failure escape: nothing awaits this, and the kiosk must keep running.
    const opened = await this.options.open(controller.signal).catch((error: unknown): StreamOpening => ({ ok: false, status: 0, reason: error instanceof Error ? error.message : String(error) }));
    if (this.stopped || controller.signal.aborted) return this.afterFailure(controller, opened.ok ? 'no data' : opened.reason);
    if (!opened.ok) return this.afterFailure(controller, opened.reason, opened.retryAfterMs);
    const silent = `no data for ${this.staleAfterMs() / 1000} s`;
    let events: number;
    try {
      events = await this.read(opened.body, controller);
    } catch (error) {
      return this.afterFailure(controller, controller.signal.aborted ? silent : error instanceof Error ? error.message : String(error));
    }
    if (controller.signal.aborted) return this.afterFailure(controller, silent);
    // The server ends streams now and then (their age, its shutdown). The counts stay until the
    // watchdog or a failed reconnect says otherwise; a stream that ended empty is a failure.
    if (events === 0) return this.afterFailure(controller, 'the stream ended without a state');
    // Not at once: a server that keeps ending streams (a kiosk cloned with its token, say) must
    // not be hammered.
    if (!this.stopped) this.schedule(this.options.retryFirstMs ?? 1_000);
  }

  private async read(body: ReadableStream<Uint8Array>, controller: AbortController): Promise<number> {
    const reader = body.getReader();
    // Aborting the request ends fetch's body; cancelling the reader ends any stream.
    const cancel = () => void reader.cancel().catch(() => undefined);
    controller.signal.addEventListener('abort', cancel, { once: true });
    const decoder = new TextDecoder();
    const parser = new EventStreamReader();
    let events = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done || this.stopped) return events;
        this.arm(controller);
        for (const event of parser.push(decoder.decode(value, { stream: true }))) {
          if (event.event !== queueStateEventName) continue;
          const parsed = queueStateSchema.safeParse(JSON.parse(event.data));
          if (!parsed.success) throw new Error(`queue stream: unexpected state (${parsed.error.issues[0]?.message ?? 'invalid'})`);
          if (events === 0 && this.failures > 0) this.options.logger.info({ after: this.failures }, 'queue stream connected again');
          events += 1;
          this.failures = 0;
          this.set(parsed.data);
        }
      }
    } finally {
      controller.signal.removeEventListener('abort', cancel);
      reader.releaseLock();
    }
  }

  private afterFailure(controller: AbortController, reason: string, retryAfterMs?: number): void {
    this.options.timers.clearTimeout(this.watchdog);
    controller.abort();
    if (this.stopped) return;
    this.set(null);
    this.failures += 1;
    // Once per outage, not once per retry of a day offline.
    if (this.failures === 1 && reason !== 'not-configured') this.options.logger.warn({ reason }, 'queue stream lost; people-ahead counts are unknown until it is back');
    const first = this.options.retryFirstMs ?? 1_000;
    const max = this.options.retryMaxMs ?? 30_000;
    const ceiling = Math.min(max, first * 2 ** Math.min(this.failures - 1, 16));
    // Full jitter keeps a hall's kiosks from reconnecting in one wave after a server restart.
    this.schedule(Math.max(retryAfterMs ?? 0, Math.round(ceiling * (0.5 + this.options.random() / 2))));
  }

  private schedule(ms: number): void {
    this.options.timers.clearTimeout(this.retry);
    this.retry = this.options.timers.setTimeout(() => void this.connect(), ms);
  }

  /** (Re)starts the silence watchdog: the server re-sends the state well within this time. */
  private arm(controller: AbortController): void {
    this.options.timers.clearTimeout(this.watchdog);
    this.watchdog = this.options.timers.setTimeout(() => controller.abort(), this.staleAfterMs());
  }

  private staleAfterMs(): number {
    return this.options.staleAfterMs ?? queueStateStaleAfterMs;
  }

  private set(state: QueueState | null): void {
    const changed = !sameQueueCounts(this.state, state);
    this.state = state;
    if (!changed) return;
    for (const listener of [...this.listeners]) {
      try {
        listener(state);
      } catch (error) {
        this.options.logger.error({ err: error }, 'queue state listener failed');
      }
    }
  }
}
