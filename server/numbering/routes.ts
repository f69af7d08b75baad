import type { FastifyInstance } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { businessDayOf } from '../../core/calendar/business-day.ts';
import { calendarRefusalCode } from '../../core/calendar/hall-calendar.ts';
import { hallApi } from '../../core/http/contract.ts';
import { ticketLabel } from '../../core/ticket/ticket.ts';
import { serviceIn } from '../catalog/catalog-store.ts';
import { ApiError } from '../http/api-error.ts';
import { contractRoutes } from '../http/contract-routes.ts';
import type { RouteContext } from '../http/route-context.ts';
import { dayQuotaOf } from '../../core/numbering/day-quota.ts';
import { checkLease, checkOnlineIssue, readNumberingState, type IssueRefusal } from './issue-rules.ts';
import { allocateNumbers, deviceLeasesOf, leaseNumbers } from './numbering.ts';
import { maxLeaseCount } from '../../core/numbering/numbers.ts';

/** How many days ahead a kiosk may lease numbers (a weekend's worth and then some). */
const leaseDaysAhead = 7;
const dayMs = 24 * 60 * 60 * 1000;
/**
 * Unused leased numbers one device may hold for a service and day. A lease costs the quota nothing,
 * but each unused number is one an offline kiosk may issue past it: this bounds the overshoot a
 * device can cause, and a device asking again and again (a fresh profile, a hostile one) cannot
 * drain the band.
 */
const maxHeldPerDevice = maxLeaseCount;
/**
 * Numbers one device may lease for a service and day in all, returned leases too: a kiosk that
 * starts over gets its allowance back (returnLeases), but no device can go on starting over to
 * issue offline without bound.
 */
const maxLeasedPerDevice = 5 * maxLeaseCount;

/** 409 with the calendar's reason, so the kiosk tells the citizen what it would have told them itself. */
function calendarRefused(refusal: IssueRefusal, serviceId: string, day: string): ApiError {
  const when = refusal.nextOpening === null ? 'not again under the current calendar' : `again from ${new Date(refusal.nextOpening).toISOString()}`;
  return new ApiError(409, calendarRefusalCode(refusal.reason), `the hall calendar issues no numbers of ${serviceId} now (${refusal.reason}, ${day}); ${when}`, refusal);
}

export function registerNumberingRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { db, clock, catalogs, calendars, restore } = ctx;
  const serve = contractRoutes(app, ctx);

  serve(hallApi.numbersNext, async ({ device, body }) => {
    const { hall, rules, catalog } = await readNumberingState(db, calendars, catalogs);
    await restore.ensure(hall);
    const service = serviceIn(catalog?.catalog ?? null, body.serviceId);
    const now = clock.now();
    const day = businessDayOf(now, hall.timeZone);
    const key = { hallId: hall.hallId, serviceId: service.id, day };
    const quota = dayQuotaOf(rules, service.id, service.dailyQuota);
    const check = rules ? await checkOnlineIssue(db, rules, key, now, hall.timeZone) : { ok: true as const, slot: null };
    if (!check.ok) throw calendarRefused(check.refusal, service.id, day);
    let taken: Awaited<ReturnType<typeof allocateNumbers>>;
    try {
      taken = await allocateNumbers(db, key, 1, quota, device.id, restore.transaction);
    } catch (error) {
      await check.slot?.release();
      throw error;
    }
    if (!taken.ok) {
      await check.slot?.release();
      throw new ApiError(409, 'quota-reached', `all ${quota} numbers of ${service.id} for ${day} are taken (限号)`);
    }
    return {
      serviceId: service.id,
      businessDay: day,
      sequence: taken.first,
      label: ticketLabel(service.prefix, taken.first),
      priority: body.priority,
      dailyQuota: quota,
      serverTime: clock.now(),
    };
  });

  serve(hallApi.numbersLease, async ({ device, body }) => {
    const deviceId = device.id;
    const { hall, rules, catalog } = await readNumberingState(db, calendars, catalogs);
    await restore.ensure(hall);
    const service = serviceIn(catalog?.catalog ?? null, body.serviceId);
    const now = clock.now();
    const today = businessDayOf(now, hall.timeZone);
    const lastDay = businessDayOf(now + leaseDaysAhead * dayMs, hall.timeZone);
    if (body.day < today || body.day > lastDay) {
      throw new ApiError(409, 'day-not-open', `numbers can be leased for ${today} to ${lastDay} (the hall's days), not ${body.day}`, { field: 'day' });
    }
    const key = { hallId: hall.hallId, serviceId: service.id, day: body.day };
    const refusal = rules ? await checkLease(db, rules, key, now, hall.timeZone) : null;
    if (refusal) throw calendarRefused(refusal, service.id, body.day);
    const quota = dayQuotaOf(rules, service.id, service.dailyQuota);
    const held = await deviceLeasesOf(db, deviceId, key);
    if (held.unused + body.count > maxHeldPerDevice) {
      throw new ApiError(409, 'lease-limit', `this device holds ${held.unused} unused leased numbers of ${service.id} for ${body.day}; at most ${maxHeldPerDevice} at a time`);
    }
    if (held.leased + body.count > maxLeasedPerDevice) {
      throw new ApiError(409, 'lease-limit', `this device leased ${held.leased} numbers of ${service.id} for ${body.day} already; at most ${maxLeasedPerDevice} a day`);
    }
    const lease = await restore.transaction(async (trx) => {
      const taken = await leaseNumbers(trx, key, body.count, quota);
      if (!taken.ok) return taken.reason;
      const row = { id: uuidv7({ msecs: now }), serviceId: service.id, businessDay: body.day, first: taken.first, last: taken.last };
      await trx
        .insertInto('number_leases')
        .values({ id: row.id, device_id: deviceId, hall_id: hall.hallId, service_id: row.serviceId, business_day: row.businessDay, first_number: row.first, last_number: row.last, created_at: now })
        .execute();
      return row;
    });
    if (lease === 'quota-reached') throw new ApiError(409, 'quota-reached', `all ${quota} numbers of ${service.id} for ${body.day} are taken (限号)`);
    if (lease === 'band-used-up') throw new ApiError(409, 'lease-band-used-up', `no numbers of ${service.id} for ${body.day} are left to lease; online issue goes on`);
    return { lease, serverTime: clock.now() };
  });
}
