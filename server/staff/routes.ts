import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hallApi } from '../../core/http/contract.ts';
import { ApiError } from '../http/api-error.ts';
import { contractRoutes } from '../http/contract-routes.ts';
import type { RouteContext } from '../http/route-context.ts';
import { StaffError, addStaff, deactivateStaff, getStaff, listStaff, updateStaff } from './roster.ts';
import { TemplateIntegrityError } from './template-cipher.ts';
import { TemplateKeyError } from './template-key.ts';
import { TemplatesDisabled, templateAuditOf } from './templates.ts';
import type { TemplateStore } from './templates.ts';

/** Turns this module's refusals into answers; anything else stays a 500. */
export function asApiError(error: unknown): unknown {
  if (error instanceof StaffError) {
    if (error.kind === 'not-an-admin') return new ApiError(403, 'not-an-admin', error.message);
    if (error.kind === 'duplicate-finger') return new ApiError(409, 'duplicate-finger', error.message);
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

/**
 * The roster for admins, and fingerprint templates for kiosks. Template bytes go only to kiosk
 * device tokens; the admin routes say which fingers are enrolled and nothing more.
 */
export function registerStaffRoutes(app: FastifyInstance, ctx: RouteContext, templates: TemplateStore): void {
  const { db, clock } = ctx;
  const serve = contractRoutes(app, ctx);

  serve(hallApi.adminStaffList, async ({ query }) => ({
    templatesEnabled: templates.enabled,
    staff: await listStaff(db, { departmentId: query.department, includeInactive: query.inactive === '1' }),
  }));

  serve(hallApi.adminStaff, async ({ params: { id } }) => {
    const member = await getStaff(db, id);
    if (!member) throw new ApiError(404, 'not-found', `no staff member ${id}`);
    return { staff: member };
  });

  serve(hallApi.adminStaffAdd, async ({ body }, request) => {
    const member = await answering(() => addStaff(db, clock, body));
    request.log.info({ staff: member.id }, 'staff added');
    return { staff: member };
  });

  serve(hallApi.adminStaffUpdate, async ({ params: { id }, body }, request) => {
    const member = await answering(() => updateStaff(db, clock, id, body));
    request.log.info({ staff: id }, 'staff updated');
    return { staff: member };
  });

  serve(hallApi.adminStaffDeactivate, async ({ params: { id } }, request) => {
    const result = await answering(() => deactivateStaff(db, clock, id));
    request.log.info({ staff: id, templatesDeleted: result.templatesDeleted }, 'staff deactivated');
    return { staff: result.member, templatesDeleted: result.templatesDeleted };
  });

  serve(hallApi.adminTemplateDelete, async ({ params: { staffId, finger }, admin }, request) => {
    const deleted = await templates.remove(staffId, finger);
    if (!deleted) throw new ApiError(404, 'not-found', `staff member ${staffId} has no template for finger ${finger}`);
    request.log.info({ staff: staffId, finger, admin }, 'fingerprint template deleted');
    return { staffId, finger, deleted: true as const };
  });

  // Who enrolled whom, when, from which kiosk, new or replacing: the hall's answer to 代签 disputes.
  serve(hallApi.adminStaffTemplateAudit, async ({ params: { id } }) => ({ audit: await templateAuditOf(db, { staffId: id }) }));
  serve(hallApi.adminTemplateAudit, async ({ query }) => ({ audit: await templateAuditOf(db, { limit: query.limit }) }));

  // Kiosk routes: an enrolling kiosk uploads, every kiosk downloads into its own reader.

  serve(hallApi.templateUpload, async ({ params: { staffId, finger }, body, device }, request) => {
    const bytes = Buffer.from(body.template, 'base64');
    const attestation = { authorisedBy: body.authorisedBy ?? null, matchedTemplate: body.matchedTemplate === undefined ? null : Buffer.from(body.matchedTemplate, 'base64') };
    const stored = await answering(() => readable(request, () => templates.put(staffId, finger, bytes, body.format, device.id, attestation)));
    request.log.info({ staff: staffId, finger, device: device.id, authorisedBy: body.authorisedBy?.method ?? 'unknown', replaced: stored.replaced }, 'fingerprint template stored');
    return { staffId, finger, revision: stored.revision, replaced: stored.replaced };
  });

  serve(hallApi.templatePage, async ({ query }, request) => {
    const page = await answering(() => readable(request, () => templates.listAfter(query.after, query.limit)));
    const last = page.at(-1);
    return { templates: page, next: page.length === query.limit && last ? last.revision : null };
  });

  serve(hallApi.templateDownload, async ({ params: { staffId, finger } }, request) => {
    const found = await answering(() => readable(request, () => templates.get(staffId, finger)));
    if (!found) throw new ApiError(404, 'not-found', `staff member ${staffId} has no template for finger ${finger}`);
    return found;
  });

  // A kiosk's token proves which kiosk asks, not that an admin stands at it: any kiosk (a stolen
  // one, or one with an open maintenance screen) could otherwise wipe anybody's fingers. The kiosk
  // never deletes; the admin does, with a session the server issued.
  const adminDelete = `${hallApi.adminTemplateDelete.method} ${hallApi.adminTemplateDelete.path}`;
  serve(hallApi.templateDeleteByDevice, async () => {
    throw new ApiError(403, 'not-an-admin', `a kiosk cannot delete fingerprint templates; an admin deletes them with ${adminDelete}`);
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
