import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { hallWebFilesPath, webPages } from '../../core/http/contract.ts';
import { escapeHtml } from './html.ts';

/**
 * The hall server's web apps (counter, live ticket, later displays): React pages whose code lives
 * in server/<feature>/web/ and server/web/, built by Vite (vite.hall.config.ts) into dist/hall-web/
 * and served from here. Each app has a path of its own; the files it loads (hashed, so cached for
 * good) come from /hall-web/. Nothing is rendered here: a page is a static file plus the API.
 */

/** Where `npm run build` puts the apps. */
export const defaultHallWebDir = fileURLToPath(new URL('../../dist/hall-web/', import.meta.url));

/** Each app's HTML file within the build, by its path (core/http/contract.ts's webPages). */
export const hallWebPageFiles: { readonly [P in (typeof webPages)[number]['path']]: string } = {
  '/counter': 'calling/web/counter.html',
  '/t/:token': 'live/web/live.html',
  '/voice': 'voice/web/voice-check.html',
  '/display/hall': 'displays/web/display.html',
  '/display/window/:number': 'displays/web/display.html',
};

/**
 * Scripts and styles from this server only, none inline, no plugins or frames; requests only back
 * to this server (the API and the event stream).
 */
export const hallWebCsp =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; font-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const securityHeaders: Readonly<Record<string, string>> = {
  'content-security-policy': hallWebCsp,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

export interface HallWebOptions {
  /** the built apps; default dist/hall-web */
  dir?: string;
}

function missingBuildPage(dir: string, file: string, restart: boolean): string {
  const zh = restart ? '然后重启服务器' : '然后刷新本页';
  const en = restart ? 'then restart the server' : 'then reload this page';
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>页面未构建 · Page not built</title></head>
<body>
<h1>此页面尚未构建 · This page has not been built</h1>
<p>服务器找不到 ${escapeHtml(join(dir, file))}。请在服务器的代码目录运行 <code>npm run build</code>，${zh}。</p>
<p>The server cannot find ${escapeHtml(join(dir, file))}. Run <code>npm run build</code> in the server's source folder, ${en}.</p>
</body></html>
`;
}

export async function registerHallWeb(app: FastifyInstance, options: HallWebOptions = {}): Promise<void> {
  const dir = options.dir ?? defaultHallWebDir;
  const secure = (reply: FastifyReply) => {
    for (const [name, value] of Object.entries(securityHeaders)) reply.header(name, value);
  };
  const built = existsSync(dir);
  if (built) {
    await app.register(fastifyStatic, {
      root: dir,
      // Vite's `base` in vite.hall.config.ts
      prefix: hallWebFilesPath,
      dotfiles: 'deny',
      index: false,
      // Built file names carry their content's hash; the HTML pages are served by path, below.
      immutable: true,
      maxAge: '365d',
      setHeaders: (reply) => secure(reply),
    });
  } else {
    // The same routes either way: the files' path says what is missing too.
    app.get(`${hallWebFilesPath}*`, async (_request, reply) => {
      secure(reply);
      return reply.code(503).type('text/plain; charset=utf-8').send(`The hall web apps have not been built: ${dir} is missing. Run \`npm run build\`, then restart the server.\n`);
    });
  }
  for (const page of webPages) {
    const file = hallWebPageFiles[page.path];
    app.get(page.path, async (_request, reply) => {
      secure(reply);
      reply.header('cache-control', 'no-store');
      // Checked at each request, so a page deleted since start-up says so; a build that appeared
      // after start-up needs a restart (the files' route was set up without it).
      if (!built || !existsSync(join(dir, file))) return reply.code(503).type('text/html; charset=utf-8').send(missingBuildPage(dir, file, !built));
      return reply.type('text/html; charset=utf-8').sendFile(file, dir, { cacheControl: false });
    });
  }
}
