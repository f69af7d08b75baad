import type { FastifyInstance } from 'fastify';
import { listKioskStatus } from '../device-status.ts';
import { readHallState } from '../hall-settings.ts';
import { adminOrLoginRedirect } from './admin-cookie.ts';
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
    const user = await adminOrLoginRedirect(ctx, request, reply, kioskStatusPagePath);
    if (!user) return reply;
    const now = clock.now();
    const [hall, kiosks] = await Promise.all([readHallState(db), listKioskStatus(db, now)]);
    reply.header('content-security-policy', kioskStatusCsp);
    reply.type('text/html; charset=utf-8');
    return kioskStatusPage({ kiosks, now, timeZone: hall.timeZone, hallName: hall.hallName, adminUser: user, csrfToken: request.adminCsrf! });
  });
}
