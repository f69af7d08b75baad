import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Device tokens and admin and counter session tokens carry 256 random bits. Guessing one is hopeless, so a
 * slow password hash would add only per-request cost: a plain SHA-256 is enough to make a stolen
 * copy of the database useless for impersonating a kiosk. Lookup is by the hash, so the token
 * itself is never compared character by character.
 */
export function newSecretToken(prefix: 'hkd' | 'hka' | 'hkc' | 'hks'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 80 random bits as 16 base32 characters (see core/sync/enrollment.ts); valid for a day at most. */
export function newEnrollmentCode(): string {
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 15; i >= 0; i--) out += crockford[Number((bits >> BigInt(i * 5)) & 31n)];
  return out.match(/.{4}/g)!.join('-');
}

// OWASP's scrypt floor (N=2^17, r=8, p=1) costs 128 MiB per login; 2^15 keeps an admin login near
// 100 ms and 32 MiB, still far beyond what a GPU farm can afford per guess.
const scryptParams = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const keyLength = 32;

function scryptAsync(password: string, salt: Buffer, params: typeof scryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLength, params, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** `scrypt$N$r$p$salt$hash`: the parameters travel with the hash so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, scryptParams);
  return ['scrypt', scryptParams.N, scryptParams.r, scryptParams.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scryptAsync(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p), maxmem: scryptParams.maxmem });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Spent on unknown user names so a login's duration does not reveal which names exist. */
export const decoyPasswordHash = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
