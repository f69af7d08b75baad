import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { hallLocalTime } from '../../core/calendar/business-day.ts';
import type { PressResult, WindowQueue, WindowView } from '../../core/queue/counter-api.ts';
import { adminLegPressSchema, counterPinSchema, counterPressRequestSchema, counterSignInSchema, idempotencyKeySchema } from '../../core/queue/counter-api.ts';
import { readHallState } from '../hall/hall-settings.ts';
import { ApiError, parseOrThrow } from '../http/api-error.ts';
import type { RouteContext } from '../http/route-context.ts';
import { CallingSettingsError, readCallingSettings, saveCallingSettings } from './calling-settings-store.ts';
import { pressAtWindow, pressOnLeg, signInAtWindow } from './counter-actions.ts';
import type { CounterCaller } from './counter-staff.ts';
import { CounterStaffError, authenticateCounter, checkCounterPin, openCounterSession, setCounterPin } from './counter-staff.ts';
import type { CallingDeps, PressOutcome } from './press-runner.ts';
import { CallingError } from './press-runner.ts';
import { WindowSetupError, listWindows, readWindowQueue, saveWindow } from './windows.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** the counter session a route's onRequest authenticated (server/calling/routes.ts) */
    counter: CounterCaller | null;
  }
}

/**
 * Counter calling over HTTP: a window's staff sign in with their staff number and PIN, then press
 * (each press with an idempotency key); admins set up windows, counter PINs and the calling rules,
 * and may 恢复 / 作废 / 过号重排 a leg. Refusals are 409 counter-refused with the reason in both
 * languages.
 */

const signOutSchema = z.object({ idempotencyKey: idempotencyKeySchema });
const pinBodySchema = z.object({ pin: counterPinSchema });
const windowNumberSchema = z.coerce.number().int().min(1).max(9999);

export function counterBearer(request: FastifyRequest): string | null {
  return /^Bearer\s+(hkc_\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? null;
}

/** onRequest: the counter session of `Authorization: Bearer hkc_…`. */
export function counterAuthentication(ctx: RouteContext): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    const token = counterBearer(request);
    if (!token) throw new ApiError(401, 'token-missing', 'sign in at POST /api/v1/counter/sign-in and send "Authorization: Bearer <token>"');
    const caller = await authenticateCounter(ctx.db, ctx.clock.now(), token);
    if (!caller) {
      ctx.limitAnonymous(request);
      throw new ApiError(401, 'token-invalid', 'counter session unknown, ended by 签退, or expired; sign in again');
    }
    request.counter = caller;
  };
}

function answer(outcome: PressOutcome): PressResult {
  if (outcome.ok) return outcome.result;
  throw new ApiError(409, 'counter-refused', outcome.refusal.reason.zh, { refusal: outcome.refusal.refusal, localized: outcome.refusal.reason });
}

function mapped<T>(work: () => Promise<T>): Promise<T> {
  return work().catch((error: unknown) => {
    if (error instanceof CallingError) throw new ApiError(error.status, error.code, error.message);
    if (error instanceof WindowSetupError || error instanceof CounterStaffError || error instanceof CallingSettingsError) throw new ApiError(400, 'invalid-body', error.message);
    throw error;
  });
}

function callerOf(request: FastifyRequest): CounterCaller {
  if (!request.counter) throw new ApiError(401, 'token-missing', 'counter authentication required');
  return request.counter;
}

export function registerCallingRoutes(app: FastifyInstance, ctx: RouteContext, deps: CallingDeps): void {
  const { db, clock } = ctx;
  app.decorateRequest('counter', null);
  const counter = { onRequest: counterAuthentication(ctx) };
  const admin = { preHandler: ctx.requireAdmin };

  app.post('/api/v1/counter/sign-in', async (request): Promise<{ token: string; expiresAt: number; window: WindowView }> => {
    ctx.limitAnonymous(request);
    const body = parseOrThrow(counterSignInSchema, request.body, 'counter sign-in');
    const hall = await readHallState(db);
    const check = await checkCounterPin(db, clock, hall.hallId, body.staffId, body.pin);
    if (!check.ok) {
      request.log.warn({ audit: check.reason === 'locked' ? 'counter-sign-in-locked' : 'counter-sign-in-failed', window: body.window, address: request.ip }, 'counter sign-in refused');
      if (check.reason === 'locked' || check.lockedUntil !== null) {
        const until = check.lockedUntil!;
        const retryAfterSeconds = Math.max(1, Math.ceil((until - clock.now()) / 1000));
        throw new ApiError(429, 'counter-locked', `too many wrong PINs for this staff number: locked until ${hallLocalTime(until, hall.timeZone).time.slice(0, 5)} (hall time)`, { lockedUntil: until, retryAfterSeconds });
      }
      throw new ApiError(401, 'counter-credentials-invalid', 'wrong staff number or PIN');
    }
    const caller = { hallId: hall.hallId, staffId: body.staffId, window: body.window };
    const result = answer(await mapped(() => signInAtWindow(deps, caller)));
    const session = await openCounterSession(db, clock.now(), caller);
    request.log.info({ audit: 'counter-sign-in', staff: body.staffId, window: body.window }, 'counter signed in');
    return { ...session, window: result.window! };
  });

  app.post('/api/v1/counter/press', counter, async (request): Promise<PressResult> => {
    const body = parseOrThrow(counterPressRequestSchema, request.body, 'counter press');
    return answer(await mapped(() => pressAtWindow(deps, callerOf(request), body.idempotencyKey, body.press)));
  });

  // 签退: the window closes (refused while it holds a ticket) and every session at it ends.
  app.post('/api/v1/counter/sign-out', counter, async (request): Promise<PressResult> => {
    const body = parseOrThrow(signOutSchema, request.body, 'counter sign-out');
    return answer(await mapped(() => pressAtWindow(deps, callerOf(request), body.idempotencyKey, { action: 'close' })));
  });

  app.get('/api/v1/counter/queue', counter, async (request): Promise<WindowQueue> => {
    const queue = await readWindowQueue(db, clock, callerOf(request).window);
    if (!queue) throw new ApiError(404, 'not-found', 'this window no longer exists');
    return queue;
  });

  app.get('/api/v1/admin/windows', admin, async () => ({ windows: await listWindows(db) }));

  app.put<{ Params: { number: string } }>('/api/v1/admin/windows/:number', admin, async (request) => {
    const number = parseOrThrow(windowNumberSchema, request.params.number, 'window number');
    const body = typeof request.body === 'object' && request.body !== null ? request.body : {};
    const window = await mapped(() => saveWindow(db, clock, ctx.catalogs, { ...body, number }));
    request.log.info({ audit: 'window-saved', admin: request.adminUser, window: number }, 'window saved');
    return { window };
  });

  app.put<{ Params: { staffId: string } }>('/api/v1/admin/staff/:staffId/counter-pin', admin, async (request) => {
    const body = parseOrThrow(pinBodySchema, request.body, 'counter PIN');
    const hall = await readHallState(db);
    await mapped(() => setCounterPin(db, clock, hall.hallId, request.params.staffId, body.pin, `admin:${request.adminUser ?? '?'}`));
    request.log.info({ audit: 'counter-pin-set', admin: request.adminUser, staff: request.params.staffId }, 'counter PIN set');
    return { staffId: request.params.staffId, pinSet: true };
  });

  app.post<{ Params: { legId: string } }>('/api/v1/admin/legs/:legId/actions', admin, async (request) => {
    const body = parseOrThrow(adminLegPressSchema, request.body, 'leg action');
    const result = answer(await mapped(() => pressOnLeg(deps, request.adminUser ?? 'admin', request.params.legId, body)));
    request.log.info({ audit: `leg-${body.action}`, admin: request.adminUser, leg: request.params.legId }, 'leg action by an admin');
    return result;
  });

  app.get('/api/v1/admin/calling-settings', admin, async () => ({ settings: await readCallingSettings(db, (await readHallState(db)).hallId) }));

  app.put('/api/v1/admin/calling-settings', admin, async (request) => {
    const settings = await mapped(async () => saveCallingSettings(db, (await readHallState(db)).hallId, request.body, clock.now()));
    request.log.info({ audit: 'calling-settings-saved', admin: request.adminUser }, 'calling settings saved');
    return { settings };
  });
}
