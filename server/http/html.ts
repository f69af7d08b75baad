import { createHash } from 'node:crypto';
import { hallLocalTime } from '../../core/calendar/business-day.ts';

/** Every value that reaches a server-rendered page goes through this, names and errors alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A moment as the admin pages show it: the hall's wall clock to the minute, "2026-12-02 09:14". */
export function minuteText(epochMs: number, timeZone: string): string {
  const { day, time } = hallLocalTime(epochMs, timeZone);
  return `${day} ${time.slice(0, 5)}`;
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
