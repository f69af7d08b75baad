import type { HallEvent } from '../../../core/queue/hall-events.ts';
import { hallApi } from '../../../core/http/contract.ts';
import { hallEventSchema } from '../../../core/queue/hall-events.ts';

export interface SseMessage {
  id: string | null;
  event: string;
  data: string;
}

export interface HallEventClient {
  status: number;
  /** every hall event received, in order */
  events: HallEvent[];
  /** every message, resets and all */
  messages: SseMessage[];
  /** the id field of the last message that had one: what a browser would send as Last-Event-ID */
  lastEventId: string | null;
  /** comments received (heartbeats) */
  comments: number;
  until(accept: (messages: readonly SseMessage[]) => boolean, timeoutMs?: number): Promise<void>;
  ended: Promise<void>;
  close(): void;
}

/**
 * A client of the hall event stream, parsing the text/event-stream framing itself (id, event,
 * data, comments) as a browser's EventSource would, so a test can reconnect with Last-Event-ID.
 */
export async function openHallEvents(
  baseUrl: string,
  token: string | undefined,
  /** path: another event stream of the server (`events` holds those of its messages that are hall events) */
  options: { lastEventId?: string; query?: string; path?: string; cookie?: string } = {},
): Promise<HallEventClient | { status: number; body: unknown }> {
  const controller = new AbortController();
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
  if (options.cookie !== undefined) headers.cookie = options.cookie;
  const response = await fetch(`${baseUrl}${options.path ?? hallApi.hallEvents.path}${options.query ? `?${options.query}` : ''}`, { headers, signal: controller.signal });
  if (response.status !== 200 || !response.body) return { status: response.status, body: await response.json().catch(() => null) };
  const client: HallEventClient = {
    status: 200,
    events: [],
    messages: [],
    lastEventId: options.lastEventId ?? null,
    comments: 0,
    until: () => Promise.resolve(),
    ended: Promise.resolve(),
    close: () => controller.abort(),
  };
  const waiters = new Set<() => void>();
  let finished = false;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let current: { id: string | null; event: string; data: string[] } = { id: null, event: '', data: [] };
  const line = (text: string) => {
    if (text === '') {
      if (current.data.length) {
        const message = { id: current.id, event: current.event || 'message', data: current.data.join('\n') };
        client.messages.push(message);
        if (message.event !== 'reset') {
          // The hall's stream carries hall events only; another stream (a display's, a live ticket's) may carry others.
          const data: unknown = JSON.parse(message.data);
          if (options.path === undefined) client.events.push(hallEventSchema.parse(data));
          else {
            const event = hallEventSchema.safeParse(data);
            if (event.success) client.events.push(event.data);
          }
        }
      }
      current = { id: null, event: '', data: [] };
      return;
    }
    if (text.startsWith(':')) {
      client.comments++;
      return;
    }
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'id') {
      current.id = value;
      client.lastEventId = value;
    } else if (field === 'event') current.event = value;
    else if (field === 'data') current.data.push(value);
  };
  client.ended = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n')) >= 0) {
          line(buffer.slice(0, end));
          buffer = buffer.slice(end + 1);
        }
        for (const wake of [...waiters]) wake();
      }
    } catch {
      // aborted by close()
    } finally {
      finished = true;
      for (const wake of [...waiters]) wake();
    }
  })();
  client.until = (accept, timeoutMs = 5_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (accept(client.messages)) return done(resolve);
        if (finished) return done(() => reject(new Error(`stream ended first; got ${client.messages.length} messages`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`not within ${timeoutMs} ms; got ${JSON.stringify(client.messages.slice(-3))}`))), timeoutMs);
      const done = (settle: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        settle();
      };
      waiters.add(check);
      check();
    });
  return client;
}

export function isHallEventClient(opened: HallEventClient | { status: number; body: unknown }): opened is HallEventClient {
  return 'events' in opened;
}
