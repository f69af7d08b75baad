import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { adminSessionToken, csrfTokenFor } from './admin-cookie.ts';
import { adminApiPrefix } from '../../core/http/contract.ts';
import type { ApiErrorCode } from '../../core/sync/errors.ts';
import { ApiError } from '../http/api-error.ts';
import { escapeHtml } from '../http/html.ts';

/**
 * No admin action without the admin's intent (CSRF). SameSite=Strict is not enough: a page on
 * another port of the hall server's host (the host-mode kiosk, say) is "same-site". So every
 * state-changing admin request — the /admin pages and the /api/v1/admin API alike — is checked
 * before its body is read:
 *  - a browser's Origin must be this server's own (scheme, host and port), and Sec-Fetch-Site,
 *    when sent, must say same-origin;
 *  - a form of the cookie-authenticated pages must also carry the session's CSRF token.
 * The API authenticates with a bearer token no other page can attach, so the origin rule is its
 * guard; clients without a browser (the CLI, curl) send no Origin and pass it.
 */

export const csrfField = '_csrf';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The admin surface: the pages under /admin and the admin API. */
export function isAdminPath(url: string): boolean {
  return url === '/admin' || url.startsWith('/admin/') || url.startsWith(adminApiPrefix);
}

/** The login form has no session yet to bind a token to; its guard is the origin rule alone. */
const tokenlessPages = new Set(['/admin/login']);

/**
 * The headers of every admin page. Its referrer policy is `same-origin`, not `no-referrer`: under
 * `no-referrer` Chromium posts the page's forms with `Origin: null`, and the origin check above
 * is the CSRF guard; other sites still get no referrer.
 */
export function setAdminPageHeaders(reply: FastifyReply, csp: string): void {
  reply.header('content-security-policy', csp);
  reply.header('cache-control', 'no-store');
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'same-origin');
}

/** The hidden field every POST form of an admin page carries. */
export function csrfInput(token: string): string {
  return `<input type="hidden" name="${csrfField}" value="${escapeHtml(token)}">`;
}

function refuse(code: ApiErrorCode, message: string): ApiError {
  return new ApiError(403, code, message);
}

/** Origin and Fetch Metadata: the browser says where the request was made. */
export function checkSameOrigin(request: FastifyRequest): void {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') {
    throw refuse('cross-origin-refused', `an admin change must come from this server's own pages (Sec-Fetch-Site: ${site.slice(0, 20)}); nothing was changed`);
  }
  const origin = request.headers.origin;
  if (origin === undefined) return;
  // A browser sends `Origin: null` for a form it posts from a page whose referrer policy withholds
  // the origin; it is ours only if Fetch Metadata vouches for it (a sandboxed frame says cross-site).
  if (origin === 'null' && site === 'same-origin') return;
  const own = `${request.protocol}://${request.host}`;
  if (origin.toLowerCase() !== own.toLowerCase()) {
    throw refuse('cross-origin-refused', `an admin change must come from this server's own pages (${own}), not ${origin.slice(0, 100)}; nothing was changed`);
  }
}

/** The form's token against the session cookie's; a request without the cookie is the route's to refuse. */
function checkFormToken(request: FastifyRequest): void {
  const session = adminSessionToken(request);
  if (session === null) return;
  const body = request.body;
  const sent = typeof body === 'object' && body !== null && !Buffer.isBuffer(body) ? (body as Record<string, unknown>)[csrfField] : undefined;
  const expected = Buffer.from(csrfTokenFor(session));
  const given = Buffer.from(typeof sent === 'string' ? sent : '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw refuse('csrf-token-invalid', 'this form lacks the page’s security token (reload the page and try again); nothing was changed');
  }
}

export interface RouteEntry {
  method: string;
  url: string;
}

/**
 * Installs the guard on every state-changing admin route as it is added, wherever it is added,
 * so a new route cannot be forgotten; `table` receives every route of the app, for the tests.
 * Must run before any route is registered.
 */
export function guardAdminIntent(app: FastifyInstance, table: RouteEntry[]): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) table.push({ method, url: route.url });
    if (!isAdminPath(route.url) || methods.every((m) => safeMethods.has(m))) return;
    const prior = (hooks: unknown) => (hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks]);
    route.onRequest = [async (request: FastifyRequest) => checkSameOrigin(request), ...prior(route.onRequest)];
    if (route.url.startsWith('/admin/') && !tokenlessPages.has(route.url)) {
      route.preValidation = [async (request: FastifyRequest) => checkFormToken(request), ...prior(route.preValidation)];
    }
  });
}
