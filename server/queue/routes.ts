import type { FastifyInstance } from 'fastify';
import { businessDayOf } from '../../core/calendar/business-day.ts';
import type { QueueResponse } from '../../core/ticket/calling-order.ts';
import { serviceIn } from '../catalog/catalog-store.ts';
import { readHallState } from '../hall/hall-settings.ts';
import type { RouteContext } from '../http/route-context.ts';
import { callingOrder } from './calling-order.ts';

export function registerQueueRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { db, clock, catalogs } = ctx;
  const device = { onRequest: ctx.requireDevice };

  app.get<{ Params: { serviceId: string } }>('/api/v1/queue/:serviceId', device, async (request): Promise<QueueResponse> => {
    const service = serviceIn((await catalogs.latest())?.catalog ?? null, request.params.serviceId);
    const hall = await readHallState(db);
    const day = businessDayOf(clock.now(), hall.timeZone);
    const waiting = await callingOrder(db, hall.hallId, service.id, day, clock.now());
    return { serviceId: service.id, businessDay: day, waiting, serverTime: clock.now() };
  });
}
