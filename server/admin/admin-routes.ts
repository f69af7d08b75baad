import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { revokeAdminSession } from './admin-users.ts';
import { catalogChanges } from '../catalog/import/catalog-changes.ts';
import { readImport } from '../catalog/import/catalog-import.ts';
import type { ImportSource } from '../catalog/import/catalog-import.ts';
import { CatalogImportError } from '../catalog/catalog-store.ts';
import { listDeadLetters } from '../sync/dead-letters.ts';
import { DeviceError, createDevice, listDevices, revokeDevice } from '../devices/devices.ts';
import { readHallState } from '../hall/hall-settings.ts';
import { auditedLogin } from './admin-login.ts';
import { ApiError, parseOrThrow } from '../http/api-error.ts';
import type { RouteContext } from '../http/route-context.ts';

const loginSchema = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) });
const newDeviceSchema = z.object({ name: z.string().trim().min(1).max(80) });
const deadLetterQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(1000).optional(), deviceId: z.string().max(64).optional() });
const importQuerySchema = z.object({ publish: z.enum(['true', 'false', '1', '0']).optional() });
const exportQuerySchema = z.object({ draft: z.enum(['true', 'false', '1', '0']).optional() });
const yes = (flag: string | undefined) => flag === 'true' || flag === '1';

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** A hall's whole catalog with its guides; the demo hall's is about 0.3 MB as JSON. */
const catalogBodyLimit = 16 * 1024 * 1024;

/** Every problem of a refused import, each at its cell or JSON path, so the admin can fix them in one go. */
function refuseImport(reply: FastifyReply, error: CatalogImportError): FastifyReply {
  return reply.status(400).send({ error: { code: 'invalid-body', message: error.summary, issues: error.issues } });
}

function importSourceOf(request: FastifyRequest): ImportSource {
  return Buffer.isBuffer(request.body) ? { kind: 'xlsx', name: 'the uploaded workbook', bytes: request.body } : { kind: 'document', document: request.body };
}

/** The admin API: what the CLI does, over HTTP with an admin session. */
export function registerAdminRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { db, clock, catalogs } = ctx;
  const admin = { preHandler: ctx.requireAdmin };
  // Authenticated before a body of up to 16 MB is read, not after.
  const catalogUpload = { onRequest: ctx.requireAdmin, bodyLimit: catalogBodyLimit };
  app.addContentTypeParser(xlsxType, { parseAs: 'buffer', bodyLimit: catalogBodyLimit }, (_request, body, done) => done(null, body));

  app.post('/api/v1/admin/login', async (request) => {
    ctx.limitAnonymous(request);
    const body = parseOrThrow(loginSchema, request.body, 'login');
    const session = await auditedLogin(ctx, request, body.username, body.password);
    if (session.ok) return { token: session.token, expiresAt: session.expiresAt };
    if (session.locked) {
      const retryAfterSeconds = Math.max(1, Math.ceil((session.locked.until - clock.now()) / 1000));
      throw new ApiError(429, 'admin-locked', `too many failed logins for this user name: locked until ${session.locked.hallTime} (hall time)`, { lockedUntil: session.locked.until, retryAfterSeconds });
    }
    throw new ApiError(401, 'admin-credentials-invalid', 'wrong user name or password');
  });

  // The token stops working at once, on every server process: the session row is gone.
  app.post('/api/v1/admin/logout', admin, async (request) => {
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (token) await revokeAdminSession(db, token);
    request.log.info({ audit: 'admin-logout', user: request.adminUser }, 'admin logged out');
    return { loggedOut: true };
  });

  app.get('/api/v1/admin/status', admin, async () => {
    const hall = await readHallState(db);
    const catalog = await catalogs.latest();
    const draft = await catalogs.latestImport();
    return {
      hallName: hall.hallName,
      timeZone: hall.timeZone,
      epoch: hall.epoch,
      settingsVersion: hall.settingsVersion,
      catalogVersion: catalog?.version ?? null,
      latestImport: draft,
    };
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

  /** Validates the body completely, then stores it as a draft (and publishes it when asked). */
  async function importBody(request: FastifyRequest, reply: FastifyReply, publish: boolean) {
    let content;
    try {
      content = await readImport(importSourceOf(request));
    } catch (error) {
      if (error instanceof CatalogImportError) return refuseImport(reply, error);
      throw error;
    }
    const before = await catalogs.latestContent();
    const source = `${request.method} ${request.routeOptions.url ?? request.url} by ${request.adminUser ?? 'admin'}`;
    try {
      const saved = await catalogs.saveDraft(content, clock, { source, publish });
      request.log.info({ import: saved.draft.id, version: saved.published?.version }, saved.published ? 'catalog imported and published' : 'catalog imported');
      return reply.status(publish ? 200 : 201).send({
        importId: saved.draft.id,
        publishedVersion: saved.published?.version ?? null,
        departments: content.catalog.departments.length,
        services: content.catalog.services.length,
        guides: Object.keys(content.guides).length,
        changes: catalogChanges(before, content),
      });
    } catch (error) {
      if (error instanceof CatalogImportError) throw new ApiError(409, 'conflict', error.message);
      throw error;
    }
  }

  // The catalog and its guides ({catalog, guides} as JSON, or an .xlsx workbook), kept until published.
  app.post('/api/v1/admin/catalog/imports', catalogUpload, async (request, reply) => {
    const query = parseOrThrow(importQuerySchema, request.query, 'catalog import');
    return importBody(request, reply, yes(query.publish));
  });

  // Import and publish in one step.
  app.put('/api/v1/admin/catalog', catalogUpload, async (request, reply) => importBody(request, reply, true));

  app.post('/api/v1/admin/catalog/publish', admin, async (request) => {
    try {
      const published = await catalogs.publish(clock);
      request.log.info({ version: published.version, import: published.draftId }, 'catalog published');
      return { version: published.version, importId: published.draftId };
    } catch (error) {
      if (error instanceof CatalogImportError) throw new ApiError(409, 'conflict', error.message);
      throw error;
    }
  });

  // The published catalog and guides in the JSON import format (?draft=true: the latest import).
  app.get('/api/v1/admin/catalog', admin, async (request) => {
    const query = parseOrThrow(exportQuerySchema, request.query, 'catalog export');
    if (yes(query.draft)) {
      const draft = await catalogs.latestDraft();
      if (!draft) throw new ApiError(404, 'not-found', 'there is no import yet');
      return { importId: draft.id, publishedVersion: draft.publishedVersion, catalog: draft.content.catalog, guides: draft.content.guides };
    }
    const published = await catalogs.latestContent();
    if (!published) throw new ApiError(404, 'not-found', 'no catalog is published yet');
    return { version: published.version, catalog: published.catalog, guides: published.guides ?? {} };
  });
}
