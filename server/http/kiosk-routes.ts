import type { FastifyInstance, FastifyRequest } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { businessDayOf } from '../../core/calendar/business-day.ts';
import type { Catalog, ServiceItem } from '../../core/catalog/catalog.ts';
import { enrollRequestSchema } from '../../core/sync/enrollment.ts';
import type { EnrollResponse } from '../../core/sync/enrollment.ts';
import { leaseRequestSchema, nextNumberRequestSchema } from '../../core/numbering/numbers.ts';
import type { LeaseResponse, NextNumberResponse } from '../../core/numbering/numbers.ts';
import { pullQuerySchema } from '../../core/sync/pull.ts';
import type { PullResponse } from '../../core/sync/pull.ts';
import { pushRequestSchema } from '../../core/sync/push.ts';
import type { PushResponse } from '../../core/sync/push.ts';
import type { QueueResponse } from '../../core/ticket/calling-order.ts';
import { calendarRefusalCode } from '../../core/calendar/hall-calendar.ts';
import { ticketLabel } from '../../core/ticket/ticket.ts';
import { enrollDevice } from '../devices.ts';
import type { AuthenticatedDevice } from '../devices.ts';
import { readHallState } from '../hall-settings.ts';
import { checkLease, checkOnlineIssue, dayQuotaOf, readNumberingState, type IssueRefusal } from '../issue-rules.ts';
import { allocateNumbers, leaseNumbers } from '../numbering.ts';
import { callingOrder } from '../queue.ts';
import { staffPullFields } from '../staff/roster-pull.ts';
import { pullChanges } from '../sync/pull.ts';
import { applyPush } from '../sync/push.ts';
import { ApiError, parseOrThrow } from './api-error.ts';
import type { RouteContext } from './app.ts';

/** How many days ahead a kiosk may lease numbers (a weekend's worth and then some). */
const leaseDaysAhead = 7;
const dayMs = 24 * 60 * 60 * 1000;
/** An enrolment is a code and a version string: a few hundred bytes. */
const enrollBodyLimit = 4 * 1024;

/** 409 with the calendar's reason, so the kiosk tells the citizen what it would have told them itself. */
function calendarRefused(refusal: IssueRefusal, serviceId: string, day: string): ApiError {
  const when = refusal.nextOpening === null ? 'not again under the current calendar' : `again from ${new Date(refusal.nextOpening).toISOString()}`;
  return new ApiError(409, calendarRefusalCode(refusal.reason), `the hall calendar issues no numbers of ${serviceId} now (${refusal.reason}, ${day}); ${when}`, refusal);
}

function deviceOf(request: FastifyRequest): AuthenticatedDevice {
  if (!request.device) throw new ApiError(401, 'token-missing', 'device authentication required');
  return request.device;
}

export function registerKioskRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { db, clock, catalogs, calendars } = ctx;
  const device = { onRequest: ctx.requireDevice };

  async function serviceOrThrow(serviceId: string): Promise<ServiceItem> {
    return serviceIn((await catalogs.latest())?.catalog ?? null, serviceId);
  }

  app.get('/api/v1/time', async () => ({ serverTime: clock.now() }));

  // Anyone may try a code: limited per address before the body is read, and the body is small.
  const enrolment = { onRequest: async (request: FastifyRequest) => ctx.limitAnonymous(request), bodyLimit: enrollBodyLimit };
  app.post('/api/v1/devices/enroll', enrolment, async (request): Promise<EnrollResponse> => {
    const body = parseOrThrow(enrollRequestSchema, request.body, 'enrollment');
    const enrolled = await enrollDevice(db, clock, body.code, body.version);
    if (!enrolled) throw new ApiError(401, 'enrollment-code-invalid', 'enrollment code unknown, already used, expired or revoked; ask the hall admin for a new one');
    const hall = await readHallState(db);
    request.log.info({ device: enrolled.deviceId }, 'device enrolled');
    return { deviceId: enrolled.deviceId, name: enrolled.name, token: enrolled.token, epoch: hall.epoch, serverTime: clock.now() };
  });

  app.post('/api/v1/sync/push', device, async (request): Promise<PushResponse> => {
    const { id: deviceId } = deviceOf(request);
    const batch = parseOrThrow(pushRequestSchema, request.body, 'push');
    const outcome = await applyPush({ db, clock, catalogs, hooks: ctx.hooks }, deviceId, batch);
    switch (outcome.kind) {
      case 'gap':
        throw new ApiError(
          409,
          'seq-gap',
          `the server holds this device's events up to seq ${outcome.lastAppliedSeq} but the batch starts at ${outcome.firstSeq}: send from seq ${outcome.lastAppliedSeq + 1} (or declare prunedThrough if the device no longer has them)`,
          { lastAppliedSeq: outcome.lastAppliedSeq },
        );
      case 'conflict':
        throw new ApiError(
          409,
          'seq-conflict',
          `seq ${outcome.seq} was already applied as a different event (${outcome.heldEventId}): the device's event log was reset; enroll it again as a new device`,
          { lastAppliedSeq: outcome.lastAppliedSeq },
        );
      case 'done': {
        const deadLettered = outcome.results.filter((r) => r.status === 'dead-lettered').length;
        if (deadLettered) request.log.warn({ device: deviceId, deadLettered }, 'events dead-lettered');
        return { serverTime: clock.now(), epoch: outcome.epoch, lastAppliedSeq: outcome.lastAppliedSeq, results: outcome.results };
      }
    }
  });

  app.get('/api/v1/sync/pull', device, async (request): Promise<PullResponse> => {
    const { id: deviceId } = deviceOf(request);
    const query = parseOrThrow(pullQuerySchema, request.query, 'pull');
    const outcome = await pullChanges({ db, clock, catalogs, calendars }, deviceId, query.cursor);
    if (!outcome.ok) throw new ApiError(400, 'cursor-invalid', `${outcome.reason}; pull without a cursor to start over`, { field: 'cursor' });
    if (outcome.response.reset) request.log.warn({ device: deviceId, lastAppliedSeq: outcome.response.lastAppliedSeq }, 'pull reset: cursor from another history');
    const staff = await staffPullFields(db, clock.now(), query.staffCursor, outcome.response.reset);
    return { ...outcome.response, ...staff, serverTime: clock.now() };
  });

  app.post('/api/v1/numbers/next', device, async (request): Promise<NextNumberResponse> => {
    const body = parseOrThrow(nextNumberRequestSchema, request.body, 'next number');
    const { hall, rules, catalog } = await readNumberingState(db, calendars, catalogs);
    const service = serviceIn(catalog?.catalog ?? null, body.serviceId);
    const now = clock.now();
    const day = businessDayOf(now, hall.timeZone);
    const key = { hallId: hall.hallId, serviceId: service.id, day };
    const quota = dayQuotaOf(rules, service.id, service.dailyQuota);
    const check = rules ? await checkOnlineIssue(db, rules, key, now, hall.timeZone) : { ok: true as const, slot: null };
    if (!check.ok) throw calendarRefused(check.refusal, service.id, day);
    let taken: Awaited<ReturnType<typeof allocateNumbers>>;
    try {
      taken = await allocateNumbers(db, key, 1, quota);
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

  app.post('/api/v1/numbers/lease', device, async (request): Promise<LeaseResponse> => {
    const { id: deviceId } = deviceOf(request);
    const body = parseOrThrow(leaseRequestSchema, request.body, 'lease');
    const { hall, rules, catalog } = await readNumberingState(db, calendars, catalogs);
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
    const lease = await db.transaction().execute(async (trx) => {
      const taken = await leaseNumbers(trx, key, body.count, quota);
      if (!taken.ok) return null;
      const row = { id: uuidv7({ msecs: now }), serviceId: service.id, businessDay: body.day, first: taken.first, last: taken.last };
      await trx
        .insertInto('number_leases')
        .values({ id: row.id, device_id: deviceId, hall_id: hall.hallId, service_id: row.serviceId, business_day: row.businessDay, first_number: row.first, last_number: row.last, created_at: now })
        .execute();
      return row;
    });
    if (!lease) throw new ApiError(409, 'quota-reached', `all ${quota} numbers of ${service.id} for ${body.day} are taken (限号)`);
    return { lease, serverTime: clock.now() };
  });

  app.get<{ Params: { serviceId: string } }>('/api/v1/queue/:serviceId', device, async (request): Promise<QueueResponse> => {
    const service = await serviceOrThrow(request.params.serviceId);
    const hall = await readHallState(db);
    const day = businessDayOf(clock.now(), hall.timeZone);
    const waiting = await callingOrder(db, hall.hallId, service.id, day);
    return { serviceId: service.id, businessDay: day, waiting, serverTime: clock.now() };
  });
}

function serviceIn(catalog: Catalog | null, serviceId: string): ServiceItem {
  const service = catalog?.services.find((s) => s.id === serviceId);
  if (!service) throw new ApiError(404, 'unknown-service', `service "${serviceId}" is not in the hall's current catalog`, { field: 'serviceId' });
  return service;
}
