import type { FastifyInstance } from 'fastify';
import { authenticateAdmin } from '../admin-users.ts';
import { listKioskStatus } from '../device-status.ts';
import { readHallState } from '../hall-settings.ts';
import { adminSessionToken } from './admin-cookie.ts';
import type { RouteContext } from './app.ts';
import { kioskStatusCsp, kioskStatusPage } from './kiosk-status-page.ts';

export const kioskStatusPagePath = '/admin/kiosks';

/** The status page for the hall office: who is logged in by the admin session cookie sees every kiosk. */
export function registerKioskStatusWeb(app: FastifyInstance, ctx: RouteContext): void {
  const { db, clock } = ctx;

  app.get(kioskStatusPagePath, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    const token = adminSessionToken(request);
    const user = token ? await authenticateAdmin(db, clock, token) : null;
    // The login form (/admin/login) sends the admin back here once the session cookie is set.
    if (!user) return reply.redirect(`/admin/login?next=${encodeURIComponent(kioskStatusPagePath)}`, 303);
    request.adminUser = user;
    const now = clock.now();
    const [hall, kiosks] = await Promise.all([readHallState(db), listKioskStatus(db, now)]);
    reply.header('content-security-policy', kioskStatusCsp);
    reply.type('text/html; charset=utf-8');
    return kioskStatusPage({ kiosks, now, timeZone: hall.timeZone, hallName: hall.hallName, adminUser: user });
  });
}
