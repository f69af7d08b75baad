import type { KioskApi, KioskEvent, KioskMethodName } from '../../core/kiosk/kiosk-api.ts';
import { KioskCallError, buildKioskApi, kioskEventSchema } from '../../core/kiosk/kiosk-api.ts';

/** The part of EventSource the client uses, so tests can hand in a fake. */
export interface EventStream {
  onmessage: ((message: MessageEvent<string>) => void) | null;
  close(): void;
}

export interface HostClientOptions {
  token: string;
  fetch: typeof fetch;
  openEvents: (url: string) => EventStream;
  /** where the host serves the API; the page's own origin by default */
  baseUrl?: string;
}

type CallAnswer = { ok: true; result: unknown } | { ok: false; error: string };

function isCallAnswer(body: unknown): body is CallAnswer {
  if (typeof body !== 'object' || body === null) return false;
  const ok = (body as { ok?: unknown }).ok;
  return ok === true || (ok === false && typeof (body as { error?: unknown }).error === 'string');
}

/**
 * KioskApi in host mode: the privileged side is a plain Node process on loopback. Calls go over
 * HTTP with the bearer token; events arrive over one server-sent event stream, whose token has
 * to ride in the query string because EventSource cannot set headers.
 */
export function createHostKioskApi(options: HostClientOptions): KioskApi {
  const base = options.baseUrl ?? '';

  async function invoke(method: KioskMethodName, args: unknown[]): Promise<unknown> {
    let response: Response;
    try {
      response = await options.fetch(`${base}/api/call`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${options.token}` },
        body: JSON.stringify({ method, args }),
      });
    } catch (error) {
      throw new KioskCallError(method, `host unreachable: ${error instanceof Error ? error.message : String(error)}`);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new KioskCallError(method, `HTTP ${response.status} without a JSON answer`);
    }
    if (!isCallAnswer(body)) throw new KioskCallError(method, `HTTP ${response.status}: malformed answer`);
    if (!body.ok) throw new KioskCallError(method, body.error);
    if (!response.ok) throw new KioskCallError(method, `HTTP ${response.status}`);
    return body.result;
  }

  const listeners = new Set<(event: KioskEvent) => void>();
  let stream: EventStream | null = null;

  function subscribe(listener: (event: KioskEvent) => void): () => void {
    listeners.add(listener);
    if (!stream) {
      stream = options.openEvents(`${base}/api/events?token=${encodeURIComponent(options.token)}`);
      stream.onmessage = (message) => {
        let data: unknown;
        try {
          data = JSON.parse(message.data);
        } catch {
          return;
        }
        const parsed = kioskEventSchema.safeParse(data);
        // An event this renderer does not know is skipped, so a newer host cannot break it.
        if (!parsed.success) return;
        for (const l of [...listeners]) l(parsed.data);
      };
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && stream) {
        stream.close();
        stream = null;
      }
    };
  }

  return buildKioskApi(invoke, subscribe);
}
