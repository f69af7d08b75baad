import { EventStreamReader } from '../../core/http/event-stream-reader.ts';
import { pathOf } from '../../core/http/route-contract.ts';
import { hallApi } from '../../core/http/contract.ts';
import type { HallEvent, HallEventKind } from '../../core/queue/hall-events.ts';
import { hallEventSchema, hallEventsHeartbeatMs, hallEventsResetName } from '../../core/queue/hall-events.ts';

/**
 * The hall event stream (GET hallApi.hallEvents, server-sent events) for a web page. The
 * browser's EventSource cannot send the session's token in a header, so this reads the stream with
 * fetch. It reconnects by itself with Last-Event-ID, so the page gets every event once; says
 * `down` as soon as a connection fails (not when a stream merely ends, as the server ends each one
 * after a while: the next connection decides); and treats a stream silent for two heartbeats as
 * dead.
 */

export type StreamState = 'connecting' | 'open' | 'down';

export interface HallStreamTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface HallEventStreamOptions {
  token: () => string | null;
  /** another stream of the contract's than hallApi.hallEvents (a display's, whose filter the server sets) */
  path?: string;
  /** which events: kinds and window numbers (empty or absent: all) */
  kinds?: readonly HallEventKind[];
  windows?: readonly number[];
  baseUrl?: string;
  fetch?: typeof fetch;
  timers?: HallStreamTimers;
  random?: () => number;
  heartbeatMs?: number;
  onEvent(event: HallEvent): void;
  /** the server no longer holds what was missed: reload what the page shows */
  onReset(): void;
  onState(state: StreamState): void;
  /** 401/403: the session is gone; the stream stops */
  onUnauthorized(): void;
}

export interface HallEventStream {
  close(): void;
}

/** Waits before reconnecting after the n-th failure in a row: 0.5 s doubling to 8 s, with jitter. */
export function reconnectDelayMs(failures: number, random: () => number): number {
  if (failures <= 0) return 0;
  const base = Math.min(8_000, 500 * 2 ** (failures - 1));
  return Math.round(base * (0.75 + random() * 0.5));
}

const browserTimers: HallStreamTimers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function openHallEventStream(options: HallEventStreamOptions): HallEventStream {
  const timers = options.timers ?? browserTimers;
  const random = options.random ?? Math.random;
  const fetcher = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const silentMs = 2 * (options.heartbeatMs ?? hallEventsHeartbeatMs) + 5_000;
  const path = options.path ?? pathOf(hallApi.hallEvents, {
    query: {
      kinds: options.kinds?.length ? options.kinds.join(',') : undefined,
      windows: options.windows?.length ? options.windows.join(',') : undefined,
    },
  });

  let closed = false;
  let lastEventId: string | null = null;
  let failures = 0;
  let state: StreamState | null = null;
  let controller: AbortController | null = null;
  let retry: unknown = null;
  let watchdog: unknown = null;
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;

  const say = (next: StreamState) => {
    if (next === state || closed) return;
    state = next;
    options.onState(next);
  };
  const stopWatchdog = () => {
    if (watchdog !== null) timers.clearTimeout(watchdog);
    watchdog = null;
  };
  const feedWatchdog = () => {
    stopWatchdog();
    watchdog = timers.setTimeout(() => {
      controller?.abort();
      // Ends a read the abort does not reach (a body that is not the network's).
      void reader?.cancel().catch(() => undefined);
    }, silentMs);
  };

  const connect = async () => {
    retry = null;
    if (closed) return;
    if (state === null) say('connecting');
    controller = new AbortController();
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    const token = options.token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (lastEventId !== null) headers['last-event-id'] = lastEventId;
    let opened = false;
    try {
      feedWatchdog();
      const response = await fetcher(`${options.baseUrl ?? ''}${path}`, { headers, signal: controller.signal, cache: 'no-store' });
      if (response.status === 401 || response.status === 403) {
        stopWatchdog();
        closed = true;
        options.onUnauthorized();
        return;
      }
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      opened = true;
      failures = 0;
      say('open');
      reader = response.body.getReader();
      const decoder = new TextDecoder();
      const framing = new EventStreamReader();
      for (;;) {
        feedWatchdog();
        const { done, value } = await reader.read();
        if (done || closed) break;
        for (const message of framing.push(decoder.decode(value, { stream: true }))) {
          if (message.id !== null) lastEventId = message.id;
          if (message.event === hallEventsResetName) {
            options.onReset();
            continue;
          }
          const parsed = hallEventSchema.safeParse(safeJson(message.data));
          // An event this page does not know (a newer server) is skipped, not fatal.
          if (parsed.success) options.onEvent(parsed.data);
        }
      }
    } catch {
      // aborted by the watchdog or close(), refused, or the network: the same to the page
    } finally {
      stopWatchdog();
      reader = null;
    }
    if (closed) return;
    // A stream that ended after it opened is retried at once; a failed connection says so and waits.
    if (!opened) {
      failures++;
      say('down');
    }
    retry = timers.setTimeout(() => void connect(), reconnectDelayMs(failures, random));
  };

  void connect();
  return {
    close() {
      closed = true;
      if (retry !== null) timers.clearTimeout(retry);
      stopWatchdog();
      controller?.abort();
      void reader?.cancel().catch(() => undefined);
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
