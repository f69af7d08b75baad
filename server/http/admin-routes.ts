import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { loginAdmin } from '../admin-users.ts';
import { CatalogImportError } from '../catalog-store.ts';
import { listDeadLetters } from '../dead-letters.ts';
import { DeviceError, createDevice, listDevices, revokeDevice } from '../devices.ts';
import { readHallState } from '../hall-settings.ts';
import { ApiError, parseOrThrow } from './api-error.ts';
import type { RouteContext } from './app.ts';

const loginSchema = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) });
const newDeviceSchema = z.object({ name: z.string().trim().min(1).max(80) });
const deadLetterQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(1000).optional(), deviceId: z.string().max(64).optional() });

/** The admin API: what the CLI does, over HTTP with an admin session. */
export function registerAdminRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { db, clock, catalogs } = ctx;
  const admin = { preHandler: ctx.requireAdmin };

  app.post('/api/v1/admin/login', async (request) => {
    ctx.limitAnonymous(request);
    const body = parseOrThrow(loginSchema, request.body, 'login');
    const session = await loginAdmin(db, clock, body.username, body.password);
    if (!session) throw new ApiError(401, 'admin-credentials-invalid', 'wrong user name or password');
    return { token: session.token, expiresAt: session.expiresAt };
  });

  app.get('/api/v1/admin/status', admin, async () => {
    const hall = await readHallState(db);
    const catalog = await catalogs.latest();
    return { hallName: hall.hallName, timeZone: hall.timeZone, epoch: hall.epoch, settingsVersion: hall.settingsVersion, catalogVersion: catalog?.version ?? null };
  });

  app.get('/api/v1/admin/devices', admin, async () => ({ devices: await listDevices(db) }));

  app.post('/api/v1/admin/devices', admin, async (request) => {
    const body = parseOrThrow(newDeviceSchema, request.body, 'new device');
    try {
      return await createDevice(db, clock, body.name, ctx.enrollmentTtlMs);
    } catch (error) {
      if (error instanceof DeviceError) throw new ApiError(400, 'invalid-body', error.message, { field: 'name' });
      throw error;
    }
  });

  app.post<{ Params: { id: string } }>('/api/v1/admin/devices/:id/revoke', admin, async (request) => {
    const revoked = await revokeDevice(db, clock, request.params.id);
    if (!revoked) throw new ApiError(404, 'not-found', `no device ${request.params.id} that is not already revoked`);
    request.log.info({ device: request.params.id }, 'device revoked');
    return { deviceId: request.params.id, revoked: true };
  });

  app.get('/api/v1/admin/dead-letters', admin, async (request) => {
    const query = parseOrThrow(deadLetterQuerySchema, request.query, 'dead letters');
    return { deadLetters: await listDeadLetters(db, query) };
  });

  app.put('/api/v1/admin/catalog', admin, async (request) => {
    try {
      const stored = await catalogs.import(request.body, clock);
      request.log.info({ version: stored.version }, 'catalog imported');
      return { version: stored.version, services: stored.catalog.services.length };
    } catch (error) {
      if (error instanceof CatalogImportError) throw new ApiError(400, 'invalid-body', error.message);
      throw error;
    }
  });
}
