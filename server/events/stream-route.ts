import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { hallApi } from '../../core/http/contract.ts';
import type { HallEvent, HallEventFilter, HallEventsQuery } from '../../core/queue/hall-events.ts';
import { hallEventFilterSchema, hallEventsHeartbeatMs, hallEventsResetName, matchesHallEventFilter } from '../../core/queue/hall-events.ts';
import { serverTimeHeader } from '../../core/sync/errors.ts';
import { ApiError, parseOrThrow } from '../http/api-error.ts';
import { contractRoutes } from '../http/contract-routes.ts';
import type { RouteContext } from '../http/route-context.ts';
import type { HallEventFeed } from './hall-event-feed.ts';
import { readHallEventHead, readHallEvents } from './hall-event-log.ts';

export interface HallEventStreamOptions {
  feed: HallEventFeed;
  heartbeatMs?: number;
  /** a stream ends after this long and the client reconnects (with Last-Event-ID), authenticating again */
  maxAgeMs?: number;
}

const list = (text: string | undefined) => (text ? text.split(',').map((s) => s.trim()).filter(Boolean) : []);

const eventIdSchema = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** A slow reader this far behind is not reading at all. */
const maxBufferedBytes = 1024 * 1024;
const replayBatch = 500;

function filterOf(query: HallEventsQuery, request: FastifyRequest): { filter: HallEventFilter; after: number | null } {
  const filter = parseOrThrow(
    hallEventFilterSchema,
    { kinds: list(query.kinds), departments: list(query.departments), windows: list(query.windows).map(Number) },
    'hall events filter',
  );
  return { filter, after: lastEventIdOf(request, query.lastEventId) };
}

/** The Last-Event-ID header, or the query's for a client that cannot set it on its first request. */
function lastEventIdOf(request: FastifyRequest, fromQuery: string | undefined): number | null {
  const header = request.headers['last-event-id'];
  const text = typeof header === 'string' && header !== '' ? header : fromQuery;
  return text === undefined ? null : parseOrThrow(eventIdSchema, text, 'Last-Event-ID');
}

// The feed hands every stream the same event objects: each is framed once, however many screens
// and counters are listening (500 screens made the per-stream JSON.stringify the server's main cost).
const frames = new WeakMap<HallEvent, string>();
function frameOf(event: HallEvent): string {
  let frame = frames.get(event);
  if (frame === undefined) {
    frame = `id: ${event.id}\nevent: ${event.kind}\ndata: ${JSON.stringify(event)}\n\n`;
    frames.set(event, frame);
  }
  return frame;
}

export interface StreamHooks {
  /** the stream is answered (before its first byte): from here to `closed` it is open */
  opened?(): void;
  /** the stream ended, whoever ended it */
  closed?(): void;
}

/** Streams of the hall event log to other routes of the server (the displays' zone streams). */
export interface HallEventStreams {
  stream(request: FastifyRequest, reply: FastifyReply, filter: HallEventFilter, after: number | null, hooks?: StreamHooks): Promise<void>;
  lastEventIdOf(request: FastifyRequest, fromQuery: string | undefined): number | null;
}

/**
 * hallApi.hallEvents: the hall event stream as server-sent events, for kiosks and screens (device
 * token), counters (counter session) and the hall office (admin session). Each event's SSE id is
 * its hall event id. A client reconnecting with Last-Event-ID gets every event after it that
 * passes its filter, then live ones; one whose id the log no longer holds (pruned, or a restored
 * database) gets a `reset` marker instead, reloads what it shows, and carries on from there.
 * A comment every `heartbeatMs` tells a client the stream is alive.
 */
export function registerHallEventStream(app: FastifyInstance, ctx: RouteContext, options: HallEventStreamOptions): HallEventStreams {
  const { feed } = options;
  const heartbeatMs = options.heartbeatMs ?? hallEventsHeartbeatMs;
  const maxAgeMs = options.maxAgeMs ?? 10 * 60 * 1000;
  const open = new Set<() => void>();

  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  const stream = async (request: FastifyRequest, reply: FastifyReply, filter: HallEventFilter, after: number | null, hooks: StreamHooks = {}): Promise<void> => {
    const hallId = feed.hall;

    let cursor = 0;
    let replaying = true;
    const pending: HallEvent[] = [];
    let ended = false;
    const res = reply.raw;
    const write = (text: string) => {
      if (ended) return;
      if (res.writableLength > maxBufferedBytes) return end();
      res.write(text);
    };
    const send = (events: readonly HallEvent[]) => {
      let out = '';
      for (const event of events) {
        if (event.id <= cursor) continue;
        cursor = event.id;
        if (matchesHallEventFilter(event, filter)) out += frameOf(event);
      }
      if (out) write(out);
    };
    // Subscribed before the log is read: whatever commits meanwhile waits in `pending`.
    const unsubscribe = feed.subscribe({ events: (events) => (replaying ? pending.push(...events) : send(events)) });
    const heartbeat = setInterval(() => write(`: ${ctx.clock.now()}\n\n`), heartbeatMs);
    const expire = setTimeout(() => end(), maxAgeMs);
    const stop = () => {
      ended = true;
      clearInterval(heartbeat);
      clearTimeout(expire);
      unsubscribe();
      open.delete(end);
      hooks.closed?.();
    };
    const end = () => {
      if (ended) return;
      stop();
      res.end();
    };
    open.add(end);

    let head;
    try {
      head = await readHallEventHead(ctx.db, hallId);
    } catch {
      // Nothing sent yet: the error handler answers.
      stop();
      throw new ApiError(503, 'internal', 'the hall events cannot be read right now; retry shortly');
    }
    reply.hijack();
    hooks.opened?.();
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      [serverTimeHeader]: String(ctx.clock.now()),
    });
    res.on('close', end);
    write('retry: 2000\n\n');

    try {
      if (after === null) {
        cursor = head.lastId;
      } else if (after > head.lastId || after < head.prunedThrough) {
        cursor = head.lastId;
        write(`id: ${cursor}\nevent: ${hallEventsResetName}\ndata: ${JSON.stringify({ lastId: cursor, missedFrom: after })}\n\n`);
      } else {
        cursor = after;
        for (;;) {
          const events = await readHallEvents(ctx.db, hallId, cursor, replayBatch);
          send(events);
          if (events.length < replayBatch || ended) break;
        }
      }
    } catch (error) {
      request.log.warn({ err: error }, 'hall event replay failed');
      return end();
    }
    replaying = false;
    send(pending.splice(0));
    request.log.debug({ after, cursor }, 'hall event stream opened');
  };

  // Open for hours and fed by one shared reader: not work the in-flight limit should count.
  contractRoutes(app, ctx)(hallApi.hallEvents, { config: { shed: false } }, async ({ query }, request, reply) => {
    const { filter, after } = filterOf(query, request);
    await stream(request, reply, filter, after);
  });
  return { stream, lastEventIdOf };
}
