import type { FastifyInstance } from 'fastify';
import { hallApi } from '../../core/http/contract.ts';
import type { HallEvent } from '../../core/queue/hall-events.ts';
import { hallEventsHeartbeatMs } from '../../core/queue/hall-events.ts';
import type { LiveTicketView } from '../../core/queue/live-ticket-view.ts';
import { liveTicketEventName } from '../../core/queue/live-ticket-view.ts';
import { serverTimeHeader } from '../../core/sync/errors.ts';
import type { HallEventFeed } from '../events/hall-event-feed.ts';
import { ApiError } from '../http/api-error.ts';
import { contractRoutes } from '../http/contract-routes.ts';
import type { RouteContext } from '../http/route-context.ts';
import type { LiveTicketKey, LiveTicketRead } from './live-tickets.ts';
import { findLiveTicket, readLiveTicketView } from './live-tickets.ts';

export interface LiveTicketRouteOptions {
  feed: HallEventFeed;
  heartbeatMs?: number;
  /** a stream ends after this long and the page reconnects */
  maxAgeMs?: number;
}

/** Several events of one commit move a ticket once: the view is read again after this pause. */
const settleMs = 100;

/**
 * The live ticket for a citizen's phone: the view, and the view again whenever a hall event could
 * have moved it (its own calls and legs, its service's queue, the window holding it). Public: the
 * token is the key. An unknown token costs the anonymous rate limit, so guessing is slow as well
 * as hopeless; the answer never says more than "no such ticket".
 */
export function registerLiveTicketRoutes(app: FastifyInstance, ctx: RouteContext, options: LiveTicketRouteOptions): void {
  const { db, clock, catalogs } = ctx;
  const serve = contractRoutes(app, ctx);
  const heartbeatMs = options.heartbeatMs ?? hallEventsHeartbeatMs;
  const maxAgeMs = options.maxAgeMs ?? 10 * 60 * 1000;
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  const lookUp = async (token: string, request: Parameters<RouteContext['limitAnonymous']>[0]): Promise<{ key: LiveTicketKey; read: LiveTicketRead }> => {
    const key = await findLiveTicket(db, token);
    const read = key ? await readLiveTicketView(db, catalogs, key, clock.now()) : null;
    if (!key || !read) {
      ctx.limitAnonymous(request);
      throw new ApiError(404, 'not-found', 'no ticket has this address: check the QR code, or ask at the information desk');
    }
    return { key, read };
  };

  serve(hallApi.liveTicket, async ({ params }, request, reply) => {
    reply.header('cache-control', 'no-store');
    return (await lookUp(params.token, request)).read.view;
  });

  serve(hallApi.liveTicketEvents, { config: { shed: false } }, async ({ params }, request, reply) => {
    const { key, read: first } = await lookUp(params.token, request);
    let last = first;
    let ended = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const res = reply.raw;
    const write = (text: string) => {
      if (!ended) res.write(text);
    };
    const sendView = (view: LiveTicketView) => write(`event: ${liveTicketEventName}\ndata: ${JSON.stringify(view)}\n\n`);
    const moves = (event: HallEvent): boolean => {
      switch (event.kind) {
        case 'call':
        case 'leg':
          return event.data.ticketId === key.ticketId;
        case 'queue':
          // Someone ahead was called, or the windows open changed the estimate.
          return last.view.status === 'waiting' && event.data.serviceId === last.serviceId;
        case 'window':
          return last.view.window !== null && event.data.window === last.view.window.number;
      }
    };
    const refresh = () => {
      timer = null;
      void readLiveTicketView(db, catalogs, key, clock.now())
        .then((read) => {
          if (!read || ended) return;
          const { asOf: _a, ...now } = read.view;
          const { asOf: _b, ...before } = last.view;
          last = read;
          if (JSON.stringify(now) !== JSON.stringify(before)) sendView(read.view);
          if (read.view.past) end();
        })
        .catch((error: unknown) => request.log.warn({ err: error }, 'live ticket view could not be read'));
    };
    const unsubscribe = options.feed.subscribe({
      events: (events) => {
        if (timer === null && events.some(moves)) timer = setTimeout(refresh, settleMs);
      },
    });
    const heartbeat = setInterval(() => write(`: ${clock.now()}\n\n`), heartbeatMs);
    const expire = setTimeout(() => end(), maxAgeMs);
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      clearTimeout(expire);
      if (timer) clearTimeout(timer);
      unsubscribe();
      open.delete(end);
      res.end();
    };
    open.add(end);

    reply.hijack();
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      [serverTimeHeader]: String(clock.now()),
    });
    res.on('close', end);
    write('retry: 3000\n\n');
    sendView(first.view);
    // Anything that moved it between the first read and the subscription is caught here.
    timer = setTimeout(refresh, settleMs);
  });
}
