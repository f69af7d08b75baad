import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Clock } from '../../core/calendar/clock.ts';
import { decoyPasswordHash, hashPassword, newSecretToken, sha256Hex, verifyPassword } from '../devices/credentials.ts';
import type { Database } from '../db/schema.ts';

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

/** Consecutive failed logins of one user name before it is locked. */
export const loginFailuresBeforeLock = 5;
const maxLockMs = 60 * 60 * 1000;
/** A user name's failures are forgotten this long after the last one. */
const failureMemoryMs = 24 * 60 * 60 * 1000;

/** 1, 2, 4 … minutes from the fifth failure on, at most an hour: slow for a guesser, short for a typo. */
export function lockMsAfter(failures: number): number {
  if (failures < loginFailuresBeforeLock) return 0;
  return Math.min(maxLockMs, 60_000 * 2 ** Math.min(failures - loginFailuresBeforeLock, 10));
}

export type AdminLogin =
  | { ok: true; token: string; expiresAt: number }
  /** wrong name or password; `knownUser` only for the audit line, never for the answer */
  | { ok: false; reason: 'invalid'; failures: number; lockedUntil: number | null; knownUser: boolean }
  /** refused unchecked: the name is locked after too many failures */
  | { ok: false; reason: 'locked'; lockedUntil: number; knownUser: boolean };

/**
 * Counts the attempt against the user name before the password is checked, in one statement, so
 * parallel guesses on several server processes cannot slip past the lock between reading and
 * writing it. An attempt that meets a lock changes nothing (a guesser cannot lengthen the lock
 * the real admin waits out) and is refused without a password check. Unknown names are counted
 * like real ones, so the lock does not tell which names exist.
 */
async function countAttempt(db: Kysely<Database>, now: number, username: string): Promise<{ counted: true; failures: number; lockedUntil: number } | { counted: false; lockedUntil: number }> {
  const attempt = randomUUID();
  // PostgreSQL types a bare parameter in a CASE from its neighbours: an epoch needs bigint said.
  const bigint = (value: number) => sql<number>`cast(${value} as bigint)`;
  const t = 'admin_login_failures';
  const locked = sql<boolean>`${sql.ref(`${t}.locked_until`)} > ${now}`;
  const forgotten = sql<boolean>`${sql.ref(`${t}.last_failure_at`)} < ${now - failureMemoryMs}`;
  const failures = sql<number>`case when ${forgotten} then 1 else ${sql.ref(`${t}.failures`)} + 1 end`;
  const steps = Array.from({ length: 12 }, (_, i) => loginFailuresBeforeLock + i);
  const lockFor = sql<number>`case ${sql.join(steps.map((n) => sql`when ${failures} = ${n} then ${bigint(now + lockMsAfter(n))}`), sql` `)} when ${failures} > ${steps.at(-1)!} then ${bigint(now + maxLockMs)} else ${bigint(0)} end`;
  await db.deleteFrom(t).where('locked_until', '<=', now).where('last_failure_at', '<', now - failureMemoryMs).execute();
  const row = await db
    .insertInto(t)
    .values({ username, failures: 1, last_failure_at: now, locked_until: 0, attempt })
    .onConflict((oc) =>
      oc.column('username').doUpdateSet({
        failures: sql`case when ${locked} then ${sql.ref(`${t}.failures`)} else ${failures} end`,
        last_failure_at: sql`case when ${locked} then ${sql.ref(`${t}.last_failure_at`)} else ${now} end`,
        locked_until: sql`case when ${locked} then ${sql.ref(`${t}.locked_until`)} else ${lockFor} end`,
        attempt: sql`case when ${locked} then ${sql.ref(`${t}.attempt`)} else ${attempt} end`,
      }),
    )
    .returning(['failures', 'locked_until', 'attempt'])
    .executeTakeFirstOrThrow();
  const lockedUntil = Number(row.locked_until);
  return row.attempt === attempt ? { counted: true, failures: Number(row.failures), lockedUntil } : { counted: false, lockedUntil };
}

export async function loginAdmin(db: Kysely<Database>, clock: Clock, username: string, password: string): Promise<AdminLogin> {
  const now = clock.now();
  const counted = await countAttempt(db, now, username);
  const user = await db.selectFrom('admin_users').select('password_hash').where('username', '=', username).executeTakeFirst();
  if (!counted.counted) return { ok: false, reason: 'locked', lockedUntil: counted.lockedUntil, knownUser: user !== undefined };
  const ok = await verifyPassword(password, user?.password_hash ?? decoyPasswordHash);
  if (!user || !ok) return { ok: false, reason: 'invalid', failures: counted.failures, lockedUntil: counted.lockedUntil > now ? counted.lockedUntil : null, knownUser: user !== undefined };
  await db.deleteFrom('admin_login_failures').where('username', '=', username).execute();
  const token = newSecretToken('hka');
  const expiresAt = now + adminSessionTtlMs;
  await db.deleteFrom('admin_sessions').where('expires_at', '<=', now).execute();
  await db.insertInto('admin_sessions').values({ token_hash: sha256Hex(token), username, expires_at: expiresAt, created_at: now }).execute();
  return { ok: true, token, expiresAt };
}

/** Logout: the session ends on the server, for every process, not just in the browser. */
export async function revokeAdminSession(db: Kysely<Database>, token: string): Promise<boolean> {
  const result = await db.deleteFrom('admin_sessions').where('token_hash', '=', sha256Hex(token)).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
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
