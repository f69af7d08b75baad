import type { FastifyInstance, FastifyRequest } from 'fastify';
import { enrollRequestSchema } from '../../core/sync/enrollment.ts';
import type { EnrollResponse } from '../../core/sync/enrollment.ts';
import { readHallState } from '../hall/hall-settings.ts';
import { ApiError, parseOrThrow } from '../http/api-error.ts';
import type { RouteContext } from '../http/route-context.ts';
import { enrollDevice } from './devices.ts';

/** An enrolment is a code and a version string: a few hundred bytes. */
const enrollBodyLimit = 4 * 1024;

export function registerEnrollRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { db, clock } = ctx;
  // Anyone may try a code: limited per address before the body is read, and the body is small.
  const enrolment = { onRequest: async (request: FastifyRequest) => ctx.limitAnonymous(request), bodyLimit: enrollBodyLimit };
  app.post('/api/v1/devices/enroll', enrolment, async (request): Promise<EnrollResponse> => {
    const body = parseOrThrow(enrollRequestSchema, request.body, 'enrollment');
    const enrolled = await enrollDevice(db, clock, body.code, body.version);
    if (!enrolled) throw new ApiError(401, 'enrollment-code-invalid', 'enrollment code unknown, already used, expired or revoked; ask the hall admin for a new one');
    const hall = await readHallState(db);
    request.log.info({ device: enrolled.deviceId }, 'device enrolled');
    return { deviceId: enrolled.deviceId, name: enrolled.name, token: enrolled.token, epoch: hall.epoch, serverTime: clock.now() };
  });

}
