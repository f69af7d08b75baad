import type { FastifyInstance } from 'fastify';
import { HallCalendarError } from './calendar-store.ts';
import { readDemoHallRules } from './demo-calendar.ts';
import type { RouteContext } from '../http/route-context.ts';

/**
 * The hall calendar for the hall office: read it, and replace it with an edited one. A refused
 * calendar answers 400 with every problem at its JSON path, so the admin fixes them in one go.
 */
export function registerHallCalendarRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { clock, calendars } = ctx;
  const admin = { preHandler: ctx.requireAdmin };

  // Before the hall saved its own, the rules kiosks ship with, marked as such (revision 0).
  app.get('/api/v1/admin/hall-calendar', admin, async () => {
    const stored = await calendars.latest();
    if (!stored) return { revision: 0, savedAt: null, source: 'bundled demo rules (not saved yet)', rules: readDemoHallRules() };
    return stored;
  });

  app.put('/api/v1/admin/hall-calendar', admin, async (request, reply) => {
    try {
      const saved = await calendars.save(request.body, clock, `PUT /api/v1/admin/hall-calendar by ${request.adminUser ?? 'admin'}`);
      request.log.info({ revision: saved.revision }, 'hall calendar saved');
      return { revision: saved.revision, savedAt: saved.savedAt };
    } catch (error) {
      if (!(error instanceof HallCalendarError)) throw error;
      const code = error.issues.length ? 'invalid-body' : 'conflict';
      return reply.status(error.issues.length ? 400 : 409).send({ error: { code, message: error.summary, issues: error.issues } });
    }
  });
}
