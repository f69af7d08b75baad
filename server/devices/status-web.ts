import type { FastifyInstance } from 'fastify';
import { listKioskStatus } from './status.ts';
import { readHallState } from '../hall/hall-settings.ts';
import { adminOrLoginRedirect } from '../admin/admin-cookie.ts';
import { setAdminPageHeaders } from '../admin/admin-intent.ts';
import type { RouteContext } from '../http/route-context.ts';
import { kioskStatusCsp, kioskStatusPage } from './status-page.ts';

export const kioskStatusPagePath = '/admin/kiosks';

/** The status page for the hall office: who is logged in by the admin session cookie sees every kiosk. */
export function registerKioskStatusWeb(app: FastifyInstance, ctx: RouteContext): void {
  const { db, clock } = ctx;

  app.get(kioskStatusPagePath, async (request, reply) => {
    setAdminPageHeaders(reply, kioskStatusCsp);
    const user = await adminOrLoginRedirect(ctx, request, reply, kioskStatusPagePath);
    if (!user) return reply;
    const now = clock.now();
    const [hall, kiosks] = await Promise.all([readHallState(db), listKioskStatus(db, now)]);
    reply.type('text/html; charset=utf-8');
    return kioskStatusPage({ kiosks, now, timeZone: hall.timeZone, hallName: hall.hallName, adminUser: user, csrfToken: request.adminCsrf! });
  });
}
