import type { FastifyRequest } from 'fastify';

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
