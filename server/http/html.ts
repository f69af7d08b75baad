import { createHash } from 'node:crypto';

/** Every value that reaches a server-rendered page goes through this, names and errors alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * A Content-Security-Policy that allows one inline style sheet by its hash and nothing else: no
 * script, no other style, no frames, forms only back to this server. An injected tag, should
 * escaping ever miss one, can neither run nor restyle the page.
 */
export function strictCsp(styleSheet: string): string {
  const hash = createHash('sha256').update(styleSheet, 'utf8').digest('base64');
  return `default-src 'none'; style-src 'sha256-${hash}'; img-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;
}
