import type { FastifyInstance } from 'fastify';
import { hallApi } from '../../core/http/contract.ts';
import { ApiError } from '../http/api-error.ts';
import { contractRoutes } from '../http/contract-routes.ts';
import type { RouteContext } from '../http/route-context.ts';
import type { HallState } from './hall-settings.ts';
import { HallSettingsError, readHallState, updateHallSettings } from './hall-settings.ts';

const answerOf = (state: HallState) => ({ hallName: state.hallName, timeZone: state.timeZone, publicAddress: state.publicAddress, version: state.settingsVersion });

/** The settings every kiosk pulls (name, zone, public address), for the hall office. */
export function registerHallSettingsRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const serve = contractRoutes(app, ctx);
  serve(hallApi.adminHallSettings, async () => answerOf(await readHallState(ctx.db)));
  serve(hallApi.adminHallSettingsSave, async ({ body, admin }, request) => {
    try {
      const state = await updateHallSettings(ctx.db, body);
      request.log.info({ audit: 'hall-settings-saved', admin, version: state.settingsVersion }, 'hall settings saved');
      return answerOf(state);
    } catch (error) {
      if (error instanceof HallSettingsError) throw new ApiError(400, 'invalid-body', error.message);
      throw error;
    }
  });
}
