import type { FastifyInstance } from 'fastify';
import { hallApi } from '../../core/http/contract.ts';
import { HallCalendarError } from './calendar-store.ts';
import { readDemoHallRules } from './demo-calendar.ts';
import { ApiError } from '../http/api-error.ts';
import { contractRoutes } from '../http/contract-routes.ts';
import type { RouteContext } from '../http/route-context.ts';

/**
 * The hall calendar for the hall office: read it, and replace it with an edited one. A refused
 * calendar answers 400 with every problem at its JSON path, so the admin fixes them in one go.
 */
export function registerHallCalendarRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { clock, calendars } = ctx;
  const serve = contractRoutes(app, ctx);
  const saveRoute = hallApi.adminHallCalendarSave;

  // Before the hall saved its own, the rules kiosks ship with, marked as such (revision 0).
  serve(hallApi.adminHallCalendar, async () => {
    const stored = await calendars.latest();
    if (!stored) return { revision: 0, savedAt: null, source: 'bundled demo rules (not saved yet)', rules: readDemoHallRules() };
    return stored;
  });

  serve(saveRoute, async ({ body, admin }, request) => {
    try {
      const saved = await calendars.save(body, clock, `${saveRoute.method} ${saveRoute.path} by ${admin}`);
      request.log.info({ revision: saved.revision }, 'hall calendar saved');
      return { revision: saved.revision, savedAt: saved.savedAt };
    } catch (error) {
      if (!(error instanceof HallCalendarError)) throw error;
      throw new ApiError(error.issues.length ? 400 : 409, error.issues.length ? 'invalid-body' : 'conflict', error.summary, { issues: error.issues });
    }
  });
}
