import type { FastifyInstance } from 'fastify';
import { hallApi } from '../../core/http/contract.ts';
import type { HallEventFilter } from '../../core/queue/hall-events.ts';
import { readHallState } from '../hall/hall-settings.ts';
import { ApiError } from '../http/api-error.ts';
import { contractRoutes } from '../http/contract-routes.ts';
import type { RouteContext } from '../http/route-context.ts';
import type { HallEventStreams } from '../events/stream-route.ts';
import { setDisplayCookie } from './display-cookie.ts';
import { readDisplayState } from './display-state.ts';
import { createDisplay, enrollDisplay, listDisplays, noteDisplaySeen, revokeDisplay, saveDisplayNotice } from './displays.ts';

/** An enrolment is a short code. */
const enrollBodyLimit = 1024;

/** Which displays have a stream open in this process: the admin page's "live". */
export class LiveDisplays {
  private readonly open = new Map<string, number>();
  opened(displayId: string): void {
    this.open.set(displayId, (this.open.get(displayId) ?? 0) + 1);
  }
  closed(displayId: string): void {
    const n = (this.open.get(displayId) ?? 1) - 1;
    if (n <= 0) this.open.delete(displayId);
    else this.open.set(displayId, n);
  }
  isLive(displayId: string): boolean {
    return this.open.has(displayId);
  }
}

/**
 * The hall screens' routes: enrolment (the code once, for the token cookie), the screen's state
 * and its zone's event stream, and the hall office's list, enrolment codes, revocation and notice
 * line. A display's stream is the hall event stream with the filter forced by its enrolment:
 * calls, windows and queue counts of its zone (of its window, for a 窗口屏) — never legs.
 */
export function registerDisplayRoutes(app: FastifyInstance, ctx: RouteContext, streams: HallEventStreams): LiveDisplays {
  const { db, clock } = ctx;
  const serve = contractRoutes(app, ctx);
  const live = new LiveDisplays();

  serve(hallApi.displaysEnroll, { limitAnonymous: true, bodyLimit: enrollBodyLimit }, async ({ body }, request, reply) => {
    const enrolled = await enrollDisplay(db, clock, body.code);
    if (!enrolled) throw new ApiError(401, 'enrollment-code-invalid', 'enrollment code unknown, already used, expired or revoked; ask the hall office for a new one');
    setDisplayCookie(reply, request, enrolled.token);
    request.log.info({ display: enrolled.display.displayId }, 'display enrolled');
    return enrolled.display;
  });

  serve(hallApi.displayState, async ({ display }) => {
    const now = clock.now();
    await noteDisplaySeen(db, display.displayId, now);
    const { lastSeenAt: _, ...identity } = display;
    return readDisplayState(db, ctx.catalogs, identity, now);
  });

  serve(hallApi.displayEvents, { config: { shed: false } }, async ({ display, query }, request, reply) => {
    const filter: HallEventFilter = {
      kinds: display.kind === 'window' ? ['call', 'window'] : ['call', 'window', 'queue'],
      departments: display.zone,
      windows: display.window === null ? [] : [display.window],
    };
    const after = streams.lastEventIdOf(request, query.lastEventId);
    await noteDisplaySeen(db, display.displayId, clock.now());
    await streams.stream(request, reply, filter, after, {
      opened: () => live.opened(display.displayId),
      closed: () => {
        live.closed(display.displayId);
        void noteDisplaySeen(db, display.displayId, clock.now()).catch(() => undefined);
      },
    });
  });

  serve(hallApi.adminDisplays, async () => ({ displays: await listDisplays(db, (id) => live.isLive(id)) }));
  serve(hallApi.adminDisplayCreate, async ({ body }) => createDisplay(db, clock, body, ctx.enrollmentTtlMs));
  serve(hallApi.adminDisplayRevoke, async ({ params: { id } }, request) => {
    if (!(await revokeDisplay(db, clock, id))) throw new ApiError(404, 'not-found', `no display ${id} that is not already revoked`);
    request.log.info({ display: id }, 'display revoked');
    return { displayId: id, revoked: true as const };
  });
  serve(hallApi.adminDisplayNotice, async ({ body }) => {
    const hall = await readHallState(db);
    await saveDisplayNotice(db, hall.hallId, body.text, clock.now());
    return { text: body.text };
  });
  return live;
}
