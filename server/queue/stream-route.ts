import type { FastifyInstance } from 'fastify';
import type { QueueState } from '../../core/ticket/queue-state.ts';
import { queueStateEventName, queueStateResendMs } from '../../core/ticket/queue-state.ts';
import { hallApi } from '../../core/http/contract.ts';
import { serverTimeHeader } from '../../core/sync/errors.ts';
import type { QueueFeed } from './queue-feed.ts';
import { ApiError } from '../http/api-error.ts';
import { contractRoutes } from '../http/contract-routes.ts';
import type { RouteContext } from '../http/route-context.ts';

export interface QueueStreamOptions {
  feed: QueueFeed;
  /** the state is sent again this often, which doubles as the stream's heartbeat */
  resendMs?: number;
  /**
   * A stream ends after this long and the kiosk reconnects, authenticating again: a device
   * revoked meanwhile stops hearing the queue within this time.
   */
  maxAgeMs?: number;
  /** a kiosk needs one stream; a newer one beyond this ends the oldest (a half-open leftover) */
  perDevice?: number;
}

/** A slow reader this far behind is not reading at all. */
const maxBufferedBytes = 256 * 1024;

/**
 * hallApi.queueStream: the live queue state as server-sent events, for authenticated
 * kiosks. The first event is the current state; then one on every change and one every
 * `resendMs` (with a fresh `asOf`), so a kiosk that hears nothing for a while knows the
 * stream is dead. When the database stops answering, the stream ends instead of going quiet.
 */
export function registerQueueStream(app: FastifyInstance, ctx: RouteContext, options: QueueStreamOptions): void {
  const { feed } = options;
  const resendMs = options.resendMs ?? queueStateResendMs;
  const maxAgeMs = options.maxAgeMs ?? 10 * 60 * 1000;
  const perDevice = options.perDevice ?? 2;
  /** per device, oldest first: how to end each of its open streams */
  const open = new Map<string, Array<() => void>>();

  // Open streams would hold app.close() forever.
  app.addHook('preClose', async () => {
    for (const enders of [...open.values()]) for (const end of [...enders]) end();
    feed.close();
  });

  // A push applied by this process changes the counts: tell the kiosks now, not at the next poll.
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode === 200 && request.routeOptions.url === hallApi.syncPush.path) feed.nudge();
  });

  // Open for hours, fed from one shared poll: not work the in-flight limit should count.
  contractRoutes(app, ctx)(hallApi.queueStream, { config: { shed: false } }, async ({ device }, request, reply) => {
    let first: QueueState;
    try {
      first = await feed.read();
    } catch {
      throw new ApiError(503, 'internal', 'the queue counts cannot be read right now; retry shortly');
    }

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      // Proxies and load balancers in front of the server must pass events on at once.
      'x-accel-buffering': 'no',
      [serverTimeHeader]: String(ctx.clock.now()),
    });
    let ended = false;
    const send = (state: QueueState) => {
      if (ended) return;
      if (res.writableLength > maxBufferedBytes) return end();
      res.write(`event: ${queueStateEventName}\ndata: ${JSON.stringify(state)}\n\n`);
    };
    const unsubscribe = feed.subscribe({ changed: send, failed: () => end() });
    const resend = setInterval(() => {
      const latest = feed.current();
      if (latest) send(latest);
    }, resendMs);
    const expire = setTimeout(() => end(), maxAgeMs);
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(resend);
      clearTimeout(expire);
      unsubscribe();
      const enders = open.get(device.id)?.filter((e) => e !== end) ?? [];
      if (enders.length) open.set(device.id, enders);
      else open.delete(device.id);
      res.end();
    };
    // The response's close is the kiosk going away (or the socket dying under it).
    res.on('close', end);

    const enders = [...(open.get(device.id) ?? []), end];
    open.set(device.id, enders);
    for (const older of enders.slice(0, Math.max(0, enders.length - perDevice))) older();

    res.write(`retry: 2000\n\n`);
    send(first);
    request.log.debug({ device: device.id }, 'queue stream opened');
  });
}
