import { z } from 'zod';

/**
 * The live ticket (DESIGN.md §7, issue 15): the ticket's QR opens `<hall public address>/t/<token>`
 * on the hall server, where the citizen's phone follows the ticket's place in the queue.
 *
 * The token is not the ticket id: a UUIDv7 starts with its issue time, so ids of one morning are
 * close to guessable. It is 16 random bytes made on the kiosk with the ticket (offline too, since
 * the QR is printed at once), pushed with it, and kept by the server only as its SHA-256.
 */

/** 16 random bytes in base64url: 22 characters, nothing to escape in a URL. */
export const liveTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'a live ticket token is 22 base64url characters');
export const liveTokenBytes = 16;

const base64url = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The token of 16 random bytes (the caller's: crypto.getRandomValues on the kiosk, a seeded source in tests). */
export function liveTokenOf(bytes: Uint8Array): string {
  if (bytes.length !== liveTokenBytes) throw new Error(`a live ticket token takes ${liveTokenBytes} random bytes, not ${bytes.length}`);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += base64url[(value >> bits) & 63];
    }
  }
  if (bits > 0) out += base64url[(value << (6 - bits)) & 63];
  return out;
}

/** Where the live ticket pages live under the hall's public address. */
export const liveTicketPathPrefix = '/t/';

/**
 * The hall's public address: where a citizen's phone reaches the hall server (often not the
 * address the kiosks use on the hall's own network). Absolute http(s), ASCII (the QR payload is
 * kept ASCII, core/printing/printing.ts), no user or password, no query and no fragment: the
 * ticket's path is appended to it. A trailing slash is dropped.
 */
export const hallPublicAddressSchema = z
  .string()
  .trim()
  .min(1, 'the public address is empty')
  .max(200, 'the public address is longer than 200 characters')
  .superRefine((text, ctx) => {
    const problem = publicAddressProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((text) => text.replace(/\/+$/, ''));

// Written out rather than with URL: core has no DOM or Node globals.
const schemePattern = /^(https?):\/\/(.*)$/i;
const hostPattern = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])$/;
const pathPattern = /^(?:\/[A-Za-z0-9\-._~!$&'()*+,;=:@%]*)*$/;

function publicAddressProblem(text: string): string | null {
  if (!/^[\x21-\x7e]+$/.test(text)) return `"${text}" has spaces or characters that are not ASCII; write the host in its ASCII (punycode) form`;
  const scheme = schemePattern.exec(text);
  if (!scheme) return `"${text}" is not an absolute http(s) address, e.g. https://zwfw.example.gov.cn`;
  if (text.includes('?')) return `"${text}" has a query (?…); the ticket's path is appended to the address`;
  if (text.includes('#')) return `"${text}" has a fragment (#…); the ticket's path is appended to the address`;
  const rest = scheme[2]!;
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? '' : rest.slice(slash);
  if (authority.includes('@')) return `"${text}" carries a user name or password`;
  const port = /^(.*?)(?::(\d{1,5}))?$/.exec(authority)!;
  if (!hostPattern.test(port[1]!)) return `"${text}" has no valid host name`;
  if (port[2] !== undefined && (Number(port[2]) < 1 || Number(port[2]) > 65535)) return `"${text}" has a port outside 1–65535`;
  if (!pathPattern.test(path)) return `"${text}" has a path with characters a URL path cannot hold`;
  return null;
}

/** The address as kept (no trailing slash), or why it is not one. */
export function checkHallPublicAddress(text: string): { ok: true; address: string } | { ok: false; message: string } {
  const parsed = hallPublicAddressSchema.safeParse(text);
  return parsed.success ? { ok: true, address: parsed.data } : { ok: false, message: parsed.error.issues[0]?.message ?? 'not a valid address' };
}

/**
 * What the ticket's QR carries: the live ticket's address, or null — no QR at all — when the hall
 * has no public address or the ticket no token (issued before live tickets existed).
 */
export function liveTicketUrl(publicAddress: string | null | undefined, token: string | undefined): string | null {
  if (!publicAddress || !token) return null;
  return `${publicAddress.replace(/\/+$/, '')}${liveTicketPathPrefix}${token}`;
}
