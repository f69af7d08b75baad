import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isSet } from '../../core/http/admin-api.ts';
import { hallApi } from '../../core/http/contract.ts';
import { revokeAdminSession } from './admin-users.ts';
import { catalogChanges } from '../catalog/import/catalog-changes.ts';
import { readImport } from '../catalog/import/catalog-import.ts';
import type { ImportSource } from '../catalog/import/catalog-import.ts';
import { CatalogImportError } from '../catalog/catalog-store.ts';
import { listDeadLetters } from '../sync/dead-letters.ts';
import { DeviceError, createDevice, listDevices, revokeDevice } from '../devices/devices.ts';
import { readHallState } from '../hall/hall-settings.ts';
import { auditedLogin } from './admin-login.ts';
import { ApiError } from '../http/api-error.ts';
import { contractRoutes } from '../http/contract-routes.ts';
import type { RouteContext } from '../http/route-context.ts';

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** A hall's whole catalog with its guides; the demo hall's is about 0.3 MB as JSON. */
const catalogBodyLimit = 16 * 1024 * 1024;

/** Every problem of a refused import, each at its cell or JSON path, so the admin can fix them in one go. */
function refusedImport(error: CatalogImportError): ApiError {
  return new ApiError(400, 'invalid-body', error.summary, { issues: error.issues });
}

function importSourceOf(request: FastifyRequest): ImportSource {
  return Buffer.isBuffer(request.body) ? { kind: 'xlsx', name: 'the uploaded workbook', bytes: request.body } : { kind: 'document', document: request.body };
}

/** The admin API: what the CLI does, over HTTP with an admin session. */
export function registerAdminRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { db, clock, catalogs } = ctx;
  const serve = contractRoutes(app, ctx);
  // Authenticated before a body of up to 16 MB is read, like every admin route.
  const catalogUpload = { bodyLimit: catalogBodyLimit };
  app.addContentTypeParser(xlsxType, { parseAs: 'buffer', bodyLimit: catalogBodyLimit }, (_request, body, done) => done(null, body));

  serve(hallApi.adminLogin, { limitAnonymous: true }, async ({ body }, request) => {
    const session = await auditedLogin(ctx, request, body.username, body.password);
    if (session.ok) return { token: session.token, expiresAt: session.expiresAt };
    if (session.locked) {
      const retryAfterSeconds = Math.max(1, Math.ceil((session.locked.until - clock.now()) / 1000));
      throw new ApiError(429, 'admin-locked', `too many failed logins for this user name: locked until ${session.locked.hallTime} (hall time)`, { lockedUntil: session.locked.until, retryAfterSeconds });
    }
    throw new ApiError(401, 'admin-credentials-invalid', 'wrong user name or password');
  });

  // The token stops working at once, on every server process: the session row is gone.
  serve(hallApi.adminLogout, async ({ admin }, request) => {
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (token) await revokeAdminSession(db, token);
    request.log.info({ audit: 'admin-logout', user: admin }, 'admin logged out');
    return { loggedOut: true as const };
  });

  serve(hallApi.adminStatus, async () => {
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

  serve(hallApi.adminDevices, async () => ({ devices: await listDevices(db) }));

  serve(hallApi.adminDeviceCreate, async ({ body }) => {
    try {
      return await createDevice(db, clock, body.name, ctx.enrollmentTtlMs);
    } catch (error) {
      if (error instanceof DeviceError) throw new ApiError(400, 'invalid-body', error.message, { field: 'name' });
      throw error;
    }
  });

  serve(hallApi.adminDeviceRevoke, async ({ params: { id } }, request) => {
    const revoked = await revokeDevice(db, clock, id);
    if (!revoked) throw new ApiError(404, 'not-found', `no device ${id} that is not already revoked`);
    request.log.info({ device: id }, 'device revoked');
    return { deviceId: id, revoked: true as const };
  });

  serve(hallApi.adminDeadLetters, async ({ query }) => ({ deadLetters: await listDeadLetters(db, query) }));

  /** Validates the body completely, then stores it as a draft (and publishes it when asked). */
  async function importBody(request: FastifyRequest, publish: boolean) {
    let content;
    try {
      content = await readImport(importSourceOf(request));
    } catch (error) {
      if (error instanceof CatalogImportError) throw refusedImport(error);
      throw error;
    }
    const before = await catalogs.latestContent();
    const source = `${request.method} ${request.routeOptions.url ?? request.url} by ${request.adminUser ?? 'admin'}`;
    try {
      const saved = await catalogs.saveDraft(content, clock, { source, publish });
      request.log.info({ import: saved.draft.id, version: saved.published?.version }, saved.published ? 'catalog imported and published' : 'catalog imported');
      return {
        importId: saved.draft.id,
        publishedVersion: saved.published?.version ?? null,
        departments: content.catalog.departments.length,
        services: content.catalog.services.length,
        guides: Object.keys(content.guides).length,
        changes: catalogChanges(before, content),
      };
    } catch (error) {
      if (error instanceof CatalogImportError) throw new ApiError(409, 'conflict', error.message);
      throw error;
    }
  }

  // The catalog and its guides ({catalog, guides} as JSON, or an .xlsx workbook), kept until published.
  serve(hallApi.adminCatalogImport, catalogUpload, async ({ query }, request, reply) => {
    const publish = isSet(query.publish);
    const answer = await importBody(request, publish);
    reply.status(publish ? 200 : 201);
    return answer;
  });

  // Import and publish in one step.
  serve(hallApi.adminCatalogReplace, catalogUpload, async (_call, request) => importBody(request, true));

  serve(hallApi.adminCatalogPublish, async (_call, request) => {
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
  serve(hallApi.adminCatalog, async ({ query }) => {
    if (isSet(query.draft)) {
      const draft = await catalogs.latestDraft();
      if (!draft) throw new ApiError(404, 'not-found', 'there is no import yet');
      return { importId: draft.id, publishedVersion: draft.publishedVersion, catalog: draft.content.catalog, guides: draft.content.guides };
    }
    const published = await catalogs.latestContent();
    if (!published) throw new ApiError(404, 'not-found', 'no catalog is published yet');
    return { version: published.version, catalog: published.catalog, guides: published.guides ?? {} };
  });
}
