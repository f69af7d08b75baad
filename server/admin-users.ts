import type { Kysely } from 'kysely';
import type { Clock } from '../core/clock.ts';
import { decoyPasswordHash, hashPassword, newSecretToken, sha256Hex, verifyPassword } from './credentials.ts';
import type { Database } from './db/schema.ts';

export const adminSessionTtlMs = 8 * 60 * 60 * 1000;
const usernamePattern = /^[a-z][a-z0-9._-]{1,31}$/;
export const minPasswordLength = 10;

export class AdminUserError extends Error {
  override readonly name = 'AdminUserError';
}

export async function createAdminUser(db: Kysely<Database>, clock: Clock, username: string, password: string): Promise<void> {
  if (!usernamePattern.test(username)) throw new AdminUserError('user name: 2–32 lower-case letters, digits, dots, dashes or underscores, starting with a letter');
  if (password.length < minPasswordLength) throw new AdminUserError(`password: at least ${minPasswordLength} characters`);
  const existing = await db.selectFrom('admin_users').select('username').where('username', '=', username).executeTakeFirst();
  if (existing) throw new AdminUserError(`admin user "${username}" already exists`);
  await db.insertInto('admin_users').values({ username, password_hash: await hashPassword(password), created_at: clock.now() }).execute();
}

export async function loginAdmin(db: Kysely<Database>, clock: Clock, username: string, password: string): Promise<{ token: string; expiresAt: number } | null> {
  const user = await db.selectFrom('admin_users').select('password_hash').where('username', '=', username).executeTakeFirst();
  const ok = await verifyPassword(password, user?.password_hash ?? decoyPasswordHash);
  if (!user || !ok) return null;
  const now = clock.now();
  const token = newSecretToken('hka');
  const expiresAt = now + adminSessionTtlMs;
  await db.deleteFrom('admin_sessions').where('expires_at', '<=', now).execute();
  await db.insertInto('admin_sessions').values({ token_hash: sha256Hex(token), username, expires_at: expiresAt, created_at: now }).execute();
  return { token, expiresAt };
}

export async function authenticateAdmin(db: Kysely<Database>, clock: Clock, token: string): Promise<string | null> {
  const row = await db
    .selectFrom('admin_sessions')
    .select('username')
    .where('token_hash', '=', sha256Hex(token))
    .where('expires_at', '>', clock.now())
    .executeTakeFirst();
  return row?.username ?? null;
}
