import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../core/calendar/clock.ts';
import { hallApi } from '../../core/http/contract.ts';
import { jsonTextTooDeep, jsonMaxDepth } from '../../core/http/json-bounds.ts';
import { kioskVersionHeader, serverTimeHeader } from '../../core/sync/errors.ts';
import { maxRequestBytes } from '../../core/sync/push.ts';
import { authenticateAdmin } from '../admin/admin-users.ts';
import { registerAttendanceRoutes } from '../attendance/routes.ts';
import { registerBulletinWeb } from '../attendance/bulletin-web.ts';
import { CatalogStore } from '../catalog/catalog-store.ts';
import { HallCalendarStore } from '../calendar/calendar-store.ts';
import type { ServerDb } from '../db/connect.ts';
import type { AuthenticatedDevice } from '../devices/devices.ts';
import { authenticateDevice, defaultEnrollmentTtlMs, noteDeviceSeen } from '../devices/devices.ts';
import { registerStaffRoutes } from '../staff/routes.ts';
import type { TemplateKey } from '../staff/template-key.ts';
import { TemplateStore, startTemplateStore } from '../staff/templates.ts';
import type { PushHooks } from '../sync/push.ts';
import { QueueFeed } from '../queue/queue-feed.ts';
import { registerAdminRoutes } from '../admin/admin-routes.ts';
import { guardAdminIntent } from '../admin/admin-intent.ts';
import type { RouteEntry } from '../admin/admin-intent.ts';
import { ApiError } from './api-error.ts';
import { registerHallCalendarPage } from '../calendar/page-routes.ts';
import { registerHallCalendarRoutes } from '../calendar/routes.ts';
import { registerDeviceStatusRoutes } from '../devices/status-routes.ts';
import type { RouteContext } from './route-context.ts';
import { registerEnrollRoutes } from '../devices/enroll-routes.ts';
import { registerNumberingRoutes } from '../numbering/routes.ts';
import { RestoreGuard } from '../numbering/restore-guard.ts';
import { registerQueueRoutes } from '../queue/routes.ts';
import { registerSyncRoutes } from '../sync/routes.ts';
import { registerKioskStatusWeb } from '../devices/status-web.ts';
import type { InFlightLimit } from './load-shedding.ts';
import { InFlightGate, defaultInFlightLimit, registerLoadShedding } from './load-shedding.ts';
import { registerTemplateAuditWeb } from '../staff/template-audit-web.ts';
import { registerQueueStream } from '../queue/stream-route.ts';
import { registerUpdateRoutes } from '../updates/routes.ts';
import { registerCallingRoutes } from '../calling/routes.ts';
import { registerCallingReportRoutes } from '../calling/report-routes.ts';
import { authenticateCounter } from '../calling/counter-staff.ts';
import type { CounterCaller } from '../calling/counter-staff.ts';
import { reconcileTicketLegs } from '../calling/ticket-legs.ts';
import { HallEventFeed } from '../events/hall-event-feed.ts';
import { registerHallEventStream } from '../events/stream-route.ts';
import { registerHallSettingsRoutes } from '../hall/routes.ts';
import { registerLiveTicketRoutes } from '../live/routes.ts';
import { registerHallWeb } from './hall-web.ts';
import { registerVoiceClips, type VoiceClipOptions } from '../voice/voice-clips.ts';
import type { AuthenticatedDisplay } from '../displays/displays.ts';
import { authenticateDisplay } from '../displays/displays.ts';
import { displayTokenOf } from '../displays/display-cookie.ts';
import { registerDisplayRoutes } from '../displays/routes.ts';
import { registerDisplayAdminWeb } from '../displays/admin-web.ts';
import type { UpdateFeed } from '../updates/update-feed.ts';
import type { RateLimit } from './token-bucket.ts';
import { TokenBuckets } from './token-bucket.ts';

declare module 'fastify' {
  interface FastifyRequest {
    device: AuthenticatedDevice | null;
    adminUser: string | null;
    /** the CSRF token of the admin page session that opened this request (admin-intent.ts) */
    adminCsrf: string | null;
    /** the counter session (窗口叫号端) that sent this request: staff member and window */
    counter: CounterCaller | null;
    /** the hall screen that sent this request */
    display: AuthenticatedDisplay | null;
  }
  interface FastifyInstance {
    /** every route of the app, as registered: what the admin-intent guard was offered */
    routeTable: readonly RouteEntry[];
  }
}

export interface ServerAppOptions {
  db: ServerDb;
  clock: Clock;
  /** a pino logger (see createServerLogger) */
  logger: FastifyBaseLogger;
  /** default 1 MiB; larger bodies get 413 before they are read */
  bodyLimit?: number;
  /** per device, on every kiosk route */
  deviceRateLimit?: RateLimit;
  /** per client address, for enrollment and admin login (guessing codes and passwords) */
  anonymousRateLimit?: RateLimit;
  enrollmentTtlMs?: number;
  hooks?: PushHooks;
  /** seals fingerprint templates; without it the template routes answer 503 and say why */
  templateKey?: TemplateKey | null;
  /** the kiosks' software update feed (--updates-dir); without it /updates answers 404 and says why */
  updateFeed?: UpdateFeed | null;
  /** how many different kiosks must report a release unhealthy before it is withdrawn (default defaultWithdrawQuorum) */
  updateWithdrawQuorum?: number;
  /** requests this process works on at once before it answers 503 (default defaultInFlightLimit) */
  inFlightLimit?: InFlightLimit;
  /**
   * Check every JSON answer against its route's response schema (core/http/contract.ts) and
   * answer 500 when one breaks it: on in tests and development, off in production.
   */
  checkResponses?: boolean;
  /**
   * Demo mode only (scripts/demo-server.ts): the kiosk's own staff session stands for an admin's
   * enrolment grant. The demo's server is on loopback with its one kiosk beside it and no admin.
   */
  trustKioskEnrolment?: boolean;
  /** numbers each counter skips when the server finds its database restored (default defaultRestoreSkip) */
  restoreSkip?: number;
  /** the live queue stream's timing; tests shorten it */
  queueStream?: { pollMs?: number; resendMs?: number; maxAgeMs?: number };
  /** the hall event stream's timing (server/events/); tests shorten it */
  hallEvents?: { pollMs?: number; heartbeatMs?: number; maxAgeMs?: number };
  /** the built web apps (counter, live ticket); default dist/hall-web (server/http/hall-web.ts) */
  hallWebDir?: string;
  /** the clip voice's folders: the generated pack and the hall's own recordings (server/voice/voice-clips.ts) */
  voiceClips?: VoiceClipOptions;
}


export const defaultDeviceRateLimit: RateLimit = { capacity: 200, refillPerSecond: 50 };
export const defaultAnonymousRateLimit: RateLimit = { capacity: 20, refillPerSecond: 0.5 };

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? null;
}

function rateLimited(retryAfterSeconds: number): ApiError {
  return new ApiError(429, 'rate-limited', `too many requests; retry in ${Math.ceil(retryAfterSeconds)} s`, { retryAfterSeconds: Math.ceil(retryAfterSeconds) });
}

/**
 * The central server's HTTP API under /api/v1. Stateless apart from rate-limit buckets and a
 * catalog cache: any number of processes may serve one PostgreSQL database.
 */
export async function createServerApp(options: ServerAppOptions): Promise<FastifyInstance> {
  const { clock } = options;
  const db = options.db.db;
  const app = Fastify({
    loggerInstance: options.logger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? maxRequestBytes,
    return503OnClosing: true,
  });
  // First of all hooks: a refused request costs nothing else.
  registerLoadShedding(app, new InFlightGate(options.inFlightLimit ?? defaultInFlightLimit));
  const routeTable: RouteEntry[] = [];
  guardAdminIntent(app, routeTable);
  app.decorate('routeTable', routeTable);
  // Fastify's own JSON parser drops the parse error's detail; a kiosk developer needs the position.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.length === 0) return done(new ApiError(400, 'invalid-json', 'the body is empty; send a JSON object'), undefined);
    // JSON.parse makes "__proto__" an own property, harmless here, but nothing legitimate sends it.
    if (text.includes('"__proto__"')) return done(new ApiError(400, 'invalid-json', 'the body contains a "__proto__" key'), undefined);
    // Checked before parsing, for every route: nothing downstream need fear recursing into it.
    if (jsonTextTooDeep(text, jsonMaxDepth)) return done(new ApiError(400, 'invalid-body', `the body is nested deeper than ${jsonMaxDepth} levels`), undefined);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(new ApiError(400, 'invalid-json', `the body is not valid JSON: ${(error as Error).message}`), undefined);
    }
  });
  app.decorateRequest('device', null);
  app.decorateRequest('adminUser', null);
  app.decorateRequest('adminCsrf', null);
  app.decorateRequest('counter', null);
  app.decorateRequest('display', null);

  const deviceBuckets = new TokenBuckets(clock, options.deviceRateLimit ?? defaultDeviceRateLimit);
  const anonymousBuckets = new TokenBuckets(clock, options.anonymousRateLimit ?? defaultAnonymousRateLimit);

  // Before any route can answer: a restored database is recovered before its first number.
  const restore = new RestoreGuard(db, clock, options.db.witness, { skip: options.restoreSkip, log: app.log });
  await restore.start();

  const context: RouteContext = {
    db,
    clock,
    catalogs: new CatalogStore(db),
    calendars: new HallCalendarStore(db),
    hooks: {
      ...options.hooks,
      // Counter calling queues printed tickets and voids voided ones' legs inside the push.
      async ticketsChanged(trx, ticketIds, now) {
        await reconcileTicketLegs(trx, ticketIds, now);
        await options.hooks?.ticketsChanged?.(trx, ticketIds, now);
      },
    },
    restore,
    enrollmentTtlMs: options.enrollmentTtlMs ?? defaultEnrollmentTtlMs,
    checkResponses: options.checkResponses ?? false,
    async requireDevice(request) {
      const token = bearerToken(request);
      // Failed authentications count against the client address, so guessing tokens is slow too.
      const refuse = (error: ApiError) => {
        const take = anonymousBuckets.take(request.ip);
        return take.ok ? error : rateLimited(take.retryAfterSeconds);
      };
      if (!token) throw refuse(new ApiError(401, 'token-missing', 'send the device token as "Authorization: Bearer <token>"'));
      const auth = await authenticateDevice(db, token);
      if (!auth.ok) {
        // A revoked kiosk keeps retrying; it must keep seeing why, not a rate limit.
        if (auth.reason === 'device-revoked') throw new ApiError(401, 'device-revoked', 'this device was revoked by the hall admin; it must be enrolled again');
        throw refuse(new ApiError(401, 'token-invalid', 'unknown device token; enroll the device with a new code'));
      }
      const take = deviceBuckets.take(auth.device.id);
      if (!take.ok) throw rateLimited(take.retryAfterSeconds);
      request.device = auth.device;
      const version = request.headers[kioskVersionHeader];
      await noteDeviceSeen(db, clock, auth.device, typeof version === 'string' ? version.slice(0, 40) : undefined);
    },
    async requireAdmin(request) {
      const token = bearerToken(request);
      if (!token) throw new ApiError(401, 'token-missing', `log in at ${hallApi.adminLogin.method} ${hallApi.adminLogin.path} and send "Authorization: Bearer <token>"`);
      const user = await authenticateAdmin(db, clock, token);
      if (!user) throw new ApiError(401, 'token-invalid', 'admin session unknown or expired; log in again');
      request.adminUser = user;
    },
    async requireCounter(request) {
      const token = bearerToken(request);
      if (!token) throw new ApiError(401, 'token-missing', `sign in at ${hallApi.counterSignIn.method} ${hallApi.counterSignIn.path} and send "Authorization: Bearer <token>"`);
      const caller = await authenticateCounter(db, clock.now(), token);
      if (!caller) {
        const take = anonymousBuckets.take(request.ip);
        if (!take.ok) throw rateLimited(take.retryAfterSeconds);
        throw new ApiError(401, 'token-invalid', 'counter session unknown, ended by 签退, or expired; sign in again');
      }
      request.counter = caller;
    },
    async requireDisplay(request) {
      const token = displayTokenOf(request);
      if (!token) throw new ApiError(401, 'token-missing', `this screen is not enrolled: enter the code from the hall office (${hallApi.displaysEnroll.method} ${hallApi.displaysEnroll.path})`);
      const display = await authenticateDisplay(db, token);
      if (!display) {
        const take = anonymousBuckets.take(request.ip);
        if (!take.ok) throw rateLimited(take.retryAfterSeconds);
        throw new ApiError(401, 'token-invalid', 'display token unknown or revoked; enrol the screen again with a new code');
      }
      request.display = display;
    },
    // Each kind of token says what it is by its prefix (credentials.ts): hkc_ a counter, hka_ an admin, else a device.
    async requireSignedIn(request) {
      const token = bearerToken(request) ?? '';
      if (token.startsWith('hkc_')) return context.requireCounter(request);
      if (token.startsWith('hka_')) return context.requireAdmin(request);
      return context.requireDevice(request);
    },
    limitAnonymous(request) {
      const take = anonymousBuckets.take(request.ip);
      if (!take.ok) throw rateLimited(take.retryAfterSeconds);
    },
  };

  // A device route authenticates in onRequest, before Fastify reads a body of up to 1 MiB: a
  // client without a valid token costs a header's worth of work. Caught here, at start-up, so a
  // route added later cannot slip back to preHandler unnoticed.
  app.addHook('onRoute', (route) => {
    if ([route.preHandler].flat().includes(context.requireDevice)) {
      throw new Error(`${String(route.method)} ${route.url}: authenticate devices with { onRequest: ctx.requireDevice }, before the body is read`);
    }
  });

  // One clock reading per response, so the header and the body agree.
  const stamped = new WeakMap<FastifyReply, number>();
  app.addHook('preSerialization', async (_request, reply, payload: unknown) => {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return payload;
    const body = payload as Record<string, unknown>;
    if (typeof body.serverTime === 'number') {
      stamped.set(reply, body.serverTime);
      return payload;
    }
    const now = clock.now();
    stamped.set(reply, now);
    return { ...body, serverTime: now };
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header(serverTimeHeader, String(stamped.get(reply) ?? clock.now()));
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        ...(request.device ? { device: request.device.id } : {}),
        ...(request.adminUser ? { admin: true } : {}),
      },
      'request',
    );
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const serverTime = clock.now();
    const send = (status: number, body: Record<string, unknown>) => reply.status(status).send({ error: body, serverTime });
    if (error instanceof ApiError) {
      if ((error.status === 429 || error.status === 503) && error.details.retryAfterSeconds) reply.header('retry-after', String(error.details.retryAfterSeconds));
      if (error.status >= 400 && error.status < 500) request.log.info({ code: error.code, field: error.details.field }, 'refused');
      return send(error.status, { code: error.code, message: error.message, ...error.details });
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send(413, { code: 'body-too-large', message: `request body is larger than ${request.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit} bytes; split the batch` });
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return send(415, { code: 'unsupported-media-type', message: 'send the body as application/json' });
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return send(error.statusCode, { code: 'invalid-body', message: error.message });
    }
    request.log.error({ err: error }, 'request failed');
    return send(500, { code: 'internal', message: 'internal server error; the request may be retried' });
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: { code: 'not-found', message: `no route ${request.method} ${request.url.split('?')[0]}` }, serverTime: clock.now() });
  });

  registerSyncRoutes(app, context);
  registerEnrollRoutes(app, context);
  registerNumberingRoutes(app, context);
  registerQueueRoutes(app, context);
  registerAdminRoutes(app, context);
  registerHallCalendarRoutes(app, context);
  registerHallSettingsRoutes(app, context);

  const templates = new TemplateStore(db, clock, options.templateKey ?? null, { trustKioskEnrolment: options.trustKioskEnrolment });
  await startTemplateStore(templates, app.log);
  registerStaffRoutes(app, context, templates);
  const attendance = { db, clock, catalogs: context.catalogs, calendars: context.calendars };
  registerAttendanceRoutes(app, context, attendance);
  registerBulletinWeb(app, context, attendance);

  // The hall event stream: counters' presses, displays' calls, and the kiosks' queue counts.
  const hallEvents = new HallEventFeed({ db: options.db, clock, logger: app.log, pollMs: options.hallEvents?.pollMs });
  await hallEvents.start();
  app.addHook('onClose', () => hallEvents.close());
  registerCallingRoutes(app, context, { db, clock, catalogs: context.catalogs, committed: () => hallEvents.poke() });
  const hallStream = registerHallEventStream(app, context, { feed: hallEvents, heartbeatMs: options.hallEvents?.heartbeatMs, maxAgeMs: options.hallEvents?.maxAgeMs });
  registerLiveTicketRoutes(app, context, { feed: hallEvents, heartbeatMs: options.hallEvents?.heartbeatMs, maxAgeMs: options.hallEvents?.maxAgeMs });
  const displays = registerDisplayRoutes(app, context, hallStream);
  registerDisplayAdminWeb(app, context, displays);

  const queueFeed = new QueueFeed({ db, clock, logger: app.log, events: hallEvents, pollMs: options.queueStream?.pollMs ?? 30_000 });
  registerQueueStream(app, context, { feed: queueFeed, resendMs: options.queueStream?.resendMs, maxAgeMs: options.queueStream?.maxAgeMs });
  registerDeviceStatusRoutes(app, context);
  registerKioskStatusWeb(app, context);
  registerHallCalendarPage(app, context);
  registerTemplateAuditWeb(app, context);
  registerCallingReportRoutes(app, context);
  registerUpdateRoutes(app, context, options.updateFeed ?? null, { withdrawQuorum: options.updateWithdrawQuorum });
  await registerHallWeb(app, { dir: options.hallWebDir });
  registerVoiceClips(app, options.voiceClips);
  return app;
}
