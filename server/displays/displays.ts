import type { Kysely, Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Clock } from '../../core/calendar/clock.ts';
import type { DisplayIdentity, DisplayKind, DisplaySummary } from '../../core/display/display.ts';
import { newDisplaySchema } from '../../core/display/display.ts';
import type { Database, DisplaysTable } from '../db/schema.ts';
import { newEnrollmentCode, newSecretToken, sha256Hex } from '../devices/credentials.ts';
import { defaultEnrollmentTtlMs } from '../devices/devices.ts';
import { parseOrThrow } from '../http/api-error.ts';

/**
 * Hall screens as devices: made by the hall office with a one-time enrolment code, exchanged once
 * by the screen's page for an `hks_` token (only its hash is kept), revocable. The token lets its
 * holder read its zone's calls, windows and waiting counts — nothing else.
 */

export interface AuthenticatedDisplay extends DisplayIdentity {
  lastSeenAt: number | null;
}

function identityOf(row: Selectable<DisplaysTable>): DisplayIdentity {
  return { displayId: row.id, name: row.name, kind: row.kind as DisplayKind, window: row.window_number, zone: JSON.parse(row.zone_json) as string[] };
}

export async function createDisplay(db: Kysely<Database>, clock: Clock, raw: unknown, ttlMs = defaultEnrollmentTtlMs): Promise<{ displayId: string; enrollmentCode: string; expiresAt: number }> {
  const display = parseOrThrow(newDisplaySchema, raw, 'new display');
  const now = clock.now();
  const displayId = uuidv7({ msecs: now });
  const enrollmentCode = newEnrollmentCode();
  const expiresAt = now + ttlMs;
  await db
    .insertInto('displays')
    .values({
      id: displayId,
      name: display.name,
      kind: display.kind,
      window_number: display.window,
      zone_json: JSON.stringify(display.zone),
      token_hash: null,
      enroll_code_hash: sha256Hex(enrollmentCode),
      enroll_code_expires_at: expiresAt,
      enrolled_at: null,
      revoked_at: null,
      last_seen_at: null,
      created_at: now,
    })
    .execute();
  return { displayId, enrollmentCode, expiresAt };
}

/** The code for a token, in one conditional UPDATE: of two pages racing with one code, one wins. */
export async function enrollDisplay(db: Kysely<Database>, clock: Clock, code: string): Promise<{ display: DisplayIdentity; token: string } | null> {
  const now = clock.now();
  const token = newSecretToken('hks');
  const row = await db
    .updateTable('displays')
    .set({ token_hash: sha256Hex(token), enroll_code_hash: null, enroll_code_expires_at: null, enrolled_at: now, last_seen_at: now })
    .where('enroll_code_hash', '=', sha256Hex(code.toUpperCase()))
    .where('enroll_code_expires_at', '>', now)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  return row ? { display: identityOf(row), token } : null;
}

export async function authenticateDisplay(db: Kysely<Database>, token: string): Promise<AuthenticatedDisplay | null> {
  const row = await db.selectFrom('displays').selectAll().where('token_hash', '=', sha256Hex(token)).where('revoked_at', 'is', null).executeTakeFirst();
  return row ? { ...identityOf(row), lastSeenAt: row.last_seen_at } : null;
}

export async function revokeDisplay(db: Kysely<Database>, clock: Clock, displayId: string): Promise<boolean> {
  const result = await db
    .updateTable('displays')
    .set({ revoked_at: clock.now(), token_hash: null, enroll_code_hash: null, enroll_code_expires_at: null })
    .where('id', '=', displayId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function noteDisplaySeen(db: Kysely<Database>, displayId: string, now: number): Promise<void> {
  await db.updateTable('displays').set({ last_seen_at: now }).where('id', '=', displayId).execute();
}

export async function listDisplays(db: Kysely<Database>, live: (displayId: string) => boolean): Promise<DisplaySummary[]> {
  const rows = await db.selectFrom('displays').selectAll().orderBy('created_at').execute();
  return rows.map((row) => ({
    ...identityOf(row),
    enrolled: row.enrolled_at !== null,
    revoked: row.revoked_at !== null,
    live: row.revoked_at === null && live(row.id),
    lastSeenAt: row.last_seen_at,
  }));
}

export async function readDisplayNotice(db: Kysely<Database>, hallId: string): Promise<string> {
  return (await db.selectFrom('display_notice').select('text').where('hall_id', '=', hallId).executeTakeFirst())?.text ?? '';
}

export async function saveDisplayNotice(db: Kysely<Database>, hallId: string, text: string, now: number): Promise<void> {
  await db
    .insertInto('display_notice')
    .values({ hall_id: hallId, text, updated_at: now })
    .onConflict((oc) => oc.column('hall_id').doUpdateSet({ text, updated_at: now }))
    .execute();
}
