import type { ServerAnswer, ServerReply } from '../../core/http/central-server-request.ts';
import { isServerFailure } from '../../core/http/central-server-request.ts';
import { errorOf } from './server-link.ts';

/**
 * Why a sync round stopped: `offline` (no answer), `refused` (the server does not accept this
 * device), `server` (it answered with an error worth retrying later), `protocol` (an answer this
 * kiosk cannot use; retried too, in case a server update fixes it).
 */
export type SyncFailureKind = 'offline' | 'refused' | 'server' | 'protocol';

export class SyncFailure extends Error {
  override readonly name = 'SyncFailure';
  constructor(
    readonly kind: SyncFailureKind,
    message: string,
    /** the server asked for this much quiet (429 or 503 with Retry-After) */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** The answer, when it is a 2xx; otherwise the failure it stands for. */
export function expectSuccess(reply: ServerReply, what: string): ServerAnswer {
  if (isServerFailure(reply)) {
    const kind = reply.error === 'not-configured' || reply.error === 'not-enrolled' ? 'refused' : 'offline';
    throw new SyncFailure(kind, `${what}: ${reply.error === 'timeout' ? 'the hall server did not answer in time' : reply.error === 'unreachable' ? 'the hall server is unreachable' : reply.error}`);
  }
  if (reply.status >= 200 && reply.status < 300) return reply;
  throw failureOf(reply, what);
}

export function failureOf(reply: ServerAnswer, what: string): SyncFailure {
  const error = errorOf(reply.body);
  const detail = error ? `${error.code}: ${error.message}` : `HTTP ${reply.status}`;
  if (reply.status === 401) return new SyncFailure('refused', `${what}: ${detail}`);
  // Rate-limited, or the server at its limit of work (503 overloaded): wait as long as it asks.
  if (reply.status === 429 || (reply.status === 503 && error?.retryAfterSeconds)) return new SyncFailure('server', `${what}: ${detail}`, (error?.retryAfterSeconds ?? 1) * 1000);
  if (reply.status >= 500) return new SyncFailure('server', `${what}: ${detail}`);
  return new SyncFailure('protocol', `${what}: ${detail}`);
}
