import type { Kysely } from 'kysely';
import type { Clock } from '../../core/calendar/clock.ts';
import type { UpdateHealthReport } from '../../core/kiosk/software-update.ts';
import type { Database } from '../db/schema.ts';

/**
 * How many different kiosks must find a release unhealthy before the server withdraws it for the
 * whole hall. One is not enough: any device token — a stolen kiosk's, a hostile device's on the
 * hall LAN — could otherwise take every kiosk off a good release (or back onto an older one) by
 * itself. Counting kiosks, not reports, and only kiosks not revoked since. A single kiosk's report
 * is logged for the admin, who can withdraw by hand (update:withdraw).
 */
export const defaultWithdrawQuorum = 2;

/**
 * Records `deviceId`'s report (once per kiosk and release: a repeat updates it) and answers how
 * many kiosks, still enrolled, have reported this release unhealthy.
 */
export async function recordUnhealthyReport(db: Kysely<Database>, clock: Clock, deviceId: string, report: UpdateHealthReport): Promise<{ kiosks: number }> {
  return db.transaction().execute(async (trx) => {
    const row = { channel: report.channel, platform: report.platform, version: report.version, device_id: deviceId, reason: report.reason, starts: report.starts, reported_at: clock.now() };
    await trx
      .insertInto('update_health_reports')
      .values(row)
      .onConflict((oc) => oc.columns(['channel', 'platform', 'version', 'device_id']).doUpdateSet({ reason: row.reason, starts: row.starts, reported_at: row.reported_at }))
      .execute();
    const counted = await trx
      .selectFrom('update_health_reports')
      .innerJoin('devices', 'devices.id', 'update_health_reports.device_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('update_health_reports.channel', '=', report.channel)
      .where('update_health_reports.platform', '=', report.platform)
      .where('update_health_reports.version', '=', report.version)
      .where('devices.revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    return { kiosks: Number(counted.n) };
  });
}
