import { createHash, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import Fastify, { LogController, type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { maxRequestBytes } from '../../core/sync/push.ts';
import type { ConfigError } from '../services/config-service.ts';
import { configErrorPage, securityHeaders } from '../services/content-policy.ts';
import type { KioskApiService } from '../services/kiosk-api-service.ts';
import type { Logger } from '../services/logger.ts';

export type HostBackend =
  | { kind: 'ready'; api: Pick<KioskApiService, 'handleCall' | 'subscribe' | 'snapshot'> }
  /** the config is unusable: serve a page saying why instead of exiting, so a supervisor does not restart us in a loop */
  | { kind: 'config-error'; error: ConfigError };

export interface HostServerOptions {
  backend: HostBackend;
  /** 0 picks a free port */
  port: number;
  rendererDir: string;
  /** per-launch secret; every API request must carry it */
  token: string;
  logger: Logger;
  /** SSE comment interval that keeps idle connections from being reaped */
  heartbeatMs?: number;
}

export interface HostServer {
  port: number;
  origin: string;
  /** what the browser opens; the token travels in the fragment, which is never sent to a server */
  url: string;
  close(): Promise<void>;
}

/** A sync push of up to maxRequestBytes passes through server.request, with room for the envelope. */
export const bodyLimitBytes = maxRequestBytes + 64 * 1024;
const loopback = '127.0.0.1';

export async function startHostServer(options: HostServerOptions): Promise<HostServer> {
  const { backend, logger } = options;
  const app = Fastify({
    bodyLimit: bodyLimitBytes,
    // Request logging would write the SSE URL, token included; calls are logged by the API service.
    logController: new LogController({ disableRequestLogging: true }),
    loggerInstance: logger.child({ component: 'host' }, { serializers: { req: (req: { method?: string; url?: string }) => ({ method: req.method, path: req.url?.split('?')[0] }) } }),
  });

  let port = 0;
  const origins = (): string[] => [`http://${loopback}:${port}`, `http://localhost:${port}`];
  const tokenDigest = digest(options.token);
  const streams = new Set<ServerResponse>();

  app.addHook('onSend', async (_request, reply, payload) => {
    for (const [name, value] of Object.entries(securityHeaders)) reply.header(name, value);
    // Revalidate everything: a kiosk browser holding a stale index.html after an update would
    // ask for asset names the new build no longer has.
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-cache');
    return payload;
  });

  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) reply.log.error({ err: error }, 'host request failed');
    void reply.code(status).header('cache-control', 'no-store').send({ ok: false, error: status >= 500 ? 'internal error' : error.message });
  });

  /** Runs before the body is read, so an unauthenticated sender cannot make us parse a megabyte. */
  const guard = (tokenOf: (request: FastifyRequest) => string | undefined) => async (request: FastifyRequest, reply: FastifyReply) => {
    const refusal = refuse(request, origins(), tokenDigest, tokenOf(request));
    if (refusal) return reply.code(refusal.status).header('cache-control', 'no-store').send({ ok: false, error: refusal.error });
  };

  if (backend.kind === 'config-error') {
    const page = configErrorPage(backend.error);
    app.all('/api/*', async (_request, reply) =>
      reply.code(503).header('cache-control', 'no-store').send({ ok: false, error: 'kiosk configuration is invalid', problems: backend.error.problems }));
    app.get('/*', async (_request, reply) => reply.code(503).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page));
  } else {
    const { api } = backend;
    app.post('/api/call', { onRequest: guard(bearerToken) }, async (request, reply) => {
      const body = request.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        return reply.code(400).send({ ok: false, error: 'body must be a JSON object {method, args}' });
      }
      const { method, args } = body as { method?: unknown; args?: unknown };
      const outcome = await api.handleCall(method, args === undefined ? [] : args);
      const status = outcome.ok ? 200 : outcome.code === 'invalid' ? 400 : outcome.code === 'signed-out' ? 403 : 500;
      return reply.code(status).header('cache-control', 'no-store').send(outcome);
    });

    // EventSource cannot send headers, so the token comes in the query string here.
    app.get('/api/events', { onRequest: guard((r) => (r.query as { token?: string }).token) }, (_request, reply) => {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { ...securityHeaders, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
      streams.add(res);
      const write = (text: string) => {
        if (!res.writableEnded && !res.destroyed) res.write(text);
      };
      const send = (event: unknown) => write(`data: ${JSON.stringify(event)}\n\n`);
      // Sent at once so the client sees the stream open (headers alone wait for the first write);
      // it also tells EventSource to reconnect quickly after a host restart.
      write('retry: 2000\n\n');
      for (const event of api.snapshot()) send(event);
      const unsubscribe = api.subscribe(send);
      const heartbeat = setInterval(() => write(': keep-alive\n\n'), options.heartbeatMs ?? 15_000);
      // The response's close is the client going away (the request's fires once its body is read).
      res.on('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
        streams.delete(res);
      });
    });

    app.all('/api/*', async (_request, reply) => reply.code(404).send({ ok: false, error: 'no such endpoint' }));

    if (existsSync(join(options.rendererDir, 'index.html'))) {
      await app.register(fastifyStatic, { root: options.rendererDir, dotfiles: 'deny', cacheControl: false, etag: true });
    } else {
      app.get('/*', async (_request, reply) =>
        reply.code(503).type('text/plain; charset=utf-8').send(`The kiosk UI has not been built: ${options.rendererDir}/index.html is missing. Run \`npm run build\`.\n`));
    }
  }

  // Open event streams would hold close() forever.
  app.addHook('preClose', async () => {
    for (const res of streams) res.end();
    streams.clear();
  });

  await app.listen({ host: loopback, port: options.port });
  const address = app.server.address();
  port = typeof address === 'object' && address ? address.port : options.port;
  const origin = `http://${loopback}:${port}`;
  return {
    port,
    origin,
    url: backend.kind === 'ready' ? `${origin}/#token=${options.token}` : `${origin}/`,
    close: () => app.close(),
  };
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^Bearer ([A-Za-z0-9_-]+)$/.exec(header);
  return match?.[1];
}

/**
 * Loopback is reachable by every web page the machine's browser opens, so a request must come
 * from our own origin (or carry none, as non-browser clients do), name our host (DNS-rebinding
 * pages carry a foreign Host), and carry the launch token.
 */
function refuse(request: FastifyRequest, origins: string[], tokenDigest: Buffer, token: string | undefined): { status: number; error: string } | null {
  const origin = request.headers.origin;
  if (origin !== undefined && !origins.includes(origin)) return { status: 403, error: 'origin not allowed' };
  if (request.headers['sec-fetch-site'] === 'cross-site') return { status: 403, error: 'cross-site request refused' };
  const host = request.headers.host;
  if (host === undefined || !origins.some((o) => o === `http://${host}`)) return { status: 403, error: 'host not allowed' };
  if (token === undefined || !timingSafeEqual(digest(token), tokenDigest)) return { status: 401, error: 'missing or wrong token' };
  return null;
}

// Comparing fixed-length digests keeps the comparison constant-time whatever the input length.
function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
