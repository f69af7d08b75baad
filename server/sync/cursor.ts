import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * What a pull cursor remembers, opaque to the kiosk: base64url JSON and an HMAC of it. Every
 * position is one the server itself reported (the signature sees to that), so finding the server
 * *behind* any of them — fewer events applied for this device, an older catalog or settings
 * version — proves its database went back in time.
 */
const cursorSchema = z.object({
  v: z.literal(1),
  /** server epoch */
  e: z.string().min(1).max(64),
  /** device the cursor was made for */
  d: z.string().min(1).max(64),
  /** catalog version the kiosk has (-1: none) */
  c: z.int().min(-1),
  /** settings version the kiosk has */
  s: z.int().nonnegative(),
  /** the device's last applied seq when the cursor was made */
  a: z.int().nonnegative(),
  /** hall calendar revision the kiosk has (0: none); absent from cursors made before calendars */
  r: z.int().nonnegative().default(0),
});
export type PullCursor = z.input<typeof cursorSchema>;

function signature(body: string, key: string): Buffer {
  return createHmac('sha256', key).update(body).digest().subarray(0, 16);
}

/** Any position the server hands a kiosk: base64url JSON and an HMAC of it. */
export function encodeSigned(value: unknown, key: string): string {
  const body = Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  return `${body}.${signature(body, key).toString('base64url')}`;
}

/** A position this server made and `schema` accepts, or null (forged, damaged, another kind). */
export function decodeSigned<T>(text: string, key: string, schema: z.ZodType<T>): T | null {
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(text);
  if (!match) return null;
  const [, body, mac] = match as unknown as [string, string, string];
  const given = Buffer.from(mac, 'base64url');
  const expected = signature(body, key);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function encodeCursor(cursor: PullCursor, key: string): string {
  return encodeSigned(cursor, key);
}

export function decodeCursor(text: string, key: string): PullCursor | null {
  return decodeSigned(text, key, cursorSchema);
}
