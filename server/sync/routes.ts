import type { FastifyInstance } from 'fastify';
import { hallApi } from '../../core/http/contract.ts';
import { ApiError } from '../http/api-error.ts';
import { contractRoutes } from '../http/contract-routes.ts';
import type { RouteContext } from '../http/route-context.ts';
import { openSpotChecks } from '../attendance/spot-checks.ts';
import { staffPullFields } from '../staff/roster-pull.ts';
import { privilegedPull } from './privileged-pull.ts';
import { pullChanges } from './pull.ts';
import { applyPush } from './push.ts';
import type { SyncEvent, SyncPayload } from '../../core/sync/events.ts';
import type { PushResult } from '../../core/sync/push.ts';
import { dayQuotaOf } from '../../core/numbering/day-quota.ts';
import { readHallState } from '../hall/hall-settings.ts';
import { overshootsOf, type Overshoot } from '../numbering/numbering.ts';

export function registerSyncRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { db, clock, catalogs, calendars } = ctx;
  const serve = contractRoutes(app, ctx);

  serve(hallApi.time, async () => ({ serverTime: clock.now() }));

  /** The days the applied tickets of a push took past their quota (only when it applied a ticket). */
  async function overshootsOfPush(events: readonly SyncEvent[], results: readonly PushResult[]): Promise<Overshoot[]> {
    const applied = new Set(results.filter((r) => r.status === 'applied').map((r) => r.seq));
    const keys = events.flatMap((e) => {
      if (e.type !== 'ticket.issued' || !applied.has(e.seq)) return [];
      const { ticket } = e.payload as SyncPayload<'ticket.issued'>;
      return [{ serviceId: ticket.serviceId, day: ticket.businessDay }];
    });
    if (!keys.length) return [];
    const [catalog, calendar, hall] = await Promise.all([catalogs.latest(), calendars.latest(), readHallState(db)]);
    const quotas = new Map(catalog?.catalog.services.map((s) => [s.id, dayQuotaOf(calendar?.rules ?? null, s.id, s.dailyQuota)]) ?? []);
    return overshootsOf(db, hall.hallId, keys, (serviceId) => quotas.get(serviceId));
  }

  serve(hallApi.syncPush, async ({ device, body: batch }, request) => {
    const deviceId = device.id;
    const outcome = await applyPush({ db, clock, catalogs, calendars, hooks: ctx.hooks }, deviceId, batch);
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
        const overshoots = await overshootsOfPush(batch.events, outcome.results);
        if (overshoots.length) request.log.warn({ device: deviceId, overshoots }, 'offline tickets took a day past its quota (限号): kept, as they were valid on the kiosk');
        return { serverTime: clock.now(), epoch: outcome.epoch, lastAppliedSeq: outcome.lastAppliedSeq, results: outcome.results };
      }
    }
  });

  serve(hallApi.syncPull, async ({ device, query }, request) => {
    const deviceId = device.id;
    const outcome = await pullChanges({ db, clock, catalogs, calendars, restore: ctx.restore }, deviceId, query.cursor);
    if (!outcome.ok) throw new ApiError(400, 'cursor-invalid', `${outcome.reason}; pull without a cursor to start over`, { field: 'cursor' });
    if (outcome.response.reset) request.log.warn({ device: deviceId, lastAppliedSeq: outcome.response.lastAppliedSeq }, 'pull reset: cursor from another history');
    if (query.for === 'page') {
      // The kiosk's privileged side pulls the roster and the hall rules itself (below).
      const { hallRules: _rules, ...records } = outcome.response;
      return { ...records, spotChecks: await openSpotChecks(db, clock.now()), serverTime: clock.now() };
    }
    const staff = await staffPullFields(db, clock.now(), query.staffCursor, outcome.response.reset);
    return { ...outcome.response, ...staff, serverTime: clock.now() };
  });

  // What the kiosk's privileged side owns (docs/architecture.md, "One owner per piece of data").
  serve(hallApi.syncPrivilegedPull, async ({ device, query }, request) => {
    const pulled = await privilegedPull(db, calendars, query.cursor);
    if (pulled.staff.full && query.cursor !== undefined) request.log.info({ device: device.id }, 'privileged pull: whole roster sent for a cursor from another history');
    return { ...pulled, serverTime: clock.now() };
  });
}
