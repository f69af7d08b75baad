import type { ServerReply, ServerRequest } from '../../core/http/central-server-request.ts';
import { isServerFailure } from '../../core/http/central-server-request.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import { apiErrorSchema } from '../../core/sync/errors.ts';
import type { ApiError } from '../../core/sync/errors.ts';
import type { ClockOffsetEstimator } from './clock-offset.ts';
import type { SyncStatusStore } from './sync-status.ts';

/** KioskApi's server.request: the privileged side adds the device token. */
export type ServerRequestFn = (request: ServerRequest) => Promise<ServerReply>;

/**
 * Every request to the hall server goes through here, sync loop and online numbering alike, so
 * each one tells whether the server is reachable (never navigator.onLine, which only knows about
 * the local network) and, through its serverTime, how far the device clock is off.
 */
export class ServerLink {
  private readonly onReachable = new Set<() => void>();

  constructor(
    private readonly request: ServerRequestFn,
    private readonly clock: Clock,
    private readonly offset: ClockOffsetEstimator,
    private readonly status: SyncStatusStore,
  ) {}

  async send(request: ServerRequest): Promise<ServerReply> {
    const sentAt = this.clock.now();
    let reply: ServerReply;
    try {
      reply = await this.request(request);
    } catch {
      // The privileged side itself failed (host restarting): as good as unreachable.
      reply = { status: 0, error: 'unreachable' };
    }
    const receivedAt = this.clock.now();
    if (isServerFailure(reply)) {
      if (reply.error === 'unreachable' || reply.error === 'timeout') this.status.update({ online: false });
      return reply;
    }
    if (reply.serverTime !== null) this.offset.add({ sentAt, receivedAt, serverTime: reply.serverTime });
    // A gateway's answer means the network is up but the server is not. A 503 in the server's
    // own error form is the server at its limit of work: reached, and asking for quiet, so a
    // later success must not wake the sync loop before the Retry-After is over.
    const gateway = reply.status === 502 || reply.status === 504 || (reply.status === 503 && errorOf(reply.body) === null);
    const reached = !gateway;
    const wasOffline = this.status.get().online === false;
    this.status.update({ online: reached });
    if (reached && wasOffline) for (const listener of [...this.onReachable]) listener();
    return reply;
  }

  /** Called when a request gets through after failures (e.g. online numbering while the loop waits). */
  whenReachableAgain(listener: () => void): () => void {
    this.onReachable.add(listener);
    return () => this.onReachable.delete(listener);
  }
}

export function errorOf(body: unknown): ApiError['error'] | null {
  const parsed = apiErrorSchema.safeParse(body);
  return parsed.success ? parsed.data.error : null;
}
