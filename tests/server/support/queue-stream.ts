import type { QueueState } from '../../../core/ticket/queue-state.ts';
import { hallApi } from '../../../core/http/contract.ts';
import { queueStateEventName, queueStateSchema } from '../../../core/ticket/queue-state.ts';
import { EventStreamReader } from '../../../core/http/event-stream-reader.ts';

export interface QueueStreamClient {
  status: number;
  headers: Headers;
  /** every state received, in order */
  states: QueueState[];
  /** the first state received so far, or later, that satisfies `accept` */
  until(accept: (state: QueueState) => boolean, timeoutMs?: number): Promise<QueueState>;
  /** settles when the server ends the stream (or close() is called) */
  ended: Promise<void>;
  close(): void;
}

/** A kiosk's subscription to the live queue state, read the way the kiosk's privileged side reads it. */
export async function openQueueStream(baseUrl: string, token: string | undefined): Promise<QueueStreamClient | { status: number; body: unknown }> {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}${hallApi.queueStream.path}`, {
    headers: token ? { authorization: `Bearer ${token}`, accept: 'text/event-stream' } : { accept: 'text/event-stream' },
    signal: controller.signal,
  });
  if (response.status !== 200 || !response.body) return { status: response.status, body: await response.json().catch(() => null) };
  const states: QueueState[] = [];
  const waiters = new Set<() => void>();
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parser = new EventStreamReader();
  let finished = false;
  const ended = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        for (const event of parser.push(decoder.decode(value, { stream: true }))) {
          if (event.event !== queueStateEventName) continue;
          states.push(queueStateSchema.parse(JSON.parse(event.data)));
          for (const wake of [...waiters]) wake();
        }
      }
    } catch {
      // aborted by close()
    } finally {
      finished = true;
      for (const wake of [...waiters]) wake();
    }
  })();
  return {
    status: response.status,
    headers: response.headers,
    states,
    ended,
    close: () => controller.abort(),
    until(accept, timeoutMs = 5_000) {
      return new Promise<QueueState>((resolve, reject) => {
        const check = () => {
          const found = states.find(accept);
          if (found) return done(() => resolve(found));
          if (finished) return done(() => reject(new Error(`stream ended without the state; got ${JSON.stringify(states.at(-1))}`)));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`no such state within ${timeoutMs} ms; last ${JSON.stringify(states.at(-1))}`))), timeoutMs);
        const done = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        check();
      });
    },
  };
}

export function isStream(opened: QueueStreamClient | { status: number; body: unknown }): opened is QueueStreamClient {
  return 'states' in opened;
}
