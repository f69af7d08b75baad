import { createHmac } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../../core/calendar/clock.ts';
import { authenticateAdmin } from './admin-users.ts';
import type { Database } from '../db/schema.ts';

/**
 * The admin session of the server's web pages. A browser cannot send the API's bearer token on a
 * link, so /admin/login (server/attendance/bulletin-web.ts) puts the same admin session token in
 * this cookie: HttpOnly, SameSite=Strict, scoped to /admin.
 */
export const adminCookieName = 'hall_admin';

export function adminSessionToken(request: FastifyRequest): string | null {
  const header = request.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name !== adminCookieName) continue;
    try {
      return decodeURIComponent(value.join('='));
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * The CSRF token of a page session (server/admin/admin-intent.ts): derived from the session token,
 * so it is per session, needs no storage and is the same on every server process, and it cannot
 * be computed without the HttpOnly cookie that no other page can read.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('hall-admin-csrf').digest('base64url');
}

/**
 * The admin logged in on this page's session cookie; without one the reply becomes a redirect to
 * the login form, which comes back to `returnTo` (this request's own address by default).
 */
export async function adminOrLoginRedirect(
  deps: { db: Kysely<Database>; clock: Clock },
  request: FastifyRequest,
  reply: FastifyReply,
  returnTo: string = request.url,
): Promise<string | null> {
  const token = adminSessionToken(request);
  const user = token ? await authenticateAdmin(deps.db, deps.clock, token) : null;
  if (user) {
    request.adminUser = user;
    request.adminCsrf = csrfTokenFor(token!);
    return user;
  }
  reply.redirect(`/admin/login?next=${encodeURIComponent(returnTo)}`, 303);
  return null;
}

/** Browsers post forms urlencoded: the routes of `scope` (and only they) take them, as a flat record. */
export function acceptBrowserForms(scope: FastifyInstance): void {
  scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
}
