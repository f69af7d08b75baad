import type { FastifyReply, FastifyRequest } from 'fastify';
import { displayApiPrefix } from '../../core/http/contract.ts';

/**
 * A display's token lives in an HttpOnly cookie, not in the page's storage: a script that found
 * its way into the page could not read it (nor copy it off the screen's PC), it survives a reload
 * or a power cut, the browser sends it by itself with the page's fetch of the event stream, and it
 * never appears in a URL (logs, the browser's history). Path-scoped to the display routes, so no
 * other route of the server receives it; SameSite=Strict, so another site cannot make the screen
 * send it. The display routes only read, so there is nothing for a forged request to change.
 */
export const displayCookieName = 'hk_display';
/** A screen stays enrolled until revoked: a year, renewed by each enrolment. */
const maxAgeSeconds = 365 * 24 * 60 * 60;

export function setDisplayCookie(reply: FastifyReply, request: FastifyRequest, token: string): void {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  reply.header('set-cookie', `${displayCookieName}=${token}; Path=${displayApiPrefix}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${secure}`);
}

/** The cookie's token; a bench or test client may send the same cookie header. */
export function displayTokenOf(request: FastifyRequest): string | null {
  const header = request.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === displayCookieName) {
      const token = value.join('=');
      return /^hks_[A-Za-z0-9_-]{20,80}$/.test(token) ? token : null;
    }
  }
  return null;
}
