import { createHash } from 'node:crypto';

/**
 * What the server keeps of a live ticket's token (core/ticket/live-ticket.ts): its SHA-256. The
 * token has 128 random bits, so a plain hash is enough; a copy of the database then holds no
 * address that opens a citizen's ticket.
 */
export function liveTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}
