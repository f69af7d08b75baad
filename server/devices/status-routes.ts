import type { FastifyInstance } from 'fastify';
import { hallApi } from '../../core/http/contract.ts';
import { listKioskStatus, recordDeviceStatus } from './status.ts';
import { contractRoutes } from '../http/contract-routes.ts';
import type { RouteContext } from '../http/route-context.ts';

/** Kiosks report their state; admins read every kiosk's, with its alerts. */
export function registerDeviceStatusRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { db, clock } = ctx;
  const serve = contractRoutes(app, ctx);

  serve(hallApi.devicesStatus, async ({ device, body: report }) => {
    await recordDeviceStatus(db, device.id, report, clock.now());
    return { recorded: true as const };
  });

  serve(hallApi.adminKiosks, async () => ({ kiosks: await listKioskStatus(db, clock.now()) }));
}
