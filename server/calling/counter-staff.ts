import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Clock } from '../../core/calendar/clock.ts';
import { counterPinSchema } from '../../core/queue/counter-api.ts';
import { loginFailuresBeforeLock, lockMsAfter } from '../admin/admin-users.ts';
import type { Database } from '../db/schema.ts';
import { decoyPasswordHash, hashPassword, newSecretToken, sha256Hex, verifyPassword } from '../devices/credentials.ts';

/**
 * Counter staff credentials: a PIN or password an admin sets per staff member (scrypt with a salt,
 * compared in constant time — devices/credentials.ts), locked after repeated failures on the
 * admin login's schedule, and the sessions a sign-in opens at one window. Fingerprint sign-in at
 * the window comes later; it will open the same session.
 */

/** A working day; a window's session ends at sign-out or after this. */
export const counterSessionTtlMs = 12 * 60 * 60 * 1000;
const failureMemoryMs = 24 * 60 * 60 * 1000;
const maxLockMs = 60 * 60 * 1000;

export class CounterStaffError extends Error {
  override readonly name = 'CounterStaffError';
}

/** Sets (or replaces) a staff member's counter PIN; any lock on it ends. */
export async function setCounterPin(db: Kysely<Database>, clock: Clock, hallId: string, staffId: string, pin: string, setBy: string): Promise<void> {
  const checked = counterPinSchema.safeParse(pin);
  if (!checked.success) throw new CounterStaffError(checked.error.issues[0]!.message);
  const staff = await db.selectFrom('staff').select(['active']).where('id', '=', staffId).executeTakeFirst();
  if (!staff) throw new CounterStaffError(`no staff member ${staffId} on the roster`);
  if (staff.active !== 1) throw new CounterStaffError(`staff member ${staffId} is deactivated`);
  const now = clock.now();
  const row = { pin_hash: await hashPassword(pin), set_by: setBy, set_at: now, failures: 0, last_failure_at: 0, locked_until: 0, attempt: '' };
  await db
    .insertInto('counter_credentials')
    .values({ hall_id: hallId, staff_id: staffId, ...row })
    .onConflict((oc) => oc.columns(['hall_id', 'staff_id']).doUpdateSet(row))
    .execute();
}

export type PinCheck =
  | { ok: true }
  | { ok: false; reason: 'invalid'; lockedUntil: number | null }
  | { ok: false; reason: 'locked'; lockedUntil: number };

/**
 * Counts the attempt before checking the PIN, in one conditional statement, so parallel guesses
 * on several processes cannot slip past the lock; an attempt meeting a lock changes nothing and
 * is refused unchecked. A staff member without a PIN costs the same scrypt as one with.
 */
export async function checkCounterPin(db: Kysely<Database>, clock: Clock, hallId: string, staffId: string, pin: string): Promise<PinCheck> {
  const now = clock.now();
  const attempt = randomUUID();
  const bigint = (value: number) => sql<number>`cast(${value} as bigint)`;
  const t = 'counter_credentials';
  const failures = sql<number>`case when ${sql.ref(`${t}.last_failure_at`)} < ${now - failureMemoryMs} then 1 else ${sql.ref(`${t}.failures`)} + 1 end`;
  const steps = Array.from({ length: 12 }, (_, i) => loginFailuresBeforeLock + i);
  const lockFor = sql<number>`case ${sql.join(steps.map((n) => sql`when ${failures} = ${n} then ${bigint(now + lockMsAfter(n))}`), sql` `)} when ${failures} > ${steps.at(-1)!} then ${bigint(now + maxLockMs)} else ${bigint(0)} end`;
  const counted = await db
    .updateTable(t)
    .set({ failures, last_failure_at: now, locked_until: lockFor, attempt })
    .where('hall_id', '=', hallId)
    .where('staff_id', '=', staffId)
    .where('locked_until', '<=', now)
    .returning(['pin_hash', 'locked_until'])
    .executeTakeFirst();
  if (!counted) {
    const locked = await db.selectFrom(t).select('locked_until').where('hall_id', '=', hallId).where('staff_id', '=', staffId).executeTakeFirst();
    if (locked && Number(locked.locked_until) > now) return { ok: false, reason: 'locked', lockedUntil: Number(locked.locked_until) };
    await verifyPassword(pin, decoyPasswordHash);
    return { ok: false, reason: 'invalid', lockedUntil: null };
  }
  if (!(await verifyPassword(pin, counted.pin_hash))) {
    const until = Number(counted.locked_until);
    return { ok: false, reason: 'invalid', lockedUntil: until > now ? until : null };
  }
  await db.updateTable(t).set({ failures: 0, locked_until: 0 }).where('hall_id', '=', hallId).where('staff_id', '=', staffId).where('attempt', '=', attempt).execute();
  // Taken off the roster since the PIN was set: the PIN no longer opens a window.
  const staff = await db.selectFrom('staff').select('active').where('id', '=', staffId).executeTakeFirst();
  if (staff?.active !== 1) return { ok: false, reason: 'invalid', lockedUntil: null };
  return { ok: true };
}

export interface CounterCaller {
  hallId: string;
  staffId: string;
  window: number;
}

/** A new session for `staffId` at `window`: the token is shown once, only its hash is kept. */
export async function openCounterSession(db: Kysely<Database>, now: number, caller: CounterCaller): Promise<{ token: string; expiresAt: number }> {
  const token = newSecretToken('hkc');
  const expiresAt = now + counterSessionTtlMs;
  await db.deleteFrom('counter_sessions').where('expires_at', '<=', now).execute();
  await db
    .insertInto('counter_sessions')
    .values({ token_hash: sha256Hex(token), hall_id: caller.hallId, staff_id: caller.staffId, window_number: caller.window, expires_at: expiresAt, created_at: now })
    .execute();
  return { token, expiresAt };
}

export async function authenticateCounter(db: Kysely<Database>, now: number, token: string): Promise<CounterCaller | null> {
  const row = await db
    .selectFrom('counter_sessions')
    .select(['hall_id', 'staff_id', 'window_number'])
    .where('token_hash', '=', sha256Hex(token))
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row ? { hallId: row.hall_id, staffId: row.staff_id, window: row.window_number } : null;
}

/** Ends every session at the window: after 签退 no counter may press for it. */
export async function endCounterSessions(db: Kysely<Database>, hallId: string, window: number): Promise<void> {
  await db.deleteFrom('counter_sessions').where('hall_id', '=', hallId).where('window_number', '=', window).execute();
}
