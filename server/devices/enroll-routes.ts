import type { FastifyInstance } from 'fastify';
import { hallApi } from '../../core/http/contract.ts';
import { readHallState } from '../hall/hall-settings.ts';
import { ApiError } from '../http/api-error.ts';
import { contractRoutes } from '../http/contract-routes.ts';
import type { RouteContext } from '../http/route-context.ts';
import { enrollDevice } from './devices.ts';

/** An enrolment is a code and a version string: a few hundred bytes. */
const enrollBodyLimit = 4 * 1024;

export function registerEnrollRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { db, clock } = ctx;
  // Anyone may try a code: limited per address before the body is read, and the body is small.
  contractRoutes(app, ctx)(hallApi.devicesEnroll, { limitAnonymous: true, bodyLimit: enrollBodyLimit }, async ({ body }, request) => {
    const enrolled = await enrollDevice(db, clock, body.code, body.version);
    if (!enrolled) throw new ApiError(401, 'enrollment-code-invalid', 'enrollment code unknown, already used, expired or revoked; ask the hall admin for a new one');
    const hall = await readHallState(db);
    request.log.info({ device: enrolled.deviceId }, 'device enrolled');
    return { deviceId: enrolled.deviceId, name: enrolled.name, token: enrolled.token, epoch: hall.epoch, serverTime: clock.now() };
  });
}
