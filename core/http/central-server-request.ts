import { z } from 'zod';
import { boundedJsonSchema, jsonMaxDepth } from './json-bounds.ts';

/**
 * The routes of the hall's central server a kiosk's device token is used for, and nothing else:
 * enrollment, the admin API and every other host stay out of reach. The page reaches them only
 * through the privileged side, which holds the token and adds it, and only the `page` ones; the
 * `privileged` ones carry what the privileged side owns (the roster, fingerprint templates, the
 * hall rules it enforces, its own update reports), so a page, even a compromised one, neither
 * reads nor writes them (docs/architecture.md, "One owner per piece of data").
 */
const kioskRoutes: ReadonlyArray<{ method: 'GET' | 'POST' | 'PUT'; path: RegExp; caller: 'page' | 'privileged' }> = [
  { method: 'POST', path: /^\/api\/v1\/sync\/push$/, caller: 'page' },
  // The pull's own query parameters only; cursors are base64url with a dot, left as is by
  // encodeURIComponent.
  { method: 'GET', path: /^\/api\/v1\/sync\/pull(\?(cursor|for)=[A-Za-z0-9_.%-]{1,2048}(&(cursor|for)=[A-Za-z0-9_.%-]{1,2048})?)?$/, caller: 'page' },
  { method: 'POST', path: /^\/api\/v1\/numbers\/next$/, caller: 'page' },
  { method: 'POST', path: /^\/api\/v1\/numbers\/lease$/, caller: 'page' },
  // A staff check-in, decided by the server with every kiosk's check-ins (core/attendance/checkin.ts).
  { method: 'POST', path: /^\/api\/v1\/attendance\/checkins$/, caller: 'page' },
  // No dots or escapes: a URL parser would turn "%2e%2e" into a step up the path.
  { method: 'GET', path: /^\/api\/v1\/queue\/[A-Za-z0-9_-]{1,64}$/, caller: 'page' },
  { method: 'GET', path: /^\/api\/v1\/time$/, caller: 'page' },
  // The kiosk's status report for the hall office (core/kiosk/device-status.ts).
  { method: 'POST', path: /^\/api\/v1\/devices\/status$/, caller: 'page' },
  // A software update that did not come up healthy (core/kiosk/software-update.ts); sent by the
  // privileged side's update controller.
  { method: 'POST', path: /^\/api\/v1\/updates\/health$/, caller: 'privileged' },
  // The roster, which templates exist, and the hall rules (core/sync/privileged-pull.ts).
  { method: 'GET', path: /^\/api\/v1\/sync\/privileged-pull(\?cursor=[A-Za-z0-9_.%-]{1,2048})?$/, caller: 'privileged' },
  // Fingerprint templates (core/attendance/roster.ts): the enrolling kiosk uploads, every kiosk
  // downloads into its own reader. Staff ids as staffIdSchema allows, fingers 0–9.
  { method: 'PUT', path: /^\/api\/v1\/staff\/[A-Za-z0-9][A-Za-z0-9._-]{0,35}\/templates\/[0-9]$/, caller: 'privileged' },
  { method: 'GET', path: /^\/api\/v1\/staff\/[A-Za-z0-9][A-Za-z0-9._-]{0,35}\/templates\/[0-9]$/, caller: 'privileged' },
  { method: 'GET', path: /^\/api\/v1\/staff\/templates(\?(after|limit)=[0-9]{1,15}(&(after|limit)=[0-9]{1,15})?)?$/, caller: 'privileged' },
];

export function isKioskRoute(method: string, path: string): boolean {
  return kioskRoutes.some((r) => r.method === method && r.path.test(path));
}

/** A kiosk route the page may have the privileged side call for it (server.request). */
export function isPageRoute(method: string, path: string): boolean {
  return kioskRoutes.some((r) => r.caller === 'page' && r.method === method && r.path.test(path));
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
