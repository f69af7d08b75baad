import { z } from 'zod';
import { hallRoutes } from './contract.ts';
import type { HallRoute } from './contract.ts';
import { boundedJsonSchema, jsonMaxDepth } from './json-bounds.ts';
import { compileRoutes, matchRoute, requestOf } from './route-contract.ts';
import type { PageAccess, RequestArgs, RouteSpec } from './route-contract.ts';

/**
 * The renderer reaches the hall's central server only through the privileged side, which holds
 * the device token and adds it. It may ask for the kiosk routes the contract opens to the page
 * (core/http/contract.ts, entries with `page`) and nothing else: enrollment, the admin API, the
 * queue stream and every other host stay out of its reach, even from a compromised page.
 */
const pageRoutes = hallRoutes.filter((r): r is Extract<HallRoute, { page: PageAccess }> => 'page' in r);
/** All routes, so a path resolves to the route the server would run ('/queue/stream' is not a service id). */
const allRoutes = compileRoutes(hallRoutes);

const anchored = (pattern: string) => new RegExp(`^(?:${pattern})$`);
/** Per page route: the URL text each path parameter and each query key may be. */
const pageChecks = new Map<HallRoute, { params: Array<readonly [string, RegExp]>; query: Map<string, RegExp> }>(
  pageRoutes.map((r) => {
    const access: PageAccess = r.page;
    const params = Object.entries(access.params ?? {}).map(([name, text]) => [name, anchored(text)] as const);
    const query = new Map(Object.entries(access.query ?? {}).map(([key, text]) => [key, anchored(text)]));
    return [r, { params, query }];
  }),
);

/** A path no URL parser may reinterpret: no escapes, backslashes, empty or dot segments. */
const unsafePath = /%|\\|\/\.{1,2}(\/|$)|\/\//;

/** The routes a kiosk's token is sent to: its own (device) and the time, by the methods a kiosk sends (no DELETE: an admin's). */
const kioskRoutes = new Set<HallRoute>(hallRoutes.filter((r) => (r.caller === 'device' || 'page' in r) && ['GET', 'POST', 'PUT'].includes(r.method)));

/** The kiosk route `method path` reaches (page or privileged side's), or null when it is none. */
export function deviceRouteOf(method: string, path: string): HallRoute | null {
  const mark = path.indexOf('?');
  const pathname = mark < 0 ? path : path.slice(0, mark);
  if (unsafePath.test(pathname)) return null;
  const match = matchRoute(allRoutes, method, pathname);
  if (!match || !kioskRoutes.has(match.spec)) return null;
  // Only the route's own query keys, each once: nothing rides along that the server would ignore.
  if (mark >= 0) {
    const keys = new Set(Object.keys((match.spec as RouteSpec).query?.shape ?? {}));
    const seen = new Set<string>();
    for (const pair of path.slice(mark + 1).split('&')) {
      const eq = pair.indexOf('=');
      const key = eq < 0 ? pair : pair.slice(0, eq);
      if (eq < 0 || !keys.has(key) || seen.has(key)) return null;
      seen.add(key);
    }
  }
  return match.spec;
}

/** The kiosk route `method path` reaches, or null when the page may not ask for it. */
export function kioskRouteOf(method: string, path: string): HallRoute | null {
  const mark = path.indexOf('?');
  const pathname = mark < 0 ? path : path.slice(0, mark);
  if (unsafePath.test(pathname)) return null;
  const match = matchRoute(allRoutes, method, pathname);
  const checks = match && pageChecks.get(match.spec);
  if (!match || !checks) return null;
  if (!checks.params.every(([name, text]) => text.test(match.params[name] ?? ''))) return null;
  if (mark >= 0) {
    const pairs = path.slice(mark + 1).split('&');
    const seen = new Set<string>();
    for (const pair of pairs) {
      const eq = pair.indexOf('=');
      const key = eq < 0 ? pair : pair.slice(0, eq);
      const text = checks.query.get(key);
      if (eq < 0 || !text || seen.has(key) || !text.test(pair.slice(eq + 1))) return null;
      seen.add(key);
    }
  }
  return match.spec;
}

/** A route of the hall server a kiosk's token may be sent to, by the page or the privileged side. */
export function isKioskRoute(method: string, path: string): boolean {
  return deviceRouteOf(method, path) !== null;
}

/** A route the page may have the privileged side call for it (the kiosk API's server.request). */
export function isPageRoute(method: string, path: string): boolean {
  return kioskRouteOf(method, path) !== null;
}

/**
 * A request the page may send, built from the contract: `serverRequestOf(hallApi.numbersNext,
 * { body })`. Only the routes open to the page type-check here.
 */
export function serverRequestOf<S extends Extract<HallRoute, { page: PageAccess }>>(spec: S, ...parts: RequestArgs<S>): ServerRequest {
  return requestOf(spec, ...parts) as ServerRequest;
}

/**
 * A request the privileged side sends with the device token, built from the contract: any kiosk
 * route, its own included (`deviceRequestOf(hallApi.syncPrivilegedPull, { query })`).
 */
export function deviceRequestOf<S extends Extract<HallRoute, { caller: 'device' }>>(spec: S, ...parts: RequestArgs<S>): ServerRequest {
  return requestOf(spec, ...parts) as ServerRequest;
}

/** Long enough for a catch-up push of a full batch; online numbering asks for much less. */
export const maxServerTimeoutMs = 60_000;

export const serverRequestSchema = z
  .object({
    method: z.enum(['GET', 'POST', 'PUT']),
    path: z.string().max(2200),
    /** the privileged side serialises it: a page must not make that recurse without end */
    body: boundedJsonSchema({ maxDepth: jsonMaxDepth, maxChars: Infinity }).optional(),
    timeoutMs: z.int().min(100).max(maxServerTimeoutMs).optional(),
  })
  .strict()
  .superRefine((request, ctx) => {
    if (!isKioskRoute(request.method, request.path)) {
      ctx.addIssue({ code: 'custom', path: ['path'], message: `${request.method} ${request.path.slice(0, 80)} is not a kiosk route of the hall server` });
    }
    if (request.method === 'GET' && request.body !== undefined) ctx.addIssue({ code: 'custom', path: ['body'], message: 'a GET request has no body' });
  });
export type ServerRequest = z.infer<typeof serverRequestSchema>;

/** What the page may ask the privileged side to send (the kiosk API's server.request): page routes only. */
export const pageServerRequestSchema = serverRequestSchema.superRefine((request, ctx) => {
  if (isKioskRoute(request.method, request.path) && !isPageRoute(request.method, request.path)) {
    ctx.addIssue({ code: 'custom', path: ['path'], message: `${request.method} ${request.path.split('?')[0]} is the privileged side's own route, not the page's` });
  }
});

/** The server answered: any HTTP status, its JSON body (or text), and its clock if it said. */
export const serverAnswerSchema = z.object({
  status: z.int().min(100).max(599),
  body: z.unknown(),
  serverTime: z.int().nullable(),
});
export type ServerAnswer = z.infer<typeof serverAnswerSchema>;

export const serverFailureReasons = ['unreachable', 'timeout', 'not-configured', 'not-enrolled'] as const;
/** Nothing came back: the kiosk cannot tell whether the server acted on the request. */
export const serverFailureSchema = z.object({
  status: z.literal(0),
  error: z.enum(serverFailureReasons),
});
export type ServerFailure = z.infer<typeof serverFailureSchema>;

export const serverReplySchema = z.union([serverFailureSchema, serverAnswerSchema]);
export type ServerReply = ServerAnswer | ServerFailure;

export function isServerFailure(reply: ServerReply): reply is ServerFailure {
  return reply.status === 0;
}

export const serverStatusSchema = z.object({
  /** a server URL is set (config or this run's override); false means a standalone kiosk */
  configured: z.boolean(),
  /** holds a device token for that server */
  enrolled: z.boolean(),
  /** the server said this device was revoked by the hall admin */
  revoked: z.boolean(),
  /** the server did not know the stored token (e.g. its database was replaced) */
  tokenRejected: z.boolean(),
  deviceId: z.string().nullable(),
  serverUrl: z.string().nullable(),
  /** why the last enrollment attempt failed, for the staff screen */
  enrollmentError: z.string().nullable(),
});
export type ServerStatus = z.infer<typeof serverStatusSchema>;
