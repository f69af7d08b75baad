import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { fingerIndexSchema, staffIdSchema, templateUploadSchema } from '../../core/attendance/roster.ts';
import { ApiError, parseOrThrow } from '../http/api-error.ts';
import type { RouteContext } from '../http/route-context.ts';
import { StaffError, addStaff, deactivateStaff, getStaff, listStaff, updateStaff } from './roster.ts';
import { TemplateIntegrityError } from './template-cipher.ts';
import { TemplateKeyError } from './template-key.ts';
import { enrolmentGrantRequestSchema, grantEnrolment } from './enrolment-grants.ts';
import { TemplatesDisabled, templateAuditOf } from './templates.ts';
import type { TemplateStore } from './templates.ts';

/** Turns this module's refusals into answers; anything else stays a 500. */
export function asApiError(error: unknown): unknown {
  if (error instanceof StaffError) {
    if (error.kind === 'not-an-admin') return new ApiError(403, 'not-an-admin', error.message);
    if (error.kind === 'duplicate-finger') return new ApiError(409, 'duplicate-finger', error.message);
    if (error.kind === 'not-granted') return new ApiError(403, 'enrolment-not-granted', error.message);
    const status = error.kind === 'not-found' ? 404 : error.kind === 'conflict' ? 409 : 400;
    return new ApiError(status, error.kind === 'invalid' ? 'invalid-body' : error.kind, error.message);
  }
  if (error instanceof TemplatesDisabled) return new ApiError(503, 'templates-disabled', error.message);
  return error;
}

export async function answering<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asApiError(error);
  }
}

const templateParams = z.object({ staffId: staffIdSchema, finger: fingerIndexSchema });
const staffParams = z.object({ id: staffIdSchema });
const staffListQuery = z.object({ department: z.string().max(64).optional(), inactive: z.enum(['0', '1']).optional() });
const auditQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) });
const templatePageQuery = z.object({ after: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(500).default(100) });

/**
 * The roster for admins, and fingerprint templates for kiosks. Template bytes go only to kiosk
 * device tokens; the admin routes say which fingers are enrolled and nothing more.
 */
export function registerStaffRoutes(app: FastifyInstance, ctx: RouteContext, templates: TemplateStore): void {
  const { db, clock } = ctx;
  const admin = { preHandler: ctx.requireAdmin };
  const device = { onRequest: ctx.requireDevice };

  app.get('/api/v1/admin/staff', admin, async (request) => {
    const query = parseOrThrow(staffListQuery, request.query, 'staff list');
    return { templatesEnabled: templates.enabled, staff: await listStaff(db, { departmentId: query.department, includeInactive: query.inactive === '1' }) };
  });

  app.get('/api/v1/admin/staff/:id', admin, async (request) => {
    const { id } = parseOrThrow(staffParams, request.params, 'staff');
    const member = await getStaff(db, id);
    if (!member) throw new ApiError(404, 'not-found', `no staff member ${id}`);
    return { staff: member };
  });

  app.post('/api/v1/admin/staff', admin, async (request) => {
    const member = await answering(() => addStaff(db, clock, request.body));
    request.log.info({ staff: member.id }, 'staff added');
    return { staff: member };
  });

  app.patch('/api/v1/admin/staff/:id', admin, async (request) => {
    const { id } = parseOrThrow(staffParams, request.params, 'staff');
    const member = await answering(() => updateStaff(db, clock, id, request.body));
    request.log.info({ staff: id }, 'staff updated');
    return { staff: member };
  });

  app.post('/api/v1/admin/staff/:id/deactivate', admin, async (request) => {
    const { id } = parseOrThrow(staffParams, request.params, 'staff');
    const result = await answering(() => deactivateStaff(db, clock, id));
    request.log.info({ staff: id, templatesDeleted: result.templatesDeleted }, 'staff deactivated');
    return { staff: result.member, templatesDeleted: result.templatesDeleted };
  });

  app.delete('/api/v1/admin/staff/:staffId/templates/:finger', admin, async (request) => {
    const { staffId, finger } = parseOrThrow(templateParams, request.params, 'template');
    const deleted = await templates.remove(staffId, finger);
    if (!deleted) throw new ApiError(404, 'not-found', `staff member ${staffId} has no template for finger ${finger}`);
    request.log.info({ staff: staffId, finger, admin: request.adminUser }, 'fingerprint template deleted');
    return { staffId, finger, deleted: true };
  });

  app.post('/api/v1/admin/staff/:id/enrolment-grants', admin, async (request) => {
    const { id } = parseOrThrow(staffParams, request.params, 'staff');
    const body = parseOrThrow(enrolmentGrantRequestSchema, request.body ?? {}, 'enrolment grant');
    const grant = await answering(() => grantEnrolment(db, clock, { staffId: id, deviceId: body.deviceId, grantedBy: request.adminUser!, minutes: body.minutes }));
    request.log.info({ staff: id, device: body.deviceId, admin: request.adminUser, expiresAt: grant.expiresAt }, 'fingerprint enrolment granted');
    return { grant };
  });

  // Who enrolled whom, when, from which kiosk, new or replacing: the hall's answer to 代签 disputes.
  app.get('/api/v1/admin/staff/:id/template-audit', admin, async (request) => {
    const { id } = parseOrThrow(staffParams, request.params, 'staff');
    return { audit: await templateAuditOf(db, { staffId: id }) };
  });
  app.get('/api/v1/admin/template-audit', admin, async (request) => {
    const query = parseOrThrow(auditQuery, request.query, 'template audit');
    return { audit: await templateAuditOf(db, { limit: query.limit }) };
  });

  // Kiosk routes: an enrolling kiosk uploads, every kiosk downloads into its own reader.

  app.put('/api/v1/staff/:staffId/templates/:finger', device, async (request) => {
    const { staffId, finger } = parseOrThrow(templateParams, request.params, 'template');
    const body = parseOrThrow(templateUploadSchema, request.body, 'template upload');
    const bytes = Buffer.from(body.template, 'base64');
    const attestation = { authorisedBy: body.authorisedBy ?? null, matchedTemplate: body.matchedTemplate === undefined ? null : Buffer.from(body.matchedTemplate, 'base64') };
    const stored = await answering(() => readable(request, () => templates.put(staffId, finger, bytes, body.format, request.device?.id ?? null, attestation)));
    request.log.info({ staff: staffId, finger, device: request.device?.id, authorisedBy: body.authorisedBy?.method ?? 'unknown', grantedBy: stored.grantedBy, replaced: stored.replaced }, 'fingerprint template stored');
    return { staffId, finger, revision: stored.revision, replaced: stored.replaced };
  });

  app.get('/api/v1/staff/templates', device, async (request) => {
    const query = parseOrThrow(templatePageQuery, request.query, 'templates');
    const page = await answering(() => readable(request, () => templates.listAfter(query.after, query.limit)));
    const last = page.at(-1);
    return { templates: page, next: page.length === query.limit && last ? last.revision : null };
  });

  app.get('/api/v1/staff/:staffId/templates/:finger', device, async (request) => {
    const { staffId, finger } = parseOrThrow(templateParams, request.params, 'template');
    const found = await answering(() => readable(request, () => templates.get(staffId, finger)));
    if (!found) throw new ApiError(404, 'not-found', `staff member ${staffId} has no template for finger ${finger}`);
    return found;
  });

  // A kiosk's token proves which kiosk asks, not that an admin stands at it: any kiosk (a stolen
  // one, or one with an open maintenance screen) could otherwise wipe anybody's fingers. The kiosk
  // never deletes; the admin does, with a session the server issued.
  app.delete('/api/v1/staff/:staffId/templates/:finger', device, async () => {
    throw new ApiError(403, 'not-an-admin', 'a kiosk cannot delete fingerprint templates; an admin deletes them with DELETE /api/v1/admin/staff/:staffId/templates/:finger');
  });
}

/**
 * A template that will not decrypt is an incident (a changed key, a damaged or tampered row), not
 * a kiosk's mistake: logged as an error — by staff id and finger, never bytes — and answered 500.
 */
async function readable<T>(request: FastifyRequest, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof TemplateIntegrityError || error instanceof TemplateKeyError) {
      request.log.error({ reason: error.message }, 'fingerprint template unreadable');
      throw new ApiError(500, 'internal', error.message);
    }
    throw error;
  }
}
