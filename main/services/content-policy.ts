import type { ConfigError } from './config-service.ts';

/** Same policy as renderer/index.html's meta tag; sent as a header too because a header also covers non-HTML responses and cannot be edited by the page. */
export const rendererCsp =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Headers every response of the renderer carries, in host mode and under app:// alike. */
export const securityHeaders: Readonly<Record<string, string>> = {
  'Content-Security-Policy': rendererCsp,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  // the clip voice bundled for elder mode (renderer/elder/clip-voice.ts)
  '.wav': 'audio/wav',
};

/** With nosniff, a wrong type breaks the page rather than guessing, so unknown files are opaque bytes. */
export function contentTypeFor(file: string): string {
  const dot = file.lastIndexOf('.');
  return (dot >= 0 && contentTypes[file.slice(dot).toLowerCase()]) || 'application/octet-stream';
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => escapes[c]!);

/**
 * The page both shells show instead of the kiosk when its config cannot be used. It names every
 * bad key so the technician on site can fix the file without reading logs. No inline styles or
 * scripts: the CSP forbids them.
 */
export function configErrorPage(error: ConfigError): string {
  const items = error.problems.map((p) => `<li><code>${escapeHtml(p)}</code></li>`).join('\n');
  return `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>配置错误 · Kiosk configuration error</title></head>
<body>
<h1>配置错误 · Kiosk configuration error</h1>
<p>本机配置文件有误，自助终端暂停服务。请联系技术人员。<br>
The kiosk cannot start because its configuration file is invalid. Please call a technician.</p>
<p>File: <code>${escapeHtml(error.file)}</code></p>
<ul>
${items}
</ul>
<p>The file has not been changed. Correct the keys listed above, then restart the kiosk.</p>
</body>
</html>
`;
}
