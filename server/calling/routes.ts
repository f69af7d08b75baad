import type { FastifyInstance } from 'fastify';
import { hallLocalTime } from '../../core/calendar/business-day.ts';
import { hallApi } from '../../core/http/contract.ts';
import type { PressResult } from '../../core/queue/counter-api.ts';
import { readHallState } from '../hall/hall-settings.ts';
import { ApiError } from '../http/api-error.ts';
import { contractRoutes } from '../http/contract-routes.ts';
import type { RouteContext } from '../http/route-context.ts';
import { CallingSettingsError, readCallingSettings, saveCallingSettings } from './calling-settings-store.ts';
import { pressAtWindow, pressOnLeg, signInAtWindow } from './counter-actions.ts';
import { CounterStaffError, checkCounterPin, openCounterSession, setCounterPin } from './counter-staff.ts';
import type { CallingDeps, PressOutcome } from './press-runner.ts';
import { CallingError } from './press-runner.ts';
import { WindowSetupError, listWindows, readWindowQueue, saveWindow } from './windows.ts';

/**
 * Counter calling over HTTP (hallApi.counter*, adminWindow*, adminCounterPin, adminLegAction,
 * adminCallingSettings*): a window's staff sign in with their staff number and PIN, then press,
 * each press with an idempotency key; admins set up windows, counter PINs and the calling rules,
 * and may 恢复 / 作废 / 过号重排 a leg. Refusals are 409 counter-refused with the reason in both
 * languages.
 */

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

export function registerCallingRoutes(app: FastifyInstance, ctx: RouteContext, deps: CallingDeps): void {
  const { db, clock } = ctx;
  const serve = contractRoutes(app, ctx);

  // A PIN can be guessed: every attempt counts against the address, before the body is read.
  serve(hallApi.counterSignIn, { limitAnonymous: true }, async ({ body }, request) => {
    const hall = await readHallState(db);
    const check = await checkCounterPin(db, clock, hall.hallId, body.staffId, body.pin);
    if (!check.ok) {
      request.log.warn({ audit: check.reason === 'locked' ? 'counter-sign-in-locked' : 'counter-sign-in-failed', window: body.window, address: request.ip }, 'counter sign-in refused');
      if (check.lockedUntil !== null) {
        const until = check.lockedUntil;
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

  serve(hallApi.counterPress, async ({ counter, body }) => answer(await mapped(() => pressAtWindow(deps, counter, body.idempotencyKey, body.press))));

  // 签退: the window closes (refused while it holds a ticket) and every session at it ends.
  serve(hallApi.counterSignOut, async ({ counter, body }) => answer(await mapped(() => pressAtWindow(deps, counter, body.idempotencyKey, { action: 'close' }))));

  serve(hallApi.counterQueue, async ({ counter }) => {
    const queue = await readWindowQueue(db, clock, counter.window);
    if (!queue) throw new ApiError(404, 'not-found', 'this window no longer exists');
    return queue;
  });

  serve(hallApi.counterSetup, async ({ counter }) => {
    const stored = await ctx.catalogs.latest();
    const settings = await readCallingSettings(db, counter.hallId);
    const services = (stored?.catalog.services ?? []).map((s) => ({ id: s.id, departmentId: s.departmentId, name: s.name }));
    return { services, pauseReasons: settings.pauseReasons };
  });

  serve(hallApi.adminWindows, async () => ({ windows: await listWindows(db) }));

  serve(hallApi.adminWindow, async ({ params, body, admin }, request) => {
    const window = await mapped(() => saveWindow(db, clock, ctx.catalogs, { ...body, number: params.number }));
    request.log.info({ audit: 'window-saved', admin, window: params.number }, 'window saved');
    return { window };
  });

  serve(hallApi.adminCounterPin, async ({ params, body, admin }, request) => {
    const hall = await readHallState(db);
    await mapped(() => setCounterPin(db, clock, hall.hallId, params.id, body.pin, `admin:${admin}`));
    request.log.info({ audit: 'counter-pin-set', admin, staff: params.id }, 'counter PIN set');
    return { staffId: params.id, pinSet: true as const };
  });

  serve(hallApi.adminLegAction, async ({ params, body, admin }, request) => {
    const result = answer(await mapped(() => pressOnLeg(deps, admin, params.legId, body)));
    request.log.info({ audit: `leg-${body.action}`, admin, leg: params.legId }, 'leg action by an admin');
    return result;
  });

  serve(hallApi.adminCallingSettings, async () => ({ settings: await readCallingSettings(db, (await readHallState(db)).hallId) }));

  serve(hallApi.adminCallingSettingsSave, async ({ body, admin }, request) => {
    const settings = await mapped(async () => saveCallingSettings(db, (await readHallState(db)).hallId, body, clock.now()));
    request.log.info({ audit: 'calling-settings-saved', admin }, 'calling settings saved');
    return { settings };
  });
}
