import { z } from 'zod';

/**
 * The one-time code an admin reads off the server and types into the kiosk: 16 characters of
 * Crockford's base32 (no I, L, O, U) in groups of four. Typing is forgiving: lower case, missing
 * dashes and the look-alikes I/L→1, O→0 are accepted.
 */
export const enrollmentCodePattern = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/;

export function normalizeEnrollmentCode(typed: string): string {
  const compact = typed.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  return compact.match(/.{1,4}/g)?.join('-') ?? '';
}

export const enrollRequestSchema = z.object({
  code: z
    .string()
    .max(40)
    .transform(normalizeEnrollmentCode)
    .pipe(z.string().regex(enrollmentCodePattern, 'enrollment code: 16 letters and digits, e.g. 7KQ2-M9XD-R4TB-HC3W')),
  /** the kiosk's app version, shown to the admin */
  version: z.string().max(40).optional(),
});
export type EnrollRequest = z.input<typeof enrollRequestSchema>;

export const enrollResponseSchema = z.object({
  deviceId: z.string(),
  name: z.string(),
  /** the bearer token for every later request; shown once, stored hashed on the server */
  token: z.string(),
  epoch: z.string(),
  serverTime: z.int(),
});
export type EnrollResponse = z.infer<typeof enrollResponseSchema>;
