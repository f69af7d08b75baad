import type { FastifyInstance } from 'fastify';
import { businessDayOf } from '../../core/calendar/business-day.ts';
import { hallApi } from '../../core/http/contract.ts';
import { serviceIn } from '../catalog/catalog-store.ts';
import { readHallState } from '../hall/hall-settings.ts';
import { contractRoutes } from '../http/contract-routes.ts';
import type { RouteContext } from '../http/route-context.ts';
import { callingOrder } from './calling-order.ts';

export function registerQueueRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { db, clock, catalogs } = ctx;
  const serve = contractRoutes(app, ctx);

  serve(hallApi.queue, async ({ params }) => {
    const service = serviceIn((await catalogs.latest())?.catalog ?? null, params.serviceId);
    const hall = await readHallState(db);
    const day = businessDayOf(clock.now(), hall.timeZone);
    const waiting = await callingOrder(db, hall.hallId, service.id, day, clock.now());
    return { serviceId: service.id, businessDay: day, waiting, serverTime: clock.now() };
  });
}
