import type { FastifyInstance } from 'fastify';
import { deviceStatusPath, deviceStatusReportSchema } from '../../core/kiosk/device-status.ts';
import { listKioskStatus, recordDeviceStatus } from './status.ts';
import { ApiError, parseOrThrow } from '../http/api-error.ts';
import type { RouteContext } from '../http/route-context.ts';

/** Kiosks report their state; admins read every kiosk's, with its alerts. */
export function registerDeviceStatusRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { db, clock } = ctx;

  app.post(deviceStatusPath, { onRequest: ctx.requireDevice }, async (request) => {
    if (!request.device) throw new ApiError(401, 'token-missing', 'device authentication required');
    const report = parseOrThrow(deviceStatusReportSchema, request.body, 'status report');
    await recordDeviceStatus(db, request.device.id, report, clock.now());
    return { recorded: true };
  });

  app.get('/api/v1/admin/kiosks', { preHandler: ctx.requireAdmin }, async () => ({ kiosks: await listKioskStatus(db, clock.now()) }));
}
