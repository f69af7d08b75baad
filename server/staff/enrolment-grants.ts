import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Clock } from '../../core/calendar/clock.ts';
import type { Database } from '../db/schema.ts';
import { StaffError } from './roster.ts';

/**
 * Who may put a finger on the server as somebody's (enrol it). A kiosk's token proves which kiosk
 * asks, not who stands at it, and what a kiosk says about its own staff screen (opened with its
 * PIN, or an admin's finger) is its word alone: the PIN is checked on the kiosk, and an admin's
 * template is no proof of presence — every kiosk downloads every template for its reader, so any
 * kiosk (or a stolen token) could show one. So the server takes an upload only under a grant an
 * admin gave in a session the server itself opened (admin login, with its lockout and CSRF guard):
 * one staff member, one kiosk, a short while. The kiosk's own account is still recorded beside it.
 */

export { defaultGrantMinutes, enrolmentGrantRequestSchema, maxGrantMinutes } from '../../core/http/admin-api.ts';

export type { EnrolmentGrant } from '../../core/http/admin-api.ts';
import type { EnrolmentGrant } from '../../core/http/admin-api.ts';

/** Gives leave to enrol `staffId`'s fingers at `deviceId` for `minutes`; refused for an unknown or inactive member or kiosk. */
export async function grantEnrolment(db: Kysely<Database>, clock: Clock, grant: { staffId: string; deviceId: string; grantedBy: string; minutes: number }): Promise<EnrolmentGrant> {
  return db.transaction().execute(async (trx) => {
    const staff = await trx.selectFrom('staff').select(['active']).where('id', '=', grant.staffId).executeTakeFirst();
    if (!staff) throw new StaffError(`no staff member ${grant.staffId}`, 'not-found');
    if (Number(staff.active) !== 1) throw new StaffError(`staff member ${grant.staffId} is deactivated; reactivate before enrolling`, 'conflict');
    const device = await trx.selectFrom('devices').select(['enrolled_at', 'revoked_at']).where('id', '=', grant.deviceId).executeTakeFirst();
    if (!device || device.enrolled_at === null || device.revoked_at !== null) throw new StaffError(`no enrolled kiosk ${grant.deviceId} (revoked kiosks and unused enrollment codes cannot enrol fingers)`, 'not-found');
    const now = clock.now();
    const row = { id: uuidv7({ msecs: now }), staff_id: grant.staffId, device_id: grant.deviceId, granted_by: grant.grantedBy, created_at: now, expires_at: now + grant.minutes * 60_000 };
    await trx.insertInto('enrolment_grants').values(row).execute();
    return grantOf(row);
  });
}

/** The grant an upload of `staffId`'s finger from `deviceId` is taken under now, or null (the latest to expire, when several). */
export async function openGrantFor(db: Kysely<Database>, staffId: string, deviceId: string, now: number): Promise<EnrolmentGrant | null> {
  const row = await db
    .selectFrom('enrolment_grants')
    .selectAll()
    .where('staff_id', '=', staffId)
    .where('device_id', '=', deviceId)
    .where('expires_at', '>', now)
    .orderBy('expires_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? grantOf(row) : null;
}

/** Every grant not yet expired, the latest first: the template audit page lists them. */
export async function openGrants(db: Kysely<Database>, now: number): Promise<EnrolmentGrant[]> {
  const rows = await db.selectFrom('enrolment_grants').selectAll().where('expires_at', '>', now).orderBy('created_at', 'desc').limit(200).execute();
  return rows.map(grantOf);
}

function grantOf(row: { id: string; staff_id: string; device_id: string; granted_by: string; created_at: number; expires_at: number }): EnrolmentGrant {
  return { id: row.id, staffId: row.staff_id, deviceId: row.device_id, grantedBy: row.granted_by, createdAt: Number(row.created_at), expiresAt: Number(row.expires_at) };
}
